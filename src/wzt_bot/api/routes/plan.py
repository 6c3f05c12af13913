"""The trajectplan, the trajectory, who is who and appointments of one participant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.plan_schemas import (
    AnswerOut,
    AppointmentIn,
    AppointmentOut,
    ChangeOut,
    DirectoryEntryIn,
    DirectoryIn,
    DirectoryOut,
    PauseOut,
    PlanActionOut,
    PlanDiffOut,
    PlanIn,
    PlanOut,
    PlanVersionSummary,
    StageIn,
    TrajectoryIn,
    TrajectoryOut,
)
from wzt_bot.api.schemas import Problem
from wzt_bot.domain.models import (
    Appointment,
    DirectoryEntry,
    Participant,
    PlanAction,
    PlanDocument,
    PlanResponse,
    PlanVersion,
    StageDetails,
    Trajectory,
    TrajectoryType,
)
from wzt_bot.domain.policies import trajectory as rules
from wzt_bot.domain.services import plan as svc

router = APIRouter(prefix="/api/v1/participants", tags=["plan"])

Responses = dict[int | str, dict[str, Any]]
ERRORS: Responses = {
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem, "description": "No such participant (or item) in your teams"},
}
WRITE_ERRORS: Responses = {**ERRORS, 422: {"description": "Field-level reasons"}}


def _document(body: PlanIn) -> PlanDocument:
    return PlanDocument(
        trajectory_type=body.trajectory_type,
        objective=body.objective.strip(),
        start_date=body.start_date,
        expected_end_date=body.expected_end_date,
        evaluation_every_weeks=body.evaluation_every_weeks,
        next_evaluation_date=body.next_evaluation_date,
        change_note=body.change_note.strip(),
        rights_duties=body.rights_duties.strip(),
        stage=StageDetails(**body.stage.model_dump()) if body.stage else None,
        actions=tuple(
            PlanAction(
                id=a.id or "",
                domain=a.domain,
                title=a.title.strip(),
                owner=a.owner.strip(),
                owner_staff_id=a.owner_staff_id,
                due_date=a.due_date,
                status=a.status,
                details=a.details.strip(),
            )
            for a in body.actions
        ),
    )


def _answers(responses: Sequence[PlanResponse], number: int) -> list[AnswerOut]:
    return [
        AnswerOut(
            version=r.version,
            answer=r.answer,
            answered_at=r.answered_at,
            words=r.words,
            flag_id=r.flag_id,
        )
        for r in responses
        if r.version == number
    ]


def _plan_out(
    version: PlanVersion, marks: dict[str, datetime], responses: Sequence[PlanResponse]
) -> PlanOut:
    doc = version.document
    return PlanOut(
        version=version.number,
        created_at=version.created_at,
        created_by=version.created_by,
        trajectory_type=doc.trajectory_type,
        objective=doc.objective,
        start_date=doc.start_date,
        expected_end_date=doc.expected_end_date,
        evaluation_every_weeks=doc.evaluation_every_weeks,
        next_evaluation_date=doc.next_evaluation_date,
        change_note=doc.change_note,
        rights_duties=doc.rights_duties,
        stage=StageIn(
            place=doc.stage.place,
            days_hours=doc.stage.days_hours,
            tasks=doc.stage.tasks,
            mentor=doc.stage.mentor,
        )
        if doc.stage
        else None,
        actions=[
            PlanActionOut(
                id=a.id,
                domain=a.domain,
                title=a.title,
                owner=a.owner,
                owner_staff_id=a.owner_staff_id,
                due_date=a.due_date,
                status=a.status,
                details=a.details,
                participant_marked_done_at=marks.get(a.id),
            )
            for a in doc.actions
        ],
        answers=_answers(responses, version.number),
    )


@router.put("/{participant_id}/plan", response_model=PlanOut, responses=WRITE_ERRORS)
async def put_plan(
    participant_id: uuid.UUID, body: PlanIn, ctx: Ctx, staff: CurrentStaff
) -> PlanOut:
    """The whole plan document; each accepted PUT is a new version, offered to the
    participant with what changed and why (Akkoord · Ik heb eerst vragen · Ik ben het niet
    eens). Nothing is saved when anything is wrong."""
    async with ctx.uow_factory() as uow:
        version = await svc.put_plan(
            uow,
            ctx.clock,
            ctx.tz,
            staff,
            participant_id,
            _document(body),
            tools=ctx.language_tools,
        )
        marks = await uow.plans.marks(participant_id)
        await uow.commit()
    return _plan_out(version, marks, [])


@router.get("/{participant_id}/plan", response_model=PlanOut, responses=ERRORS)
async def get_plan(participant_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> PlanOut:
    """The latest version, with the steps the participant marked done and their answers."""
    async with ctx.uow_factory() as uow:
        view = await svc.view_plan(uow, ctx.clock, staff, participant_id)
        await uow.commit()
    return _plan_out(view.version, view.marks, view.responses)


@router.get(
    "/{participant_id}/plan/versions",
    response_model=list[PlanVersionSummary],
    responses=ERRORS,
)
async def list_plan_versions(
    participant_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff
) -> list[PlanVersionSummary]:
    """Every version, oldest first, with the change note and the participant's answers."""
    async with ctx.uow_factory() as uow:
        versions, responses = await svc.plan_versions(uow, ctx.clock, staff, participant_id)
        await uow.commit()
    return [
        PlanVersionSummary(
            version=v.number,
            created_at=v.created_at,
            created_by=v.created_by,
            change_note=v.document.change_note,
            answers=_answers(responses, v.number),
        )
        for v in versions
    ]


@router.get("/{participant_id}/plan/versions/{number}", response_model=PlanOut, responses=ERRORS)
async def get_plan_version(
    participant_id: uuid.UUID,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    ctx: Ctx,
    staff: CurrentStaff,
) -> PlanOut:
    """One version as it was saved."""
    async with ctx.uow_factory() as uow:
        version = await svc.plan_version(uow, ctx.clock, staff, participant_id, number)
        responses = await uow.plans.responses(participant_id)
        await uow.commit()
    return _plan_out(version, {}, responses)


@router.get(
    "/{participant_id}/plan/versions/{number}/diff",
    response_model=PlanDiffOut,
    responses=ERRORS,
)
async def diff_plan_versions(
    participant_id: uuid.UUID,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    ctx: Ctx,
    staff: CurrentStaff,
    against: Annotated[
        int | None, Query(ge=1, le=1_000_000, description="Default: the version before")
    ] = None,
) -> PlanDiffOut:
    """What changed from version `against` (default: the one before) to version `number`."""
    old = against if against is not None else number - 1
    async with ctx.uow_factory() as uow:
        changes = await svc.compare_versions(uow, ctx.clock, staff, participant_id, old, number)
        await uow.commit()
    return PlanDiffOut(
        from_version=old,
        to_version=number,
        changes=[
            ChangeOut(what=c.what, title=c.title, before=c.before, after=c.after) for c in changes
        ],
    )


def _trajectory_out(participant: Participant, trajectory: Trajectory | None) -> TrajectoryOut:
    if trajectory is None:
        return TrajectoryOut(phase=participant.phase, paused=participant.paused)
    return TrajectoryOut(
        phase=trajectory.phase,
        paused=trajectory.paused,
        trajectory_type=trajectory.type,
        start_date=trajectory.start_date,
        expected_end_date=trajectory.expected_end_date,
        latest_end_date=rules.longest_end(
            trajectory.start_date, trajectory.type, trajectory.extended_until
        )
        if trajectory.type is TrajectoryType.ACTIVERINGSTRAJECT
        else None,
        pauses=[PauseOut(start=p.start, end=p.end) for p in trajectory.pauses],
        extended_until=trajectory.extended_until,
        extension_reason=trajectory.extension_reason,
        stopped_on=trajectory.stopped_on,
        end_advice=trajectory.end_advice,
        end_advice_text=trajectory.end_advice_text,
        next_steps=trajectory.next_steps,
        end_advice_discussed_on=trajectory.end_advice_discussed_on,
        aftercare_until=rules.aftercare_until(trajectory),
        next_evaluation_date=trajectory.next_evaluation_date,
    )


@router.put("/{participant_id}/trajectory", response_model=TrajectoryOut, responses=WRITE_ERRORS)
async def put_trajectory(
    participant_id: uuid.UUID, body: TrajectoryIn, ctx: Ctx, staff: CurrentStaff
) -> TrajectoryOut:
    """Type, phase, dates, pause and resume, extension, stop, and the eindadvies with the
    date it was discussed with the participant (only then does the bot show it). Phases and
    pauses set the check-in rhythm."""
    given = frozenset(body.model_fields_set)
    stage = (
        datetime.combine(body.stage_changed_on, time(9, 0), tzinfo=ctx.tz)
        if body.stage_changed_on
        else None
    )
    change = svc.TrajectoryChange(
        **body.model_dump(exclude={"stage_changed_on"}),
        stage_changed_at=stage,
        given=given | ({"stage_changed_at"} if "stage_changed_on" in given else set()),
    )
    async with ctx.uow_factory() as uow:
        participant, trajectory = await svc.update_trajectory(
            uow, ctx.clock, ctx.tz, staff, participant_id, change, tools=ctx.language_tools
        )
        await uow.commit()
    return _trajectory_out(participant, trajectory)


@router.get("/{participant_id}/trajectory", response_model=TrajectoryOut, responses=ERRORS)
async def get_trajectory(participant_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> TrajectoryOut:
    async with ctx.uow_factory() as uow:
        participant, trajectory = await svc.read_trajectory(uow, ctx.clock, staff, participant_id)
        await uow.commit()
    return _trajectory_out(participant, trajectory)


def _directory_out(entries: Sequence[DirectoryEntry]) -> DirectoryOut:
    return DirectoryOut(
        entries=[
            DirectoryEntryIn(
                name=e.name,
                role=e.role,
                organisation=e.organisation,
                reach=e.reach,
                staff_id=e.staff_id,
                main=e.main,
                backup=e.backup,
            )
            for e in entries
        ]
    )


@router.put("/{participant_id}/team", response_model=DirectoryOut, responses=WRITE_ERRORS)
async def put_directory(
    participant_id: uuid.UUID, body: DirectoryIn, ctx: Ctx, staff: CurrentStaff
) -> DirectoryOut:
    """Who is who for this participant: name, role, organisation, when and how to reach
    them, the main contact and the back-up (team members among them receive flags)."""
    entries = [
        DirectoryEntry(
            name=e.name.strip(),
            role=e.role,
            organisation=e.organisation.strip(),
            reach=e.reach.strip(),
            staff_id=e.staff_id,
            main=e.main,
            backup=e.backup,
        )
        for e in body.entries
    ]
    async with ctx.uow_factory() as uow:
        saved = await svc.put_directory(uow, ctx.clock, ctx.tz, staff, participant_id, entries)
        await uow.commit()
    return _directory_out(saved)


@router.get("/{participant_id}/team", response_model=DirectoryOut, responses=ERRORS)
async def get_directory(participant_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> DirectoryOut:
    async with ctx.uow_factory() as uow:
        entries = await svc.read_directory(uow, ctx.clock, staff, participant_id)
        await uow.commit()
    return _directory_out(entries)


def _appointment_out(a: Appointment) -> AppointmentOut:
    return AppointmentOut(
        id=a.id,
        starts_at=a.starts_at,
        where=a.where,
        with_whom=a.with_whom,
        bring=a.bring,
        created_at=a.created_at,
        cancelled_at=a.cancelled_at,
        cant_come_at=a.cant_come_at,
    )


@router.post(
    "/{participant_id}/appointments",
    status_code=201,
    response_model=AppointmentOut,
    responses=WRITE_ERRORS,
)
async def add_appointment(
    participant_id: uuid.UUID, body: AppointmentIn, ctx: Ctx, staff: CurrentStaff
) -> AppointmentOut:
    """An appointment; the participant gets a reminder the day before (outside quiet hours)
    with "Ik kan niet komen"."""
    async with ctx.uow_factory() as uow:
        appointment = await svc.add_appointment(
            uow,
            ctx.clock,
            ctx.tz,
            staff,
            participant_id,
            starts_at=body.starts_at,
            where=body.where,
            with_whom=body.with_whom,
            bring=body.bring,
        )
        await uow.commit()
    return _appointment_out(appointment)


@router.get("/{participant_id}/appointments", response_model=list[AppointmentOut], responses=ERRORS)
async def list_appointments(
    participant_id: uuid.UUID,
    ctx: Ctx,
    staff: CurrentStaff,
    include_past: bool = False,
) -> list[AppointmentOut]:
    """Upcoming appointments (soonest first); past ones too with include_past."""
    async with ctx.uow_factory() as uow:
        items = await svc.staff_appointments(
            uow, ctx.clock, staff, participant_id, include_past=include_past
        )
        await uow.commit()
    return [_appointment_out(a) for a in items]


@router.delete(
    "/{participant_id}/appointments/{appointment_id}",
    status_code=204,
    response_class=Response,
    responses=ERRORS,
)
async def cancel_appointment(
    participant_id: uuid.UUID, appointment_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff
) -> Response:
    """Cancel it: no reminder goes out any more. Kept for the record."""
    async with ctx.uow_factory() as uow:
        await svc.cancel_appointment(uow, ctx.clock, staff, participant_id, appointment_id)
        await uow.commit()
    return Response(status_code=204)
