"""Texts and keyboards of "Mijn plan": where am I, my goal and steps, who is who, appointments.

Every msgid is plain Dutch (B1). Words from the decree get a plain explanation (see
../shared/domain/decree.md §6); "niet-toeleidbaar" never appears.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from wzt_bot.domain.models import (
    ActionDomain,
    ActionStatus,
    DirectoryRole,
    EndAdvice,
    Phase,
    PlanAnswer,
    TrajectoryType,
)
from wzt_bot.domain.policies.trajectory import PHASES, time_frame
from wzt_bot.i18n import N_, Translator


class PlanCb(CallbackData, prefix="pl"):
    """A tap in Mijn plan. `i`: an index in the participant's own plan or directory;
    `v`: the plan version the button belongs to (a newer plan makes the button stale)."""

    do: str
    i: int = 0
    v: int = 0


class AppointmentCb(CallbackData, prefix="ap"):
    id: str  # the appointment id (hex)
    come: bool


PHASE_LABELS: dict[Phase, str] = {
    Phase.OPSTART: N_("Kennismaken"),
    Phase.PLAN: N_("Je plan maken"),
    Phase.UITVOERING: N_("Aan de slag"),
    Phase.AFSLUITING: N_("Afronden"),
    Phase.NAZORG: N_("Na je traject"),
}
PHASE_EXPLAINED: dict[Phase, str] = {
    Phase.OPSTART: N_("Jullie leren elkaar kennen. Je vertelt wat je wil en wat je nodig hebt."),
    Phase.PLAN: N_("Samen met je team zet je op papier wat je wil bereiken, en hoe."),
    Phase.UITVOERING: N_("Je zet de stappen uit je plan. Je team helpt je daarbij."),
    Phase.AFSLUITING: N_(
        "Jullie kijken samen terug. Je team schrijft een advies: wat is een goede volgende stap?"
    ),
    Phase.NAZORG: N_("Je traject is afgelopen. Je kan nog een jaar contact opnemen met je team."),
}
TYPE_LABELS: dict[TrajectoryType, str] = {
    TrajectoryType.ACTIVERINGSTRAJECT: N_(
        "Je traject naar werk: 3 tot 18 maanden, stap voor stap naar betaald werk."
    ),
    TrajectoryType.AA_WELZIJN: N_("Meewerken op een werkplek, zonder loon, met begeleiding."),
    TrajectoryType.AA_SOCIALE_ECONOMIE: N_(
        "Meewerken in een bedrijf met extra begeleiding, zonder loon."
    ),
}
ROLE_LABELS: dict[DirectoryRole, str] = {
    DirectoryRole.CASEMANAGER_WERK: N_("Begeleider voor werk"),
    DirectoryRole.CASEMANAGER_ZORG: N_("Begeleider voor zorg en welzijn"),
    DirectoryRole.STAGEBEGELEIDER: N_("Begeleider op je stage"),
    DirectoryRole.PARTNER: N_("Partner"),
    DirectoryRole.ANDERE: N_("Iemand van je team"),
}
ROLE_EXPLAINED: dict[DirectoryRole, str] = {
    DirectoryRole.CASEMANAGER_WERK: N_("Helpt je stap voor stap op weg naar werk."),
    DirectoryRole.CASEMANAGER_ZORG: N_(
        "Helpt je met je gezondheid, hoe je je voelt en hoe je leeft."
    ),
    DirectoryRole.STAGEBEGELEIDER: N_("Helpt je op de plaats waar je stage doet."),
    DirectoryRole.PARTNER: N_("Werkt mee aan een stap uit je plan."),
    DirectoryRole.ANDERE: N_("Helpt mee in je traject."),
}
DOMAIN_LABELS: dict[ActionDomain, str] = {
    ActionDomain.WERK: N_("Werk"),
    ActionDomain.ZORG: N_("Zorg en welzijn"),
    ActionDomain.LEVEN: N_("Je leven"),
}
STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.GEPLAND: N_("Nog te doen"),
    ActionStatus.BEZIG: N_("Bezig"),
    ActionStatus.GEDAAN: N_("Gedaan"),
    ActionStatus.NIET_MEER_NODIG: N_("Niet meer nodig"),
}
CHANGE_LABELS: dict[str, str] = {
    "objective": N_("Je doel is aangepast."),
    "trajectory_type": N_("Het soort traject is aangepast."),
    "start_date": N_("De startdatum is aangepast."),
    "expected_end_date": N_("De einddatum is aangepast."),
    "evaluation_every_weeks": N_("Hoe vaak jullie samen kijken hoe het gaat, is aangepast."),
    "next_evaluation_date": N_("De datum om samen te kijken hoe het gaat, is aangepast."),
    "stage": N_("De afspraken over je stage zijn aangepast."),
    "rights_duties": N_("Wat je mag verwachten en wat we samen afspreken, is aangepast."),
}
ACTION_CHANGE_LABELS: dict[str, str] = {
    "action_added": N_("Nieuwe stap: {title}"),
    "action_removed": N_("Stap weg: {title}"),
    "action_status": N_("Stap bijgewerkt: {title}"),
}
ACTION_CHANGED = N_("Stap aangepast: {title}")
END_ADVICE_LABELS: dict[EndAdvice, str] = {
    EndAdvice.BETAALD_WERK: N_("Het advies: je bent klaar om te werken met loon."),
    EndAdvice.WELZIJN: N_("Het advies: eerst meer hulp en zorg voor jezelf. Dat is ook een stap."),
    EndAdvice.ANDER: N_("Het advies: een andere volgende stap, zoals hieronder."),
}
ANSWER_BUTTONS: tuple[tuple[PlanAnswer, str], ...] = (
    (PlanAnswer.AKKOORD, N_("👍 Akkoord")),
    (PlanAnswer.VRAGEN, N_("❓ Ik heb eerst vragen")),
    (PlanAnswer.ONEENS, N_("✋ Ik ben het niet eens")),
)
MACHINE_TRANSLATED = N_("automatisch vertaald")


def _btn(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def with_translation(t: Translator, text: str, translation: str | None) -> str:
    """Dutch team text, and a machine translation marked as such when there is one."""
    if not translation or translation.strip() == text.strip():
        return text
    return f"{text}\n🌐 {translation} ({t(MACHINE_TRANSLATED)})"


def local_moment(moment: datetime, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def when_text(t: Translator, today: date, when: date) -> str:
    kind, n = time_frame(today, when)
    if kind == "past":
        return t("op {date} (voorbij)", date=day(when))
    if kind == "this_week":
        return t("deze week ({date})", date=day(when))
    if kind == "next_week":
        return t("volgende week ({date})", date=day(when))
    if kind == "weeks":
        return t("over ongeveer {n} weken ({date})", n=n, date=day(when))
    return t("over ongeveer {n} maanden ({date})", n=n, date=day(when))


def step_line(t: Translator, phase: Phase) -> str:
    """✅ Kennismaken → ✅ Je plan maken → ▶️ Aan de slag → ⚪ Afronden → ⚪ Na je traject"""
    here = PHASES.index(phase)
    parts = []
    for i, p in enumerate(PHASES):
        mark = "✅" if i < here else "▶️" if i == here else "⚪"
        parts.append(f"{mark} {t(PHASE_LABELS[p])}")
    return "\n".join(parts)


def hub_keyboard(
    t: Translator, *, has_plan: bool, version: int, ask_answer: bool, ended: bool
) -> InlineKeyboardMarkup:
    rows = [[_btn("📍 " + t("Waar sta ik?"), PlanCb(do="where"))]]
    if has_plan:
        rows.append([_btn("🎯 " + t("Mijn doel en stappen"), PlanCb(do="goal", v=version))])
    rows.append([_btn("👥 " + t("Wie is wie"), PlanCb(do="who"))])
    rows.append([_btn("📅 " + t("Mijn afspraken"), PlanCb(do="appts"))])
    if ask_answer:
        rows.append([_btn("✍️ " + t("Wat vind je van je plan?"), PlanCb(do="ask", v=version))])
    if ended:
        rows.append([_btn("🧭 " + t("Mijn advies en volgende stappen"), PlanCb(do="end"))])
    rows.append([_btn("⚖️ " + t("Waar heb ik recht op?"), PlanCb(do="rights"))])
    rows.append([_btn("📞 " + t("Contact met mijn team"), PlanCb(do="call", i=-1))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def answer_keyboard(t: Translator, version: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t(label), PlanCb(do="ans", i=list(PlanAnswer).index(answer), v=version))]
            for answer, label in ANSWER_BUTTONS
        ]
    )


def answer_from_index(index: int) -> PlanAnswer | None:
    answers = list(PlanAnswer)
    return answers[index] if 0 <= index < len(answers) else None


def step_keyboard(t: Translator, index: int, total: int, version: int) -> InlineKeyboardMarkup:
    nav = []
    if index > 0:
        nav.append(_btn("◀️ " + t("Vorige"), PlanCb(do="step", i=index - 1, v=version)))
    if index < total - 1:
        nav.append(_btn(t("Volgende") + " ▶️", PlanCb(do="step", i=index + 1, v=version)))
    rows = [
        [_btn("✅ " + t("Gedaan"), PlanCb(do="done", i=index, v=version))],
        [_btn("🆘 " + t("Dit lukt niet, ik wil hulp"), PlanCb(do="help", i=index, v=version))],
        [_btn("❓ " + t("Ik heb een vraag"), PlanCb(do="question", i=index, v=version))],
    ]
    if nav:
        rows.append(nav)
    rows.append([_btn("📋 " + t("Terug naar mijn plan"), PlanCb(do="hub"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def goal_keyboard(t: Translator, version: int, has_steps: bool) -> InlineKeyboardMarkup:
    rows = []
    if has_steps:
        rows.append([_btn(t("Bekijk de stappen") + " ▶️", PlanCb(do="step", i=0, v=version))])
    rows.append([_btn("📋 " + t("Terug naar mijn plan"), PlanCb(do="hub"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def who_keyboard(t: Translator, names: list[str]) -> InlineKeyboardMarkup:
    rows = [
        [_btn("📞 " + t("Neem contact met mij op: {name}", name=name), PlanCb(do="call", i=i))]
        for i, name in enumerate(names)
    ]
    rows.append([_btn("📋 " + t("Terug naar mijn plan"), PlanCb(do="hub"))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def appointment_keyboard(t: Translator, appointment_id: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _btn("👍 " + t("Oké, ik kom"), AppointmentCb(id=appointment_id, come=True)),
                _btn("🙁 " + t("Ik kan niet komen"), AppointmentCb(id=appointment_id, come=False)),
            ]
        ]
    )


def back_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_btn("📋 " + t("Terug naar mijn plan"), PlanCb(do="hub"))]]
    )


def appointment_lines(t: Translator, payload: dict[str, Any], tz: tzinfo) -> list[str]:
    starts = datetime.fromisoformat(str(payload["starts_at"]))
    lines = [t("🗓 {moment}", moment=local_moment(starts, tz))]
    if payload.get("where"):
        lines.append(t("📍 Waar: {where}", where=payload["where"]))
    if payload.get("with_whom"):
        lines.append(t("👤 Met: {who}", who=payload["with_whom"]))
    if payload.get("bring"):
        lines.append(t("🎒 Neem mee: {what}", what=payload["bring"]))
    return lines


# --- what the bot sends on its own (rendered by the notifier) ----------------------------


def change_lines(t: Translator, changes: list[dict[str, Any]], more: int) -> list[str]:
    lines: list[str] = []
    seen_actions: set[str] = set()
    for change in changes:
        what = str(change.get("what") or "")
        title = with_translation(t, str(change.get("title") or ""), change.get("title_tr"))
        if what in CHANGE_LABELS:
            lines.append("• " + t(CHANGE_LABELS[what]))
        elif what in ACTION_CHANGE_LABELS:
            lines.append("• " + t(ACTION_CHANGE_LABELS[what], title=title))
        elif what.startswith("action_") and title not in seen_actions:
            seen_actions.add(title)
            lines.append("• " + t(ACTION_CHANGED, title=title))
    if more:
        lines.append("• " + t("En nog {n} andere aanpassingen.", n=more))
    return lines


def stage_explained_text(t: Translator) -> str:
    """hiva.md R22: "stage" explained once, in plain words, the first time it appears: its
    purpose (discovering, rhythm, preparing for work) and that it is unpaid, with some costs
    paid back (hiva.md §5.3.2: VDAB reimburses childcare and bus passes)."""
    return "\n".join(
        (
            "💡 " + t("Wat is een stage?"),
            t("Je doet werkervaring op bij een werkgever."),
            t("Je ontdekt welk werk bij je past, en je went aan een ritme."),
            t("Zo maak je je stap voor stap klaar voor betaald werk."),
            t("Je krijgt geen loon voor een stage."),
            t("Sommige kosten krijg je terug, zoals de bus of kinderopvang."),
            t("Vraag je team wat voor jou geldt."),
        )
    )


def plan_version_text(t: Translator, payload: dict[str, Any]) -> str:
    name = str(payload.get("name") or "")
    head = (
        t("Hallo {name}! Je plan staat klaar in de chatbot.", name=name)
        if payload.get("first")
        else t("Hallo {name}! Je plan is aangepast.", name=name)
    )
    parts = [head]
    lines = change_lines(t, list(payload.get("changes") or []), int(str(payload.get("more") or 0)))
    if lines and not payload.get("first"):
        parts.append("\n".join([t("Wat is er veranderd?"), *lines]))
    note = str(payload.get("note") or "")
    if note:
        parts.append(
            "\n".join(
                [t("Waarom? Je team schrijft:"), with_translation(t, note, payload.get("note_tr"))]
            )
        )
    parts.append(t("Je kan alles rustig bekijken in 📋 Mijn plan."))
    parts.append(t("Wat vind je ervan?"))
    return "\n\n".join(parts)


def plan_reminder_text(t: Translator, payload: dict[str, Any]) -> str:
    return "\n\n".join(
        (
            t("Hallo {name}. Heb je je nieuwe plan al kunnen bekijken?", name=payload.get("name")),
            t("Neem gerust je tijd. Je kan ook eerst vragen stellen."),
            t("Wat vind je ervan?"),
        )
    )


def appointment_text(t: Translator, payload: dict[str, Any], tz: tzinfo) -> str:
    return "\n".join(
        [
            t("Hallo {name}! Een herinnering: je hebt een afspraak.", name=payload.get("name")),
            "",
            *appointment_lines(t, payload, tz),
            "",
            t("Lukt het niet? Laat het gerust weten."),
        ]
    )


def evaluation_text(t: Translator, payload: dict[str, Any]) -> str:
    when = date.fromisoformat(str(payload["date"]))
    return "\n\n".join(
        (
            t(
                "Hallo {name}! Op {date} kijken jullie samen hoe het gaat.",
                name=payload.get("name"),
                date=day(when),
            ),
            t("Jullie praten over wat goed gaat, wat moeilijk is en wat je nog wil."),
            t("Wil je vooraf iets noteren? Je mening of je vragen gaan dan mee naar het gesprek."),
        )
    )


def evaluation_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn("📝 " + t("Ja, iets noteren"), PlanCb(do="eval"))],
            [_btn(t("Nee, dank je"), PlanCb(do="noop"))],
        ]
    )


def end_advice_text(
    t: Translator,
    advice: EndAdvice | None,
    text: str,
    text_tr: str | None,
    steps: str,
    steps_tr: str | None,
) -> str:
    parts = [t("Je traject is afgerond. Dank je voor alles wat je gedaan hebt.")]
    if advice is not None:
        parts.append(t(END_ADVICE_LABELS[advice]))
    if text:
        parts.append(with_translation(t, text, text_tr))
    if steps:
        parts.append("\n".join([t("Je volgende stappen:"), with_translation(t, steps, steps_tr)]))
    # Decree Art. 23: the eindadvies is the team's advice, discussed with the participant;
    # not a VDAB decision to appeal (no heroverweging): talk, add one's view, or complain.
    parts.append(
        t(
            "Dit is het advies van je team. Ben je het er niet mee eens? Dat mag. "
            "Zeg het je team, of kies 📣 Klacht."
        )
    )
    parts.append(t("Heb je nog vragen? Je kan nog een jaar contact opnemen met je begeleider."))
    return "\n\n".join(parts)


def end_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn("📞 " + t("Contact met mijn vroegere begeleider"), PlanCb(do="aftercare"))],
            [_btn("📋 " + t("Terug naar mijn plan"), PlanCb(do="hub"))],
        ]
    )


#: A staff member's function after their name ("An is je begeleider voor werk.").
COVER_FUNCTIONS: dict[str, str] = {
    "casemanager_werk": N_("je begeleider voor werk"),
    "casemanager_zorg": N_("je begeleider voor zorg"),
    "stagebegeleider": N_("je begeleider op de stage"),
    "partner": N_("een partner van je team"),
}


def _function_line(t: Translator, person: dict[str, Any]) -> str | None:
    label = COVER_FUNCTIONS.get(str(person.get("function")))
    if not label or not person.get("name"):
        return None
    return t("{who} is {function}.", who=person["name"], function=t(label))


def cover_text(t: Translator, payload: dict[str, Any]) -> str:
    """hiva.md R10: a new main contact, or the main contact away and who covers, told to the
    participant with what the new person can read."""
    name = payload.get("name")
    who: dict[str, Any] = dict(payload.get("who") or {})
    cover: dict[str, Any] = dict(payload.get("cover") or {})
    event = payload.get("event")
    parts: list[str | None] = []
    if event == "back":
        parts = [
            t("Hallo {name}. {who} is er weer.", name=name, who=who.get("name")),
            t("Wat je naar je team stuurt, komt weer bij {who}.", who=who.get("name")),
        ]
    elif event == "away" and not cover.get("name"):
        parts = [
            t("Hallo {name}. {who} is een tijdje afwezig.", name=name, who=who.get("name")),
            t("In die tijd helpt je team je verder."),
        ]
    else:
        first = (
            t("Hallo {name}. {who} is een tijdje afwezig.", name=name, who=who.get("name"))
            + "\n"
            + t("In die tijd helpt {cover} je verder.", cover=cover.get("name"))
            if event == "away"
            else t(
                "Hallo {name}. Vanaf nu is {cover} je vaste contactpersoon.",
                name=name,
                cover=cover.get("name"),
            )
        )
        parts = [
            first,
            _function_line(t, cover),
            t("Wat je naar je team stuurt, komt nu bij {cover}.", cover=cover.get("name"))
            + "\n"
            + t(
                "{cover} kan ook lezen wat je eerder naar je team stuurde.", cover=cover.get("name")
            ),
        ]
    parts.append(t("Heb je vragen hierover? Zeg het gerust."))
    return "\n\n".join(p for p in parts if p)


def cover_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn("📞 " + t("Contact met mijn team"), PlanCb(do="call", i=-1))],
            [_btn("👥 " + t("Wie is wie"), PlanCb(do="who"))],
        ]
    )


def restart_text(t: Translator, payload: dict[str, Any]) -> str:
    """hiva.md R16: after a pause, a restart message: what comes next and who to contact."""
    parts = [
        t(
            "Hallo {name}! Je traject loopt weer. Fijn dat je er weer bent.",
            name=payload.get("name"),
        ),
        t("Je bekijkt samen met je team hoe je weer start. Op jouw tempo."),
    ]
    step = str(payload.get("step") or "")
    if step:
        parts.append(
            "\n".join((t("Je volgende stap:"), with_translation(t, step, payload.get("step_tr"))))
        )
    if payload.get("evaluation"):
        when = date.fromisoformat(str(payload["evaluation"]))
        parts.append(t("Op {date} kijken jullie samen hoe het gaat.", date=day(when)))
    contact = {"name": payload.get("contact"), "function": payload.get("function")}
    if contact["name"]:
        parts.append(t("Wie kan je contacteren? {who}.", who=contact["name"]))
        parts.append(_function_line(t, contact) or "")
    else:
        parts.append(t("Wie kan je contacteren? Iemand van je team."))
    return "\n\n".join(p for p in parts if p)


def restart_keyboard(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn("📞 " + t("Contact met mijn team"), PlanCb(do="call", i=-1))],
            [_btn("📋 " + t("Mijn plan"), PlanCb(do="hub"))],
        ]
    )
