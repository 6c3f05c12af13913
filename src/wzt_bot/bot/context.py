"""What the bot's handlers need from the application, handed in by the composition root."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, tzinfo

from wzt_bot.domain.ports import Clock, LanguageTools, StaffPresence, UnitOfWorkFactory
from wzt_bot.domain.safety.check import CrisisCheck
from wzt_bot.i18n import I18n


class ReplyThrottle:
    """At most one answer per `interval` seconds to a Telegram account that is not linked.

    Strangers get the explanation once; a flood of messages from one of them costs no sends
    (and no per-chat rate-limit waits), so it cannot hold up the participants.
    """

    def __init__(self, interval: float = 30.0, max_accounts: int = 50_000) -> None:
        self.interval, self.max_accounts = interval, max_accounts
        self._last: dict[tuple[int, str], float] = {}

    def allow(self, user_id: int, topic: str = "") -> bool:
        now = time.monotonic()
        key = (user_id, topic)
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            return False
        if len(self._last) >= self.max_accounts:
            cutoff = now - self.interval
            self._last = {u: t for u, t in self._last.items() if t >= cutoff}
        self._last[key] = now
        return True


@dataclass(frozen=True, slots=True)
class BotContext:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    i18n: I18n
    default_locale: str = "nl"
    tz: tzinfo = UTC
    language_tools: LanguageTools | None = None
    translates: bool = False  # WZT_TRANSLATE_URL is set: words go to a translation server
    crisis: CrisisCheck | None = None
    #: Who of a team is signed in to the web workspace (a later issue); None: no one can be.
    presence: StaffPresence | None = None
    stranger_replies: ReplyThrottle = field(default_factory=ReplyThrottle)
    #: An SMTP server is configured (WZT_SMTP_URL): complaints by e-mail reach their handler.
    complaint_email: bool = False
