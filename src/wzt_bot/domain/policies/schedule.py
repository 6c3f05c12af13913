"""When check-ins go out: rhythm per trajectory phase, the participant's choices, quiet hours.

Defaults (network, team and participant settings can change them):
- weekly in the first 4 weeks of a stage, and after a change in stage hours or tasks;
- every 2 weeks otherwise (also before any trajectory data, counted from the link);
- monthly (every 4 weeks) in aftercare (nazorg);
- every 4 weeks a gentle "wil je contact?" while the trajectory is paused;
- never in quiet hours (20:00-09:00 and Sundays, local time): moved to the next allowed moment.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from wzt_bot.domain.models import CheckinKind, DayPart, Participant, Phase

DAYPART_TIMES: dict[DayPart, time] = {
    DayPart.MORNING: time(10, 0),
    DayPart.AFTERNOON: time(14, 0),
    DayPart.EVENING: time(18, 30),
}


@dataclass(frozen=True, slots=True)
class CheckinRules:
    """The rhythm and the limits; every field can be overridden per network and per team."""

    stage_weeks: int = 4  # weekly check-ins during the first weeks of a stage (or a change)
    weekly_every: int = 1
    default_every: int = 2
    aftercare_every: int = 4
    pause_every: int = 4
    reminder_after_hours: int = 48
    missed_before_flag: int = 2
    quiet_start: time = time(20, 0)
    quiet_end: time = time(9, 0)
    quiet_weekdays: frozenset[int] = frozenset({6})  # Sunday

    def merged(self, overrides: Mapping[str, Any] | None) -> CheckinRules:
        """These rules with the known keys of `overrides` applied (unknown keys ignored)."""
        if not overrides:
            return self
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name not in overrides or overrides[f.name] is None:
                continue
            value = overrides[f.name]
            if f.name in ("quiet_start", "quiet_end") and isinstance(value, str):
                value = time.fromisoformat(value)
            elif f.name == "quiet_weekdays":
                value = frozenset(int(v) for v in value)
            changes[f.name] = value
        return dataclasses.replace(self, **changes)


def rules_for(network: Mapping[str, Any] | None, team: Mapping[str, Any] | None) -> CheckinRules:
    """Defaults, then the network's overrides, then the team's."""
    return CheckinRules().merged(network).merged(team)


@dataclass(frozen=True, slots=True)
class Rhythm:
    every: timedelta
    kind: CheckinKind


def rhythm(participant: Participant, rules: CheckinRules, now: datetime) -> Rhythm:
    """How often this participant hears from the bot now."""
    if participant.paused:
        return Rhythm(timedelta(weeks=rules.pause_every), CheckinKind.PAUSE_CONTACT)
    if participant.phase is Phase.NAZORG:
        weeks = rules.aftercare_every
    elif participant.stage_changed_at is not None and now - participant.stage_changed_at < (
        timedelta(weeks=rules.stage_weeks)
    ):
        weeks = rules.weekly_every
    else:
        weeks = rules.default_every
    if participant.checkin_less_often:
        weeks *= 2
    return Rhythm(timedelta(weeks=weeks), CheckinKind.REGULAR)


def in_quiet_hours(moment: datetime, rules: CheckinRules, tz: tzinfo) -> bool:
    local = moment.astimezone(tz)
    if local.weekday() in rules.quiet_weekdays:
        return True
    t = local.time()
    if rules.quiet_start > rules.quiet_end:  # over midnight, e.g. 20:00-09:00
        return t >= rules.quiet_start or t < rules.quiet_end
    return rules.quiet_start <= t < rules.quiet_end


def next_allowed(moment: datetime, rules: CheckinRules, tz: tzinfo) -> datetime:
    """`moment` itself if it is outside quiet hours, else the first allowed moment after it."""
    local = moment.astimezone(tz)
    for _ in range(16):  # at most a week of quiet days, plus the nights
        if not in_quiet_hours(local, rules, tz):
            return local.astimezone(UTC)
        if local.weekday() in rules.quiet_weekdays or local.time() >= rules.quiet_start:
            day = local.date() + timedelta(days=1)
        else:
            day = local.date()
        local = datetime.combine(day, rules.quiet_end, tzinfo=tz)
    raise ValueError("quiet hours leave no allowed moment in a week")


def next_due(
    participant: Participant,
    rules: CheckinRules,
    tz: tzinfo,
    *,
    anchor: datetime,
    now: datetime,
) -> tuple[datetime, CheckinKind]:
    """The moment of the next check-in after `anchor` (the last one, or the link)."""
    r = rhythm(participant, rules, now)
    target = anchor + r.every
    if participant.checkin_snooze_until is not None:
        target = max(target, participant.checkin_snooze_until)
    target = max(target, now)
    local = target.astimezone(tz)
    day = local.date()
    if participant.checkin_weekday is not None:
        day += timedelta(days=(participant.checkin_weekday - day.weekday()) % 7)
    at = datetime.combine(day, DAYPART_TIMES[participant.checkin_daypart], tzinfo=tz)
    if at < target:
        # The part of the day is over: the same weekday next week, or tomorrow.
        at += timedelta(days=7 if participant.checkin_weekday is not None else 1)
    return next_allowed(at.astimezone(UTC), rules, tz), r.kind


def slot_key(participant: Participant, due_at: datetime, tz: tzinfo) -> str:
    """One check-in per participant per local day: the idempotency key of its slot."""
    return f"{participant.id.hex}:{due_at.astimezone(tz).date().isoformat()}"
