"""A team's own settings: office hours, response targets, routing, notifications."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from wzt_bot.domain.models import FlagUrgency, Topic

DEFAULT_RESPONSE_HOURS: dict[FlagUrgency, int] = {
    FlagUrgency.URGENT: 4,
    FlagUrgency.HIGH: 24,
    FlagUrgency.NORMAL: 72,
}


@dataclass(frozen=True, slots=True)
class TeamReach:
    """Whether an urgent message reaches the team now, and when they are at work.

    `channel`: a way that exists to tell the team at once (their Telegram group, their own
    system's webhook, or a member signed in to the web workspace). `opens`: the next office
    opening (local time) when the team is not at work now, None when unknown (no office
    days). `closes`: today's closing time while they are at work."""

    channel: bool
    online: bool
    opens: datetime | None = None
    closes: time | None = None


@dataclass(frozen=True, slots=True)
class TeamSettings:
    office_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday..Friday
    office_start: time = time(9, 0)
    office_end: time = time(17, 0)
    response_hours: Mapping[FlagUrgency, int] = field(
        default_factory=lambda: dict(DEFAULT_RESPONSE_HOURS)
    )
    answer_within_days: int = 2  # what the participant is told: "meestal binnen 2 werkdagen"
    routing: Mapping[Topic, uuid.UUID] = field(default_factory=dict)
    main_contact_id: uuid.UUID | None = None
    backup_contact_id: uuid.UUID | None = None
    notify_chat_id: int | None = None  # the team's Telegram group
    digest_hour: int = 8  # non-urgent flags in one daily notice at this local hour
    webhook_url: str | None = None
    checkins: Mapping[str, Any] = field(default_factory=dict)  # CheckinRules overrides

    def is_online(self, moment: datetime, tz: tzinfo) -> bool:
        local = moment.astimezone(tz)
        return (
            local.weekday() in self.office_days
            and self.office_start <= local.time() < self.office_end
        )

    def next_online(self, moment: datetime, tz: tzinfo) -> datetime:
        """Now if the team is online, else when the office opens next."""
        if self.is_online(moment, tz) or not self.office_days:
            return moment
        local = moment.astimezone(tz)
        day = local.date()
        if local.time() >= self.office_start:
            day += timedelta(days=1)
        for _ in range(8):
            if day.weekday() in self.office_days:
                return datetime.combine(day, self.office_start, tzinfo=tz).astimezone(UTC)
            day += timedelta(days=1)
        return moment

    def reach(self, moment: datetime, tz: tzinfo, *, channel: bool) -> TeamReach:
        """What a participant may be told about when the team sees an urgent message."""
        online = self.is_online(moment, tz)
        opens = None
        if not online and self.office_days:
            opens = self.next_online(moment, tz).astimezone(tz)
        return TeamReach(
            channel=channel, online=online, opens=opens, closes=self.office_end if online else None
        )

    def respond_by(self, created_at: datetime, urgency: FlagUrgency) -> datetime:
        hours = self.response_hours.get(urgency, DEFAULT_RESPONSE_HOURS[urgency])
        return created_at + timedelta(hours=hours)

    # --- storage as JSON -----------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "office_days": sorted(self.office_days),
            "office_start": self.office_start.strftime("%H:%M"),
            "office_end": self.office_end.strftime("%H:%M"),
            "response_hours": {u.value: h for u, h in self.response_hours.items()},
            "answer_within_days": self.answer_within_days,
            "routing": {t.value: str(s) for t, s in self.routing.items()},
            "main_contact_id": str(self.main_contact_id) if self.main_contact_id else None,
            "backup_contact_id": str(self.backup_contact_id) if self.backup_contact_id else None,
            "notify_chat_id": self.notify_chat_id,
            "digest_hour": self.digest_hour,
            "webhook_url": self.webhook_url,
            "checkins": dict(self.checkins),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> TeamSettings:
        if not data:
            return cls()

        def uid(value: Any) -> uuid.UUID | None:
            return uuid.UUID(str(value)) if value else None

        default = cls()
        return cls(
            office_days=frozenset(int(d) for d in data.get("office_days", default.office_days)),
            office_start=time.fromisoformat(data.get("office_start", "09:00")),
            office_end=time.fromisoformat(data.get("office_end", "17:00")),
            response_hours={
                FlagUrgency(k): int(v)
                for k, v in (data.get("response_hours") or {}).items()
                if k in FlagUrgency.__members__.values()
            }
            or dict(DEFAULT_RESPONSE_HOURS),
            answer_within_days=int(data.get("answer_within_days", default.answer_within_days)),
            routing={
                Topic(k): uuid.UUID(str(v))
                for k, v in (data.get("routing") or {}).items()
                if k in Topic.__members__.values()
            },
            main_contact_id=uid(data.get("main_contact_id")),
            backup_contact_id=uid(data.get("backup_contact_id")),
            notify_chat_id=data.get("notify_chat_id"),
            digest_hour=int(data.get("digest_hour", default.digest_hour)),
            webhook_url=data.get("webhook_url"),
            checkins=dict(data.get("checkins") or {}),
        )
