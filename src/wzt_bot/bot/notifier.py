"""TelegramNotifier: renders an outbox message in the participant's language and sends it."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from wzt_bot.bot.limits import PACED, RateLimiter
from wzt_bot.bot.outreach_texts import (
    checkin_keyboard,
    checkin_text,
    helped_keyboard,
    pause_contact_keyboard,
    pause_contact_text,
    reminder_text,
    reply_text,
    resolved_text,
)
from wzt_bot.bot.plan_texts import (
    answer_keyboard,
    appointment_keyboard,
    appointment_text,
    cover_keyboard,
    cover_text,
    end_advice_text,
    end_keyboard,
    evaluation_keyboard,
    evaluation_text,
    plan_reminder_text,
    plan_version_text,
    restart_keyboard,
    restart_text,
)
from wzt_bot.bot.split import split_text
from wzt_bot.bot.survey_texts import offer_keyboard, offer_text
from wzt_bot.domain.errors import RecipientGoneError, RejectedError, TryLaterError
from wzt_bot.domain.models import EndAdvice, OutboxMessage, SurveyKind
from wzt_bot.domain.policies.complaints import NEXT_STEP_WORDS, Contact, ServiceKind
from wzt_bot.domain.ports import OnWire
from wzt_bot.i18n import I18n, Translator

_KIND_NL = {
    "crisis": "crisis",
    "concern": "vraag of bericht",
    "contact_request": "vraagt contact",
    "checkin_low": "gaat niet goed (check-in)",
    "no_contact": "geen contact",
    "unreachable": "niet bereikbaar via Telegram",
    "plan_disagreement": "niet akkoord met plan",
    "appointment": "afspraak",
    "plan_help": "hulp bij een stap uit het plan",
    "evaluation": "voorbereiding evaluatie",
    "trajectory_end": "traject nadert het einde (18 maanden, of 24 na een verlenging)",
}
_URGENCY_NL = {"urgent": "DRINGEND", "high": "hoog", "normal": "normaal"}

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


def team_notice_text(payload: dict[str, Any]) -> str:
    """For the team's group chat (staff, Dutch): no words of the participant, only an alias."""
    flags: list[dict[str, str]] = list(payload.get("flags") or [])
    lines = [
        f"• {f.get('alias')}: {_KIND_NL.get(f.get('kind', ''), f.get('kind'))} "
        f"({_URGENCY_NL.get(f.get('urgency', ''), f.get('urgency'))}) - melding {f.get('id')}"
        for f in flags
    ]
    head = (
        f"📋 Overzicht: {len(flags)} nieuwe melding(en)"
        if payload.get("digest")
        else "🔔 Nieuwe melding"
    )
    return "\n".join([head, *lines, "Bekijk ze in jullie overzicht (GET /api/v1/flags)."])


def render(message: OutboxMessage, t: Translator) -> tuple[str, Markup]:
    p = message.payload
    name = str(p.get("name") or "")
    if message.kind in ("regular", "adhoc"):
        checkin = _hex(p.get("checkin_id"))
        return checkin_text(t, name, int(str(p.get("wording") or 0))), checkin_keyboard(t, checkin)
    if message.kind == "reminder":
        checkin = _hex(p.get("checkin_id"))
        return reminder_text(t, name), checkin_keyboard(t, checkin)
    if message.kind == "pause_contact":
        checkin = _hex(p.get("checkin_id"))
        return pause_contact_text(t, name), pause_contact_keyboard(t, checkin)
    if message.kind == "reply":
        flag = _hex(p.get("flag_id"))
        text = reply_text(
            t, str(p.get("from") or ""), str(p.get("text") or ""), _opt(p.get("translation"))
        )
        return text, helped_keyboard(t, flag)
    if message.kind == "resolved":
        flag = _hex(p.get("flag_id"))
        text = resolved_text(
            t, str(p.get("from") or ""), _opt(p.get("text")), _opt(p.get("translation"))
        )
        return text, helped_keyboard(t, flag)
    return _render_other(message, t)


def _render_other(message: OutboxMessage, t: Translator) -> tuple[str, Markup]:
    if message.kind == "team_notice":
        return team_notice_text(dict(message.payload)), None
    if message.kind == "complaint_status":
        return complaint_status_text(t, dict(message.payload)), None
    if message.kind == "survey_offer":
        try:
            kind = SurveyKind(str(message.payload.get("survey")))
        except ValueError as exc:
            raise RejectedError(f"unknown survey {message.payload.get('survey')!r}") from exc
        return offer_text(t, kind), offer_keyboard(t, kind)
    if message.kind in ("cover", "restart"):
        return _render_people(message, t)
    return _render_plan(message, t)


def _render_people(message: OutboxMessage, t: Translator) -> tuple[str, Markup]:
    """Who covers (hiva.md R10) and the restart after a pause (R16)."""
    p = dict(message.payload)
    if message.kind == "cover":
        return cover_text(t, p), cover_keyboard(t)
    return restart_text(t, p), restart_keyboard(t)


def complaint_status_text(t: Translator, payload: dict[str, Any]) -> str:
    receipt = str(payload.get("receipt") or "")
    parts = [t("Nieuws over je klacht {receipt}.", receipt=receipt)]
    if payload.get("status") == "beantwoord":
        parts.append(t("Je klacht is beantwoord."))
    else:
        parts.append(t("Je klacht is in behandeling. Iemand kijkt ernaar."))
    if payload.get("answer"):
        parts.append(str(payload["answer"]))
    if payload.get("status") == "beantwoord":
        parts.append(_next_step(t, payload))
    return "\n\n".join(parts)


def _next_step(t: Translator, payload: dict[str, Any]) -> str:
    """Where to go when the answer does not satisfy: per kind of service (policies/complaints:
    the Vlaamse Ombudsdienst only for Flemish public services)."""
    try:
        kind = ServiceKind(str(payload.get("next_kind")))
    except ValueError:
        kind = ServiceKind.OTHER
    lines = [t("Ben je niet tevreden met het antwoord?")]
    after = payload.get("next")
    contact = Contact.from_json(after) if isinstance(after, dict) else None
    if contact is None or kind is ServiceKind.FLEMISH_PUBLIC:
        lines.append(t(NEXT_STEP_WORDS[kind]))
    if contact is not None:
        lines.append(contact.name)
        if contact.phone:
            lines.append(t("📞 Bellen: {phone}", phone=contact.phone))
        if contact.web:
            lines.append(t("🌐 Op het internet: {web}", web=contact.web))
    return "\n".join(lines)


def _render_plan(message: OutboxMessage, t: Translator) -> tuple[str, Markup]:
    p = dict(message.payload)
    version = int(str(p.get("version") or 0))
    if message.kind == "plan_version":
        return plan_version_text(t, p), answer_keyboard(t, version)
    if message.kind == "plan_reminder":
        return plan_reminder_text(t, p), answer_keyboard(t, version)
    if message.kind == "appointment":
        tz = ZoneInfo(str(p.get("tz") or "Europe/Brussels"))
        return appointment_text(t, p, tz), appointment_keyboard(t, _hex(p.get("appointment_id")))
    if message.kind == "evaluation":
        return evaluation_text(t, p), evaluation_keyboard(t)
    if message.kind == "end_advice":
        advice = EndAdvice(str(p["advice"])) if p.get("advice") else None
        text = end_advice_text(
            t,
            advice,
            str(p.get("text") or ""),
            _opt(p.get("text_tr")),
            str(p.get("steps") or ""),
            _opt(p.get("steps_tr")),
        )
        return text, end_keyboard(t)
    raise RejectedError(f"unknown outbox kind {message.kind!r}")


def _hex(value: object) -> str:
    return str(value or "").replace("-", "")


def _opt(value: object) -> str | None:
    return str(value) if value else None


class TelegramNotifier:
    def __init__(self, bot: Bot, i18n: I18n, limiter: RateLimiter) -> None:
        self.bot = bot
        self.i18n = i18n
        self.limiter = limiter

    async def send(self, message: OutboxMessage, on_wire: OnWire) -> bool:
        t = self.i18n.get(str(message.payload.get("locale") or "nl"))
        text, markup = render(message, t)
        # Longer than one Telegram message (a long reply with its translation): over several,
        # never cut; the buttons go with the last part.
        parts = split_text(text)
        try:
            chat_id = int(message.target)
        except ValueError as exc:
            raise RejectedError(f"bad chat id {message.target!r}") from exc
        await self.limiter.acquire(chat_id)
        if not await on_wire():
            return False
        token = PACED.set(True)
        try:
            for number, part in enumerate(parts, start=1):
                if number > 1:
                    await self.limiter.acquire(chat_id)
                last = number == len(parts)
                await self.bot.send_message(
                    chat_id=chat_id, text=part, reply_markup=markup if last else None
                )
        except TelegramForbiddenError as exc:
            raise RecipientGoneError(exc.message) from exc
        except TelegramNotFound as exc:
            raise RecipientGoneError(exc.message) from exc
        except TelegramBadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise RecipientGoneError(exc.message) from exc
            raise RejectedError(exc.message) from exc
        except (TelegramRetryAfter, TelegramServerError, TelegramNetworkError) as exc:
            raise TryLaterError(str(exc)) from exc
        finally:
            PACED.reset(token)
        return True
