"""The helplines the bot shows, as data: number, hours, languages, cost, anonymity, source.

Like the complaint contacts (policies/complaints.py), every line carries where its facts come
from and when they were last checked, so a person can re-check them. What the bot says about
a line is built from this data only: a line is "dag en nacht" only when its hours say so,
and anonymous only when `anonymous` is set (112 never is: it asks who and where you are).

Sources. The project's domain notes name the lines (DESIGN.md: Zelfmoordlijn 1813,
Tele-Onthaal 106, 112, 1712; hiva.md marks 112 and 1813 as external knowledge to verify) but
give no hours. The facts below were taken from the services' public websites (the `source`
of each line) as known on `last_verified`, without a live check from this machine:
re-check them there, especially the hours of 1712 (phone on working days 9-17 h).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo


def N_(message: str) -> str:  # noqa: N802 - gettext's "mark now, translate at display time"
    return message


DEFAULTS_VERIFIED = date(2026, 12, 7)
EVERY_DAY = frozenset(range(7))  # Monday 0 .. Sunday 6
WORKING_DAYS = frozenset(range(5))


class HelplineKind(enum.StrEnum):
    EMERGENCY = "emergency"  # danger now: 112
    SUICIDE = "suicide"  # thoughts of suicide
    LISTENING = "listening"  # someone to talk to
    VIOLENCE = "violence"  # violence, abuse, child abuse


@dataclass(frozen=True, slots=True)
class Hours:
    """When a line answers by phone: on `days` (0 Monday .. 6 Sunday), from `start` to `end`
    local time; no `start`/`end` is the whole day. `holidays`: also on public holidays."""

    days: frozenset[int] = EVERY_DAY
    start: time | None = None
    end: time | None = None
    holidays: bool = True

    @property
    def day_and_night(self) -> bool:
        return self.days == EVERY_DAY and self.start is None and self.end is None and self.holidays

    @property
    def working_days(self) -> bool:
        return self.days == WORKING_DAYS

    def open_at(self, moment: datetime, tz: tzinfo) -> bool:
        """Open at `moment` (public holidays are not known here: a closed-on-holidays line
        may be closed when this says open)."""
        local = moment.astimezone(tz)
        if local.weekday() not in self.days:
            return False
        start, end = self.start or time(0), self.end
        return start <= local.time() and (end is None or local.time() < end)


DAY_AND_NIGHT = Hours()


@dataclass(frozen=True, slots=True)
class Helpline:
    key: str
    kind: HelplineKind
    label: str  # msgid: how the bot names the line ("Zelfmoordlijn")
    phone: str
    hours: Hours
    languages: tuple[str, ...]  # ISO 639-1 codes the line answers in
    free: bool
    anonymous: bool
    source: str  # the page the facts come from
    last_verified: date | None
    web: str = ""  # a domain, shown as written ("zelfmoord1813.be")
    chat: bool = False  # a chat on `web` (its hours are not claimed)
    note: str = ""  # for whoever checks the data next; never shown to participants

    @property
    def verified(self) -> bool:
        return bool(self.source) and self.last_verified is not None

    def speaks(self, locale: str) -> bool:
        return locale in self.languages


EMERGENCY_112 = Helpline(
    key="112",
    kind=HelplineKind.EMERGENCY,
    label=N_("Noodnummer"),
    phone="112",
    hours=DAY_AND_NIGHT,
    # The emergency centres answer in the national languages and English, often more; the
    # bot does not promise a language for 112.
    languages=("nl", "fr", "de", "en"),
    free=True,
    anonymous=False,  # the centre asks who you are and where you are
    source="https://www.112.be",
    last_verified=DEFAULTS_VERIFIED,
)
ZELFMOORDLIJN = Helpline(
    key="1813",
    kind=HelplineKind.SUICIDE,
    label=N_("Zelfmoordlijn"),
    phone="1813",
    hours=DAY_AND_NIGHT,
    languages=("nl",),
    free=True,
    anonymous=True,
    source="https://www.zelfmoord1813.be",
    last_verified=DEFAULTS_VERIFIED,
    web="zelfmoord1813.be",
    chat=True,
    note="Phone day and night; the chat has its own, shorter hours (not shown).",
)
TELE_ONTHAAL = Helpline(
    key="106",
    kind=HelplineKind.LISTENING,
    label=N_("Tele-Onthaal"),
    phone="106",
    hours=DAY_AND_NIGHT,
    languages=("nl",),
    free=True,
    anonymous=True,
    source="https://www.tele-onthaal.be",
    last_verified=DEFAULTS_VERIFIED,
)
HULPLIJN_1712 = Helpline(
    key="1712",
    kind=HelplineKind.VIOLENCE,
    label=N_("Hulplijn 1712, bij geweld of misbruik"),
    phone="1712",
    hours=Hours(days=WORKING_DAYS, start=time(9), end=time(17), holidays=False),
    languages=("nl",),
    free=True,
    anonymous=True,
    source="https://www.1712.be",
    last_verified=DEFAULTS_VERIFIED,
    web="1712.be",
    chat=True,
    note="Hours not in the project's sources: re-check on 1712.be (phone on working days "
    "9-17 h; the chat has its own hours, not shown).",
)
PREVENTION_SUICIDE = Helpline(
    key="0800 32 123",
    kind=HelplineKind.SUICIDE,
    label=N_("Centre de Prévention du Suicide"),
    phone="0800 32 123",
    hours=DAY_AND_NIGHT,
    languages=("fr",),
    free=True,
    anonymous=True,
    source="https://www.preventionsuicide.be",
    last_verified=DEFAULTS_VERIFIED,
)
TELE_ACCUEIL = Helpline(
    key="107",
    kind=HelplineKind.LISTENING,
    label=N_("Télé-Accueil"),
    phone="107",
    hours=DAY_AND_NIGHT,
    languages=("fr",),
    free=True,
    anonymous=True,
    source="https://www.tele-accueil.be",
    last_verified=DEFAULTS_VERIFIED,
)

#: Every shipped line, in the order the bot shows them.
HELPLINES: tuple[Helpline, ...] = (
    ZELFMOORDLIJN,
    TELE_ONTHAAL,
    HULPLIJN_1712,
    PREVENTION_SUICIDE,
    TELE_ACCUEIL,
    EMERGENCY_112,
)
#: The language of the region: its lines are always shown, whatever the participant reads.
LOCAL_LANGUAGE = "nl"


@dataclass(frozen=True, slots=True)
class LineGroup:
    """Lines shown together. `language`: the language they speak, said to the participant
    when it is not theirs; None when the lines speak the participant's own language."""

    language: str | None
    lines: tuple[Helpline, ...]


def talk_lines(
    locale: str, lines: Iterable[Helpline] = HELPLINES, *, local: str = LOCAL_LANGUAGE
) -> tuple[LineGroup, ...]:
    """The verified lines to talk to (112 apart), grouped for a participant reading `locale`.

    Lines in their own language first. Then the lines of the region's language. A
    participant whose language has no line gets every line, grouped by the language it
    speaks, so the answer says plainly which languages they are in.
    """
    talk = [line for line in lines if line.verified and line.kind is not HelplineKind.EMERGENCY]
    own = tuple(line for line in talk if line.speaks(locale))
    groups: list[LineGroup] = []
    if own:
        groups.append(LineGroup(None, own))
        if locale != local:
            rest = tuple(line for line in talk if line.speaks(local) and line not in own)
            if rest:
                groups.append(LineGroup(local, rest))
        return tuple(groups)
    languages: list[str] = []
    for line in talk:
        first = line.languages[0]
        if first not in languages:
            languages.append(first)
    languages.sort(key=lambda lang: lang != local)  # the region's language first
    shown: set[str] = set()
    for language in languages:
        group = tuple(
            line for line in talk if line.languages[0] == language and line.key not in shown
        )
        shown.update(line.key for line in group)
        if group:
            groups.append(LineGroup(language, group))
    return tuple(groups)


def emergency_line(lines: Iterable[Helpline] = HELPLINES) -> Helpline | None:
    return next(
        (line for line in lines if line.verified and line.kind is HelplineKind.EMERGENCY), None
    )
