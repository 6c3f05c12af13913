"""Mijn plan: the hub, "Waar sta ik?", the goal and steps, "Wie is wie", appointments,
the answer to a new plan version, and the eindadvies.

Buttons carry an index into the participant's own latest plan (and its version number) or an
appointment id that is checked against the participant: a forged or stale button leads to a
kind "this button no longer works" or to the newest plan, never to someone else's data.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram_dialog import DialogManager, ShowMode, StartMode

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.filters import private_callback
from wzt_bot.bot.outreach_texts import FUNCTION_LABELS, already_text, answer_time_text
from wzt_bot.bot.plan_texts import (
    DOMAIN_LABELS,
    PHASE_EXPLAINED,
    ROLE_EXPLAINED,
    ROLE_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    AppointmentCb,
    PlanCb,
    answer_from_index,
    answer_keyboard,
    appointment_lines,
    back_keyboard,
    day,
    end_advice_text,
    end_keyboard,
    goal_keyboard,
    hub_keyboard,
    stage_explained_text,
    step_keyboard,
    step_line,
    when_text,
    who_keyboard,
    with_translation,
)
from wzt_bot.bot.texts import EMERGENCY, main_menu, no_code_text
from wzt_bot.dialogs.states import PlanWordsSG, RightsSG
from wzt_bot.domain.errors import DomainError
from wzt_bot.domain.models import (
    ActionStatus,
    Participant,
    Phase,
    PlanAnswer,
)
from wzt_bot.domain.policies import trajectory as rules
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import flags
from wzt_bot.domain.services import plan as svc
from wzt_bot.i18n import Translator

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup


async def tr(ctx: BotContext, participant: Participant, text: str) -> str | None:
    """A machine translation of Dutch team text, when a translator is configured."""
    locale = participant.locale or ctx.default_locale
    if ctx.language_tools is None or locale == "nl" or not text.strip():
        return None
    return await ctx.language_tools.translate(text, "nl", locale)


async def shown(ctx: BotContext, participant: Participant, t: Translator, text: str) -> str:
    return with_translation(t, text, await tr(ctx, participant, text))


async def _send(callback: CallbackQuery, text: str, markup: Markup | None) -> None:
    """Answer a tap with a new message (the old one stays readable in the chat)."""
    if isinstance(callback.message, Message):
        await callback.message.answer(text, reply_markup=markup)


async def main_contact_name(uow: UnitOfWork, participant: Participant, t: Translator) -> str:
    for entry in await uow.plans.directory(participant.id):
        if entry.main:
            return f"{entry.name}, {t(ROLE_LABELS[entry.role])}"
    to = await flags.recipient(uow, participant, None)
    if to.staff is None:
        return t("je team")
    return f"{to.staff.name}, {t(FUNCTION_LABELS.get(to.staff.function, FUNCTION_LABELS[None]))}"


async def hub(
    participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> tuple[str, Markup]:
    mine = await svc.my_plan(uow, participant)
    lines = ["📋 " + t("Mijn plan")]
    if mine.version is None:
        lines.append(t("Je plan is er nog niet. Je maakt het samen met je begeleider."))
    else:
        objective = await shown(ctx, participant, t, mine.version.document.objective)
        lines.append(t("Je doel:") + "\n" + objective)
        if mine.answer is None and mine.version.number == 1:
            lines.append(t("Je plan staat klaar. Wat vind je ervan?"))
        elif mine.answer is None:
            lines.append(t("Je plan is aangepast. Wat vind je ervan?"))
    trajectory = mine.trajectory
    if trajectory is not None and trajectory.paused:
        lines.append(t("Je traject staat even op pauze. Dat is oké."))
    ended = trajectory is not None and trajectory.end_advice_discussed_on is not None
    markup = hub_keyboard(
        t,
        has_plan=mine.version is not None,
        version=mine.version.number if mine.version else 0,
        ask_answer=mine.version is not None and mine.answer is not PlanAnswer.AKKOORD,
        ended=ended,
    )
    return "\n\n".join(lines), markup


async def show_hub(
    message: Message, participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> None:
    text, markup = await hub(participant, uow, ctx, t)
    await message.answer(text, reply_markup=markup)


async def where_am_i(
    participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> str:
    mine = await svc.my_plan(uow, participant)
    trajectory = mine.trajectory
    phase = trajectory.phase if trajectory else participant.phase or Phase.OPSTART
    parts = ["📍 " + t("Waar sta ik?"), step_line(t, phase), t(PHASE_EXPLAINED[phase])]
    if trajectory is not None:
        if trajectory.paused:
            parts.append(t("Je traject staat even op pauze. Dat is oké."))
        if trajectory.extended_until is not None:
            parts.append(
                t(
                    "Je traject duurt langer, tot {date}. Dat is samen afgesproken.",
                    date=day(trajectory.extended_until),
                )
            )
        if trajectory.stopped_on is not None:
            parts.append(t("Je traject is gestopt op {date}.", date=day(trajectory.stopped_on)))
    today = ctx.clock.now().astimezone(ctx.tz).date()
    upcoming = mine.version and rules.open_actions(mine.version.document)
    if upcoming:
        action = upcoming[0]
        step = [t("Je volgende stap:"), await shown(ctx, participant, t, action.title)]
        if action.due_date:
            step.append(t("Wanneer: {when}", when=when_text(t, today, action.due_date)))
        if action.owner:
            step.append(t("Wie helpt: {who}", who=action.owner))
        parts.append("\n".join(step))
    if trajectory is not None and trajectory.next_evaluation_date and phase is not Phase.NAZORG:
        parts.append(
            t(
                "Samen kijken hoe het gaat: {when}",
                when=when_text(t, today, trajectory.next_evaluation_date),
            )
        )
    parts.append(
        t("Vragen hierover? Vraag het aan {who}.", who=await main_contact_name(uow, participant, t))
    )
    return "\n\n".join(parts)


async def goal_text(
    participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> tuple[str, Markup]:
    mine = await svc.my_plan(uow, participant)
    if mine.version is None:
        return t("Je plan is er nog niet. Je maakt het samen met je begeleider."), back_keyboard(t)
    doc = mine.version.document
    parts = [
        "🎯 " + t("Je doel"),
        await shown(ctx, participant, t, doc.objective),
        t(TYPE_LABELS[doc.trajectory_type]),
        t(
            "Start: {start}. Einde: ongeveer {end}.",
            start=day(doc.start_date),
            end=day(doc.expected_end_date),
        ),
        t(
            "Om de {n} weken kijken jullie samen hoe het gaat.",
            n=doc.evaluation_every_weeks,
        ),
    ]
    if doc.stage is not None:
        stage = [t("Je stage:")]
        for label, value in (
            (t("Waar"), doc.stage.place),
            (t("Dagen en uren"), doc.stage.days_hours),
            (t("Wat je doet"), doc.stage.tasks),
            (t("Je begeleider daar"), doc.stage.mentor),
        ):
            if value:
                stage.append(f"• {label}: {await shown(ctx, participant, t, value)}")
        parts.append("\n".join(stage))
    if doc.rights_duties:
        parts.append(
            "\n".join(
                [
                    t("Wat je mag verwachten en wat jullie samen afspreken:"),
                    await shown(ctx, participant, t, doc.rights_duties),
                ]
            )
        )
    if doc.actions:
        parts.append(t("Je plan heeft {n} stappen. Bekijk ze een voor een.", n=len(doc.actions)))
    parts += await stage_note(participant, uow, ctx, t, rules.plan_mentions_stage(doc))
    return "\n\n".join(parts), goal_keyboard(t, mine.version.number, bool(doc.actions))


async def step_text(
    participant: Participant,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    index: int,
    version: int,
) -> tuple[str, Markup] | None:
    """One step of the plan; None when the button belongs to an older version."""
    mine = await svc.my_plan(uow, participant)
    if mine.version is None or mine.version.number != version:
        return None
    actions = mine.version.document.actions
    if not 0 <= index < len(actions):
        return None
    action = actions[index]
    today = ctx.clock.now().astimezone(ctx.tz).date()
    lines = [
        t("Stap {i} van {n}", i=index + 1, n=len(actions))
        + f" · {t(DOMAIN_LABELS[action.domain])}",
        "",
        await shown(ctx, participant, t, action.title),
    ]
    if action.details:
        lines.append(await shown(ctx, participant, t, action.details))
    lines.append("")
    if action.owner:
        lines.append(t("👤 Wie: {who}", who=action.owner))
    if action.due_date:
        lines.append(t("🗓 Wanneer: {when}", when=when_text(t, today, action.due_date)))
    lines.append(t("Hoe ver: {status}", status=t(STATUS_LABELS[action.status])))
    if action.id in mine.marks and action.status is not ActionStatus.GEDAAN:
        lines.append("✅ " + t("Jij zei: gedaan. Goed gedaan!"))
    mentions = rules.mentions_stage(f"{action.title} {action.details}")
    for note in await stage_note(participant, uow, ctx, t, mentions):
        lines += ["", note]
    return "\n".join(lines), step_keyboard(t, index, len(actions), version)


async def stage_note(
    participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator, shows: bool
) -> list[str]:
    """The one-time explanation of "stage" (hiva.md R22), when this view shows the word and
    the participant has not had it yet."""
    if shows and await svc.explain_stage_once(uow, ctx.clock, participant):
        return [stage_explained_text(t)]
    return []


async def who_is_who(
    participant: Participant, uow: UnitOfWork, t: Translator
) -> tuple[str, Markup]:
    entries = list(await uow.plans.directory(participant.id))
    parts = ["👥 " + t("Wie is wie")]
    if not entries:
        parts.append(t("Je team vult dit nog aan."))
        parts.append(
            t("Je vaste contactpersoon: {who}.", who=await main_contact_name(uow, participant, t))
        )
        return "\n\n".join(parts), who_keyboard(t, [t("je team")])
    for entry in entries:
        lines = [f"{'⭐ ' if entry.main else ''}{entry.name}: {t(ROLE_LABELS[entry.role])}"]
        lines.append(t(ROLE_EXPLAINED[entry.role]))
        if entry.organisation:
            lines.append(entry.organisation)
        if entry.reach:
            lines.append(t("Bereikbaar: {how}", how=entry.reach))
        if entry.main:
            lines.append(t("Dit is je vaste contactpersoon."))
        if entry.backup:
            lines.append(t("Is je vaste contactpersoon er niet? Dan helpt deze persoon je."))
        parts.append("\n".join(lines))
    return "\n\n".join(parts), who_keyboard(t, [e.name for e in entries])


async def appointments_text(
    participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> tuple[str, Markup]:
    items = await svc.upcoming_appointments(uow, ctx.clock, participant)
    if not items:
        return "\n\n".join(
            ("📅 " + t("Mijn afspraken"), t("Je hebt nu geen afspraken in de chatbot."))
        ), back_keyboard(t)
    parts = ["📅 " + t("Mijn afspraken")]
    rows = []
    for a in items:
        payload = {
            "starts_at": a.starts_at.isoformat(),
            "where": a.where,
            "with_whom": a.with_whom,
            "bring": a.bring,
        }
        parts.append("\n".join(appointment_lines(t, payload, ctx.tz)))
        label = a.starts_at.astimezone(ctx.tz).strftime("%d/%m %H:%M")
        rows.append(
            [
                InlineKeyboardButton(
                    text="🙁 " + t("Ik kan niet komen: {date}", date=label),
                    callback_data=AppointmentCb(id=a.id.hex, come=False).pack(),
                )
            ]
        )
    rows.extend(back_keyboard(t).inline_keyboard)
    return "\n\n".join(parts), InlineKeyboardMarkup(inline_keyboard=rows)


async def end_text(
    participant: Participant, uow: UnitOfWork, ctx: BotContext, t: Translator
) -> str | None:
    """The eindadvies, only once the team discussed it with the participant."""
    trajectory = await uow.plans.trajectory(participant.id)
    if trajectory is None or trajectory.end_advice_discussed_on is None:
        return None
    text, steps = trajectory.end_advice_text or "", trajectory.next_steps or ""
    return end_advice_text(
        t,
        trajectory.end_advice,
        text,
        await tr(ctx, participant, text),
        steps,
        await tr(ctx, participant, steps),
    )


@dataclass(frozen=True, slots=True)
class Tap:
    """A tap in Mijn plan with what every button needs."""

    callback: CallbackQuery
    i: int
    v: int
    participant: Participant
    uow: UnitOfWork
    ctx: BotContext
    t: Translator
    manager: DialogManager

    async def send(self, text: str, markup: Markup | None = None) -> None:
        await _send(self.callback, text, markup)


async def _tap_hub(tap: Tap) -> None:
    await tap.send(*await hub(tap.participant, tap.uow, tap.ctx, tap.t))


async def _tap_where(tap: Tap) -> None:
    await tap.send(await where_am_i(tap.participant, tap.uow, tap.ctx, tap.t), back_keyboard(tap.t))


async def _tap_goal(tap: Tap) -> None:
    await tap.send(*await goal_text(tap.participant, tap.uow, tap.ctx, tap.t))


async def _tap_step(tap: Tap) -> None:
    step = await step_text(tap.participant, tap.uow, tap.ctx, tap.t, tap.i, tap.v)
    if step is None:
        await _newer_plan(tap.callback, tap.participant, tap.uow, tap.ctx, tap.t)
    else:
        await tap.send(*step)


async def _tap_done(tap: Tap) -> None:
    await _done(tap.callback, tap.participant, tap.uow, tap.ctx, tap.t, tap.i, tap.v)


async def _tap_help(tap: Tap) -> None:
    await _ask(tap, "help")


async def _tap_question(tap: Tap) -> None:
    await _ask(tap, "question")


async def _tap_who(tap: Tap) -> None:
    await tap.send(*await who_is_who(tap.participant, tap.uow, tap.t))


async def _tap_call(tap: Tap) -> None:
    await _call(tap, tap.i, "call")


async def _tap_aftercare(tap: Tap) -> None:
    await _call(tap, -1, "aftercare")


async def _tap_appointments(tap: Tap) -> None:
    await tap.send(*await appointments_text(tap.participant, tap.uow, tap.ctx, tap.t))


async def _tap_eval(tap: Tap) -> None:
    await _words(tap.manager, "eval", 0, 0)


async def _tap_end(tap: Tap) -> None:
    text = await end_text(tap.participant, tap.uow, tap.ctx, tap.t)
    if text is None:
        await _tap_hub(tap)
    else:
        await tap.send(text, end_keyboard(tap.t))


async def _tap_rights(tap: Tap) -> None:
    await tap.manager.start(RightsSG.topics, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


async def _tap_noop(tap: Tap) -> None:
    await tap.send(tap.t("Oké. Succes met het gesprek!"))


TAPS: dict[str, Callable[[Tap], Awaitable[None]]] = {
    "hub": _tap_hub,
    "where": _tap_where,
    "goal": _tap_goal,
    "step": _tap_step,
    "done": _tap_done,
    "help": _tap_help,
    "question": _tap_question,
    "who": _tap_who,
    "call": _tap_call,
    "aftercare": _tap_aftercare,
    "appts": _tap_appointments,
    "eval": _tap_eval,
    "end": _tap_end,
    "rights": _tap_rights,
    "noop": _tap_noop,
}


def build_plan_router() -> Router:
    router = Router(name="plan")
    router.callback_query.filter(private_callback)

    @router.callback_query(PlanCb.filter())
    async def on_plan(
        callback: CallbackQuery,
        callback_data: PlanCb,
        participant: Participant | None,
        uow: UnitOfWork,
        ctx: BotContext,
        t: Translator,
        dialog_manager: DialogManager,
    ) -> None:
        with contextlib.suppress(TelegramBadRequest):
            await callback.answer()
        if participant is None:
            await _send(callback, no_code_text(t), None)
            return
        tap = Tap(
            callback, callback_data.i, callback_data.v, participant, uow, ctx, t, dialog_manager
        )
        if callback_data.do == "ask":
            await _ask_answer(tap)
        elif callback_data.do == "ans":
            await _answer(tap)
        elif callback_data.do in TAPS:
            await TAPS[callback_data.do](tap)
        else:
            await tap.send(t("Deze knop werkt niet meer. Hier is het menu."), main_menu(t))

    @router.callback_query(AppointmentCb.filter())
    async def on_appointment(
        callback: CallbackQuery,
        callback_data: AppointmentCb,
        participant: Participant | None,
        uow: UnitOfWork,
        ctx: BotContext,
        t: Translator,
    ) -> None:
        with contextlib.suppress(TelegramBadRequest):
            await callback.answer()
        if participant is None:
            await _send(callback, no_code_text(t), None)
            return
        try:
            appointment_id = uuid.UUID(hex=callback_data.id)
            if callback_data.come:
                await svc.own_appointment(uow, participant, appointment_id)
                await _send(callback, t("Fijn! Tot dan."), None)
                return
            flag = await svc.cant_come(uow, ctx.clock, participant, appointment_id, ctx.tz)
        except (ValueError, DomainError):
            await _send(callback, t("Deze knop werkt niet meer. Hier is het menu."), main_menu(t))
            return
        to = await flags.recipient(uow, participant, None)
        if flag is None:
            await _send(
                callback,
                "\n\n".join((already_text(t), answer_time_text(t, to.settings.answer_within_days))),
                main_menu(t),
            )
            return
        await _send(
            callback,
            "\n\n".join(
                (
                    t("Dank je om het te laten weten. Dat is helemaal oké."),
                    t("Ik heb het doorgegeven. Je team zoekt samen met jou een nieuw moment."),
                    answer_time_text(t, to.settings.answer_within_days),
                )
            ),
            main_menu(t),
        )

    return router


async def _newer_plan(
    callback: CallbackQuery,
    participant: Participant,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
) -> None:
    await _send(callback, t("Je plan is intussen aangepast. Dit is de nieuwste versie."), None)
    await _send(callback, *await goal_text(participant, uow, ctx, t))


async def _done(
    callback: CallbackQuery,
    participant: Participant,
    uow: UnitOfWork,
    ctx: BotContext,
    t: Translator,
    index: int,
    version: int,
) -> None:
    mine = await svc.my_plan(uow, participant)
    if mine.version is None or mine.version.number != version:
        await _newer_plan(callback, participant, uow, ctx, t)
        return
    actions = mine.version.document.actions
    if not 0 <= index < len(actions):
        await _newer_plan(callback, participant, uow, ctx, t)
        return
    await svc.mark_done(uow, ctx.clock, participant, actions[index].id)
    text = t("✅ Weer een stap gezet. Ik heb aan je team laten weten dat deze stap gedaan is.")
    if index < len(actions) - 1:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("Volgende stap") + " ▶️",
                        callback_data=PlanCb(do="step", i=index + 1, v=version).pack(),
                    )
                ],
                *back_keyboard(t).inline_keyboard,
            ]
        )
    else:
        markup = back_keyboard(t)
    await _send(callback, text, markup)


async def _words(
    manager: DialogManager, purpose: str, index: int, version: int, **extra: str
) -> None:
    await manager.start(
        PlanWordsSG.compose,
        data={"purpose": purpose, "i": index, "v": version, **extra},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )


async def _ask(tap: Tap, purpose: str) -> None:
    mine = await svc.my_plan(tap.uow, tap.participant)
    if (
        mine.version is None
        or mine.version.number != tap.v
        or not 0 <= tap.i < len(mine.version.document.actions)
    ):
        await _newer_plan(tap.callback, tap.participant, tap.uow, tap.ctx, tap.t)
        return
    await _words(tap.manager, purpose, tap.i, tap.v)


async def _call(tap: Tap, index: int, source: str) -> None:
    t, uow, participant = tap.t, tap.uow, tap.participant
    if await svc.contact_already_asked(uow, participant, index):
        to = await flags.recipient(uow, participant, None)
        await tap.send(
            "\n\n".join(
                (
                    already_text(t),
                    answer_time_text(t, to.settings.answer_within_days),
                    t(EMERGENCY),
                )
            ),
            main_menu(t),
        )
        return
    _flag, entry = await svc.contact_person(
        uow, tap.ctx.clock, participant, index, source=f"plan:{source}"
    )
    to = await flags.recipient(uow, participant, None, entry.staff_id if entry else None)
    who = entry.name if entry else await main_contact_name(uow, participant, t)
    await tap.send(
        "\n\n".join(
            (
                t("Goed. Ik heb gevraagd dat {who} contact met je opneemt.", who=who),
                answer_time_text(t, to.settings.answer_within_days),
                t(EMERGENCY),
            )
        ),
        main_menu(t),
    )


async def _ask_answer(tap: Tap) -> None:
    t = tap.t
    mine = await svc.my_plan(tap.uow, tap.participant)
    if mine.version is None:
        await _tap_hub(tap)
        return
    await tap.send(
        "\n\n".join(
            (
                t("Dit is versie {n} van je plan.", n=mine.version.number),
                t("Neem gerust je tijd. Wat vind je ervan?"),
            )
        ),
        answer_keyboard(t, mine.version.number),
    )


async def _answer(tap: Tap) -> None:
    t = tap.t
    answer = answer_from_index(tap.i)
    mine = await svc.my_plan(tap.uow, tap.participant)
    if answer is None or mine.version is None or mine.version.number != tap.v:
        await _newer_plan(tap.callback, tap.participant, tap.uow, tap.ctx, t)
        return
    if answer is PlanAnswer.AKKOORD:
        await svc.answer_version(tap.uow, tap.ctx.clock, tap.ctx.tz, tap.participant, tap.v, answer)
        await tap.send(
            "\n\n".join(
                (
                    t("👍 Dank je! Ik heb aan je team laten weten dat je akkoord bent."),
                    t("Je kan je plan altijd bekijken in 📋 Mijn plan."),
                )
            ),
            main_menu(t),
        )
        return
    await _words(tap.manager, "answer", 0, tap.v, answer=answer.value)
