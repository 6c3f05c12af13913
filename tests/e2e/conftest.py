"""End to end: the real Bot and Dispatcher over HTTP against the sandbox Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import make_settings, wipe
from wzt_bot.domain.models import Role
from wzt_bot.domain.services import admin, onboarding, participants
from wzt_bot.sandbox.client import SandboxClient
from wzt_bot.sandbox.fake_telegram import FakeTelegram
from wzt_bot.wiring import Container, run_parts

TOKEN = "424242:E2E-token"
#: Sandbox limits high enough that only tests about limits meet them.
FAST_FAKE: dict[str, Any] = {
    "chat_rate": 30.0,
    "chat_burst": 30,
    "global_rate": 300.0,
    "global_burst": 300,
}


@dataclass
class Harness:
    fake: FakeTelegram
    sandbox: SandboxClient
    container: Container
    staff: admin.CreatedStaff
    team_id: Any

    async def invite(self, name: str = "Sam") -> str:
        async with self.container.uow_factory() as uow:
            issued = await participants.create_participant(
                uow, self.container.clock, self.staff.staff, display_name=name, team_id=self.team_id
            )
            await uow.commit()
        return issued.code

    async def last_bot_text(self, chat_id: int) -> str:
        messages = await self.sandbox.bot_messages(chat_id)
        return str(messages[-1].get("text") or "") if messages else ""

    async def wait_text(self, chat_id: int, needle: str, timeout: float = 10.0) -> dict[str, Any]:
        def has(history: dict[str, Any]) -> bool:
            return any(
                needle in str(m.get("text") or "")
                for m in history["messages"]
                if m["from"] == "bot" and not m.get("deleted")
            )

        has.__name__ = f"bot says {needle!r}"
        return await self.sandbox.wait_for(chat_id, has, timeout=timeout)


async def wait_button(h: Harness, chat_id: int, text: str, timeout: float = 10.0) -> None:
    """Wait until the newest bot message with inline buttons offers `text`."""

    def offered(history: dict[str, Any]) -> bool:
        with_buttons = [
            m
            for m in history["messages"]
            if m["from"] == "bot" and not m.get("deleted") and buttons(m)
        ]
        return bool(with_buttons) and text in buttons(with_buttons[-1])

    offered.__name__ = f"button {text!r} offered"
    await h.sandbox.wait_for(chat_id, offered, timeout=timeout)


def buttons(message: dict[str, Any]) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


@contextlib.asynccontextmanager
async def running_bot(
    database_url: str, *, fake_kwargs: dict[str, Any] | None = None, **settings: Any
) -> AsyncIterator[Harness]:
    fake = FakeTelegram(bot_token=TOKEN, bot_username="wzt_e2e_bot", **(fake_kwargs or {}))
    await fake.start()
    stop = asyncio.Event()
    overrides: dict[str, Any] = {
        "bot_token": TOKEN,
        "telegram_api_url": fake.base_url,
        "bot_username": None,
        "telegram_chat_rate": 20.0,
        "telegram_chat_burst": 20,
        "telegram_global_rate": 200.0,
    }
    overrides.update(settings)
    try:
        async with Container.open(make_settings(database_url, **overrides)) as container:
            await wipe(container)
            async with container.uow_factory() as uow:
                team = await admin.create_team(uow, name="Team E2E", network_name="Netwerk E2E")
                staff = await admin.create_staff(
                    uow, name="Casemanager", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
                )
                await uow.commit()
            container.build_bot()
            task = asyncio.create_task(run_parts(container, stop, {"bot"}))
            async with SandboxClient(fake.base_url) as sandbox:
                try:
                    yield Harness(fake, sandbox, container, staff, team.id)
                finally:
                    stop.set()
                    await asyncio.wait_for(task, timeout=15)
    finally:
        await fake.stop()


@pytest.fixture
def fast_fake() -> dict[str, Any]:
    return dict(FAST_FAKE)


@pytest.fixture
async def harness(database_url: str, fast_fake: dict[str, Any]) -> AsyncIterator[Harness]:
    async with running_bot(database_url, fake_kwargs=fast_fake) as built:
        yield built


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Retry an async check until it stops raising AssertionError (the handler commits after
    it has answered, so the database can lag the chat by a few milliseconds)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await check()
        except AssertionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.05)


async def callbacks_all_answered(h: Harness) -> None:
    """Every button press got its answerCallbackQuery. Waited for: a dialog answers the press
    right after it has sent its next message, so a check straight after that message can run
    in between."""

    async def answered() -> None:
        assert await h.sandbox.unanswered_callbacks() == 0, "every callback query must be answered"

    await eventually(answered, timeout=3.0)


async def onboard(h: Harness, user: int, *, lang: str = "nl", consent: bool = False) -> None:
    """Through the whole onboarding over the wire, up to the main menu."""
    t = h.container.i18n.get(lang)
    code = await h.invite()
    await h.sandbox.send_text(user, f"/start {code}", language_code=lang)
    await h.wait_text(user, t("🌐 Kies je taal."))
    await h.sandbox.press(user, {"nl": "Nederlands", "en": "English", "ar": "العربية"}[lang])
    await h.wait_text(user, t("Dit doe ik:"))
    await h.sandbox.press(user, t("Verder ▶️"))
    await h.wait_text(user, t("Wie ziet wat?"))
    await h.sandbox.press(user, t("Verder ▶️"))
    await h.wait_text(
        user,
        t("Mag ik je af en toe een kort bericht sturen? Dan vraag ik hoe het gaat."),
    )
    await h.sandbox.press(user, t("Ja, dat mag") if consent else t("Nee, liever niet"))
    await h.wait_text(user, t("Hier is het menu. Kies wat je wil doen."))

    async def committed() -> None:
        # The handler commits after it has answered: wait until the answer is stored, so a
        # test that goes on through the API sees the consent (and the link) in the database.
        async with h.container.uow_factory() as uow:
            participant = await onboarding.participant_for_user(uow, user)
        assert participant is not None and participant.checkins_consented is consent

    await eventually(committed)
