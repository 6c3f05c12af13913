"""Property: whatever a participant changes, in whatever order, the next check-in stays put.

After every step of a random sequence of changes (less often, back to normal, a day, a part
of the day, "even niet", Geen berichten / Wel berichten, /stop, /start, and time passing
until a check-in goes out) exactly one check-in is planned, at the first allowed moment of
the rhythm in force (`next_due` from the last check-in that went out, else from the link),
or none while messages are off or stopped. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_settings
from tests.fakes.outreach import at, linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.domain.models import CheckinStatus, ConsentKind, DayPart, Participant
from wzt_bot.domain.policies.schedule import (
    DAYPART_TIMES,
    CheckinRules,
    in_quiet_hours,
    next_due,
    rhythm,
)
from wzt_bot.domain.services import checkins, onboarding
from wzt_bot.wiring import Container

BRU = ZoneInfo("Europe/Brussels")
START = datetime(2026, 12, 21, 10, 0, tzinfo=BRU)  # Monday 21 December (over the new year)
USER_IDS = itertools.count(700_000)


@dataclass
class Bench:
    runner: asyncio.Runner
    container: Container

    def run(self, coro: Any) -> Any:
        return self.runner.run(coro)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def bench(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    with asyncio.Runner() as runner:
        if request.param == "sqlite":
            path: Path = tmp_path_factory.mktemp("checkins") / "checkins.sqlite3"
            url = f"sqlite+aiosqlite:///{path}"
            runner.run(upgrade_head_async(url))
        else:
            url = str(request.getfixturevalue("postgres_url"))
        opened = Container.open(make_settings(url))
        container = runner.run(opened.__aenter__())
        try:
            yield Bench(runner, container)
        finally:
            runner.run(opened.__aexit__(None, None, None))


# A step: what the participant does (through the same services as the bot's handlers).
steps = st.one_of(
    st.tuples(st.just("less_often"), st.booleans()),  # Minder vaak / back to normal
    st.tuples(st.just("weekday"), st.integers(min_value=checkins.ANY_DAY, max_value=5)),
    st.tuples(st.just("daypart"), st.sampled_from(list(DayPart))),
    st.tuples(st.just("snooze"), st.sampled_from(checkins.SNOOZE_WEEKS)),
    st.tuples(st.just("messages"), st.booleans()),  # Geen berichten / Wel berichten
    st.tuples(st.just("stop"), st.just(0)),
    st.tuples(st.just("start"), st.just(0)),
    st.tuples(st.just("time_passes"), st.integers(min_value=0, max_value=20 * 24 * 60)),
)


@dataclass
class Model:
    """What the participant chose, and when the last check-in went out."""

    anchor: datetime
    consented: bool = True
    stopped: bool = False


async def _do(
    container: Container, clock: FrozenClock, model: Model, p: Participant, step: tuple[str, Any]
) -> Participant:
    action, value = step
    if action == "time_passes":
        planned = await _planned(container, p)
        if planned:  # the scheduler sends it on time (a few minutes on), then plans the next
            at(clock, planned[0] + timedelta(minutes=value % 60))
            model.anchor = planned[0]
        else:
            clock.advance(timedelta(minutes=value))
        async with container.uow_factory() as uow:
            await checkins.dispatch(uow, clock, BRU)
            await uow.commit()
        async with container.uow_factory() as uow:
            await checkins.plan(uow, clock, BRU)
            await uow.commit()
        return p
    async with container.uow_factory() as uow:
        fresh = await uow.participants.get(p.id)
        assert fresh is not None
        p = fresh
        if action == "less_often":
            await checkins.set_preferences(uow, clock, BRU, p, less_often=value)
        elif action == "weekday":
            await checkins.set_preferences(uow, clock, BRU, p, weekday=value)
        elif action == "daypart":
            await checkins.set_preferences(uow, clock, BRU, p, daypart=value)
        elif action == "snooze":
            await checkins.set_preferences(uow, clock, BRU, p, snooze_weeks=value)
        elif action == "messages":  # as the buttons under 🔒 Mijn gegevens do
            await onboarding.record_consent(
                uow, clock, p, kind=ConsentKind.CHECKIN_MESSAGES, granted=value, tz=BRU
            )
            model.consented = value
            if value and p.proactive_paused:
                await onboarding.set_proactive_paused(uow, clock, p, paused=False, tz=BRU)
                model.stopped = False
        elif action == "stop":
            await onboarding.set_proactive_paused(uow, clock, p, paused=True, tz=BRU)
            model.stopped = True
        elif action == "start" and p.proactive_paused:  # as /start does
            await onboarding.set_proactive_paused(uow, clock, p, paused=False, tz=BRU)
            model.stopped = False
        await uow.commit()
    return p


async def _planned(container: Container, p: Participant) -> list[datetime]:
    async with container.uow_factory() as uow:
        rows = await uow.checkins.latest_for(p.id, 1000)
    return [c.due_at for c in rows if c.status is CheckinStatus.SCHEDULED]


async def _check(container: Container, clock: FrozenClock, model: Model, p: Participant) -> None:
    planned = await _planned(container, p)
    if not model.consented or model.stopped:
        assert planned == [], "nothing planned while messages are off or stopped"
        return
    async with container.uow_factory() as uow:
        fresh = await uow.participants.get(p.id)
        nxt = await uow.checkins.next_scheduled(p.id)
    assert fresh is not None
    rules = CheckinRules()
    now = clock.now()
    expected, _ = next_due(fresh, rules, BRU, anchor=model.anchor, now=now)
    assert planned == [expected], "exactly one, at the first allowed moment"
    assert nxt is not None and nxt.due_at == expected
    # The same, said without next_due: never before the rhythm is due, never in quiet hours,
    # on the chosen day, and within a week (plus a quiet Sunday) of when it is due.
    earliest = max(model.anchor + rhythm(fresh, rules, now).every, now)
    if fresh.checkin_snooze_until is not None:
        earliest = max(earliest, fresh.checkin_snooze_until)
    local = expected.astimezone(BRU)
    assert earliest <= expected < earliest + timedelta(days=8)
    assert not in_quiet_hours(expected, rules, BRU)
    if fresh.checkin_weekday is not None:
        assert local.weekday() == fresh.checkin_weekday
        assert local.time() == DAYPART_TIMES[fresh.checkin_daypart]


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(steps, min_size=1, max_size=12))
def test_any_sequence_of_changes_keeps_one_checkin_at_the_first_allowed_moment(
    bench: Bench, sequence: list[tuple[str, Any]]
) -> None:
    clock = FrozenClock(START)
    world = bench.run(linked_participant(bench.container, clock, user_id=next(USER_IDS)))
    p = world.participant
    model = Model(anchor=START)  # linked (and agreed) at START: the rhythm counts from there

    async def scenario() -> None:
        nonlocal p
        async with bench.container.uow_factory() as uow:  # the scheduler's planner, once
            await checkins.plan(uow, clock, BRU)
            await uow.commit()
        await _check(bench.container, clock, model, p)
        try:
            for step in sequence:
                p = await _do(bench.container, clock, model, p, step)
                await _check(bench.container, clock, model, p)
        finally:  # leave nothing planned for the next example's scheduler runs
            async with bench.container.uow_factory() as uow:
                fresh = await uow.participants.get(p.id)
                assert fresh is not None
                await onboarding.set_proactive_paused(uow, clock, fresh, paused=True)
                await uow.commit()

    bench.run(scenario())
