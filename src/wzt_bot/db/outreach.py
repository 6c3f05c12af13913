"""Repositories of outreach: flags and their threads, check-ins, the outbox. They never commit.

Rows that several processes may want at once (due check-ins, due outbox messages) are claimed
with one UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) ... RETURNING: on
PostgreSQL two schedulers never get the same row; on SQLite (one writer at a time, FOR UPDATE
is not rendered) the statement runs under the database's single write lock.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, and_, cast, delete, exists, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wzt_bot.crypto import Keyring
from wzt_bot.db.repositories import Database, _participant, _Repo
from wzt_bot.db.tables import (
    CheckinRow,
    FlagMessageRow,
    FlagRiskRow,
    FlagRow,
    OutboxRow,
    ParticipantRow,
    TelegramLinkRow,
)
from wzt_bot.domain.models import (
    Author,
    Checkin,
    CheckinKind,
    CheckinStatus,
    Flag,
    FlagKind,
    FlagMessage,
    FlagRisk,
    FlagStatus,
    FlagUrgency,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Topic,
)
from wzt_bot.domain.ports import FlagFilter

_ORM = {"synchronize_session": False}


class _Encrypted(_Repo):
    def __init__(self, db: Database, keyring: Keyring) -> None:
        super().__init__(db)
        self.keyring = keyring

    def _seal(self, row_id: uuid.UUID, data: dict[str, Any]) -> tuple[bytes, str]:
        return self.keyring.encrypt(json.dumps(data, ensure_ascii=False), context=row_id.bytes)

    def _open(self, row_id: uuid.UUID, ct: bytes | None, key_id: str | None) -> dict[str, Any]:
        if ct is None or key_id is None:
            return {}
        loaded: dict[str, Any] = json.loads(self.keyring.decrypt(ct, key_id, context=row_id.bytes))
        return loaded

    def _insert(self) -> Any:
        dialect = self.s.get_bind().dialect.name
        return pg_insert if dialect == "postgresql" else sqlite_insert


# --- flags -------------------------------------------------------------------------------


def _flag(r: FlagRow) -> Flag:
    return Flag(
        id=r.id,
        participant_id=r.participant_id,
        team_id=r.team_id,
        kind=FlagKind(r.kind),
        urgency=FlagUrgency(r.urgency),
        source=r.source,
        created_at=r.created_at,
        status=FlagStatus(r.status),
        assignee_id=r.assignee_id,
        respond_by=r.respond_by,
        topic=Topic(r.topic) if r.topic else None,
        acknowledged_at=r.acknowledged_at,
        resolved_at=r.resolved_at,
        updated_at=r.updated_at,
        notified_at=r.notified_at,
        helped=r.helped,
    )


def _flag_values(flag: Flag) -> dict[str, Any]:
    return {
        "urgency": flag.urgency.value,
        "status": flag.status.value,
        "assignee_id": flag.assignee_id,
        "respond_by": flag.respond_by,
        "topic": flag.topic.value if flag.topic else None,
        "acknowledged_at": flag.acknowledged_at,
        "resolved_at": flag.resolved_at,
        "updated_at": flag.updated_at,
        "notified_at": flag.notified_at,
        "helped": flag.helped,
    }


class SqlFlagRepository(_Encrypted):
    async def add(self, flag: Flag) -> None:
        self.s.add(
            FlagRow(
                id=flag.id,
                participant_id=flag.participant_id,
                team_id=flag.team_id,
                kind=flag.kind.value,
                source=flag.source,
                created_at=flag.created_at,
                **_flag_values(flag),
            )
        )
        await self.s.flush()

    async def get(self, flag_id: uuid.UUID) -> Flag | None:
        row = await self.s.get(FlagRow, flag_id)
        return _flag(row) if row else None

    async def update(self, flag: Flag) -> None:
        await self.s.execute(
            update(FlagRow).where(FlagRow.id == flag.id).values(**_flag_values(flag)),
            execution_options=_ORM,
        )

    async def open_for(self, participant_id: uuid.UUID) -> Sequence[Flag]:
        rows = await self.s.scalars(
            select(FlagRow).where(
                FlagRow.participant_id == participant_id,
                FlagRow.status != FlagStatus.RESOLVED.value,
            )
        )
        return [_flag(r) for r in rows]

    async def search(
        self, where: FlagFilter, *, offset: int, limit: int
    ) -> tuple[Sequence[Flag], int]:
        conditions: list[Any] = []
        if where.team_ids is not None:
            conditions.append(FlagRow.team_id.in_(where.team_ids))
        if where.status is not None:
            conditions.append(FlagRow.status == where.status.value)
        if where.urgency is not None:
            conditions.append(FlagRow.urgency == where.urgency.value)
        if where.kind is not None:
            conditions.append(FlagRow.kind == where.kind.value)
        if where.participant_id is not None:
            conditions.append(FlagRow.participant_id == where.participant_id)
        rows = await self.s.scalars(
            select(FlagRow)
            .where(*conditions)
            .order_by(FlagRow.created_at.desc(), FlagRow.id)
            .offset(offset)
            .limit(limit)
        )
        flags = [_flag(r) for r in rows]
        if offset == 0 and len(flags) < limit:
            return flags, len(flags)  # the whole result is on this page: no count query
        total = await self.s.scalar(select(func.count()).select_from(FlagRow).where(*conditions))
        return flags, int(total or 0)

    async def add_message(self, message: FlagMessage) -> None:
        ct, key_id = self._seal(
            message.id,
            {
                "text": message.text,
                "translation": message.translation,
                "media_ref": message.media_ref,
                **({"internal": True} if message.internal else {}),
            },
        )
        self.s.add(
            FlagMessageRow(
                id=message.id,
                flag_id=message.flag_id,
                author=message.author.value,
                author_id=message.author_id,
                created_at=message.created_at,
                language=message.language,
                media_kind=message.media_kind,
                body_ct=ct,
                key_id=key_id,
            )
        )
        await self.s.flush()

    async def messages(self, flag_id: uuid.UUID) -> Sequence[FlagMessage]:
        rows = await self.s.scalars(
            select(FlagMessageRow)
            .where(FlagMessageRow.flag_id == flag_id)
            .order_by(FlagMessageRow.created_at, FlagMessageRow.id)
        )
        return [self._message(r) for r in rows]

    def _message(self, r: FlagMessageRow) -> FlagMessage:
        body = self._open(r.id, r.body_ct, r.key_id)
        return FlagMessage(
            id=r.id,
            flag_id=r.flag_id,
            author=Author(r.author),
            author_id=r.author_id,
            text=body.get("text") or "",
            created_at=r.created_at,
            language=r.language,
            translation=body.get("translation"),
            media_kind=r.media_kind,
            media_ref=body.get("media_ref"),
            internal=bool(body.get("internal")),
        )

    async def team_messages_since(
        self, participant_id: uuid.UUID, since: datetime, limit: int
    ) -> Sequence[FlagMessage]:
        rows = await self.s.scalars(
            select(FlagMessageRow)
            .join(FlagRow, FlagRow.id == FlagMessageRow.flag_id)
            .where(
                FlagRow.participant_id == participant_id,
                FlagMessageRow.author == Author.STAFF.value,
                FlagMessageRow.created_at >= since,
            )
            .order_by(FlagMessageRow.created_at.desc(), FlagMessageRow.id)
            .limit(limit)
        )
        return [self._message(r) for r in rows]

    async def not_notified(self, team_id: uuid.UUID) -> Sequence[Flag]:
        rows = await self.s.scalars(
            select(FlagRow)
            .where(
                FlagRow.team_id == team_id,
                FlagRow.notified_at.is_(None),
                FlagRow.status != FlagStatus.RESOLVED.value,
            )
            .order_by(FlagRow.created_at)
        )
        return [_flag(r) for r in rows]

    async def add_risk(self, risk: FlagRisk) -> None:
        self.s.add(
            FlagRiskRow(
                id=risk.id,
                flag_id=risk.flag_id,
                urgency=risk.urgency.value,
                created_at=risk.created_at,
                message_id=risk.message_id,
                withdrawn_at=risk.withdrawn_at,
                note_id=risk.note_id,
                acknowledged_at=risk.acknowledged_at,
            )
        )
        await self.s.flush()

    async def get_risk(self, risk_id: uuid.UUID) -> FlagRisk | None:
        row = await self.s.get(FlagRiskRow, risk_id, populate_existing=True)
        return _risk(row) if row else None

    async def risks(self, flag_id: uuid.UUID) -> Sequence[FlagRisk]:
        rows = await self.s.scalars(
            select(FlagRiskRow)
            .where(FlagRiskRow.flag_id == flag_id)
            .order_by(FlagRiskRow.created_at, FlagRiskRow.id)
            .execution_options(populate_existing=True)
        )
        return [_risk(r) for r in rows]

    async def withdraw_risk(self, risk_id: uuid.UUID, at: datetime) -> bool:
        result = await self.s.execute(
            update(FlagRiskRow)
            .where(FlagRiskRow.id == risk_id, FlagRiskRow.withdrawn_at.is_(None))
            .values(withdrawn_at=at),
            execution_options=_ORM,
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def note_withdrawal(self, risk_id: uuid.UUID, note_id: uuid.UUID) -> None:
        await self.s.execute(
            update(FlagRiskRow).where(FlagRiskRow.id == risk_id).values(note_id=note_id),
            execution_options=_ORM,
        )

    async def acknowledge_risks(self, flag_id: uuid.UUID, at: datetime) -> None:
        await self.s.execute(
            update(FlagRiskRow)
            .where(FlagRiskRow.flag_id == flag_id, FlagRiskRow.acknowledged_at.is_(None))
            .values(acknowledged_at=at),
            execution_options=_ORM,
        )


def _risk(r: FlagRiskRow) -> FlagRisk:
    return FlagRisk(
        id=r.id,
        flag_id=r.flag_id,
        urgency=FlagUrgency(r.urgency),
        created_at=r.created_at,
        message_id=r.message_id,
        withdrawn_at=r.withdrawn_at,
        note_id=r.note_id,
        acknowledged_at=r.acknowledged_at,
    )


# --- check-ins ---------------------------------------------------------------------------

#: A cancelled check-in gives up its slot (one per participant per local day), so that a
#: re-plan may take that day again; it keeps a key of its own ("cancelled:" and its id) that
#: nothing plans or sends. Sent, answered and missed check-ins keep their slot: the outbox's
#: "checkin:<slot>" key and this unique slot are what make a check-in go out only once.
_FREED_SLOT = literal("cancelled:", String).concat(cast(CheckinRow.id, String))


def _as_utc(raw: Any) -> datetime:
    """SQLite returns an aggregate of datetimes as naive text: an aware UTC datetime."""
    moment = datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class SqlCheckinRepository(_Encrypted):
    def _checkin(self, r: CheckinRow) -> Checkin:
        body = self._open(r.id, r.body_ct, r.key_id)
        return Checkin(
            id=r.id,
            participant_id=r.participant_id,
            slot=r.slot,
            kind=CheckinKind(r.kind),
            due_at=r.due_at,
            created_at=r.created_at,
            status=CheckinStatus(r.status),
            wording=r.wording,
            sent_at=r.sent_at,
            reminder_at=r.reminder_at,
            answered_at=r.answered_at,
            score=r.score,
            all_ok=r.all_ok,
            topics=tuple(Topic(t) for t in r.topics.split(",") if t),
            wants_contact=r.wants_contact,
            note=body.get("note"),
            went_well=body.get("went_well"),
            voice_ref=body.get("voice_ref"),
        )

    def _values(self, c: Checkin) -> dict[str, Any]:
        body = {"note": c.note, "went_well": c.went_well, "voice_ref": c.voice_ref}
        ct, key_id = self._seal(c.id, body) if any(body.values()) else (None, None)
        return {
            "status": c.status.value,
            "due_at": c.due_at,
            "wording": c.wording,
            "sent_at": c.sent_at,
            "reminder_at": c.reminder_at,
            "answered_at": c.answered_at,
            "score": c.score,
            "all_ok": c.all_ok,
            "topics": ",".join(t.value for t in c.topics),
            "wants_contact": c.wants_contact,
            "body_ct": ct,
            "key_id": key_id,
        }

    async def add(self, checkin: Checkin) -> bool:
        inserted = await self.s.scalar(
            self._insert()(CheckinRow)
            .values(
                id=checkin.id,
                participant_id=checkin.participant_id,
                slot=checkin.slot,
                kind=checkin.kind.value,
                created_at=checkin.created_at,
                **self._values(checkin),
            )
            .on_conflict_do_nothing(index_elements=["slot"])
            .returning(CheckinRow.id)
        )
        return inserted is not None

    async def get(self, checkin_id: uuid.UUID) -> Checkin | None:
        row = await self.s.get(CheckinRow, checkin_id)
        return self._checkin(row) if row else None

    async def update(self, checkin: Checkin) -> None:
        values = self._values(checkin)
        if checkin.status is CheckinStatus.CANCELLED:
            values["slot"] = _FREED_SLOT
        await self.s.execute(
            update(CheckinRow).where(CheckinRow.id == checkin.id).values(**values),
            execution_options=_ORM,
        )

    async def claim_due(self, now: datetime, limit: int) -> Sequence[Checkin]:
        due = (
            select(CheckinRow.id)
            .where(
                CheckinRow.status == CheckinStatus.SCHEDULED.value,
                CheckinRow.due_at <= now,
            )
            .order_by(CheckinRow.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = await self.s.scalars(
            update(CheckinRow)
            .where(CheckinRow.id.in_(due.scalar_subquery()))
            .values(status=CheckinStatus.SENT.value, sent_at=now)
            .returning(CheckinRow),
            execution_options=_ORM,
        )
        return [self._checkin(r) for r in rows]

    async def needing_reminder(
        self, sent_before: datetime, now: datetime, limit: int
    ) -> Sequence[Checkin]:
        due = (
            select(CheckinRow.id)
            .where(
                CheckinRow.status == CheckinStatus.SENT.value,
                CheckinRow.sent_at <= sent_before,
                CheckinRow.reminder_at.is_(None),
                CheckinRow.kind != CheckinKind.ADHOC.value,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = await self.s.scalars(
            update(CheckinRow)
            .where(CheckinRow.id.in_(due.scalar_subquery()))
            .values(reminder_at=now)
            .returning(CheckinRow),
            execution_options=_ORM,
        )
        return [self._checkin(r) for r in rows]

    async def latest_for(self, participant_id: uuid.UUID, limit: int) -> Sequence[Checkin]:
        rows = await self.s.scalars(
            select(CheckinRow)
            .where(CheckinRow.participant_id == participant_id)
            .order_by(CheckinRow.due_at.desc())
            .limit(limit)
        )
        return [self._checkin(r) for r in rows]

    async def participants_to_plan(
        self, limit: int, after: uuid.UUID | None = None
    ) -> Sequence[tuple[Participant, datetime]]:
        p, link = ParticipantRow, TelegramLinkRow
        last_due = (
            select(func.max(CheckinRow.due_at))
            .where(
                CheckinRow.participant_id == p.id,
                CheckinRow.kind != CheckinKind.ADHOC.value,
                CheckinRow.status != CheckinStatus.CANCELLED.value,
            )
            .scalar_subquery()
        )
        scheduled = exists().where(
            CheckinRow.participant_id == p.id,
            CheckinRow.status == CheckinStatus.SCHEDULED.value,
        )
        rows = await self.s.execute(
            select(p, func.coalesce(last_due, link.linked_at))
            .join(link, and_(link.participant_id == p.id, link.unlinked_at.is_(None)))
            .where(
                p.status == ParticipantStatus.ACTIVE.value,
                p.checkins_consented.is_(True),
                p.proactive_paused.is_(False),
                p.unreachable.is_(False),
                ~scheduled,
                *((p.id > after,) if after is not None else ()),
            )
            .order_by(p.id)
            .limit(limit)
        )
        result = []
        for row, raw in rows.tuples():
            result.append((_participant(row), _as_utc(raw)))
        return result

    async def last_due(self, participant_id: uuid.UUID) -> datetime | None:
        raw = await self.s.scalar(
            select(func.max(CheckinRow.due_at)).where(
                CheckinRow.participant_id == participant_id,
                CheckinRow.kind != CheckinKind.ADHOC.value,
                CheckinRow.status != CheckinStatus.CANCELLED.value,
            )
        )
        return None if raw is None else _as_utc(raw)

    async def next_scheduled(self, participant_id: uuid.UUID) -> Checkin | None:
        row = await self.s.scalar(
            select(CheckinRow)
            .where(
                CheckinRow.participant_id == participant_id,
                CheckinRow.status == CheckinStatus.SCHEDULED.value,
            )
            .order_by(CheckinRow.due_at)
            .limit(1)
        )
        return self._checkin(row) if row else None

    async def cancel_scheduled(self, participant_id: uuid.UUID) -> int:
        result = await self.s.execute(
            update(CheckinRow)
            .where(
                CheckinRow.participant_id == participant_id,
                CheckinRow.status == CheckinStatus.SCHEDULED.value,
            )
            .values(status=CheckinStatus.CANCELLED.value, slot=_FREED_SLOT),
            execution_options=_ORM,
        )
        return int(getattr(result, "rowcount", 0) or 0)


# --- the outbox --------------------------------------------------------------------------


class SqlOutbox(_Encrypted):
    def _message(self, r: OutboxRow) -> OutboxMessage:
        return OutboxMessage(
            id=r.id,
            key=r.key,
            channel=OutboxChannel(r.channel),
            target=r.target,
            kind=r.kind,
            payload=self._open(r.id, r.payload_ct, r.key_id),
            created_at=r.created_at,
            not_before=r.not_before,
            participant_id=r.participant_id,
            status=OutboxStatus(r.status),
            attempts=r.attempts,
            last_error=r.last_error,
            sent_at=r.sent_at,
            give_up_at=r.give_up_at,
        )

    async def add(self, message: OutboxMessage) -> bool:
        ct, key_id = self._seal(message.id, dict(message.payload))
        inserted = await self.s.scalar(
            self._insert()(OutboxRow)
            .values(
                id=message.id,
                key=message.key,
                channel=message.channel.value,
                target=message.target,
                kind=message.kind,
                participant_id=message.participant_id,
                status=message.status.value,
                created_at=message.created_at,
                not_before=message.not_before,
                give_up_at=message.give_up_at,
                attempts=message.attempts,
                payload_ct=ct,
                key_id=key_id,
            )
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxRow.id)
        )
        return inserted is not None

    async def claim(
        self, due: datetime, limit: int, token: str, *, at: datetime
    ) -> Sequence[OutboxMessage]:
        ready = (
            select(OutboxRow.id)
            .where(OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.not_before <= due)
            .order_by(OutboxRow.not_before)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = await self.s.scalars(
            update(OutboxRow)
            .where(OutboxRow.id.in_(ready.scalar_subquery()))
            .values(status=OutboxStatus.CLAIMED.value, claimed_at=at, claim_token=token)
            .returning(OutboxRow),
            execution_options=_ORM,
        )
        return sorted((self._message(r) for r in rows), key=lambda m: (m.not_before, m.key))

    async def mark_sending(self, message_id: uuid.UUID, token: str, at: datetime) -> bool:
        result = await self.s.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message_id,
                OutboxRow.claim_token == token,
                OutboxRow.status == OutboxStatus.CLAIMED.value,
            )
            .values(
                status=OutboxStatus.SENDING.value, claimed_at=at, attempts=OutboxRow.attempts + 1
            ),
            execution_options=_ORM,
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def finish(
        self,
        message_id: uuid.UUID,
        status: OutboxStatus,
        *,
        at: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status.value, "last_error": error, "claim_token": None}
        if status is OutboxStatus.SENT:
            values["sent_at"] = at
        if status is OutboxStatus.PENDING:
            values["not_before"] = retry_at or at
        await self.s.execute(
            update(OutboxRow).where(OutboxRow.id == message_id).values(**values),
            execution_options=_ORM,
        )

    async def expire_claims(
        self, *, claimed_before: datetime, sending_before: datetime
    ) -> tuple[int, int]:
        def count(result: Any) -> int:
            return int(getattr(result, "rowcount", 0) or 0)

        released = count(
            await self.s.execute(
                update(OutboxRow)
                .where(
                    or_(
                        and_(
                            OutboxRow.status == OutboxStatus.CLAIMED.value,
                            OutboxRow.claimed_at < claimed_before,
                        ),
                        and_(
                            OutboxRow.status == OutboxStatus.SENDING.value,
                            OutboxRow.channel == OutboxChannel.WEBHOOK.value,
                            OutboxRow.claimed_at < sending_before,
                        ),
                    )
                )
                .values(status=OutboxStatus.PENDING.value, claim_token=None),
                execution_options=_ORM,
            )
        )
        uncertain = count(
            await self.s.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.status == OutboxStatus.SENDING.value,
                    OutboxRow.channel == OutboxChannel.TELEGRAM.value,
                    OutboxRow.claimed_at < sending_before,
                )
                .values(
                    status=OutboxStatus.UNCERTAIN.value,
                    last_error="the sender stopped while sending: not sent again",
                ),
                execution_options=_ORM,
            )
        )
        return released, uncertain

    async def cancel_for_participant(self, participant_id: uuid.UUID, at: datetime) -> int:
        result = await self.s.execute(
            update(OutboxRow)
            .where(
                OutboxRow.participant_id == participant_id,
                OutboxRow.status == OutboxStatus.PENDING.value,
                OutboxRow.channel == OutboxChannel.TELEGRAM.value,
            )
            .values(status=OutboxStatus.CANCELLED.value, last_error="participant unreachable"),
            execution_options=_ORM,
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def cancel(self, key: str, reason: str) -> bool:
        result = await self.s.execute(
            update(OutboxRow)
            .where(OutboxRow.key == key, OutboxRow.status == OutboxStatus.PENDING.value)
            .values(status=OutboxStatus.CANCELLED.value, last_error=reason[:500]),
            execution_options=_ORM,
        )
        return bool(getattr(result, "rowcount", 0))

    async def get(self, message_id: uuid.UUID) -> OutboxMessage | None:
        row = await self.s.get(OutboxRow, message_id)
        return self._message(row) if row else None

    async def list(
        self, *, status: OutboxStatus | None, channel: str | None, target: str | None, limit: int
    ) -> Sequence[OutboxMessage]:
        conditions: list[Any] = []
        if status is not None:
            conditions.append(OutboxRow.status == status.value)
        if channel is not None:
            conditions.append(OutboxRow.channel == channel)
        if target is not None:
            conditions.append(OutboxRow.target == target)
        rows = await self.s.scalars(
            select(OutboxRow).where(*conditions).order_by(OutboxRow.created_at.desc()).limit(limit)
        )
        return [self._message(r) for r in rows]

    async def retry(self, message_id: uuid.UUID, at: datetime, give_up_at: datetime) -> bool:
        result = await self.s.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.status == OutboxStatus.DEAD.value)
            .values(
                status=OutboxStatus.PENDING.value,
                not_before=at,
                give_up_at=give_up_at,
                attempts=0,
                last_error=None,
            ),
            execution_options=_ORM,
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def counts(self) -> dict[str, int]:
        rows = await self.s.execute(
            select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        )
        return {status: int(n) for status, n in rows.tuples()}

    async def purge_before(self, before: datetime) -> int:
        finished = [
            OutboxStatus.SENT.value,
            OutboxStatus.CANCELLED.value,
            OutboxStatus.UNCERTAIN.value,
            OutboxStatus.DEAD.value,
        ]
        result = await self.s.execute(
            delete(OutboxRow).where(OutboxRow.created_at < before, OutboxRow.status.in_(finished)),
            execution_options=_ORM,
        )
        return int(getattr(result, "rowcount", 0) or 0)
