"""The crisis answer says only what is true: helplines as data, an honest team line, bidi."""

from __future__ import annotations

import dataclasses
import re
import uuid
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from wzt_bot.bot.outreach_texts import (
    SPEAKS,
    crisis_text,
    helpline_text,
    hours_text,
    team_text,
)
from wzt_bot.bot.texts import EMERGENCY
from wzt_bot.domain.models import SUPPORTED_LOCALES
from wzt_bot.domain.policies.helplines import (
    DAY_AND_NIGHT,
    EMERGENCY_112,
    HELPLINES,
    HULPLIJN_1712,
    WORKING_DAYS,
    Helpline,
    HelplineKind,
    Hours,
    emergency_line,
    talk_lines,
)
from wzt_bot.domain.policies.team import TeamReach, TeamSettings
from wzt_bot.domain.services import teams
from wzt_bot.i18n import LRI, PDI, I18n

I18N = I18n()
BRU = ZoneInfo("Europe/Brussels")
FRIDAY_NIGHT = datetime(2026, 12, 4, 22, 0, tzinfo=BRU)
MONDAY_EARLY = datetime(2026, 12, 7, 7, 30, tzinfo=BRU)
MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=BRU)
TUESDAY_EVENING = datetime(2026, 12, 8, 20, 0, tzinfo=BRU)
#: Locales with a verified helpline in their own language (besides 112).
OWN_LINES = {"nl", "fr"}


def _plain(text: str) -> str:
    return text.replace(LRI, "").replace(PDI, "")


# --- the data --------------------------------------------------------------------------------


@pytest.mark.parametrize("line", HELPLINES, ids=lambda line: line.key)
def test_every_line_has_hours_languages_source_and_a_date(line: Helpline) -> None:
    assert isinstance(line.hours, Hours) and line.hours.days
    assert line.languages and all(len(code) == 2 for code in line.languages)
    assert line.source.startswith("https://")
    assert line.last_verified is not None and line.verified
    assert line.phone and line.label


def test_the_hours_the_issue_names() -> None:
    by_phone = {line.phone: line for line in HELPLINES}
    for phone in ("1813", "106", "112", "0800 32 123", "107"):
        assert by_phone[phone].hours.day_and_night, phone
    assert not HULPLIJN_1712.hours.day_and_night
    assert HULPLIJN_1712.hours.days == WORKING_DAYS
    assert (HULPLIJN_1712.hours.start, HULPLIJN_1712.hours.end) == (time(9), time(17))
    assert by_phone["1813"].free and by_phone["1813"].anonymous
    assert by_phone["106"].free and by_phone["106"].anonymous
    assert {line.phone for line in HELPLINES if "nl" in line.languages} >= {"1813", "106", "1712"}
    assert {line.phone for line in HELPLINES if line.languages == ("fr",)} == {
        "0800 32 123",
        "107",
    }


def test_112_is_for_danger_now_and_never_anonymous() -> None:
    assert EMERGENCY_112.kind is HelplineKind.EMERGENCY and not EMERGENCY_112.anonymous
    assert all(not line.anonymous for line in HELPLINES if line.kind is HelplineKind.EMERGENCY)
    assert emergency_line() is EMERGENCY_112
    for locale in SUPPORTED_LOCALES:
        t = I18N.get(locale)
        text = _plain(crisis_text(t, team=None))
        [paragraph] = [p for p in text.split("\n\n") if "112" in p]
        assert t("Gratis en anoniem.") not in paragraph, locale
        assert paragraph == _plain(
            t("In gevaar? Bel meteen {phone}, {hours}.", phone="112", hours=t("dag en nacht"))
        )


def test_hours_open_at() -> None:
    assert DAY_AND_NIGHT.open_at(FRIDAY_NIGHT, BRU)
    assert not HULPLIJN_1712.hours.open_at(FRIDAY_NIGHT, BRU)
    assert not HULPLIJN_1712.hours.open_at(MONDAY_EARLY, BRU)
    assert HULPLIJN_1712.hours.open_at(MONDAY_MORNING, BRU)
    assert not Hours(days=WORKING_DAYS).day_and_night
    assert not Hours(start=time(8), end=time(22)).day_and_night


# --- what the bot says about a line ----------------------------------------------------------


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_day_and_night_only_when_the_hours_say_so(locale: str) -> None:
    t = I18N.get(locale)
    day_and_night = t("dag en nacht")
    assert day_and_night
    for line in HELPLINES:
        said = helpline_text(t, line)
        assert (day_and_night in said) is line.hours.day_and_night, (locale, line.key)
        assert (t("Gratis en anoniem.") in said) is (line.free and line.anonymous)
    # Also for hours the shipped data does not use.
    odd = Hours(days=frozenset({0, 2}), start=time(18), end=time(22))
    for hours in (odd, Hours(days=WORKING_DAYS), Hours(start=time(8), end=time(20))):
        assert day_and_night not in hours_text(t, hours)
    text = _plain(hours_text(t, HULPLIJN_1712.hours))
    assert "9:00" in text and "17:00" in text and day_and_night not in text


def test_the_dutch_lines_read_as_the_issue_asks() -> None:
    t = I18N.get("nl")
    text = crisis_text(t, team=None)
    assert "• Zelfmoordlijn: bel 1813, dag en nacht. Gratis en anoniem." in text
    assert "Chatten kan ook op zelfmoord1813.be." in text
    assert "• Tele-Onthaal: bel 106, dag en nacht. Gratis en anoniem." in text
    assert "bel 1712, op werkdagen van 9:00 tot 17:00. Gratis en anoniem." in text
    assert "In gevaar? Bel meteen 112, dag en nacht." in text
    assert "dag en nacht, gratis en anoniem:" not in text  # the old blanket promise
    assert "1712, dag en nacht" not in text


def test_an_unverified_line_is_not_shown() -> None:
    unverified = dataclasses.replace(HULPLIJN_1712, key="x", phone="9999", last_verified=None)
    sourceless = dataclasses.replace(HULPLIJN_1712, key="y", phone="8888", source="")
    lines = (*HELPLINES, unverified, sourceless)
    for locale in SUPPORTED_LOCALES:
        text = _plain(crisis_text(I18N.get(locale), team=None, lines=lines))
        assert "9999" not in text and "8888" not in text


# --- lines in the participant's language, or plainly which languages they speak --------------


def test_lines_are_grouped_by_the_language_they_speak() -> None:
    [nl] = talk_lines("nl")
    assert nl.language is None and [line.phone for line in nl.lines] == ["1813", "106", "1712"]
    fr_own, fr_dutch = talk_lines("fr")
    assert fr_own.language is None and [line.phone for line in fr_own.lines] == [
        "0800 32 123",
        "107",
    ]
    assert fr_dutch.language == "nl"
    for locale in sorted(set(SUPPORTED_LOCALES) - OWN_LINES):
        groups = talk_lines(locale)
        assert [g.language for g in groups] == ["nl", "fr"], locale
    shown = [line for group in talk_lines("ar") for line in group.lines]
    assert all(line.kind is not HelplineKind.EMERGENCY for line in shown)


def test_every_language_of_a_line_can_be_named() -> None:
    for line in HELPLINES:
        if line.kind is not HelplineKind.EMERGENCY:
            assert line.languages[0] in SPEAKS, line.key


def test_a_new_line_in_the_participants_language_is_shown_first() -> None:
    arabic = dataclasses.replace(
        HULPLIJN_1712, key="ar", label="Zelfmoordlijn", phone="0800 11 222", languages=("ar",)
    )
    groups = talk_lines("ar", (*HELPLINES, arabic))
    assert groups[0].language is None and groups[0].lines == (arabic,)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_crisis_text_says_which_languages_the_lines_speak(locale: str) -> None:
    t = I18N.get(locale)
    text = crisis_text(t, team=None)
    dutch, french = t(SPEAKS["nl"]), t(SPEAKS["fr"])
    if locale == "nl":
        assert dutch not in text and french not in text and "107" not in text
        assert t("Praat nu met iemand:") in text
    elif locale == "fr":
        assert t("Praat nu met iemand:") in text and dutch in text and french not in text
        assert text.index("107") < text.index("1813")  # their own language first
    else:
        assert t("Praat nu met iemand:") not in text
        assert dutch in text and french in text and dutch != SPEAKS["nl"]
        assert text.index(dutch) < text.index("1813") < text.index(french)
    assert len(text) < 4096


# --- honest about the team -------------------------------------------------------------------


def _reach(moment: datetime, *, channel: bool) -> TeamReach:
    return TeamSettings().reach(moment, BRU, channel=channel)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_urgent_message_at_once_only_with_a_channel(locale: str) -> None:
    t = I18N.get(locale)
    sent = t("Ik heb je team meteen een dringend bericht gestuurd.")
    for moment in (FRIDAY_NIGHT, MONDAY_MORNING):
        with_channel = crisis_text(t, team=_reach(moment, channel=True), now=moment)
        assert sent in with_channel
        without = crisis_text(t, team=_reach(moment, channel=False), now=moment)
        assert sent not in without
        assert t("Ik heb je bericht als dringend klaargezet voor je team.") in without
        assert t("Wacht daar niet op. Bel een van de nummers hierboven.") in without
    assert sent not in crisis_text(t, team=None)  # not linked: no flag, no word about a team


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_without_a_channel_it_says_when_the_team_sees_it(locale: str) -> None:
    t = I18N.get(locale)

    def said(moment: datetime) -> str:
        return crisis_text(t, team=_reach(moment, channel=False), now=moment)

    assert t("Je team ziet je bericht op {day} vanaf {time}.", day=t("maandag"), time="9:00") in (
        said(FRIDAY_NIGHT)
    )
    assert t("Je team ziet je bericht vandaag vanaf {time}.", time="9:00") in said(MONDAY_EARLY)
    assert t("Je team ziet je bericht morgen vanaf {time}.", time="9:00") in said(TUESDAY_EVENING)
    assert t(
        "Je team werkt vandaag tot {time}. Ze zien je bericht zodra ze hun berichten lezen.",
        time="17:00",
    ) in said(MONDAY_MORNING)
    late = TeamSettings(office_start=time(10, 30), office_end=time(15))
    reach = late.reach(FRIDAY_NIGHT, BRU, channel=False)
    assert t("Je team ziet je bericht op {day} vanaf {time}.", day=t("maandag"), time="10:30") in (
        crisis_text(t, team=reach, now=FRIDAY_NIGHT)
    )
    never = TeamSettings(office_days=frozenset()).reach(FRIDAY_NIGHT, BRU, channel=False)
    assert t("Ik weet niet wanneer je team je bericht ziet.") in team_text(t, never)


def test_the_dutch_team_lines() -> None:
    t = I18N.get("nl")
    assert team_text(t, _reach(FRIDAY_NIGHT, channel=False), FRIDAY_NIGHT.date()) == (
        "Ik heb je bericht als dringend klaargezet voor je team. "
        "Je team ziet je bericht op maandag vanaf 9:00. "
        "Wacht daar niet op. Bel een van de nummers hierboven."
    )
    assert team_text(t, _reach(MONDAY_MORNING, channel=True)) == (
        "Ik heb je team meteen een dringend bericht gestuurd. "
        "Je team is nu online en neemt zo snel mogelijk contact op."
    )


class _Teams:
    def __init__(self, secret: str | None) -> None:
        self.secret = secret

    async def webhook_secret(self, team_id: uuid.UUID) -> str | None:
        return self.secret


class _Uow:
    def __init__(self, secret: str | None = None) -> None:
        self.teams = _Teams(secret)


class _Presence:
    def __init__(self, signed_in: bool) -> None:
        self.value = signed_in

    async def signed_in(self, team_id: uuid.UUID) -> bool:
        return self.value


async def test_which_channels_reach_the_team() -> None:
    team = uuid.uuid4()

    async def channel(settings: TeamSettings, secret: str | None = None, **kw: Any) -> bool:
        reach = await teams.reach(
            _Uow(secret),  # type: ignore[arg-type]
            team,
            settings,
            MONDAY_MORNING,
            BRU,
            **kw,
        )
        assert reach.online
        return reach.channel

    assert not await channel(TeamSettings())
    assert await channel(TeamSettings(notify_chat_id=-100123))
    assert await channel(TeamSettings(webhook_url="https://team.example/hook"), "s3cret")
    # A webhook without its secret sends nothing (delivery refuses it): no channel.
    assert not await channel(TeamSettings(webhook_url="https://team.example/hook"), None)
    # The seam for the web workspace: someone signed in is a channel.
    assert await channel(TeamSettings(), presence=_Presence(True))
    assert not await channel(TeamSettings(), presence=_Presence(False))


# --- the onboarding's and menus' short line --------------------------------------------------


def test_the_emergency_line_claims_day_and_night_only_for_day_and_night_lines() -> None:
    assert "dag en nacht" in EMERGENCY
    by_phone = {line.phone: line for line in HELPLINES}
    numbers = re.findall(r"\b\d{3,4}\b", EMERGENCY)
    assert sorted(numbers) == ["106", "112", "1813"]
    for number in numbers:
        assert by_phone[number].hours.day_and_night, number
    assert "anoniem" not in EMERGENCY  # it names 112, which is not


# --- bidi: whole runs isolated, links and words untouched ------------------------------------


def test_arabic_crisis_answer_keeps_links_and_times_whole() -> None:
    t = I18N.get("ar")
    text = crisis_text(t, team=_reach(FRIDAY_NIGHT, channel=False), now=FRIDAY_NIGHT)
    for link in ("zelfmoord1813.be", "1712.be"):
        assert f" {link}." in text, link  # no marks inside or glued to the link
    for run in ("1813", "106", "1712", "112", "0800 32 123", "107", "9:00", "17:00"):
        assert f"{LRI}{run}{PDI}" in text, run
    assert f"{LRI}9{PDI}:" not in text and f"{LRI}{LRI}" not in text
    # Every isolate is closed, and holds digits and their joiners only.
    for inner in re.findall(f"{LRI}(.*?){PDI}", text):
        assert re.fullmatch(r"\+?[\d .:/-]+", inner), inner
    assert text.count(LRI) == text.count(PDI)
