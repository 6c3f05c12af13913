"""Texts and keyboards of outreach: check-ins, replies from the team, crisis answers.

Every msgid is plain Dutch (B1): short sentences, one question per message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from wzt_bot.bot.texts import EMERGENCY
from wzt_bot.domain.models import StaffFunction, Topic
from wzt_bot.domain.policies.helplines import (
    EVERY_DAY,
    HELPLINES,
    Helpline,
    Hours,
    LineGroup,
    emergency_line,
    talk_lines,
)
from wzt_bot.domain.policies.team import TeamReach
from wzt_bot.i18n import N_, Translator

#: At least five ways to ask, so a check-in never feels mechanical.
CHECKIN_WORDINGS: tuple[str, ...] = (
    N_("Hallo {name}! Hoe gaat het met je deze week?"),
    N_("Dag {name}. Ik ben benieuwd: hoe gaat het nu met je?"),
    N_("Hoi {name}! Even een kort berichtje. Hoe voel je je?"),
    N_("Hallo {name}. Hoe was je week tot nu toe?"),
    N_("Goeiedag {name}! Hoe gaat het vandaag met je?"),
)
TAP_A_FACE = N_("Tik op een gezichtje. Of kies 'Alles oké'.")
FACES: tuple[str, ...] = ("😞", "🙁", "😐", "🙂", "😄")

TOPIC_LABELS: dict[Topic, str] = {
    Topic.WERK: N_("Werk of stage"),
    Topic.ZORG: N_("Zorg of gezondheid"),
    Topic.GELD: N_("Geld"),
    Topic.WONEN: N_("Wonen"),
    Topic.GEZIN: N_("Gezin"),
    Topic.VERVOER: N_("Vervoer"),
    Topic.BEGELEIDING: N_("Mijn begeleiding"),
    Topic.ANDERS: N_("Iets anders"),
}
#: What a check-in asks about (the concern flow also offers "Mijn begeleiding").
CHECKIN_TOPICS: tuple[Topic, ...] = (
    Topic.WERK,
    Topic.ZORG,
    Topic.GELD,
    Topic.WONEN,
    Topic.GEZIN,
    Topic.VERVOER,
    Topic.ANDERS,
)
CONCERN_TOPICS: tuple[Topic, ...] = (
    Topic.WERK,
    Topic.ZORG,
    Topic.GELD,
    Topic.WONEN,
    Topic.VERVOER,
    Topic.BEGELEIDING,
    Topic.ANDERS,
)

FUNCTION_LABELS: dict[StaffFunction | None, str] = {
    StaffFunction.CASEMANAGER_WERK: N_("je begeleider voor werk"),
    StaffFunction.CASEMANAGER_ZORG: N_("je begeleider voor zorg"),
    StaffFunction.STAGEBEGELEIDER: N_("je begeleider op de stage"),
    StaffFunction.PARTNER: N_("een partner van je team"),
    StaffFunction.OTHER: N_("iemand van je team"),
    None: N_("iemand van je team"),
}


class CheckinCb(CallbackData, prefix="ci"):
    """A tap on a check-in message. `v`: 1..5 a face, 0 all ok, see the constants below."""

    id: str  # the check-in id (hex)
    v: int


ALL_OK, SETTINGS, CONTACT_YES, CONTACT_NO = 0, -1, 6, 7


class CheckinSettingsCb(CallbackData, prefix="cisettings"):
    """ "Wanneer en hoe vaak" from Mijn gegevens."""


class FlagCb(CallbackData, prefix="fl"):
    """A tap under a team's reply or a crisis answer."""

    id: str  # the flag id (hex)
    a: str  # "y" helped, "n" not (yet); "ok" only on old crisis answers (see RiskCb)


class RiskCb(CallbackData, prefix="rk"):
    """ "Ik ben oké, dit was verkeerd begrepen" under the answer to one risk message: it
    withdraws that message only. 35 bytes, well under Telegram's 64."""

    id: str  # the risk message's id (hex), see domain.models.FlagRisk


def checkin_text(t: Translator, name: str, wording: int) -> str:
    question = CHECKIN_WORDINGS[wording % len(CHECKIN_WORDINGS)]
    return "\n\n".join((t(question, name=name), t(TAP_A_FACE)))


def reminder_text(t: Translator, name: str) -> str:
    return "\n\n".join(
        (
            t("Hallo {name}. Ik vroeg eerder hoe het met je gaat.", name=name),
            t("Tik op een gezichtje als je even tijd hebt. Later mag ook."),
        )
    )


def checkin_keyboard(t: Translator, checkin_hex: str) -> InlineKeyboardMarkup:
    faces = [
        InlineKeyboardButton(text=face, callback_data=CheckinCb(id=checkin_hex, v=i + 1).pack())
        for i, face in enumerate(FACES)
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            faces,
            [
                InlineKeyboardButton(
                    text="👍 " + t("Alles oké"),
                    callback_data=CheckinCb(id=checkin_hex, v=ALL_OK).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text="⚙️ " + t("Wanneer en hoe vaak"),
                    callback_data=CheckinCb(id=checkin_hex, v=SETTINGS).pack(),
                )
            ],
        ]
    )


def pause_contact_text(t: Translator, name: str) -> str:
    return "\n\n".join(
        (
            t("Hallo {name}. Je traject staat nu even stil.", name=name),
            t("Wil je contact met iemand van je team?"),
        )
    )


def pause_contact_keyboard(t: Translator, checkin_hex: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("Ja, graag"),
                    callback_data=CheckinCb(id=checkin_hex, v=CONTACT_YES).pack(),
                ),
                InlineKeyboardButton(
                    text=t("Nee, nu niet"),
                    callback_data=CheckinCb(id=checkin_hex, v=CONTACT_NO).pack(),
                ),
            ]
        ]
    )


def machine_translated(t: Translator) -> str:
    return t("(Automatisch vertaald. Het origineel staat eronder.)")


def reply_text(t: Translator, sender: str, text: str, translation: str | None = None) -> str:
    parts = [t("💬 Bericht van {sender}:", sender=sender)]
    if translation:
        parts += [translation, machine_translated(t), text]
    else:
        parts.append(text)
    parts.append(t("Heeft dit geholpen?"))
    return "\n\n".join(parts)


def resolved_text(
    t: Translator, sender: str, message: str | None, translation: str | None = None
) -> str:
    """The team closed the question; `message` is their message to the participant (never
    the team's own resolve note)."""
    parts = [t("{sender} heeft je vraag opgevolgd.", sender=sender)]
    if message and translation:
        parts += [translation, machine_translated(t), message]
    elif message:
        parts.append(message)
    parts.append(t("Heeft dit geholpen?"))
    return "\n\n".join(parts)


def helped_keyboard(t: Translator, flag_hex: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text="👍 " + t("Ja"), callback_data=FlagCb(id=flag_hex, a="y").pack()
                ),
                InlineKeyboardButton(
                    text=t("Nog niet"), callback_data=FlagCb(id=flag_hex, a="n").pack()
                ),
            ]
        ]
    )


#: The header over lines that speak another language than the participant's.
SPEAKS: dict[str, str] = {
    "nl": N_("Deze hulplijnen spreken Nederlands:"),
    "fr": N_("Deze hulplijnen spreken Frans:"),
}
#: Lowercase day names, inside a sentence ("op maandag").
DAY_NAMES: tuple[str, ...] = (
    N_("maandag"),
    N_("dinsdag"),
    N_("woensdag"),
    N_("donderdag"),
    N_("vrijdag"),
    N_("zaterdag"),
    N_("zondag"),
)


def clock_time(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def hours_text(t: Translator, hours: Hours) -> str:
    """When a line answers, from its data only: "dag en nacht" is said only when it is."""
    if hours.day_and_night:
        return t("dag en nacht")
    if hours.start is None or hours.end is None:
        return t("op werkdagen") if hours.working_days else t("op vaste dagen")
    times = {"start": clock_time(hours.start), "end": clock_time(hours.end)}
    if hours.working_days:
        return t("op werkdagen van {start} tot {end}", **times)
    if hours.days == EVERY_DAY:
        return t("elke dag van {start} tot {end}", **times)
    return t("op vaste dagen van {start} tot {end}", **times)


def helpline_text(t: Translator, line: Helpline) -> str:
    """One line: its name, its number and hours, free/anonymous as its data say, its chat."""
    parts = [
        t(
            "• {name}: bel {phone}, {hours}.",
            name=t(line.label),
            phone=line.phone,
            hours=hours_text(t, line.hours),
        )
    ]
    if line.free and line.anonymous:
        parts.append(t("Gratis en anoniem."))
    elif line.free:
        parts.append(t("Gratis."))
    if line.chat and line.web:
        parts.append(t("Chatten kan ook op {web}.", web=line.web))
    return " ".join(parts)


def helpline_group_text(t: Translator, group: LineGroup, intro: str | None = None) -> str:
    """A group of lines: `intro`, then which language they speak when it is not the
    participant's own, then one line each."""
    head = [intro] if intro else []
    if group.language is not None:
        head.append(t(SPEAKS.get(group.language, group.language)))
    return "\n".join([*head, *(helpline_text(t, line) for line in group.lines)])


def team_text(t: Translator, team: TeamReach, today: date | None = None) -> str:
    """Honest about the team: "meteen een dringend bericht" only when a channel exists;
    otherwise when they will see it (their office hours)."""
    if team.channel:
        return (
            t("Ik heb je team meteen een dringend bericht gestuurd.")
            + " "
            + (
                t("Je team is nu online en neemt zo snel mogelijk contact op.")
                if team.online
                else t("Je team is nu niet online. Bel dus zeker een van de nummers hierboven.")
            )
        )
    parts = [t("Ik heb je bericht als dringend klaargezet voor je team.")]
    if team.online and team.closes is not None:
        parts.append(
            t(
                "Je team werkt vandaag tot {time}. Ze zien je bericht zodra ze hun berichten"
                " lezen.",
                time=clock_time(team.closes),
            )
        )
    elif team.opens is not None:
        parts.append(when_team_sees_it(t, team.opens, today))
    else:
        parts.append(t("Ik weet niet wanneer je team je bericht ziet."))
    parts.append(t("Wacht daar niet op. Bel een van de nummers hierboven."))
    return " ".join(parts)


def when_team_sees_it(t: Translator, opens: datetime, today: date | None = None) -> str:
    """ "Je team ziet je bericht morgen vanaf 9:00." `opens` is in local time."""
    today = today or datetime.now(opens.tzinfo).date()
    at = clock_time(opens.time())
    if opens.date() <= today:
        return t("Je team ziet je bericht vandaag vanaf {time}.", time=at)
    if opens.date() == today + timedelta(days=1):
        return t("Je team ziet je bericht morgen vanaf {time}.", time=at)
    return t(
        "Je team ziet je bericht op {day} vanaf {time}.",
        day=t(DAY_NAMES[opens.weekday()]),
        time=at,
    )


def crisis_text(
    t: Translator,
    *,
    team: TeamReach | None,
    now: datetime | None = None,
    lines: Iterable[Helpline] = HELPLINES,
) -> str:
    """The answer to a risk message: warm, short, the helplines first, honest about the team.

    `team`: None for someone not linked to a team (no flag is raised). `now`: the local
    moment, to say "vandaag" or "morgen" right. Lines come from the helpline data: those in
    the participant's language first, the others under the language they speak."""
    lines = tuple(lines)
    parts = [t("Dank je dat je dit vertelt. Je staat er niet alleen voor.")]
    for group in talk_lines(t.locale, lines):
        intro = t("Praat nu met iemand:") if group.language is None else None
        parts.append(helpline_group_text(t, group, intro))
    emergency = emergency_line(lines)
    if emergency is not None:
        parts.append(
            t(
                "In gevaar? Bel meteen {phone}, {hours}.",
                phone=emergency.phone,
                hours=hours_text(t, emergency.hours),
            )
        )
    if team is not None:
        today = None
        if now is not None and team.opens is not None:
            today = now.astimezone(team.opens.tzinfo).date()
        parts.append(team_text(t, team, today))
    return "\n\n".join(parts)


def crisis_keyboard(t: Translator, risk_hex: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("Ik ben oké, dit was verkeerd begrepen"),
                    callback_data=RiskCb(id=risk_hex).pack(),
                )
            ]
        ]
    )


def misunderstood_text(t: Translator) -> str:
    return "\n\n".join(
        (
            t("Oké, fijn dat je het laat weten."),
            t("Je team ziet je bericht nog wel. Zo kunnen ze het goed opvolgen."),
            t(EMERGENCY),
        )
    )


def answer_time_text(t: Translator, days: int) -> str:
    if days <= 1:
        return t("Je team antwoordt meestal binnen 1 werkdag.")
    return t("Je team antwoordt meestal binnen {days} werkdagen.", days=days)


def contact_requested_text(t: Translator, days: int, *, emergency: bool = True) -> str:
    """After a contact request: it went to the team, when they usually answer, and (unless
    the screen already shows them) the helplines."""
    parts = [
        t("Goed. Ik heb aan je team gevraagd om contact met je op te nemen."),
        answer_time_text(t, days),
    ]
    if emergency:
        parts.append(t(EMERGENCY))
    return "\n\n".join(parts)


def already_text(t: Translator) -> str:
    """A second tap on an old button: nothing new is raised, and the participant hears so."""
    return t("Dit heb ik al doorgegeven aan je team.")
