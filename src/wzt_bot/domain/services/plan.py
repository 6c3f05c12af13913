"""The trajectplan as the participant's own: versions, answers, who is who, appointments.

Casemanagers write the plan (Dutch) through the API; each accepted document is a new
version. The participant sees it in the bot, answers each new version (Akkoord · Ik heb eerst
vragen · Ik ben het niet eens), marks steps done and asks for help; anything but Akkoord and
every request for help becomes a flag for a person, never a score.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    ActionDomain,
    Appointment,
    Author,
    DirectoryEntry,
    EndAdvice,
    Flag,
    FlagKind,
    FlagUrgency,
    Participant,
    Pause,
    Phase,
    PlanAction,
    PlanAnswer,
    PlanDocument,
    PlanResponse,
    PlanVersion,
    Role,
    Staff,
    Topic,
    Trajectory,
    TrajectoryType,
    new_id,
)
from wzt_bot.domain.policies import trajectory as rules
from wzt_bot.domain.policies.schedule import next_allowed
from wzt_bot.domain.ports import Clock, LanguageTools, UnitOfWork
from wzt_bot.domain.services import audit, checkins, coverage, flags, outbox, surveys
from wzt_bot.domain.services.participants import visible_participant

#: No pressure: one reminder to answer a new plan version, this long after it was sent.
ANSWER_REMINDER_AFTER = timedelta(days=3)
#: The evaluation notice goes out this many days before the evaluation date.
EVALUATION_NOTICE_DAYS = 3
#: Appointment reminders go out the day before, from this local time on (quiet hours apply).
REMINDER_TIME = time(10, 0)
MAX_WORDS = 2000
MAX_CHANGES_SHOWN = 8
WRITERS = frozenset({Role.CASEMANAGER, Role.TEAMLEAD, Role.ADMIN})
_DOMAIN_TOPIC = {ActionDomain.WERK: Topic.WERK, ActionDomain.ZORG: Topic.ZORG}


def _invalid(errors: Sequence[tuple[str, str]]) -> DomainError:
    first_field, first_reason = errors[0]
    return DomainError(
        ErrorCode.INVALID,
        field=first_field,
        reason=first_reason,
        errors=[{"field": f, "reason": r} for f, r in errors],
    )


def _require_writer(staff: Staff) -> None:
    if staff.role not in WRITERS:
        raise DomainError(ErrorCode.FORBIDDEN, role=staff.role.value)


async def _translation(tools: LanguageTools | None, text: str, locale: str | None) -> str | None:
    """Dutch team text in the participant's language, when a translator is configured."""
    if tools is None or not text.strip() or (locale or "nl") == "nl":
        return None
    return await tools.translate(text, "nl", locale or "nl")


async def _tell_team_system(
    uow: UnitOfWork, clock: Clock, participant: Participant, event: str, **body: Any
) -> None:
    """A signed event to the team's own casemanagement system, if it has one."""
    settings = await uow.teams.settings(participant.team_id)
    await outbox.webhook_event(
        uow,
        clock,
        settings,
        participant.team_id,
        event=event,
        body={"participant_id": str(participant.id)} | body,
    )


async def _quiet(uow: UnitOfWork, tz: tzinfo, participant: Participant) -> dict[str, Any]:
    rules_ = await checkins.RulesCache(uow).for_team(participant.team_id)
    return checkins.quiet_payload(rules_, tz)


# --- the plan document (team) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanView:
    version: PlanVersion
    trajectory: Trajectory | None
    marks: dict[str, datetime]
    responses: Sequence[PlanResponse]


def _with_ids(document: PlanDocument) -> PlanDocument:
    actions = tuple(a if a.id else replace(a, id=new_id().hex[:12]) for a in document.actions)
    return replace(document, actions=actions)


async def _check_owners(uow: UnitOfWork, participant: Participant, doc: PlanDocument) -> None:
    errors = []
    for i, action in enumerate(doc.actions):
        if action.owner_staff_id is None:
            continue
        member = await uow.staff.get(action.owner_staff_id)
        if member is None or participant.team_id not in member.team_ids:
            errors.append((f"actions.{i}.owner_staff_id", "not a member of the participant's team"))
    if errors:
        raise _invalid(errors)


async def put_plan(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    staff: Staff,
    participant_id: uuid.UUID,
    document: PlanDocument,
    *,
    tools: LanguageTools | None = None,
) -> PlanVersion:
    """Store a new plan version and offer it to the participant for their answer."""
    _require_writer(staff)
    participant = await visible_participant(uow, staff, participant_id)
    now = clock.now()
    today = now.astimezone(tz).date()
    trajectory = await uow.plans.trajectory(participant.id)
    document = _with_ids(document)
    errors = rules.check_plan(document, trajectory.extended_until if trajectory else None)
    if errors:
        raise _invalid(errors)
    await _check_owners(uow, participant, document)
    if document.next_evaluation_date is None:
        document = replace(
            document,
            next_evaluation_date=rules.next_evaluation(
                document.start_date, document.evaluation_every_weeks, today
            ),
        )
    previous = await uow.plans.latest_version(participant.id)
    version = PlanVersion(
        participant_id=participant.id,
        number=(previous.number + 1) if previous else 1,
        created_at=now,
        created_by=staff.id,
        document=document,
    )
    if not await uow.plans.add_version(version):
        raise DomainError(ErrorCode.CONFLICT, reason="another version was saved at the same time")
    changes = rules.diff(previous.document if previous else None, document)
    await _sync_trajectory(uow, clock, tz, participant, trajectory, document)
    if previous is not None:  # the team reviewed these steps: its status wins over a mark
        reviewed = [c.title for c in changes if c.what == "action_status"]
        ids = [a.id for a in document.actions if a.title in reviewed]
        await uow.plans.clear_marks(participant.id, ids)
        await uow.outbox.cancel(_reminder_key(participant.id, previous.number), "newer version")
    await audit.by_staff(uow, clock, staff.id, "plan.version", participant.id, str(version.number))
    await _offer_version(uow, clock, tz, participant, version, changes, tools)
    await _tell_team_system(uow, clock, participant, "plan.version", version=version.number)
    return version


async def _sync_trajectory(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    trajectory: Trajectory | None,
    document: PlanDocument,
) -> None:
    now = clock.now()
    if trajectory is None:
        trajectory = Trajectory(
            participant_id=participant.id,
            type=document.trajectory_type,
            phase=participant.phase or Phase.PLAN,
            start_date=document.start_date,
            expected_end_date=document.expected_end_date,
            updated_at=now,
        )
    trajectory.type = document.trajectory_type
    trajectory.start_date = document.start_date
    trajectory.expected_end_date = document.expected_end_date
    trajectory.next_evaluation_date = document.next_evaluation_date
    trajectory.updated_at = now
    await uow.plans.save_trajectory(trajectory)
    if participant.phase is None:
        participant.phase = trajectory.phase
        participant.updated_at = now
        await uow.participants.update(participant)
        await checkins.replan(uow, clock, tz, participant)


def _reminder_key(participant_id: uuid.UUID, number: int) -> str:
    return f"plan:{participant_id.hex}:v{number}:reminder"


async def _offer_version(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    version: PlanVersion,
    changes: Sequence[rules.Change],
    tools: LanguageTools | None,
) -> None:
    """ "Wat is er veranderd en waarom", with the three answers, and one reminder later.
    Only to a participant who accepts messages from the bot; the others see it in Mijn plan."""
    if not checkins.may_receive(participant):
        return
    locale = participant.locale
    shown = []
    for change in changes[:MAX_CHANGES_SHOWN]:
        shown.append(
            {
                "what": change.what,
                "title": change.title,
                "title_tr": await _translation(tools, change.title, locale),
            }
        )
    note = version.document.change_note
    quiet = await _quiet(uow, tz, participant)
    payload = {
        "version": version.number,
        "first": version.number == 1,
        "note": note,
        "note_tr": await _translation(tools, note, locale),
        "changes": shown,
        "more": max(0, len(changes) - MAX_CHANGES_SHOWN),
    } | quiet
    key = f"plan:{participant.id.hex}:v{version.number}"
    await outbox.to_participant(
        uow, clock, participant, key=key, kind="plan_version", payload=payload
    )
    await outbox.to_participant(
        uow,
        clock,
        participant,
        key=_reminder_key(participant.id, version.number),
        kind="plan_reminder",
        payload={"version": version.number} | quiet,
        not_before=clock.now() + ANSWER_REMINDER_AFTER,
    )


async def view_plan(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID
) -> PlanView:
    participant = await visible_participant(uow, staff, participant_id)
    version = await uow.plans.latest_version(participant.id)
    if version is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="plan")
    await audit.by_staff(uow, clock, staff.id, "plan.read", participant.id)
    return PlanView(
        version=version,
        trajectory=await uow.plans.trajectory(participant.id),
        marks=await uow.plans.marks(participant.id),
        responses=await uow.plans.responses(participant.id),
    )


async def plan_versions(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID
) -> tuple[Sequence[PlanVersion], Sequence[PlanResponse]]:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, "plan.versions", participant.id)
    return await uow.plans.versions(participant.id), await uow.plans.responses(participant.id)


async def plan_version(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID, number: int
) -> PlanVersion:
    participant = await visible_participant(uow, staff, participant_id)
    version = await uow.plans.version(participant.id, number)
    if version is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="plan version")
    await audit.by_staff(uow, clock, staff.id, "plan.read", participant.id, str(number))
    return version


async def compare_versions(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    participant_id: uuid.UUID,
    old: int,
    new: int,
) -> list[rules.Change]:
    participant = await visible_participant(uow, staff, participant_id)
    before = await uow.plans.version(participant.id, old)
    after = await uow.plans.version(participant.id, new)
    if before is None or after is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="plan version")
    await audit.by_staff(uow, clock, staff.id, "plan.diff", participant.id, f"{old}..{new}")
    return rules.diff(before.document, after.document)


# --- the trajectory (team) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrajectoryChange:
    """A PUT .../trajectory: every field optional; only what is given changes."""

    trajectory_type: TrajectoryType | None = None
    phase: Phase | None = None
    start_date: date | None = None
    expected_end_date: date | None = None
    paused: bool | None = None
    pause_date: date | None = None  # when the pause starts or ends (default today)
    stage_changed_at: datetime | None = None
    extended_until: date | None = None
    extension_reason: str | None = None
    stopped_on: date | None = None
    end_advice: EndAdvice | None = None
    end_advice_text: str | None = None
    next_steps: str | None = None
    end_advice_discussed_on: date | None = None
    given: frozenset[str] = field(default_factory=frozenset)


def _apply_pause(trajectory: Trajectory, paused: bool, on: date) -> list[tuple[str, str]]:
    if paused and not trajectory.paused:
        if trajectory.pauses and trajectory.pauses[-1].end and on < trajectory.pauses[-1].end:
            return [("pause_date", "before the end of the previous pause")]
        trajectory.pauses = (*trajectory.pauses, Pause(start=on))
    elif not paused and trajectory.paused:
        last = trajectory.pauses[-1]
        if on < last.start:
            return [("pause_date", "before the start of the pause")]
        trajectory.pauses = (*trajectory.pauses[:-1], Pause(start=last.start, end=on))
    return []


def _new_trajectory(
    participant: Participant, change: TrajectoryChange, now: datetime
) -> Trajectory | None:
    if change.trajectory_type is None or change.start_date is None:
        return None
    if change.expected_end_date is None:
        raise _invalid([("expected_end_date", "needed to start a trajectory")])
    return Trajectory(
        participant_id=participant.id,
        type=change.trajectory_type,
        phase=change.phase or participant.phase or Phase.OPSTART,
        start_date=change.start_date,
        expected_end_date=change.expected_end_date,
        updated_at=now,
    )


def _check_texts(change: TrajectoryChange) -> list[tuple[str, str]]:
    errors = []
    for name in ("extension_reason", "end_advice_text", "next_steps"):
        value = getattr(change, name)
        if value is not None and len(value) > MAX_WORDS:
            errors.append((name, f"at most {MAX_WORDS} characters"))
    return errors


def _apply_extension(trajectory: Trajectory, change: TrajectoryChange) -> list[tuple[str, str]]:
    if change.extended_until is None:
        return []
    errors = []
    if trajectory.type is not TrajectoryType.ACTIVERINGSTRAJECT:
        errors.append(("extended_until", "only an activeringstraject is extended"))
    elif not (change.extension_reason or trajectory.extension_reason or "").strip():
        errors.append(("extension_reason", "an extension is an exception: say why"))
    elif change.extended_until <= rules.add_months(trajectory.start_date, rules.MAX_MONTHS):
        errors.append(("extended_until", "an extension ends after month 18"))
    if change.extended_until != trajectory.extended_until:
        trajectory.end_warning_at = None  # warn again before the new limit
    trajectory.extended_until = change.extended_until
    trajectory.extension_reason = change.extension_reason or trajectory.extension_reason
    return errors


def _apply_end(
    trajectory: Trajectory, change: TrajectoryChange, today: date
) -> list[tuple[str, str]]:
    if change.end_advice is not None:
        trajectory.end_advice = change.end_advice
    if change.end_advice_text is not None:
        trajectory.end_advice_text = change.end_advice_text
    if change.next_steps is not None:
        trajectory.next_steps = change.next_steps
    if change.stopped_on is not None:
        trajectory.stopped_on = change.stopped_on
    if change.end_advice_discussed_on is None:
        return []
    trajectory.end_advice_discussed_on = change.end_advice_discussed_on
    if trajectory.end_advice is None or not (trajectory.end_advice_text or "").strip():
        return [("end_advice_discussed_on", "record end_advice and its text first")]
    if change.end_advice_discussed_on > today:
        return [("end_advice_discussed_on", "cannot be in the future")]
    return []


def _apply(trajectory: Trajectory, change: TrajectoryChange, today: date) -> list[tuple[str, str]]:
    stopped_before = trajectory.stopped_on is not None
    errors = _check_texts(change)
    trajectory.type = change.trajectory_type or trajectory.type
    trajectory.start_date = change.start_date or trajectory.start_date
    trajectory.expected_end_date = change.expected_end_date or trajectory.expected_end_date
    errors += _apply_extension(trajectory, change)
    errors += rules.check_dates(
        trajectory.type,
        trajectory.start_date,
        trajectory.expected_end_date,
        trajectory.extended_until,
    )
    if change.paused is not None:
        errors += _apply_pause(trajectory, change.paused, change.pause_date or today)
    errors += _apply_end(trajectory, change, today)
    phase = change.phase
    if phase is None and change.end_advice_discussed_on is not None:
        phase = Phase.NAZORG
    elif phase is None and change.end_advice is not None:
        phase = Phase.AFSLUITING
    if phase is not None:
        errors += rules.check_phase(
            trajectory.phase,
            phase,
            stopped=stopped_before,
            discussed=trajectory.end_advice_discussed_on is not None,
        )
        trajectory.phase = phase
    return errors


async def update_trajectory(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    staff: Staff,
    participant_id: uuid.UUID,
    change: TrajectoryChange,
    *,
    tools: LanguageTools | None = None,
) -> tuple[Participant, Trajectory | None]:
    """Type, phase, dates, pause and resume, extension, stop, and the eindadvies."""
    _require_writer(staff)
    participant = await visible_participant(uow, staff, participant_id)
    now = clock.now()
    today = now.astimezone(tz).date()
    trajectory = await uow.plans.trajectory(participant.id) or _new_trajectory(
        participant, change, now
    )
    was_discussed = trajectory is not None and trajectory.end_advice_discussed_on is not None
    was_paused = trajectory is not None and trajectory.paused
    if trajectory is None:
        detail_fields = {"end_advice", "extended_until", "stopped_on", "end_advice_discussed_on"}
        if change.given & detail_fields:
            raise _invalid([("trajectory_type", "start the trajectory first (type and dates)")])
    else:
        errors = _apply(trajectory, change, today)
        if errors:
            raise _invalid(errors)
        trajectory.updated_at = now
        await uow.plans.save_trajectory(trajectory)
    participant.phase = trajectory.phase if trajectory else change.phase or participant.phase
    participant.paused = trajectory.paused if trajectory else bool(change.paused)
    if "stage_changed_at" in change.given:
        participant.stage_changed_at = change.stage_changed_at
        if change.stage_changed_at is not None:
            await surveys.stage_started(
                uow, participant, change.stage_changed_at.astimezone(tz).date()
            )
    participant.updated_at = now
    await uow.participants.update(participant)
    await audit.by_staff(uow, clock, staff.id, "participant.trajectory", participant.id)
    await checkins.replan(uow, clock, tz, participant)
    if was_paused and trajectory is not None and not trajectory.paused:
        await _offer_restart(uow, clock, tz, participant, trajectory, tools)
    if trajectory is not None and trajectory.end_advice_discussed_on and not was_discussed:
        await _offer_end_advice(uow, clock, tz, participant, trajectory, tools)
        await surveys.trajectory_ended(uow, clock, tz, participant)
    return participant, trajectory


async def read_trajectory(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID
) -> tuple[Participant, Trajectory | None]:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, "participant.trajectory_read", participant.id)
    return participant, await uow.plans.trajectory(participant.id)


async def _offer_restart(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    trajectory: Trajectory,
    tools: LanguageTools | None,
) -> None:
    """The pause ended: a restart message with who to contact and what comes next (hiva.md
    R16; NOOZO §7.4: "een herstart van een traject vraagt extra begeleiding")."""
    if not checkins.may_receive(participant):
        return  # Mijn plan shows the trajectory running again
    to = await flags.recipient(uow, participant, None)
    version = await uow.plans.latest_version(participant.id)
    todo = rules.open_actions(version.document) if version else []
    step = todo[0].title if todo else ""
    last = trajectory.pauses[-1]
    today = clock.now().astimezone(tz).date()
    evaluation = trajectory.next_evaluation_date
    await outbox.to_participant(
        uow,
        clock,
        participant,
        key=f"restart:{participant.id.hex}:{last.start.isoformat()}",
        kind="restart",
        payload={
            "contact": to.staff.name if to.staff else "",
            "function": to.staff.function.value if to.staff and to.staff.function else None,
            "step": step,
            "step_tr": await _translation(tools, step, participant.locale),
            "evaluation": evaluation.isoformat() if evaluation and evaluation >= today else None,
        }
        | await _quiet(uow, tz, participant),
    )


async def _offer_end_advice(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    trajectory: Trajectory,
    tools: LanguageTools | None,
) -> None:
    """After the team discussed it with the participant: the eindadvies as a way forward."""
    if not checkins.may_receive(participant):
        return  # they find it in Mijn plan
    locale = participant.locale
    await outbox.to_participant(
        uow,
        clock,
        participant,
        key=f"end:{participant.id.hex}",
        kind="end_advice",
        payload={
            "advice": trajectory.end_advice.value if trajectory.end_advice else None,
            "text": trajectory.end_advice_text or "",
            "text_tr": await _translation(tools, trajectory.end_advice_text or "", locale),
            "steps": trajectory.next_steps or "",
            "steps_tr": await _translation(tools, trajectory.next_steps or "", locale),
        }
        | await _quiet(uow, tz, participant),
    )


# --- directory and appointments (team) ---------------------------------------------------


async def put_directory(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    staff: Staff,
    participant_id: uuid.UUID,
    entries: Sequence[DirectoryEntry],
) -> Sequence[DirectoryEntry]:
    """Who is who. The main contact and back-up, when they are team members in wzt-bot,
    also become the participant's contacts for flags."""
    _require_writer(staff)
    participant = await visible_participant(uow, staff, participant_id)
    errors: list[tuple[str, str]] = []
    if sum(e.main for e in entries) > 1:
        errors.append(("entries", "at most one main contact"))
    if sum(e.backup for e in entries) > 1:
        errors.append(("entries", "at most one back-up"))
    for i, entry in enumerate(entries):
        if entry.main and entry.backup:
            errors.append((f"entries.{i}", "main contact and back-up are two people"))
        if entry.staff_id is not None:
            member = await uow.staff.get(entry.staff_id)
            if member is None or participant.team_id not in member.team_ids:
                errors.append((f"entries.{i}.staff_id", "not a member of the participant's team"))
    if errors:
        raise _invalid(errors)
    now = clock.now()
    await uow.plans.save_directory(participant.id, entries, now)
    main = next((e.staff_id for e in entries if e.main and e.staff_id), None)
    backup = next((e.staff_id for e in entries if e.backup and e.staff_id), None)
    before = participant.main_contact_id
    if main or backup:
        participant.main_contact_id = main or participant.main_contact_id
        participant.backup_contact_id = backup or participant.backup_contact_id
        participant.updated_at = now
        await uow.participants.update(participant)
    await audit.by_staff(uow, clock, staff.id, "participant.directory", participant.id)
    await coverage.main_contact_changed(uow, clock, tz, participant, before)  # hiva.md R10
    return entries


async def read_directory(
    uow: UnitOfWork, clock: Clock, staff: Staff, participant_id: uuid.UUID
) -> Sequence[DirectoryEntry]:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, "participant.directory_read", participant.id)
    return await uow.plans.directory(participant.id)


def reminder_moment(starts_at: datetime, tz: tzinfo) -> datetime:
    """The day before at 10:00 local (the sender still waits out quiet hours)."""
    day_before = starts_at.astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_TIME, tzinfo=tz)


def _appointment_key(appointment_id: uuid.UUID) -> str:
    return f"appt:{appointment_id.hex}:reminder"


async def add_appointment(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    staff: Staff,
    participant_id: uuid.UUID,
    *,
    starts_at: datetime,
    where: str,
    with_whom: str,
    bring: str,
) -> Appointment:
    _require_writer(staff)
    participant = await visible_participant(uow, staff, participant_id)
    now = clock.now()
    if starts_at <= now:
        raise _invalid([("starts_at", "must be in the future")])
    appointment = Appointment(
        id=new_id(),
        participant_id=participant.id,
        starts_at=starts_at,
        created_at=now,
        where=where.strip(),
        with_whom=with_whom.strip(),
        bring=bring.strip(),
        created_by=staff.id,
    )
    await uow.plans.add_appointment(appointment)
    await audit.by_staff(uow, clock, staff.id, "appointment.add", participant.id)
    if checkins.may_receive(participant):
        rules_ = await checkins.RulesCache(uow).for_team(participant.team_id)
        quiet = checkins.quiet_payload(rules_, tz)
        remind_at = max(reminder_moment(starts_at, tz), now)
        if next_allowed(remind_at, rules_, tz) < starts_at:  # never after the appointment
            await outbox.to_participant(
                uow,
                clock,
                participant,
                key=_appointment_key(appointment.id),
                kind="appointment",
                payload={
                    "appointment_id": str(appointment.id),
                    "starts_at": starts_at.isoformat(),
                    "where": appointment.where,
                    "with_whom": appointment.with_whom,
                    "bring": appointment.bring,
                    "tz": str(tz),
                }
                | quiet,
                not_before=remind_at,
            )
    return appointment


async def staff_appointments(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    participant_id: uuid.UUID,
    *,
    include_past: bool,
) -> Sequence[Appointment]:
    participant = await visible_participant(uow, staff, participant_id)
    await audit.by_staff(uow, clock, staff.id, "appointment.list", participant.id)
    since = None if include_past else clock.now()
    return await uow.plans.appointments(participant.id, since=since, limit=200)


async def cancel_appointment(
    uow: UnitOfWork,
    clock: Clock,
    staff: Staff,
    participant_id: uuid.UUID,
    appointment_id: uuid.UUID,
) -> Appointment:
    _require_writer(staff)
    participant = await visible_participant(uow, staff, participant_id)
    appointment = await uow.plans.appointment(appointment_id)
    if appointment is None or appointment.participant_id != participant.id:
        raise DomainError(ErrorCode.NOT_FOUND, entity="appointment")
    if appointment.cancelled_at is None:
        appointment.cancelled_at = clock.now()
        await uow.plans.update_appointment(appointment)
        await uow.outbox.cancel(_appointment_key(appointment.id), "appointment cancelled")
        await audit.by_staff(uow, clock, staff.id, "appointment.cancel", participant.id)
    return appointment


# --- the participant's side (bot) --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MyPlan:
    version: PlanVersion | None
    trajectory: Trajectory | None
    marks: dict[str, datetime]
    answer: PlanAnswer | None  # the participant's latest answer to the latest version

    def action(self, action_id: str) -> PlanAction | None:
        if self.version is None:
            return None
        return next((a for a in self.version.document.actions if a.id == action_id), None)


async def my_plan(uow: UnitOfWork, participant: Participant) -> MyPlan:
    version = await uow.plans.latest_version(participant.id)
    answer = None
    if version is not None:
        responses = await uow.plans.responses(participant.id)  # newest first
        answer = next((r.answer for r in responses if r.version == version.number), None)
    return MyPlan(
        version=version,
        trajectory=await uow.plans.trajectory(participant.id),
        marks=await uow.plans.marks(participant.id) if version else {},
        answer=answer,
    )


async def explain_stage_once(uow: UnitOfWork, clock: Clock, participant: Participant) -> bool:
    """True the first time the participant meets the word "stage" in their plan, and
    remembers that it was explained (hiva.md R22); False ever after."""
    if participant.stage_explained_at is not None:
        return False
    participant.stage_explained_at = clock.now()
    await uow.participants.update(participant)
    return True


async def _own_action(uow: UnitOfWork, participant: Participant, action_id: str) -> PlanAction:
    """A step of the participant's own latest plan; anything else is not found."""
    action = (await my_plan(uow, participant)).action(action_id)
    if action is None:
        raise DomainError(ErrorCode.NOT_FOUND, entity="plan action")
    return action


async def mark_done(
    uow: UnitOfWork, clock: Clock, participant: Participant, action_id: str
) -> PlanAction:
    action = await _own_action(uow, participant, action_id)
    if await uow.plans.mark_done(participant.id, action.id, clock.now()):
        await audit.record(
            uow,
            clock,
            actor_kind="participant",
            actor_id=participant.id,
            action="plan.action_done",
            participant_id=participant.id,
            detail=action.id,
        )
        await _tell_team_system(uow, clock, participant, "plan.action_done", action_id=action.id)
    return action


async def ask_about_action(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    action_id: str,
    words: flags.Words,
    *,
    needs_help: bool,
) -> Flag:
    """ "Dit lukt niet, ik wil hulp" or a short question: a flag for the step's owner."""
    action = await _own_action(uow, participant, action_id)
    lead = (
        f"Stap uit het plan: {action.title}. Dit lukt niet, ik wil hulp."
        if needs_help
        else f"Vraag over een stap uit het plan: {action.title}."
    )
    text = f"{lead}\n{words.text}".strip() if words.text else lead
    return await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.PLAN_HELP,
        urgency=FlagUrgency.HIGH if needs_help else FlagUrgency.NORMAL,
        source=f"plan:action:{action.id}",
        topic=_DOMAIN_TOPIC.get(action.domain),
        words=replace(words, text=text[: flags.MAX_TEXT]),
        prefer=action.owner_staff_id,
    )


async def answer_version(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    number: int,
    answer: PlanAnswer,
    words: flags.Words | None = None,
) -> PlanResponse:
    """The participant's answer to a plan version; anything but Akkoord becomes a flag with
    their own words. Only the latest version can be answered."""
    latest = await uow.plans.latest_version(participant.id)
    if latest is None or latest.number != number:
        raise DomainError(ErrorCode.NOT_FOUND, entity="plan version")
    flag_id = None
    if answer is not PlanAnswer.AKKOORD:
        lead = (
            f"Plan versie {number}: ik heb eerst vragen."
            if answer is PlanAnswer.VRAGEN
            else f"Plan versie {number}: ik ben het niet eens."
        )
        said = words.text if words else ""
        flag = await flags.raise_flag(
            uow,
            clock,
            participant,
            kind=FlagKind.PLAN_DISAGREEMENT,
            urgency=FlagUrgency.NORMAL,
            source=f"plan:v{number}:{answer.value}",
            words=replace(words or flags.Words(), text=f"{lead}\n{said}".strip()),
        )
        flag_id = flag.id
    response = PlanResponse(
        id=new_id(),
        participant_id=participant.id,
        version=number,
        answer=answer,
        answered_at=clock.now(),
        words=(words.text if words else None) or None,
        flag_id=flag_id,
    )
    await uow.plans.add_response(response)
    await uow.outbox.cancel(_reminder_key(participant.id, number), "answered")
    if answer is PlanAnswer.AKKOORD:
        await surveys.plan_acknowledged(uow, clock, tz, participant)  # the first one only
    await audit.record(
        uow,
        clock,
        actor_kind="participant",
        actor_id=participant.id,
        action="plan.answer",
        participant_id=participant.id,
        detail=f"v{number}:{answer.value}",
    )
    await _tell_team_system(
        uow, clock, participant, "plan.answer", version=number, answer=answer.value
    )
    return response


async def contact_person(
    uow: UnitOfWork, clock: Clock, participant: Participant, index: int, *, source: str
) -> tuple[Flag, DirectoryEntry | None]:
    """ "Neem contact met mij op", for one person of "Wie is wie" (or the main contact)."""
    entries = list(await uow.plans.directory(participant.id))
    entry = entries[index] if 0 <= index < len(entries) else None
    note = _contact_note(entry)
    flag = await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.CONTACT_REQUEST,
        urgency=FlagUrgency.NORMAL,
        source=source,
        words=flags.Words(text=note) if note else None,
        prefer=entry.staff_id if entry else None,
    )
    return flag, entry


def _contact_note(entry: DirectoryEntry | None) -> str:
    return f"Neem contact met mij op. Gevraagd aan: {entry.name}." if entry else ""


async def contact_already_asked(uow: UnitOfWork, participant: Participant, index: int) -> bool:
    """A second tap on "Neem contact met mij op" (an old message, a double tap): the open
    contact request already asks for this person. Another person is not asked yet: their
    request goes into that flag's thread and the flag to them (`contact_person`)."""
    existing = await flags.open_of_kind(uow, participant, FlagKind.CONTACT_REQUEST)
    if existing is None:
        return False
    entries = list(await uow.plans.directory(participant.id))
    note = _contact_note(entries[index] if 0 <= index < len(entries) else None)
    if not note:
        return True  # the main contact, who has the open request
    return any(m.text == note for m in await uow.flags.messages(existing.id))


async def upcoming_appointments(
    uow: UnitOfWork, clock: Clock, participant: Participant, limit: int = 10
) -> Sequence[Appointment]:
    return await uow.plans.appointments(participant.id, since=clock.now(), limit=limit)


async def own_appointment(
    uow: UnitOfWork, participant: Participant, appointment_id: uuid.UUID
) -> Appointment:
    appointment = await uow.plans.appointment(appointment_id)
    if appointment is None or appointment.participant_id != participant.id:
        raise DomainError(ErrorCode.NOT_FOUND, entity="appointment")
    return appointment


async def cant_come(
    uow: UnitOfWork,
    clock: Clock,
    participant: Participant,
    appointment_id: uuid.UUID,
    tz: tzinfo,
) -> Flag | None:
    """ "Ik kan niet komen": an `appointment` flag for the team. None when it was passed on
    before (a second tap on the same reminder): never a second flag."""
    appointment = await own_appointment(uow, participant, appointment_id)
    if appointment.cant_come_at is not None:
        return None
    now = clock.now()
    appointment.cant_come_at = now
    await uow.plans.update_appointment(appointment)
    when = appointment.starts_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
    soon = appointment.starts_at - now < timedelta(days=2)
    return await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.APPOINTMENT,
        urgency=FlagUrgency.HIGH if soon else FlagUrgency.NORMAL,
        source=f"appointment:{appointment.id.hex[:16]}",
        words=flags.Words(text=f"Ik kan niet komen naar de afspraak van {when}."),
    )


async def evaluation_input(
    uow: UnitOfWork, clock: Clock, participant: Participant, words: flags.Words
) -> Flag:
    """The participant's own view or questions before an evaluation: preparation for the team."""
    trajectory = await uow.plans.trajectory(participant.id)
    when = trajectory.next_evaluation_date if trajectory else None
    lead = f"Voorbereiding evaluatie ({when.isoformat()})." if when else "Voorbereiding evaluatie."
    return await flags.raise_flag(
        uow,
        clock,
        participant,
        kind=FlagKind.EVALUATION,
        urgency=FlagUrgency.NORMAL,
        source="plan:evaluation",
        words=replace(words, text=f"{lead}\n{words.text}".strip()),
    )


# --- the scheduler's part ----------------------------------------------------------------


@dataclass(slots=True)
class PlanTickReport:
    evaluation_notices: int = 0
    evaluations_moved: int = 0
    end_warnings: int = 0
    looked_at: int = 0  # the most rows one of the three lookups returned (batching)

    @property
    def acted(self) -> bool:
        return bool(self.evaluation_notices or self.evaluations_moved or self.end_warnings)


async def tick(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    *,
    notice_days: int = EVALUATION_NOTICE_DAYS,
    limit: int = 500,
) -> PlanTickReport:
    """Evaluation notices (3 days before), evaluation dates that passed move on to the next
    one in the plan's rhythm, and the team's warning 8 weeks before month 18."""
    report = PlanTickReport()
    now = clock.now()
    today = now.astimezone(tz).date()
    passed = await uow.plans.evaluations_between(date.min, today - timedelta(1), limit)
    report.looked_at = len(passed)
    for trajectory in passed:
        version = await uow.plans.latest_version(trajectory.participant_id)
        every = version.document.evaluation_every_weeks if version else 6
        trajectory.next_evaluation_date = rules.next_evaluation(trajectory.start_date, every, today)
        trajectory.updated_at = now
        await uow.plans.save_trajectory(trajectory)
        report.evaluations_moved += 1
    window = today + timedelta(days=notice_days)
    coming = (
        await uow.plans.evaluations_between(today, window, limit, not_noticed=True)
        if notice_days > 0
        else []
    )
    report.looked_at = max(report.looked_at, len(coming))
    for trajectory in coming:
        participant = await uow.participants.get(trajectory.participant_id)
        when = trajectory.next_evaluation_date
        trajectory.evaluation_noticed = when  # told, or not to be told: looked at once
        await uow.plans.save_trajectory(trajectory)
        if participant is None or when is None or not checkins.may_receive(participant):
            continue
        if await outbox.to_participant(
            uow,
            clock,
            participant,
            key=f"eval:{participant.id.hex}:{when.isoformat()}",
            kind="evaluation",
            payload={"date": when.isoformat()} | await _quiet(uow, tz, participant),
        ):
            report.evaluation_notices += 1
    started_before = rules.add_months(today + rules.END_WARNING, -rules.MAX_MONTHS)
    nearing = await uow.plans.end_warnings_due(
        started_before, limit, extension_ends_by=today + rules.END_WARNING
    )
    report.looked_at = max(report.looked_at, len(nearing))
    for trajectory in nearing:
        if not rules.end_warning_due(trajectory, today):
            continue
        participant = await uow.participants.get(trajectory.participant_id)
        if participant is None:
            continue
        end = rules.end_limit(trajectory)
        text = (
            f"De verlenging van het activeringstraject loopt af op {end.isoformat()} "
            "(hoogstens 24 maanden na de start). Bespreek de volgende stap (eindadvies)."
            if trajectory.extended_until is not None
            else f"Het activeringstraject bereikt 18 maanden op {end.isoformat()}. "
            "Bespreek de volgende stap (eindadvies, of een verlenging na een pauze, "
            "tot hoogstens 24 maanden)."
        )
        await flags.raise_flag(
            uow,
            clock,
            participant,
            kind=FlagKind.TRAJECTORY_END,
            urgency=FlagUrgency.NORMAL,
            source="plan:month18",
            words=flags.Words(text=text),
            author=Author.SYSTEM,
        )
        trajectory.end_warning_at = now
        await uow.plans.save_trajectory(trajectory)
        report.end_warnings += 1
    return report
