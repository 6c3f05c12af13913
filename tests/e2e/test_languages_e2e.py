"""One check per shipped language over the wire: the bot greets and explains in that language."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import FAST_FAKE, Harness, running_bot, wait_button
from wzt_bot.domain.models import LOCALE_NAMES, SUPPORTED_LOCALES


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
async def test_language_is_spoken(sqlite_url: str, locale: str) -> None:
    async with running_bot(sqlite_url, fake_kwargs=FAST_FAKE) as h:
        await _check(h, locale)


async def _check(h: Harness, locale: str) -> None:
    t = h.container.i18n.get(locale)
    user = 8000 + SUPPORTED_LOCALES.index(locale)
    code = await h.invite("Noor")
    # Telegram says the phone speaks this language: it is the first guess.
    await h.sandbox.send_text(user, f"/start {code}", language_code=locale)
    await wait_button(h, user, LOCALE_NAMES[locale])
    await h.sandbox.press(user, LOCALE_NAMES[locale])
    welcome = t("Welkom, {name}! Ik ben de chatbot van je begeleiding.", name="Noor")
    if locale != "nl":
        assert welcome != "Welkom, Noor! Ik ben de chatbot van je begeleiding."
    await h.wait_text(user, welcome)
    await h.sandbox.press(user, t("Verder ▶️"))
    await h.wait_text(user, t("Wie ziet wat?"))
    text = await h.last_bot_text(user)
    for number in ("112", "1813", "106"):
        assert number in text
