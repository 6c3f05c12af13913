"""Duration, phase and diff rules of a trajectory and its plan (property-based)."""

from __future__ import annotations

import calendar
import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from wzt_bot.domain.models import (
    ActionDomain,
    ActionStatus,
    Phase,
    PlanAction,
    PlanDocument,
    Trajectory,
    TrajectoryType,
)
from wzt_bot.domain.policies import trajectory as rules

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
types = st.sampled_from(list(TrajectoryType))
phases = st.sampled_from(list(Phase))
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def doc(**changes: object) -> PlanDocument:
    base: dict[str, object] = {
        "trajectory_type": TrajectoryType.ACTIVERINGSTRAJECT,
        "objective": "Werken in een keuken",
        "start_date": date(2026, 11, 2),
        "expected_end_date": date(2027, 8, 1),
        "evaluation_every_weeks": 6,
    }
    base.update(changes)
    return PlanDocument(**base)  # type: ignore[arg-type]


def trajectory(**changes: object) -> Trajectory:
    base: dict[str, object] = {
        "participant_id": uuid.uuid4(),
        "type": TrajectoryType.ACTIVERINGSTRAJECT,
        "phase": Phase.UITVOERING,
        "start_date": date(2026, 1, 15),
        "expected_end_date": date(2027, 7, 15),
        "updated_at": NOW,
    }
    base.update(changes)
    return Trajectory(**base)  # type: ignore[arg-type]


@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_keeps_the_day_or_the_month_end(day: date, months: int) -> None:
    moved = rules.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(day.day, last)


@given(dates, st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=120))
def test_add_months_is_monotone(day: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert rules.add_months(day, low) <= rules.add_months(day, high)


@given(types, dates, st.integers(min_value=-400, max_value=900), st.booleans())
def test_duration_rule(kind: TrajectoryType, start: date, days: int, extended: bool) -> None:
    end = start + timedelta(days=days)
    extension = rules.add_months(start, 24) if extended else None
    errors = rules.check_dates(kind, start, end, extension)
    if end <= start:
        assert errors == [("expected_end_date", "must be after start_date")]
    elif kind is not TrajectoryType.ACTIVERINGSTRAJECT:
        assert errors == []  # arbeidsmatige activiteiten have no fixed length
    elif end < rules.add_months(start, 3):
        assert errors and "at least 3 months" in errors[0][1]
    elif end > rules.add_months(start, 18) and (extension is None or end > extension):
        assert errors and errors[0][0] == "expected_end_date"
    else:
        assert errors == []


@given(dates, st.integers(min_value=1, max_value=52), dates)
def test_next_evaluation_is_on_the_rhythm_and_never_in_the_past(
    start: date, weeks: int, today: date
) -> None:
    nxt = rules.next_evaluation(start, weeks, today)
    assert nxt > start
    assert (nxt - start).days % (7 * weeks) == 0
    assert nxt >= today
    assert nxt - timedelta(weeks=weeks) < max(today, start + timedelta(weeks=weeks))


@given(dates, st.sampled_from([None, 20, 24, 30]), st.booleans(), st.booleans(), types)
def test_end_warning_is_8_weeks_before_month_18_or_the_extension_up_to_24(
    start: date, extended: int | None, stopped: bool, discussed: bool, kind: TrajectoryType
) -> None:
    """Issue 16 §6: the limit is 18 months, or 24 when extended after a pause (NOOZO §7.4);
    an extended trajectory is warned too (before, it was not warned at all)."""
    t = trajectory(
        type=kind,
        start_date=start,
        extended_until=rules.add_months(start, extended) if extended else None,
        stopped_on=start if stopped else None,
        end_advice_discussed_on=start if discussed else None,
    )
    warn = rules.end_warning_date(t)
    applies = kind is TrajectoryType.ACTIVERINGSTRAJECT and not (stopped or discussed)
    assert (warn is not None) == applies
    if warn is not None:
        months = min(extended, 24) if extended else 18
        assert warn == rules.add_months(start, months) - timedelta(weeks=8)
        assert not rules.end_warning_due(t, warn - timedelta(days=1))
        assert rules.end_warning_due(t, warn)
        t.end_warning_at = NOW
        assert not rules.end_warning_due(t, warn + timedelta(days=30))  # once


@given(st.one_of(st.none(), phases), phases, st.booleans(), st.booleans())
def test_phase_rules(current: Phase | None, new: Phase, stopped: bool, discussed: bool) -> None:
    errors = rules.check_phase(current, new, stopped=stopped, discussed=discussed)
    if stopped:
        assert bool(errors) == (new is not current)
    elif new is Phase.NAZORG:
        assert bool(errors) != discussed
    else:
        assert errors == []  # going back is allowed: plans change


def test_diff_names_added_removed_and_changed_steps() -> None:
    a = PlanAction(id="a", domain=ActionDomain.WERK, title="Stage zoeken")
    b = PlanAction(id="b", domain=ActionDomain.ZORG, title="Huisarts")
    c = PlanAction(id="c", domain=ActionDomain.LEVEN, title="Busabonnement")
    old = doc(actions=(a, b))
    new = doc(
        objective="Werken in een grootkeuken",
        actions=(
            PlanAction(
                id="a", domain=ActionDomain.WERK, title="Stage zoeken", status=ActionStatus.GEDAAN
            ),
            c,
        ),
    )
    changes = {(c.what, c.title) for c in rules.diff(old, new)}
    assert changes == {
        ("objective", ""),
        ("action_status", "Stage zoeken"),
        ("action_added", "Busabonnement"),
        ("action_removed", "Huisarts"),
    }
    assert rules.diff(new, new) == []
    first = rules.diff(None, old)
    assert [c.what for c in first] == ["objective", "action_added", "action_added"]


@given(st.lists(st.text(min_size=0, max_size=5), max_size=5))
def test_check_plan_reports_each_empty_title(titles: list[str]) -> None:
    actions = tuple(
        PlanAction(id=str(i), domain=ActionDomain.WERK, title=title)
        for i, title in enumerate(titles)
    )
    errors = rules.check_plan(doc(actions=actions), None)
    empty = {f"actions.{i}.title" for i, title in enumerate(titles) if not title.strip()}
    assert {f for f, _ in errors if f.endswith(".title")} == empty


def test_duplicate_action_ids_are_refused() -> None:
    twice = (
        PlanAction(id="x", domain=ActionDomain.WERK, title="Een"),
        PlanAction(id="x", domain=ActionDomain.WERK, title="Twee"),
    )
    assert ("actions.1.id", "used twice in this plan") in rules.check_plan(doc(actions=twice), None)


@given(dates, st.integers(min_value=-30, max_value=400))
def test_time_frame_is_rough_and_ordered(today: date, days: int) -> None:
    kind, n = rules.time_frame(today, today + timedelta(days=days))
    order = ["past", "this_week", "next_week", "weeks", "months"]
    assert kind in order
    if days < 0:
        assert kind == "past"
    later_kind, _ = rules.time_frame(today, today + timedelta(days=days + 40))
    assert order.index(later_kind) >= order.index(kind)
    if kind == "months":
        assert n >= 2


def test_an_extension_goes_up_to_24_months_at_most() -> None:
    start = date(2026, 1, 15)
    end = rules.add_months(start, 24)
    at = TrajectoryType.ACTIVERINGSTRAJECT
    assert rules.check_dates(at, start, end, extended_until=end) == []
    too_far = rules.add_months(start, 25)
    assert rules.check_dates(at, start, end, extended_until=too_far) == [
        ("extended_until", "an activeringstraject lasts at most 24 months")
    ]
