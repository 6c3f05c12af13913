"""The whole onboarding over the wire, in Dutch, English and Arabic; invite misuse; bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.fsm.storage.memory import MemoryStorage

from tests.e2e.conftest import (
    Harness,
    buttons,
    callbacks_all_answered,
    eventually,
    onboard,
    running_bot,
    wait_button,
)
from wzt_bot.domain.models import ConsentKind, ParticipantStatus
from wzt_bot.domain.services.onboarding import participant_for_user
from wzt_bot.i18n import isolate_numbers

START_OF_TIME = datetime(2000, 1, 1, tzinfo=UTC)

ONBOARDING_CASES = [
    # (telegram language_code, language button pressed, expected locale)
    ("nl", "Nederlands", "nl"),
    ("en", "English", "en"),
    ("ar", "العربية", "ar"),
]


async def _assert_wire_is_clean(h: Harness) -> None:
    await callbacks_all_answered(h)
    stats = await h.sandbox.stats()
    errors = [
        r for r in await h.sandbox.requests() if not r.get("ok") and r["method"] != "getUpdates"
    ]
    assert errors == [], f"Bot API calls refused: {errors} ({stats})"


@pytest.mark.parametrize(("tg_lang", "button", "locale"), ONBOARDING_CASES)
async def test_full_onboarding(harness: Harness, tg_lang: str, button: str, locale: str) -> None:
    h = harness
    t = h.container.i18n.get(locale)
    user = 1000 + len(button)
    code = await h.invite("Sam Peeters")
    await h.sandbox.send_text(user, f"/start {code}", language_code=tg_lang, first_name="Sam")

    # 1. Language choice: every language under its own name, Telegram's language first.
    history = await h.wait_text(user, h.container.i18n.get(tg_lang)("🌐 Kies je taal."))
    choice = [m for m in history["messages"] if m["from"] == "bot"][-1]
    names = buttons(choice)
    assert names[0] == button
    assert {
        "Nederlands",
        "English",
        "Français",
        "العربية",
        "Türkçe",
        "Polski",
        "Română",
        "Українська",
    } <= set(names)

    # 2. Introduction in the chosen language: what the bot does and does not do.
    await h.sandbox.press(user, button)
    welcome = t("Welkom, {name}! Ik ben de chatbot van je begeleiding.", name="Sam")
    if locale != "nl":
        assert welcome != "Welkom, Sam! Ik ben de chatbot van je begeleiding.", "not translated"
    await h.wait_text(user, welcome)
    assert t("• Ik beoordeel je niet.") in await h.last_bot_text(user)

    # 3. Who sees what, and the helplines.
    await h.sandbox.press(user, t("Verder ▶️"))
    history = await h.wait_text(user, t("Wie ziet wat?"))
    text = await h.last_bot_text(user)
    for number in ("112", "1813", "106"):
        assert (isolate_numbers(number) if locale == "ar" else number) in text

    # 4. Consent for check-in messages, then the main menu.
    await h.sandbox.press(user, t("Verder ▶️"))
    await h.wait_text(
        user, t("Mag ik je af en toe een kort bericht sturen? Dan vraag ik hoe het gaat.")
    )
    await h.sandbox.press(user, t("Ja, dat mag"))
    history = await h.wait_text(user, t("Hier is het menu. Kies wat je wil doen."))
    keyboard = history["reply_keyboard"]
    labels = [b["text"] for row in keyboard["keyboard"] for b in row]
    assert labels == [
        f"📋 {t('Mijn plan')}",
        f"🙂 {t('Hoe gaat het?')}",
        f"💬 {t('Ik wil iets vragen of zeggen')}",
        f"📣 {t('Klacht')}",
        f"🔒 {t('Mijn gegevens')}",
        f"🌐 {t('Taal')}",
    ]
    assert keyboard.get("is_persistent") is True

    async def stored() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            consents = await uow.consents.latest_for(participant.id)
        assert participant.locale == locale and participant.status is ParticipantStatus.ACTIVE
        assert [(c.kind, c.granted) for c in consents] == [(ConsentKind.CHECKIN_MESSAGES, True)]

    await eventually(stored)
    await _assert_wire_is_clean(h)


async def test_menu_items_are_never_dead(harness: Harness) -> None:
    h, user = harness, 3001
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "📣 Klacht")  # every way out ends at the menu
    await h.wait_text(user, t("Wat wil je doen? Kies wat het best past."))
    await h.sandbox.press(user, t("✖️ Stoppen"))
    await h.wait_text(user, t("Oké, ik heb niets verstuurd."))
    await h.sandbox.press(user, "📋 Mijn plan")  # no plan yet: still a way to a person
    await h.wait_text(user, t("Je plan is er nog niet. Je maakt het samen met je begeleider."))
    await h.sandbox.press(user, "📞 " + t("Contact met mijn team"))
    await h.wait_text(
        user, t("Goed. Ik heb gevraagd dat {who} contact met je opneemt.", who=t("je team"))
    )

    async def flagged() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            flags = await uow.flags.open_for(participant.id)
        assert [f.kind.value for f in flags] == ["contact_request"]

    await eventually(flagged)

    await h.sandbox.press(user, "🔒 Mijn gegevens")
    await h.wait_text(user, t("Dit staat over jou in de chatbot:"))
    assert t("• Berichten van mij: nee") in await h.last_bot_text(user)
    await h.sandbox.press(user, t("Wel berichten graag"))
    await h.wait_text(user, t("Dank je! Ik stuur je af en toe een kort bericht."))

    await h.sandbox.press(user, "🌐 Taal")
    await wait_button(h, user, "English")
    await h.sandbox.press(user, "English")
    await h.wait_text(
        user, h.container.i18n.get("en")("Ik spreek nu {language}.", language="English")
    )
    history = await h.sandbox.history(user)
    labels = [b["text"] for row in history["reply_keyboard"]["keyboard"] for b in row]
    assert f"📋 {h.container.i18n.get('en')('Mijn plan')}" in labels
    await _assert_wire_is_clean(h)


async def test_commands_help_stop_and_resume(harness: Harness) -> None:
    h, user = harness, 3002
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "/help")
    await h.wait_text(user, t("• /stop pauzeert mijn berichten."))
    await h.sandbox.send_text(user, "/stop")
    await h.wait_text(user, t("Wil je later weer berichten? Stuur dan /start."))

    async def paused() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
        assert participant is not None and participant.proactive_paused

    await eventually(paused)
    await h.sandbox.send_text(user, "/start")
    await h.wait_text(user, t("Welkom terug! Ik stuur je weer af en toe een bericht."))
    await h.sandbox.send_text(user, "/menu")
    await h.wait_text(user, t("Hier is het menu. Kies wat je wil doen."))
    await h.sandbox.send_text(user, "/taal")
    await wait_button(h, user, "Polski")
    await h.sandbox.press(user, "Polski")
    await h.wait_text(
        user, h.container.i18n.get("pl")("Ik spreek nu {language}.", language="Polski")
    )
    await _assert_wire_is_clean(h)


async def test_invite_misuse_is_explained_kindly_and_throttled(harness: Harness) -> None:
    h, user = harness, 3003
    t = h.container.i18n.get("nl")
    no_code = t(
        "Om te starten heb je een persoonlijke link of QR-code nodig. "
        "Die krijg je van je begeleider."
    )
    await h.sandbox.send_text(user, "/start")
    await h.wait_text(user, no_code)
    for attempt in range(5):
        await h.sandbox.send_text(user, f"/start wrongcode{attempt:06d}")
    await h.sandbox.wait_for(
        user, lambda hist: sum(no_code in str(m.get("text")) for m in hist["messages"]) >= 6
    )
    valid = await h.invite()
    await h.sandbox.send_text(user, f"/start {valid}")
    await h.wait_text(
        user, t("Probeer het over een uur opnieuw. Of vraag je begeleider om een nieuwe link.")
    )
    # The code still works for its owner, on another account.
    await h.sandbox.send_text(3004, f"/start {valid}")
    await h.wait_text(3004, t("🌐 Kies je taal."))
    # A used code now gets the same kind answer as a wrong one: nothing is revealed.
    await h.sandbox.send_text(3005, f"/start {valid}")
    await h.wait_text(3005, no_code)
    await _assert_wire_is_clean(h)


async def test_bad_input_gets_a_kind_answer(harness: Harness) -> None:
    h, user = harness, 3006
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    fallback = t("Dank je voor je bericht. Dit kan ik nog niet lezen.")
    offered = t("Wil je dit naar je team sturen?")  # words, a photo, a voice note: never lost
    for kind in ("sticker", "document", "video", "location", "contact"):
        await h.sandbox.send_kind(user, kind)
    await h.sandbox.send_text(user, "/onbekend")
    await h.sandbox.wait_for(
        user, lambda hist: sum(fallback in str(m.get("text")) for m in hist["messages"]) >= 6
    )
    # Then the preview stays open and gathers all of it (nothing dropped).
    for kind in ("photo", "voice"):
        await h.sandbox.send_kind(user, kind)
    await h.sandbox.send_text(user, "x" * 4096)
    await h.sandbox.send_text(user, "\u202e\u0000 مرحبا 👋🏽 \u200f")

    def answered(hist: dict[str, Any]) -> bool:
        texts = [str(m.get("text")) for m in hist["messages"]]
        return sum(fallback in x for x in texts) >= 6 and sum(offered in x for x in texts) >= 4

    await h.sandbox.wait_for(user, answered, timeout=20)
    sent = await h.sandbox.send_text(user, "eerst dit")
    await h.sandbox.edit_text(user, int(sent["message_id"]), "toch dit")
    await h.wait_text(
        user,
        t(
            "Je hebt een bericht aangepast. Ik lees alleen nieuwe berichten. "
            "Stuur het gerust opnieuw."
        ),
    )
    await _assert_wire_is_clean(h)


async def test_stale_dialog_button_after_restart_leads_to_menu(
    database_url: str, fast_fake: dict[str, object]
) -> None:
    async with running_bot(database_url, fake_kwargs=fast_fake) as h:
        user = 3007
        code = await h.invite()
        await h.sandbox.send_text(user, f"/start {code}")
        await h.wait_text(user, "🌐 Kies je taal.")
        # Restart the bot with fresh (memory) dialog state: the old buttons are stale now.
        assert h.container.dispatcher is not None
        await h.container.dispatcher.storage.close()
        h.container.dispatcher.fsm.storage = MemoryStorage()
        await h.sandbox.press(user, "Nederlands")
        await h.wait_text(user, "Hier is het menu opnieuw. Kies wat je wil doen.")
        answers = await h.sandbox.callback_answers()
        assert answers[-1]["text"] == "Deze knop werkt niet meer."
        await callbacks_all_answered(h)


async def test_blocked_participant_is_marked_unreachable(harness: Harness) -> None:
    h, user = harness, 3008
    await onboard(h, user)
    # Telegram did not tell us (no my_chat_member): we learn it from the 403 on sending.
    await h.sandbox.block(user, notify=False)
    await h.sandbox.send_text(user, "hallo?")  # the bot's answer is refused with 403

    async def unreachable() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
        assert participant is not None and participant.unreachable

    await eventually(unreachable)
    sends = [r for r in await h.sandbox.requests("sendMessage") if r["status_code"] == 403]
    assert len(sends) == 1, "a blocked chat is not retried"


def _unused() -> uuid.UUID:
    return uuid.uuid4()


async def test_block_and_unblock_are_tracked_from_telegram(harness: Harness) -> None:
    h, user = harness, 3009
    await onboard(h, user)

    def state(expected: bool) -> Any:
        async def check() -> None:
            async with h.container.uow_factory() as uow:
                participant = await participant_for_user(uow, user)
            assert participant is not None and participant.unreachable is expected

        return check

    await h.sandbox.block(user)  # Telegram sends my_chat_member "kicked"
    await eventually(state(True))
    await h.sandbox.unblock(user)
    await eventually(state(False))
    await _assert_wire_is_clean(h)


async def test_a_stranger_flooding_gets_one_answer(harness: Harness) -> None:
    h, user = harness, 3010
    for i in range(10):
        await h.sandbox.send_text(user, f"spam {i}")
    await h.wait_text(user, "Die krijg je van je begeleider.")

    async def all_handled() -> None:
        async with h.container.uow_factory() as uow:
            handled = await uow.updates.recorded(list(range(1, 10_000)))
        assert len(handled) >= 10

    await eventually(all_handled)
    assert len(await h.sandbox.bot_messages(user)) == 1


async def test_reopening_the_invite_link_when_linked_shows_the_menu(harness: Harness) -> None:
    h, user = harness, 3011
    t = h.container.i18n.get("nl")
    code = await h.invite()
    await h.sandbox.send_text(user, f"/start {code}")
    await wait_button(h, user, "Nederlands")
    await h.sandbox.press(user, "Nederlands")
    await h.wait_text(user, t("Dit doe ik:"))
    # Onboarding not finished: the link starts it again instead of "you need a code".
    await h.sandbox.send_text(user, f"/start {code}")
    await wait_button(h, user, "English")
    await h.sandbox.press(user, "English")
    en = h.container.i18n.get("en")
    await h.wait_text(user, en("Dit doe ik:"))
    await h.sandbox.press(user, en("Verder ▶️"))
    await h.wait_text(user, en("Wie ziet wat?"))
    await h.sandbox.press(user, en("Verder ▶️"))
    await wait_button(h, user, en("Ja, dat mag"))
    await h.sandbox.press(user, en("Ja, dat mag"))
    await h.wait_text(user, en("Hier is het menu. Kies wat je wil doen."))
    # Onboarded: the old link shows the menu, and counts as no failed attempt.
    before = len(await h.sandbox.bot_messages(user))
    await h.sandbox.send_text(user, f"/start {code}")
    await h.sandbox.wait_for(user, before + 1)
    assert en("Hier is het menu. Kies wat je wil doen.") in await h.last_bot_text(user)
    async with h.container.uow_factory() as uow:
        assert await uow.invite_attempts.failures_since(user, START_OF_TIME) == 0


async def test_menu_buttons_work_while_a_dialog_is_open(harness: Harness) -> None:
    h, user = harness, 3012
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "🌐 Taal")
    await wait_button(h, user, "English")
    await h.sandbox.press(user, "📋 Mijn plan")  # the language picker is still open
    await h.wait_text(user, t("Je plan is er nog niet. Je maakt het samen met je begeleider."))
    await _assert_wire_is_clean(h)
