"""Trajectories, plan versions, the participant's answers, directory and appointments.

Plan documents, the eindadvies, the participant's words and appointment details are
encrypted at rest (a key id per row); dates the scheduler needs stay in the clear.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from wzt_bot.db.fast import FastStatement
from wzt_bot.db.outreach import _Encrypted
from wzt_bot.db.tables import (
    AppointmentRow,
    ComplaintRow,
    DirectoryRow,
    PlanActionMarkRow,
    PlanResponseRow,
    PlanVersionRow,
    TrajectoryRow,
)
from wzt_bot.domain.models import (
    ActionDomain,
    ActionStatus,
    Appointment,
    Complaint,
    ComplaintStatus,
    DirectoryEntry,
    DirectoryRole,
    EndAdvice,
    Pause,
    Phase,
    PlanAction,
    PlanAnswer,
    PlanDocument,
    PlanResponse,
    PlanVersion,
    StageDetails,
    Trajectory,
    TrajectoryType,
)

_ORM = {"synchronize_session": False}


# --- JSON codecs for the encrypted document ----------------------------------------------


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _pd(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def document_to_json(doc: PlanDocument) -> dict[str, Any]:
    return {
        "trajectory_type": doc.trajectory_type.value,
        "objective": doc.objective,
        "start_date": doc.start_date.isoformat(),
        "expected_end_date": doc.expected_end_date.isoformat(),
        "evaluation_every_weeks": doc.evaluation_every_weeks,
        "next_evaluation_date": _d(doc.next_evaluation_date),
        "change_note": doc.change_note,
        "rights_duties": doc.rights_duties,
        "stage": None
        if doc.stage is None
        else {
            "place": doc.stage.place,
            "days_hours": doc.stage.days_hours,
            "tasks": doc.stage.tasks,
            "mentor": doc.stage.mentor,
        },
        "actions": [
            {
                "id": a.id,
                "domain": a.domain.value,
                "title": a.title,
                "owner": a.owner,
                "owner_staff_id": str(a.owner_staff_id) if a.owner_staff_id else None,
                "due_date": _d(a.due_date),
                "status": a.status.value,
                "details": a.details,
            }
            for a in doc.actions
        ],
    }


def document_from_json(data: dict[str, Any]) -> PlanDocument:
    stage = data.get("stage")
    return PlanDocument(
        trajectory_type=TrajectoryType(data["trajectory_type"]),
        objective=data["objective"],
        start_date=date.fromisoformat(data["start_date"]),
        expected_end_date=date.fromisoformat(data["expected_end_date"]),
        evaluation_every_weeks=int(data["evaluation_every_weeks"]),
        next_evaluation_date=_pd(data.get("next_evaluation_date")),
        change_note=data.get("change_note") or "",
        rights_duties=data.get("rights_duties") or "",
        stage=StageDetails(**stage) if stage else None,
        actions=tuple(
            PlanAction(
                id=a["id"],
                domain=ActionDomain(a["domain"]),
                title=a["title"],
                owner=a.get("owner") or "",
                owner_staff_id=uuid.UUID(a["owner_staff_id"]) if a.get("owner_staff_id") else None,
                due_date=_pd(a.get("due_date")),
                status=ActionStatus(a["status"]),
                details=a.get("details") or "",
            )
            for a in data.get("actions") or []
        ),
    )


def _entry_to_json(e: DirectoryEntry) -> dict[str, Any]:
    return {
        "name": e.name,
        "role": e.role.value,
        "organisation": e.organisation,
        "reach": e.reach,
        "staff_id": str(e.staff_id) if e.staff_id else None,
        "main": e.main,
        "backup": e.backup,
    }


def _entry_from_json(d: dict[str, Any]) -> DirectoryEntry:
    return DirectoryEntry(
        name=d["name"],
        role=DirectoryRole(d["role"]),
        organisation=d.get("organisation") or "",
        reach=d.get("reach") or "",
        staff_id=uuid.UUID(d["staff_id"]) if d.get("staff_id") else None,
        main=bool(d.get("main")),
        backup=bool(d.get("backup")),
    )


_VERSIONS = cast("Table", PlanVersionRow.__table__)
_TRAJECTORIES = cast("Table", TrajectoryRow.__table__)
# Core, prebuilt: "📋 Mijn plan" reads these on every press (no ORM session needed for it).
_LATEST_VERSION = (
    select(*_VERSIONS.c)
    .where(_VERSIONS.c.participant_id == bindparam("participant_id"))
    .order_by(_VERSIONS.c.number.desc())
    .limit(1)
)
_TRAJECTORY = select(*_TRAJECTORIES.c).where(
    _TRAJECTORIES.c.participant_id == bindparam("participant_id")
)
# On the driver (the plan hub reads both on every press); see db/fast.py.
_FAST_LATEST_VERSION = FastStatement(_LATEST_VERSION)
_FAST_TRAJECTORY = FastStatement(_TRAJECTORY)


class SqlPlanRepository(_Encrypted):
    # --- trajectory ----------------------------------------------------------------------
    def _trajectory(self, r: TrajectoryRow) -> Trajectory:
        body = self._open(r.participant_id, r.body_ct, r.key_id)
        return Trajectory(
            participant_id=r.participant_id,
            type=TrajectoryType(r.type),
            phase=Phase(r.phase),
            start_date=r.start_date,
            expected_end_date=r.expected_end_date,
            updated_at=r.updated_at,
            pauses=tuple(Pause(_pd(p["start"]) or date.min, _pd(p.get("end"))) for p in r.pauses),
            extended_until=r.extended_until,
            extension_reason=body.get("extension_reason"),
            stopped_on=r.stopped_on,
            end_advice=EndAdvice(r.end_advice) if r.end_advice else None,
            end_advice_text=body.get("end_advice_text"),
            next_steps=body.get("next_steps"),
            end_advice_discussed_on=r.end_advice_discussed_on,
            next_evaluation_date=r.next_evaluation_date,
            end_warning_at=r.end_warning_at,
            evaluation_noticed=r.evaluation_noticed,
        )

    async def trajectory(self, participant_id: uuid.UUID) -> Trajectory | None:
        await self.read()  # the ORM's pending changes flushed first
        row = await self._db.fast_row(_FAST_TRAJECTORY, {"participant_id": participant_id})
        return self._trajectory(row) if row else None

    async def save_trajectory(self, trajectory: Trajectory) -> None:
        body = {
            "extension_reason": trajectory.extension_reason,
            "end_advice_text": trajectory.end_advice_text,
            "next_steps": trajectory.next_steps,
        }
        ct, key_id = self._seal(trajectory.participant_id, body)
        values: dict[str, Any] = {
            "type": trajectory.type.value,
            "phase": trajectory.phase.value,
            "start_date": trajectory.start_date,
            "expected_end_date": trajectory.expected_end_date,
            "pauses": [{"start": _d(p.start), "end": _d(p.end)} for p in trajectory.pauses],
            "extended_until": trajectory.extended_until,
            "stopped_on": trajectory.stopped_on,
            "end_advice": trajectory.end_advice.value if trajectory.end_advice else None,
            "end_advice_discussed_on": trajectory.end_advice_discussed_on,
            "next_evaluation_date": trajectory.next_evaluation_date,
            "end_warning_at": trajectory.end_warning_at,
            "evaluation_noticed": trajectory.evaluation_noticed,
            "updated_at": trajectory.updated_at,
            "body_ct": ct,
            "key_id": key_id,
        }
        insert = self._insert()(TrajectoryRow).values(
            participant_id=trajectory.participant_id, **values
        )
        await self.s.execute(
            insert.on_conflict_do_update(index_elements=["participant_id"], set_=values)
        )

    # --- plan versions -------------------------------------------------------------------
    def _version(self, r: PlanVersionRow) -> PlanVersion:
        return PlanVersion(
            participant_id=r.participant_id,
            number=r.number,
            created_at=r.created_at,
            created_by=r.created_by,
            document=document_from_json(self._open(r.id, r.document_ct, r.key_id)),
        )

    async def add_version(self, version: PlanVersion) -> bool:
        row_id = uuid.uuid4()
        ct, key_id = self._seal(row_id, document_to_json(version.document))
        try:
            async with self.s.begin_nested():
                self.s.add(
                    PlanVersionRow(
                        id=row_id,
                        participant_id=version.participant_id,
                        number=version.number,
                        created_at=version.created_at,
                        created_by=version.created_by,
                        document_ct=ct,
                        key_id=key_id,
                    )
                )
                await self.s.flush()
        except IntegrityError:
            return False
        return True

    async def latest_version(self, participant_id: uuid.UUID) -> PlanVersion | None:
        await self.read()  # the ORM's pending changes flushed first
        row = await self._db.fast_row(_FAST_LATEST_VERSION, {"participant_id": participant_id})
        return self._version(row) if row else None

    async def version(self, participant_id: uuid.UUID, number: int) -> PlanVersion | None:
        row = await self.s.scalar(
            select(PlanVersionRow).where(
                PlanVersionRow.participant_id == participant_id, PlanVersionRow.number == number
            )
        )
        return self._version(row) if row else None

    async def versions(self, participant_id: uuid.UUID) -> Sequence[PlanVersion]:
        rows = await self.s.scalars(
            select(PlanVersionRow)
            .where(PlanVersionRow.participant_id == participant_id)
            .order_by(PlanVersionRow.number)
        )
        return [self._version(r) for r in rows]

    # --- answers and marks ---------------------------------------------------------------
    async def add_response(self, response: PlanResponse) -> None:
        ct, key_id = (None, None)
        if response.words:
            ct, key_id = self._seal(response.id, {"words": response.words})
        self.s.add(
            PlanResponseRow(
                id=response.id,
                participant_id=response.participant_id,
                version=response.version,
                answer=response.answer.value,
                answered_at=response.answered_at,
                flag_id=response.flag_id,
                words_ct=ct,
                key_id=key_id,
            )
        )
        await self.s.flush()

    async def responses(self, participant_id: uuid.UUID) -> Sequence[PlanResponse]:
        rows = await self.s.scalars(
            select(PlanResponseRow)
            .where(PlanResponseRow.participant_id == participant_id)
            .order_by(PlanResponseRow.answered_at.desc(), PlanResponseRow.version.desc())
        )
        return [
            PlanResponse(
                id=r.id,
                participant_id=r.participant_id,
                version=r.version,
                answer=PlanAnswer(r.answer),
                answered_at=r.answered_at,
                words=self._open(r.id, r.words_ct, r.key_id).get("words"),
                flag_id=r.flag_id,
            )
            for r in rows
        ]

    async def mark_done(self, participant_id: uuid.UUID, action_id: str, at: datetime) -> bool:
        insert = self._insert()(PlanActionMarkRow).values(
            participant_id=participant_id, action_id=action_id[:64], marked_at=at
        )
        result = await self.s.execute(insert.on_conflict_do_nothing())
        return bool(getattr(result, "rowcount", 0))

    async def marks(self, participant_id: uuid.UUID) -> dict[str, datetime]:
        rows = await self.s.execute(
            select(PlanActionMarkRow.action_id, PlanActionMarkRow.marked_at).where(
                PlanActionMarkRow.participant_id == participant_id
            )
        )
        return {str(action_id): at for action_id, at in rows}

    async def clear_marks(self, participant_id: uuid.UUID, action_ids: Sequence[str]) -> None:
        if not action_ids:
            return
        await self.s.execute(
            delete(PlanActionMarkRow).where(
                PlanActionMarkRow.participant_id == participant_id,
                PlanActionMarkRow.action_id.in_(list(action_ids)),
            ),
            execution_options=_ORM,
        )

    # --- directory -----------------------------------------------------------------------
    async def directory(self, participant_id: uuid.UUID) -> Sequence[DirectoryEntry]:
        entries = await self.s.scalar(
            select(DirectoryRow.entries).where(DirectoryRow.participant_id == participant_id)
        )
        return [_entry_from_json(e) for e in entries or []]

    async def save_directory(
        self, participant_id: uuid.UUID, entries: Sequence[DirectoryEntry], at: datetime
    ) -> None:
        values = {"entries": [_entry_to_json(e) for e in entries], "updated_at": at}
        insert = self._insert()(DirectoryRow).values(participant_id=participant_id, **values)
        await self.s.execute(
            insert.on_conflict_do_update(index_elements=["participant_id"], set_=values)
        )

    # --- appointments --------------------------------------------------------------------
    def _appointment(self, r: AppointmentRow) -> Appointment:
        body = self._open(r.id, r.body_ct, r.key_id)
        return Appointment(
            id=r.id,
            participant_id=r.participant_id,
            starts_at=r.starts_at,
            created_at=r.created_at,
            where=body.get("where") or "",
            with_whom=body.get("with_whom") or "",
            bring=body.get("bring") or "",
            created_by=r.created_by,
            cancelled_at=r.cancelled_at,
            cant_come_at=r.cant_come_at,
        )

    async def add_appointment(self, appointment: Appointment) -> None:
        ct, key_id = self._seal(
            appointment.id,
            {
                "where": appointment.where,
                "with_whom": appointment.with_whom,
                "bring": appointment.bring,
            },
        )
        self.s.add(
            AppointmentRow(
                id=appointment.id,
                participant_id=appointment.participant_id,
                starts_at=appointment.starts_at,
                created_at=appointment.created_at,
                created_by=appointment.created_by,
                body_ct=ct,
                key_id=key_id,
            )
        )
        await self.s.flush()

    async def appointment(self, appointment_id: uuid.UUID) -> Appointment | None:
        row = await self.s.get(AppointmentRow, appointment_id, populate_existing=True)
        return self._appointment(row) if row else None

    async def update_appointment(self, appointment: Appointment) -> None:
        await self.s.execute(
            update(AppointmentRow)
            .where(AppointmentRow.id == appointment.id)
            .values(cancelled_at=appointment.cancelled_at, cant_come_at=appointment.cant_come_at),
            execution_options=_ORM,
        )

    async def appointments(
        self, participant_id: uuid.UUID, *, since: datetime | None, limit: int
    ) -> Sequence[Appointment]:
        query = select(AppointmentRow).where(
            AppointmentRow.participant_id == participant_id,
            AppointmentRow.cancelled_at.is_(None),
        )
        if since is not None:
            query = query.where(AppointmentRow.starts_at >= since)
        rows = await self.s.scalars(query.order_by(AppointmentRow.starts_at).limit(limit))
        return [self._appointment(r) for r in rows]

    # --- what the scheduler looks for ----------------------------------------------------
    def _open_trajectories(self) -> Any:
        return select(TrajectoryRow).where(
            TrajectoryRow.stopped_on.is_(None), TrajectoryRow.end_advice_discussed_on.is_(None)
        )

    async def evaluations_between(
        self, first: date, last: date, limit: int, *, not_noticed: bool = False
    ) -> Sequence[Trajectory]:
        query = self._open_trajectories().where(
            TrajectoryRow.next_evaluation_date.between(first, last)
        )
        if not_noticed:
            query = query.where(
                or_(
                    TrajectoryRow.evaluation_noticed.is_(None),
                    TrajectoryRow.evaluation_noticed != TrajectoryRow.next_evaluation_date,
                )
            )
        rows = await self.s.scalars(query.order_by(TrajectoryRow.next_evaluation_date).limit(limit))
        return [self._trajectory(r) for r in rows]

    async def end_warnings_due(
        self, started_before: date, limit: int, *, extension_ends_by: date
    ) -> Sequence[Trajectory]:
        rows = await self.s.scalars(
            self._open_trajectories()
            .where(
                TrajectoryRow.type == TrajectoryType.ACTIVERINGSTRAJECT.value,
                TrajectoryRow.end_warning_at.is_(None),
                or_(
                    and_(
                        TrajectoryRow.extended_until.is_(None),
                        TrajectoryRow.start_date <= started_before,
                    ),
                    TrajectoryRow.extended_until <= extension_ends_by,
                ),
            )
            .limit(limit)
        )
        return [self._trajectory(r) for r in rows]


class SqlComplaintRepository(_Encrypted):
    def _complaint(self, r: ComplaintRow) -> Complaint:
        body = self._open(r.id, r.body_ct, r.key_id)
        return Complaint(
            id=r.id,
            receipt=r.receipt,
            network_id=r.network_id,
            participant_id=r.participant_id,
            about_team=r.about_team,
            anonymous=r.anonymous,
            created_at=r.created_at,
            handler=r.handler,
            text=body.get("text") or "",
            voice_ref=body.get("voice_ref"),
            status=ComplaintStatus(r.status),
            updated_at=r.updated_at,
            answer=body.get("answer"),
        )

    def _body(self, c: Complaint) -> tuple[bytes, str]:
        return self._seal(c.id, {"text": c.text, "voice_ref": c.voice_ref, "answer": c.answer})

    async def add(self, complaint: Complaint) -> bool:
        ct, key_id = self._body(complaint)
        try:
            async with self.s.begin_nested():
                self.s.add(
                    ComplaintRow(
                        id=complaint.id,
                        receipt=complaint.receipt,
                        network_id=complaint.network_id,
                        participant_id=complaint.participant_id,
                        about_team=complaint.about_team,
                        anonymous=complaint.anonymous,
                        handler=complaint.handler,
                        status=complaint.status.value,
                        created_at=complaint.created_at,
                        updated_at=complaint.updated_at,
                        body_ct=ct,
                        key_id=key_id,
                    )
                )
                await self.s.flush()
        except IntegrityError:
            return False
        return True

    async def get(self, complaint_id: uuid.UUID) -> Complaint | None:
        row = await self.s.get(ComplaintRow, complaint_id, populate_existing=True)
        return self._complaint(row) if row else None

    async def update(self, complaint: Complaint) -> None:
        ct, key_id = self._body(complaint)
        await self.s.execute(
            update(ComplaintRow)
            .where(ComplaintRow.id == complaint.id)
            .values(
                status=complaint.status.value,
                updated_at=complaint.updated_at,
                body_ct=ct,
                key_id=key_id,
            ),
            execution_options=_ORM,
        )

    async def for_participant(self, participant_id: uuid.UUID) -> Sequence[Complaint]:
        rows = await self.s.scalars(
            select(ComplaintRow)
            .where(ComplaintRow.participant_id == participant_id)
            .order_by(ComplaintRow.created_at.desc())
        )
        return [self._complaint(r) for r in rows]

    async def for_network(
        self, network_id: uuid.UUID | None, status: ComplaintStatus | None, limit: int
    ) -> Sequence[Complaint]:
        query = select(ComplaintRow)
        if network_id is not None:
            query = query.where(ComplaintRow.network_id == network_id)
        if status is not None:
            query = query.where(ComplaintRow.status == status.value)
        rows = await self.s.scalars(query.order_by(ComplaintRow.created_at.desc()).limit(limit))
        return [self._complaint(r) for r in rows]
