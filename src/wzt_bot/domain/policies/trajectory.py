"""Rules of a trajectory and its plan: durations, phases, what changed between versions.

Decree, Art. 12: an activeringstraject lasts at least 3 and at most 18 months; "in
uitzonderlijke gevallen" it can be extended (conditions set by the Flemish Government, no
length given). In practice the extension goes up to 24 months at most, through a temporary
interruption (pause) (practice.md §1: SAM §2.1 fn 9; NOOZO §7.4 L931-937). So the limit is
18 months, or the recorded extension after a pause, never past month 24; the team is warned
8 weeks before that limit (again after an extension). The plan lists how often evaluations
happen (Art. 16). Calendar months: a pause does not move the limit by itself; the team
records the extension (counting pauses silently would hide the warning).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from wzt_bot.domain.models import (
    ActionStatus,
    Phase,
    PlanAction,
    PlanDocument,
    StageDetails,
    Trajectory,
    TrajectoryType,
)

MIN_MONTHS = 3
MAX_MONTHS = 18
MAX_EXTENDED_MONTHS = 24  # NOOZO §7.4: "verlengbaar tot 24 maanden (door tijdelijke onderbreking)"
END_WARNING = timedelta(weeks=8)
AFTERCARE_MONTHS = 12
MAX_TEXT = 2000
MAX_TITLE = 300
MAX_ACTIONS = 100

PHASES: tuple[Phase, ...] = (
    Phase.OPSTART,
    Phase.PLAN,
    Phase.UITVOERING,
    Phase.AFSLUITING,
    Phase.NAZORG,
)

FieldError = tuple[str, str]


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when shorter (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def longest_end(start: date, trajectory_type: TrajectoryType, extended_until: date | None) -> date:
    """The latest expected end a plan may have."""
    if trajectory_type is not TrajectoryType.ACTIVERINGSTRAJECT:
        return date.max
    regular = add_months(start, MAX_MONTHS)
    if extended_until is None:
        return regular
    return max(regular, min(extended_until, add_months(start, MAX_EXTENDED_MONTHS)))


def check_dates(
    trajectory_type: TrajectoryType,
    start: date,
    end: date,
    extended_until: date | None,
) -> list[FieldError]:
    if end <= start:
        return [("expected_end_date", "must be after start_date")]
    if trajectory_type is not TrajectoryType.ACTIVERINGSTRAJECT:
        return []
    if end < add_months(start, MIN_MONTHS):
        return [("expected_end_date", "an activeringstraject lasts at least 3 months")]
    if extended_until is not None and extended_until > add_months(start, MAX_EXTENDED_MONTHS):
        return [("extended_until", "an activeringstraject lasts at most 24 months")]
    if end > longest_end(start, trajectory_type, extended_until):
        reason = (
            f"after the extension until {extended_until.isoformat()}"
            if extended_until
            else "an activeringstraject lasts at most 18 months; record an extension first "
            "(PUT .../trajectory with extended_until and extension_reason)"
        )
        return [("expected_end_date", reason)]
    return []


def _text(errors: list[FieldError], field: str, value: str, limit: int, *, required: bool) -> None:
    if required and not value.strip():
        errors.append((field, "must not be empty"))
    elif len(value) > limit:
        errors.append((field, f"at most {limit} characters"))


def check_plan(document: PlanDocument, extended_until: date | None) -> list[FieldError]:
    """Every problem of a plan document, field by field (empty: the plan is fine)."""
    errors = check_dates(
        document.trajectory_type, document.start_date, document.expected_end_date, extended_until
    )
    _text(errors, "objective", document.objective, MAX_TEXT, required=True)
    _text(errors, "change_note", document.change_note, MAX_TEXT, required=False)
    _text(errors, "rights_duties", document.rights_duties, MAX_TEXT * 2, required=False)
    if not 1 <= document.evaluation_every_weeks <= 52:
        errors.append(("evaluation_every_weeks", "between 1 and 52"))
    nxt = document.next_evaluation_date
    if nxt is not None and not document.start_date <= nxt <= document.expected_end_date:
        errors.append(("next_evaluation_date", "between start_date and expected_end_date"))
    if len(document.actions) > MAX_ACTIONS:
        errors.append(("actions", f"at most {MAX_ACTIONS} actions"))
    seen: set[str] = set()
    for i, action in enumerate(document.actions):
        _text(errors, f"actions.{i}.title", action.title, MAX_TITLE, required=True)
        _text(errors, f"actions.{i}.owner", action.owner, MAX_TITLE, required=False)
        _text(errors, f"actions.{i}.details", action.details, MAX_TEXT, required=False)
        if action.id in seen:
            errors.append((f"actions.{i}.id", "used twice in this plan"))
        seen.add(action.id)
    if document.stage is not None:
        for name in ("place", "days_hours", "tasks", "mentor"):
            value = getattr(document.stage, name)
            _text(errors, f"stage.{name}", value, MAX_TITLE * 2, required=False)
    return errors


def next_evaluation(start: date, every_weeks: int, today: date) -> date:
    """The first evaluation date on the plan's rhythm from `today` on (never before start)."""
    step = timedelta(weeks=every_weeks)
    if today <= start + step:
        return start + step
    periods = -(-(today - start).days // step.days)
    return start + periods * step


def end_limit(trajectory: Trajectory) -> date:
    """The last day of an activeringstraject: month 18, or the extension (at most month 24)."""
    return longest_end(trajectory.start_date, trajectory.type, trajectory.extended_until)


def end_warning_date(trajectory: Trajectory) -> date | None:
    """When the team is told the limit (month 18, or the end of the extension) is near;
    None when it does not apply."""
    if (
        trajectory.type is not TrajectoryType.ACTIVERINGSTRAJECT
        or trajectory.stopped_on is not None
        or trajectory.end_advice_discussed_on is not None
    ):
        return None
    return end_limit(trajectory) - END_WARNING


def end_warning_due(trajectory: Trajectory, today: date) -> bool:
    warn = end_warning_date(trajectory)
    return warn is not None and today >= warn and trajectory.end_warning_at is None


def aftercare_until(trajectory: Trajectory) -> date | None:
    """12 months of lighter aftercare after the eindadvies was discussed."""
    if trajectory.end_advice_discussed_on is None:
        return None
    return add_months(trajectory.end_advice_discussed_on, AFTERCARE_MONTHS)


def check_phase(
    current: Phase | None, new: Phase, *, stopped: bool, discussed: bool
) -> list[FieldError]:
    """Phase changes the team may record. Going back is allowed (plans change), except:
    nothing moves after a stop, and aftercare (nazorg) comes only after the eindadvies was
    discussed with the participant."""
    if stopped:
        if new is not current:
            return [("phase", "the trajectory was stopped; record a new start instead")]
        return []
    if new is Phase.NAZORG and not discussed:
        return [("phase", "nazorg starts after the eindadvies was discussed (end_advice)")]
    return []


def step_index(phase: Phase) -> int:
    return PHASES.index(phase)


# --- what changed between two versions ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two plan versions, for people (the API and the bot)."""

    what: str  # objective, dates, evaluation, stage, rights_duties, action_added, ...
    title: str = ""  # the action concerned
    before: str = ""
    after: str = ""


def _stage_text(stage: StageDetails | None) -> str:
    if stage is None:
        return ""
    return " | ".join(v for v in (stage.place, stage.days_hours, stage.tasks, stage.mentor) if v)


def _action_changes(old: PlanAction, new: PlanAction) -> list[Change]:
    changes: list[Change] = []
    for name in ("title", "owner", "due_date", "status", "domain", "details"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(
                Change(
                    what=f"action_{name}",
                    title=new.title,
                    before="" if before is None else str(before),
                    after="" if after is None else str(after),
                )
            )
    return changes


def diff(old: PlanDocument | None, new: PlanDocument) -> list[Change]:
    """What changed from `old` to `new` (everything is new when there was no plan)."""
    if old is None:
        return [Change(what="objective", after=new.objective)] + [
            Change(what="action_added", title=a.title) for a in new.actions
        ]
    changes: list[Change] = []
    pairs = (
        ("objective", old.objective, new.objective),
        ("trajectory_type", old.trajectory_type.value, new.trajectory_type.value),
        ("start_date", old.start_date.isoformat(), new.start_date.isoformat()),
        ("expected_end_date", old.expected_end_date.isoformat(), new.expected_end_date.isoformat()),
        (
            "evaluation_every_weeks",
            str(old.evaluation_every_weeks),
            str(new.evaluation_every_weeks),
        ),
        (
            "next_evaluation_date",
            old.next_evaluation_date.isoformat() if old.next_evaluation_date else "",
            new.next_evaluation_date.isoformat() if new.next_evaluation_date else "",
        ),
        ("stage", _stage_text(old.stage), _stage_text(new.stage)),
        ("rights_duties", old.rights_duties, new.rights_duties),
    )
    for what, before, after in pairs:
        if before != after:
            changes.append(Change(what=what, before=before, after=after))
    old_actions = {a.id: a for a in old.actions}
    new_ids = {a.id for a in new.actions}
    for action in new.actions:
        previous = old_actions.get(action.id)
        if previous is None:
            changes.append(Change(what="action_added", title=action.title))
        else:
            changes.extend(_action_changes(previous, action))
    changes.extend(
        Change(what="action_removed", title=a.title) for a in old.actions if a.id not in new_ids
    )
    return changes


_STAGE = re.compile(r"(?<!\w)stages?(?!\w)", re.IGNORECASE)


def mentions_stage(text: str) -> bool:
    """Whether a Dutch plan text uses the word "stage" (hiva.md R22: explain it once)."""
    return bool(_STAGE.search(text))


def plan_mentions_stage(document: PlanDocument) -> bool:
    """The plan has a stage, or its objective or a step speaks of one."""
    if document.stage is not None:
        return True
    texts = [document.objective] + [f"{a.title} {a.details}" for a in document.actions]
    return any(mentions_stage(text) for text in texts)


def open_actions(document: PlanDocument) -> list[PlanAction]:
    """Actions still to do, the soonest first (no date last)."""
    todo = [
        a
        for a in document.actions
        if a.status not in (ActionStatus.GEDAAN, ActionStatus.NIET_MEER_NODIG)
    ]
    return sorted(todo, key=lambda a: (a.due_date is None, a.due_date or date.max))


def time_frame(today: date, when: date) -> tuple[str, int]:
    """A rough time frame: ("past"|"this_week"|"next_week"|"weeks"|"months", n)."""
    days = (when - today).days
    if days < 0:
        return ("past", 0)
    this_monday = today - timedelta(days=today.weekday())
    weeks = (when - this_monday).days // 7
    if weeks == 0:
        return ("this_week", 0)
    if weeks == 1:
        return ("next_week", 1)
    if days < 60:
        return ("weeks", weeks)
    return ("months", max(2, round(days / 30.4)))
