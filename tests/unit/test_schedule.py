"""The check-in rhythm, the participant's choices and quiet hours (pure rules)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wzt_bot.domain.models import CheckinKind, DayPart, FlagUrgency, Participant, Phase, Topic
from wzt_bot.domain.policies.schedule import (
    CheckinRules,
    in_quiet_hours,
    next_allowed,
    next_due,
    rhythm,
    rules_for,
    slot_key,
)
from wzt_bot.domain.policies.team import TeamSettings

BRU = ZoneInfo("Europe/Brussels")
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=BRU)  # a Monday


def person(**kw: object) -> Participant:
    base = Participant(id=uuid.uuid4(), team_id=uuid.uuid4(), display_name="Sam", created_at=MONDAY)
    for k, v in kw.items():
        setattr(base, k, v)
    return base


def test_rhythm_per_phase() -> None:
    rules = CheckinRules()
    now = MONDAY
    assert rhythm(person(), rules, now).every == timedelta(weeks=2)
    assert rhythm(person(phase=Phase.NAZORG), rules, now).every == timedelta(weeks=4)
    fresh_stage = person(phase=Phase.UITVOERING, stage_changed_at=now - timedelta(weeks=3))
    assert rhythm(fresh_stage, rules, now).every == timedelta(weeks=1)
    old_stage = person(phase=Phase.UITVOERING, stage_changed_at=now - timedelta(weeks=5))
    assert rhythm(old_stage, rules, now).every == timedelta(weeks=2)
    paused = rhythm(person(paused=True), rules, now)
    assert paused.every == timedelta(weeks=4) and paused.kind is CheckinKind.PAUSE_CONTACT
    assert rhythm(person(checkin_less_often=True), rules, now).every == timedelta(weeks=4)


def test_settings_cascade_network_then_team() -> None:
    rules = rules_for({"default_every": 3, "quiet_start": "21:00"}, {"default_every": 1})
    assert rules.default_every == 1 and rules.quiet_start == time(21, 0)
    assert rules_for(None, None) == CheckinRules()


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (datetime(2026, 11, 23, 8, 59, tzinfo=BRU), True),
        (datetime(2026, 11, 23, 9, 0, tzinfo=BRU), False),
        (datetime(2026, 11, 23, 19, 59, tzinfo=BRU), False),
        (datetime(2026, 11, 23, 20, 0, tzinfo=BRU), True),
        (datetime(2026, 11, 29, 12, 0, tzinfo=BRU), True),  # Sunday
    ],
)
def test_quiet_hours(local: datetime, quiet: bool) -> None:
    assert in_quiet_hours(local, CheckinRules(), BRU) is quiet


def test_next_allowed_moves_saturday_night_to_monday_morning() -> None:
    saturday_night = datetime(2026, 11, 28, 22, 30, tzinfo=BRU)
    assert next_allowed(saturday_night, CheckinRules(), BRU) == datetime(
        2026, 11, 30, 9, 0, tzinfo=BRU
    ).astimezone(UTC)


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)))
def test_next_allowed_is_never_quiet_and_never_earlier(naive: datetime) -> None:
    moment = naive.replace(tzinfo=UTC)
    allowed = next_allowed(moment, CheckinRules(), BRU)
    assert allowed >= moment
    assert not in_quiet_hours(allowed, CheckinRules(), BRU)
    assert allowed - moment < timedelta(days=2)


def test_next_due_follows_day_and_part_of_day() -> None:
    p = person(checkin_weekday=3, checkin_daypart=DayPart.AFTERNOON)  # Thursday afternoon
    due, kind = next_due(p, CheckinRules(), BRU, anchor=MONDAY, now=MONDAY)
    local = due.astimezone(BRU)
    assert kind is CheckinKind.REGULAR
    assert local.weekday() == 3 and local.time() == time(14, 0)
    assert timedelta(weeks=2) <= local - MONDAY < timedelta(weeks=3)


def test_next_due_respects_a_snooze_and_never_lies_in_the_past() -> None:
    snoozed = person(checkin_snooze_until=MONDAY + timedelta(weeks=4))
    due, _ = next_due(snoozed, CheckinRules(), BRU, anchor=MONDAY, now=MONDAY)
    assert due >= MONDAY + timedelta(weeks=4)
    late = MONDAY + timedelta(weeks=10)
    due, _ = next_due(person(), CheckinRules(), BRU, anchor=MONDAY, now=late)
    assert due >= late


def test_one_slot_per_local_day() -> None:
    p = person()
    a = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Brussels: still the 23rd
    assert slot_key(p, a, BRU).endswith("2026-11-23")


def test_team_settings_round_trip_and_office_hours() -> None:
    staff = uuid.uuid4()
    settings = TeamSettings(routing={Topic.ZORG: staff}, notify_chat_id=-100123, digest_hour=9)
    again = TeamSettings.from_json(settings.to_json())
    assert again == settings
    assert settings.is_online(datetime(2026, 11, 23, 10, 0, tzinfo=BRU), BRU)
    assert not settings.is_online(datetime(2026, 11, 23, 18, 0, tzinfo=BRU), BRU)
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=BRU)
    assert settings.next_online(friday_evening, BRU) == datetime(
        2026, 11, 30, 9, 0, tzinfo=BRU
    ).astimezone(UTC)
    assert settings.respond_by(MONDAY, FlagUrgency.URGENT) == MONDAY + timedelta(hours=4)
