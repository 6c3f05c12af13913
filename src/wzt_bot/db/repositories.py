"""SQLAlchemy implementations of the domain's repository ports. They never commit."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, cast

import structlog
from cryptography.exceptions import InvalidTag
from sqlalchemy import BigInteger, Table, bindparam, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from wzt_bot.crypto import Keyring, UnknownKeyError
from wzt_bot.db.at_commit import AT_COMMIT
from wzt_bot.db.fast import FastStatement
from wzt_bot.db.tables import (
    AuditRow,
    ConsentRow,
    InviteAttemptRow,
    InviteRow,
    NetworkRow,
    ParticipantRow,
    StaffRow,
    StaffTeamRow,
    TeamRow,
    TelegramLinkRow,
    TelegramUpdateRow,
    UtcDateTime,
)
from wzt_bot.domain.models import (
    AuditEntry,
    Consent,
    ConsentKind,
    DayPart,
    Invite,
    Network,
    Participant,
    ParticipantStatus,
    Phase,
    Role,
    Staff,
    StaffFunction,
    Team,
    TelegramLink,
)
from wzt_bot.domain.policies.team import TeamSettings

log = structlog.get_logger(__name__)


class Database(Protocol):
    """What a repository works on: the unit of work's connection, and its ORM session."""

    @property
    def connection(self) -> AsyncConnection: ...

    @property
    def session(self) -> AsyncSession: ...

    @property
    def open_session(self) -> AsyncSession | None:
        """The ORM session if one was made in this unit of work, else None."""
        ...

    async def fast_row(self, statement: FastStatement, params: dict[str, Any]) -> Any | None:
        """The first row of a read, run on the driver directly (see `db.fast`)."""
        ...

    async def fast_rows(self, statement: FastStatement, params: dict[str, Any]) -> list[Any]:
        """Every row of a read, run on the driver directly (see `db.fast`)."""
        ...

    async def at_commit(self, statement: FastStatement, params: dict[str, Any]) -> None:
        """A write of this transaction, run when it commits (see `SqlUnitOfWork`)."""
        ...


#: The network settings' section of secrets (each encrypted, bound to its network and name).
SECRETS = "secrets"


class _Repo:
    """`c`: Core statements on the connection (the hot path, no ORM session needed);
    `s`: the ORM session, opened by the unit of work on first use, same transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    @property
    def s(self) -> AsyncSession:
        return self._db.session

    @property
    def c(self) -> AsyncConnection:
        return self._db.connection

    async def read(self) -> AsyncConnection:
        """The connection for a Core read that must see this unit of work's own changes made
        through the ORM session: those not yet flushed are flushed first (the ORM flushes
        before its own queries; a Core statement on the connection would not)."""
        session = self._db.open_session
        if session is not None and (session.new or session.dirty or session.deleted):
            await session.flush()
        return self._db.connection


class SqlNetworkRepository(_Repo):
    def __init__(self, db: Database, keyring: Keyring) -> None:
        super().__init__(db)
        self.keyring = keyring

    async def add(self, network: Network) -> None:
        self.s.add(NetworkRow(id=network.id, name=network.name))
        await self.s.flush()

    async def get_by_name(self, name: str) -> Network | None:
        row = await self.s.scalar(select(NetworkRow).where(NetworkRow.name == name))
        return Network(id=row.id, name=row.name) if row else None

    async def get(self, network_id: uuid.UUID) -> Network | None:
        row = await self.s.get(NetworkRow, network_id)
        return Network(id=row.id, name=row.name) if row else None

    async def save_checkin_settings(self, network_id: uuid.UUID, values: dict[str, Any]) -> None:
        current = await self.s.scalar(
            select(NetworkRow.settings).where(NetworkRow.id == network_id)
        )
        settings = dict(current or {}) | {"checkins": dict(values)}
        await self.s.execute(
            update(NetworkRow).where(NetworkRow.id == network_id).values(settings=settings)
        )

    async def checkin_settings(self, network_id: uuid.UUID) -> dict[str, Any]:
        return await self.section(network_id, "checkins")

    async def section(self, network_id: uuid.UUID, key: str) -> dict[str, Any]:
        settings = await self.s.scalar(
            select(NetworkRow.settings).where(NetworkRow.id == network_id)
        )
        return dict((settings or {}).get(key) or {})

    async def save_section(self, network_id: uuid.UUID, key: str, values: dict[str, Any]) -> None:
        current = await self.s.scalar(
            select(NetworkRow.settings).where(NetworkRow.id == network_id)
        )
        settings = dict(current or {}) | {key: dict(values)}
        await self.s.execute(
            update(NetworkRow).where(NetworkRow.id == network_id).values(settings=settings)
        )

    @staticmethod
    def _secret_context(network_id: uuid.UUID, name: str) -> bytes:
        return b"network-secret:" + network_id.bytes + b":" + name.encode()

    async def secret(self, network_id: uuid.UUID, name: str) -> str | None:
        sealed = (await self.section(network_id, SECRETS)).get(name)
        if not isinstance(sealed, dict) or not sealed.get("ct") or not sealed.get("key_id"):
            return None
        return self.keyring.decrypt(
            base64.b64decode(str(sealed["ct"])),
            str(sealed["key_id"]),
            context=self._secret_context(network_id, name),
        )

    async def set_secret(self, network_id: uuid.UUID, name: str, secret: str | None) -> None:
        secrets_ = await self.section(network_id, SECRETS)
        if secret:
            ct, key_id = self.keyring.encrypt(
                secret, context=self._secret_context(network_id, name)
            )
            secrets_[name] = {"ct": base64.b64encode(ct).decode(), "key_id": key_id}
        else:
            secrets_.pop(name, None)
        await self.save_section(network_id, SECRETS, secrets_)


class SqlTeamRepository(_Repo):
    def __init__(self, db: Database, keyring: Keyring) -> None:
        super().__init__(db)
        self.keyring = keyring

    async def add(self, team: Team) -> None:
        self.s.add(TeamRow(id=team.id, network_id=team.network_id, name=team.name))
        await self.s.flush()

    async def get(self, team_id: uuid.UUID) -> Team | None:
        row = await self.s.get(TeamRow, team_id)
        return Team(id=row.id, network_id=row.network_id, name=row.name) if row else None

    async def all(self) -> Sequence[Team]:
        rows = await self.s.scalars(select(TeamRow).order_by(TeamRow.name))
        return [Team(id=r.id, network_id=r.network_id, name=r.name) for r in rows]

    async def settings(self, team_id: uuid.UUID) -> TeamSettings:
        data = await self.s.scalar(select(TeamRow.settings).where(TeamRow.id == team_id))
        return TeamSettings.from_json(data)

    async def save_settings(self, team_id: uuid.UUID, settings: TeamSettings) -> None:
        await self.s.execute(
            update(TeamRow).where(TeamRow.id == team_id).values(settings=settings.to_json())
        )

    async def webhook_secret(self, team_id: uuid.UUID) -> str | None:
        row = (
            await self.s.execute(
                select(TeamRow.webhook_secret_ct, TeamRow.webhook_secret_key_id).where(
                    TeamRow.id == team_id
                )
            )
        ).first()
        if row is None or row[0] is None or row[1] is None:
            return None
        return self.keyring.decrypt(row[0], row[1], context=b"webhook:" + team_id.bytes)

    async def set_webhook_secret(self, team_id: uuid.UUID, secret: str | None) -> None:
        ct, key_id = (None, None)
        if secret:
            ct, key_id = self.keyring.encrypt(secret, context=b"webhook:" + team_id.bytes)
        await self.s.execute(
            update(TeamRow)
            .where(TeamRow.id == team_id)
            .values(webhook_secret_ct=ct, webhook_secret_key_id=key_id)
        )


class SqlStaffRepository(_Repo):
    async def add(self, staff: Staff, token_hash: str) -> None:
        self.s.add(
            StaffRow(
                id=staff.id,
                name=staff.name,
                role=staff.role.value,
                token_hash=token_hash,
                active=staff.active,
                function=staff.function.value if staff.function else None,
                away=staff.away,
            )
        )
        await self.s.flush()
        for team_id in staff.team_ids:
            self.s.add(StaffTeamRow(staff_id=staff.id, team_id=team_id))
        await self.s.flush()

    async def get_by_token_hash(self, token_hash: str) -> Staff | None:
        row = await self.s.scalar(select(StaffRow).where(StaffRow.token_hash == token_hash))
        return await self._staff(row) if row else None

    async def get(self, staff_id: uuid.UUID) -> Staff | None:
        row = await self.s.get(StaffRow, staff_id)
        return await self._staff(row) if row else None

    async def for_team(self, team_id: uuid.UUID) -> Sequence[Staff]:
        rows = await self.s.scalars(
            select(StaffRow)
            .join(StaffTeamRow, StaffTeamRow.staff_id == StaffRow.id)
            .where(StaffTeamRow.team_id == team_id, StaffRow.active.is_(True))
            .order_by(StaffRow.name)
        )
        return [await self._staff(row) for row in rows]

    async def update(self, staff: Staff) -> None:
        await self.s.execute(
            update(StaffRow)
            .where(StaffRow.id == staff.id)
            .values(
                name=staff.name,
                function=staff.function.value if staff.function else None,
                away=staff.away,
                active=staff.active,
            )
        )

    async def _staff(self, row: StaffRow) -> Staff:
        team_ids = await self.s.scalars(
            select(StaffTeamRow.team_id).where(StaffTeamRow.staff_id == row.id)
        )
        return Staff(
            id=row.id,
            name=row.name,
            role=Role(row.role),
            team_ids=frozenset(team_ids),
            active=row.active,
            function=StaffFunction(row.function) if row.function else None,
            away=row.away,
        )


def _participant(row: ParticipantRow) -> Participant:
    return Participant(
        id=row.id,
        team_id=row.team_id,
        display_name=row.display_name,
        created_at=row.created_at,
        status=ParticipantStatus(row.status),
        locale=row.locale,
        proactive_paused=row.proactive_paused,
        unreachable=row.unreachable,
        onboarded_at=row.onboarded_at,
        updated_at=row.updated_at,
        checkins_consented=row.checkins_consented,
        main_contact_id=row.main_contact_id,
        backup_contact_id=row.backup_contact_id,
        phase=Phase(row.phase) if row.phase else None,
        paused=row.paused,
        stage_changed_at=row.stage_changed_at,
        checkin_weekday=row.checkin_weekday,
        checkin_daypart=DayPart(row.checkin_daypart),
        checkin_less_often=row.checkin_less_often,
        checkin_snooze_until=row.checkin_snooze_until,
        stage_explained_at=row.stage_explained_at,
    )


def participant_values(participant: Participant) -> dict[str, Any]:
    """Every column of a participant that changes after creation."""
    return {
        "display_name": participant.display_name,
        "status": participant.status.value,
        "locale": participant.locale,
        "proactive_paused": participant.proactive_paused,
        "unreachable": participant.unreachable,
        "updated_at": participant.updated_at,
        "onboarded_at": participant.onboarded_at,
        "checkins_consented": participant.checkins_consented,
        "main_contact_id": participant.main_contact_id,
        "backup_contact_id": participant.backup_contact_id,
        "phase": participant.phase.value if participant.phase else None,
        "paused": participant.paused,
        "stage_changed_at": participant.stage_changed_at,
        "checkin_weekday": participant.checkin_weekday,
        "checkin_daypart": participant.checkin_daypart.value,
        "checkin_less_often": participant.checkin_less_often,
        "checkin_snooze_until": participant.checkin_snooze_until,
        "stage_explained_at": participant.stage_explained_at,
    }


# Statements of the per-update hot path, built once (Core, not ORM entities).
_PARTICIPANTS = cast("Table", ParticipantRow.__table__)
_LINKS = cast("Table", TelegramLinkRow.__table__)
_UPDATES = cast("Table", TelegramUpdateRow.__table__)
_CONSENTS = cast("Table", ConsentRow.__table__)
_CONSENTS_OF_PARTICIPANT = (
    select(*_CONSENTS.c)
    .where(_CONSENTS.c.participant_id == bindparam("participant_id"))
    .order_by(_CONSENTS.c.recorded_at.desc())
)
_PARTICIPANT_BY_TELEGRAM_USER = (
    select(*_PARTICIPANTS.c)
    .join_from(_PARTICIPANTS, _LINKS, _LINKS.c.participant_id == _PARTICIPANTS.c.id)
    .where(_LINKS.c.telegram_user_id == bindparam("user_id"), _LINKS.c.unlinked_at.is_(None))
)
_INSERT_UPDATE: dict[str, Any] = {
    "postgresql": pg_insert(_UPDATES),
    "sqlite": sqlite_insert(_UPDATES),
}
#: "Handled": written with the commit (see `wzt_bot.db.at_commit`). Text, not `insert(...)
#: .on_conflict_do_nothing()`: SQLAlchemy does not cache the compiled form of the dialects'
#: INSERT constructs, so those are compiled again on every execution (a hot path here); the
#: syntax is the same on SQLite and PostgreSQL.
_CLAIM_UPDATE = text(
    f"INSERT {AT_COMMIT} INTO telegram_updates"  # noqa: S608 - constants only
    " (update_id, received_at, claimed_at, processed_at, status)"
    " VALUES (:update_id, :at, :at, :at, 'done') ON CONFLICT (update_id) DO NOTHING"
).bindparams(bindparam("update_id", type_=BigInteger()), bindparam("at", type_=UtcDateTime()))


_FAST_PARTICIPANT = FastStatement(_PARTICIPANT_BY_TELEGRAM_USER)
_FAST_CONSENTS = FastStatement(_CONSENTS_OF_PARTICIPANT)
_FAST_CLAIM = FastStatement(_CLAIM_UPDATE)


class SqlParticipantRepository(_Repo):
    async def add(self, participant: Participant) -> None:
        self.s.add(
            ParticipantRow(
                id=participant.id,
                team_id=participant.team_id,
                created_at=participant.created_at,
                **participant_values(participant),
            )
        )
        await self.s.flush()

    async def get(self, participant_id: uuid.UUID) -> Participant | None:
        row = await self.s.get(ParticipantRow, participant_id)
        return _participant(row) if row else None

    async def get_by_telegram_user(self, telegram_user_id: int) -> Participant | None:
        # Core on the unit of work's connection, past the ORM layer: the hot path.
        row = await self._db.fast_row(_FAST_PARTICIPANT, {"user_id": telegram_user_id})
        return _participant(row) if row else None

    async def update(self, participant: Participant) -> None:
        await self.s.execute(
            update(ParticipantRow)
            .where(ParticipantRow.id == participant.id)
            .values(**participant_values(participant))
        )

    async def list_for_teams(
        self, team_ids: frozenset[uuid.UUID] | None, *, offset: int, limit: int
    ) -> tuple[Sequence[Participant], int]:
        query = select(ParticipantRow)
        count = select(func.count()).select_from(ParticipantRow)
        if team_ids is not None:
            query = query.where(ParticipantRow.team_id.in_(team_ids))
            count = count.where(ParticipantRow.team_id.in_(team_ids))
        rows = await self.s.scalars(
            query.order_by(ParticipantRow.created_at.desc(), ParticipantRow.id)
            .offset(offset)
            .limit(limit)
        )
        total = await self.s.scalar(count)
        return [_participant(r) for r in rows], int(total or 0)


def _invite(row: InviteRow) -> Invite:
    return Invite(
        id=row.id,
        participant_id=row.participant_id,
        code_hash=row.code_hash,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        revoked_at=row.revoked_at,
    )


class SqlInviteRepository(_Repo):
    async def add(self, invite: Invite) -> None:
        self.s.add(
            InviteRow(
                id=invite.id,
                participant_id=invite.participant_id,
                code_hash=invite.code_hash,
                created_at=invite.created_at,
                expires_at=invite.expires_at,
                used_at=invite.used_at,
                revoked_at=invite.revoked_at,
            )
        )
        await self.s.flush()

    async def get_by_code_hash(self, code_hash: str) -> Invite | None:
        row = await self.s.scalar(select(InviteRow).where(InviteRow.code_hash == code_hash))
        return _invite(row) if row else None

    async def active_for(self, participant_id: uuid.UUID) -> Sequence[Invite]:
        rows = await self.s.scalars(
            select(InviteRow).where(
                InviteRow.participant_id == participant_id,
                InviteRow.used_at.is_(None),
                InviteRow.revoked_at.is_(None),
            )
        )
        return [_invite(r) for r in rows]

    async def mark_used(self, invite_id: uuid.UUID, at: datetime) -> bool:
        """Use the invite if it is still unused and not revoked; False if someone was first."""
        result = await self.s.execute(
            update(InviteRow)
            .where(
                InviteRow.id == invite_id,
                InviteRow.used_at.is_(None),
                InviteRow.revoked_at.is_(None),
            )
            .values(used_at=at)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def update(self, invite: Invite) -> None:
        await self.s.execute(
            update(InviteRow)
            .where(InviteRow.id == invite.id)
            .values(used_at=invite.used_at, revoked_at=invite.revoked_at)
        )


class SqlInviteAttemptRepository(_Repo):
    async def add(self, telegram_user_id: int, at: datetime, success: bool) -> None:
        self.s.add(InviteAttemptRow(telegram_user_id=telegram_user_id, at=at, success=success))
        await self.s.flush()

    async def failures_since(self, telegram_user_id: int, since: datetime) -> int:
        count = await self.s.scalar(
            select(func.count())
            .select_from(InviteAttemptRow)
            .where(
                InviteAttemptRow.telegram_user_id == telegram_user_id,
                InviteAttemptRow.at >= since,
                InviteAttemptRow.success.is_(False),
            )
        )
        return int(count or 0)


def _link(row: TelegramLinkRow) -> TelegramLink:
    return TelegramLink(
        id=row.id,
        participant_id=row.participant_id,
        telegram_user_id=row.telegram_user_id,
        chat_id=row.chat_id,
        linked_at=row.linked_at,
        unlinked_at=row.unlinked_at,
    )


class SqlTelegramLinkRepository(_Repo):
    async def add(self, link: TelegramLink) -> None:
        self.s.add(
            TelegramLinkRow(
                id=link.id,
                participant_id=link.participant_id,
                telegram_user_id=link.telegram_user_id,
                chat_id=link.chat_id,
                linked_at=link.linked_at,
                unlinked_at=link.unlinked_at,
            )
        )
        await self.s.flush()

    async def active_for_participant(self, participant_id: uuid.UUID) -> TelegramLink | None:
        row = await self.s.scalar(
            select(TelegramLinkRow).where(
                TelegramLinkRow.participant_id == participant_id,
                TelegramLinkRow.unlinked_at.is_(None),
            )
        )
        return _link(row) if row else None

    async def active_for_user(self, telegram_user_id: int) -> TelegramLink | None:
        row = await self.s.scalar(
            select(TelegramLinkRow).where(
                TelegramLinkRow.telegram_user_id == telegram_user_id,
                TelegramLinkRow.unlinked_at.is_(None),
            )
        )
        return _link(row) if row else None

    async def update(self, link: TelegramLink) -> None:
        await self.s.execute(
            update(TelegramLinkRow)
            .where(TelegramLinkRow.id == link.id)
            .values(unlinked_at=link.unlinked_at, chat_id=link.chat_id)
        )


class SqlConsentRepository(_Repo):
    async def add(self, consent: Consent) -> None:
        self.s.add(
            ConsentRow(
                id=consent.id,
                participant_id=consent.participant_id,
                kind=consent.kind.value,
                granted=consent.granted,
                text_version=consent.text_version,
                locale=consent.locale,
                recorded_at=consent.recorded_at,
            )
        )
        await self.s.flush()

    async def latest_for(self, participant_id: uuid.UUID) -> Sequence[Consent]:
        # On the driver: "Mijn gegevens" reads this on every press.
        rows = await self._db.fast_rows(_FAST_CONSENTS, {"participant_id": participant_id})
        latest: dict[str, Consent] = {}
        for r in rows:
            latest.setdefault(
                r.kind,
                Consent(
                    id=r.id,
                    participant_id=r.participant_id,
                    kind=ConsentKind(r.kind),
                    granted=r.granted,
                    text_version=r.text_version,
                    locale=r.locale,
                    recorded_at=r.recorded_at,
                ),
            )
        return list(latest.values())


class SqlAuditRepository(_Repo):
    async def add(self, entry: AuditEntry) -> None:
        self.s.add(
            AuditRow(
                id=entry.id,
                at=entry.at,
                actor_kind=entry.actor_kind,
                actor_id=entry.actor_id,
                action=entry.action,
                participant_id=entry.participant_id,
                detail=entry.detail,
            )
        )

    async def for_participant(self, participant_id: uuid.UUID) -> Sequence[AuditEntry]:
        rows = await self.s.scalars(
            select(AuditRow).where(AuditRow.participant_id == participant_id).order_by(AuditRow.at)
        )
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor_kind=r.actor_kind,
                actor_id=r.actor_id,
                action=r.action,
                participant_id=r.participant_id,
                detail=r.detail,
            )
            for r in rows
        ]


class SqlUpdateInbox(_Repo):
    """All Core, on the unit of work's connection: no ORM session for the inbox."""

    def __init__(self, db: Database, keyring: Keyring) -> None:
        super().__init__(db)
        self.keyring = keyring

    @staticmethod
    def _context(update_id: int) -> bytes:
        return b"update:" + str(update_id).encode()

    def _dialect(self) -> str:
        return "postgresql" if self.c.dialect.name == "postgresql" else "sqlite"

    def _insert(self) -> Any:
        """INSERT with ON CONFLICT support for the session's database."""
        return _INSERT_UPDATE[self._dialect()]

    async def store(self, update_id: int, payload: str, received_at: datetime) -> bool:
        ct, key_id = self.keyring.encrypt(payload, context=self._context(update_id))
        result = await self.c.execute(
            self._insert()
            .values(
                update_id=update_id,
                received_at=received_at,
                payload_ct=ct,
                key_id=key_id,
                status="processing",
                claimed_at=received_at,
            )
            .on_conflict_do_nothing(index_elements=["update_id"])
            .returning(TelegramUpdateRow.update_id)
        )
        return result.first() is not None

    async def claim(self, update_id: int, at: datetime) -> None:
        # Written with the commit, in the same transaction as the handler's changes (after a
        # read-only update on PostgreSQL: one round trip, without BEGIN and COMMIT).
        await self._db.at_commit(_FAST_CLAIM, {"update_id": update_id, "at": at})

    async def recorded(self, update_ids: Sequence[int]) -> set[int]:
        rows = await self.c.execute(
            select(_UPDATES.c.update_id).where(_UPDATES.c.update_id.in_(update_ids))
        )
        return set(rows.scalars())

    async def mark_done(self, update_id: int, at: datetime) -> None:
        await self.c.execute(
            update(TelegramUpdateRow)
            .where(TelegramUpdateRow.update_id == update_id)
            .values(status="done", processed_at=at, payload_ct=None, key_id=None)
        )

    async def record_failed(self, update_id: int, payload: str, at: datetime) -> None:
        ct, key_id = self.keyring.encrypt(payload, context=self._context(update_id))
        failed = {"status": "failed", "processed_at": at, "payload_ct": ct, "key_id": key_id}
        await self.c.execute(
            self._insert()
            .values(update_id=update_id, received_at=at, claimed_at=at, **failed)
            .on_conflict_do_update(index_elements=["update_id"], set_=failed)
        )

    async def claim_stale(self, update_id: int, *, stale_before: datetime, now: datetime) -> bool:
        result = await self.s.execute(
            update(TelegramUpdateRow)
            .where(
                TelegramUpdateRow.update_id == update_id,
                TelegramUpdateRow.status == "processing",
                TelegramUpdateRow.claimed_at < stale_before,
            )
            .values(claimed_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def stale(self, stale_before: datetime, limit: int) -> Sequence[tuple[int, str]]:
        rows = await self.s.scalars(
            select(TelegramUpdateRow)
            .where(
                TelegramUpdateRow.status == "processing",
                TelegramUpdateRow.claimed_at < stale_before,
            )
            .order_by(TelegramUpdateRow.update_id)
            .limit(limit)
        )
        result: list[tuple[int, str]] = []
        unreadable: list[int] = []
        for r in rows:
            if r.payload_ct is None or r.key_id is None:
                unreadable.append(r.update_id)
                continue
            try:
                payload = self.keyring.decrypt(
                    r.payload_ct, r.key_id, context=self._context(r.update_id)
                )
            except (UnknownKeyError, InvalidTag):
                # A key that is gone (rotated without WZT_PREVIOUS_SECRET_KEYS): keep the row
                # for the operator, as failed, instead of blocking recovery every minute.
                log.error("update.unreadable", update_id=r.update_id, key_id=r.key_id)
                unreadable.append(r.update_id)
                continue
            result.append((r.update_id, payload))
        if unreadable:
            await self.s.execute(
                update(TelegramUpdateRow)
                .where(TelegramUpdateRow.update_id.in_(unreadable))
                .values(status="failed")
            )
        return result

    async def purge_before(self, before: datetime) -> int:
        result = await self.s.execute(
            delete(TelegramUpdateRow).where(
                TelegramUpdateRow.received_at < before,
                TelegramUpdateRow.status != "processing",
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
