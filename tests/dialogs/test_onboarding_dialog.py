"""aiogram-dialog logic with its test tools: windows, buttons and state, no HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.types import Chat, Message
from aiogram_dialog.test_tools import BotClient, MockMessageManager
from aiogram_dialog.test_tools.bot_client import FakeBot
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.factory import build_dispatcher
from wzt_bot.clock import SystemClock
from wzt_bot.domain.models import (
    ConsentKind,
    DirectoryEntry,
    DirectoryRole,
    Role,
    StaffFunction,
)
from wzt_bot.domain.services import admin, participants
from wzt_bot.domain.services.onboarding import participant_for_user
from wzt_bot.wiring import Container

USER = 77


class RecordingBot(FakeBot):  # type: ignore[misc]
    """The dialog test tools' stub bot, also accepting (and recording) plain sendMessage."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[SendMessage] = []

    async def __call__(
        self, method: TelegramMethod[Any], request_timeout: int | None = None
    ) -> Any:
        if isinstance(method, SendMessage):
            self.sent.append(method)
            return Message(
                message_id=1000 + len(self.sent),
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id), type="private"),
                text=method.text,
            )
        return await super().__call__(method, request_timeout)


async def _code(container: Container) -> str:
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team D", network_name="Netwerk D")
        staff = await admin.create_staff(
            uow, name="CM", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        issued = await participants.create_participant(
            uow, SystemClock(), staff.staff, display_name="Amira Haddad", team_id=team.id
        )
        await uow.commit()
    return issued.code


async def test_onboarding_dialog_windows(container: Container) -> None:
    code = await _code(container)
    ctx = BotContext(uow_factory=container.uow_factory, clock=SystemClock(), i18n=container.i18n)
    manager = MockMessageManager()
    dp = build_dispatcher(ctx, MemoryStorage(), message_manager=manager)
    bot = RecordingBot()
    client = BotClient(dp, user_id=USER, chat_id=USER, bot=bot)

    await client.send(f"/start {code}")
    window = manager.one_message()
    assert window.text == "🌐 Kies je taal."
    labels = [b.text for row in window.reply_markup.inline_keyboard for b in row]  # type: ignore[union-attr]
    assert labels[0] == "Nederlands" and "Українська" in labels
    assert all(
        len((b.callback_data or "").encode()) <= 64
        for row in window.reply_markup.inline_keyboard
        for b in row
    )  # type: ignore[union-attr]

    manager.reset_history()
    callback_id = await client.click(window, InlineButtonTextLocator("English"))
    manager.assert_answered(callback_id)
    intro = manager.last_message()
    en = container.i18n.get("en")
    assert intro.text is not None
    assert intro.text.startswith(
        en("Welkom, {name}! Ik ben de chatbot van je begeleiding.", name="Amira")
    )
    assert en("• Ik beoordeel je niet.") in intro.text

    manager.reset_history()
    await client.click(intro, InlineButtonTextLocator(en("Verder ▶️")))
    privacy = manager.last_message()
    assert privacy.text is not None and "1813" in privacy.text

    manager.reset_history()
    await client.click(privacy, InlineButtonTextLocator(en("Verder ▶️")))
    consent = manager.last_message()
    manager.reset_history()
    await client.click(consent, InlineButtonTextLocator(en("Nee, liever niet")))

    (menu,) = bot.sent
    assert menu.text is not None and en("Hier is het menu. Kies wat je wil doen.") in menu.text
    async with container.uow_factory() as uow:
        participant = await participant_for_user(uow, USER)
        assert participant is not None and participant.locale == "en"
        consents = await uow.consents.latest_for(participant.id)
    assert [(c.kind, c.granted, c.locale) for c in consents] == [
        (ConsentKind.CHECKIN_MESSAGES, False, "en")
    ]


async def test_privacy_window_says_who_reads_and_how_messages_travel(
    container: Container,
) -> None:
    """No promise that VDAB never sees the chat: the readers are named from the team's data
    (a casemanager werk at VDAB included), Telegram is named, and so is the translation
    server when one is configured (issue 16 §6)."""
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team R", network_name="Netwerk R")
        created = await admin.create_staff(
            uow, name="An Claes", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        created.staff.function = StaffFunction.CASEMANAGER_WERK
        await uow.staff.update(created.staff)
        zorg = await admin.create_staff(
            uow, name="Bert Peeters", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        zorg.staff.function = StaffFunction.CASEMANAGER_ZORG
        await uow.staff.update(zorg.staff)
        issued = await participants.create_participant(
            uow, SystemClock(), created.staff, display_name="Amira Haddad", team_id=team.id
        )
        await uow.plans.save_directory(
            issued.participant.id,
            [
                DirectoryEntry(
                    name="An Claes",
                    role=DirectoryRole.CASEMANAGER_WERK,
                    organisation="VDAB",
                    staff_id=created.staff.id,
                )
            ],
            datetime.now(UTC),
        )
        await uow.commit()
    ctx = BotContext(
        uow_factory=container.uow_factory,
        clock=SystemClock(),
        i18n=container.i18n,
        translates=True,
    )
    manager = MockMessageManager()
    dp = build_dispatcher(ctx, MemoryStorage(), message_manager=manager)
    client = BotClient(dp, user_id=USER + 1, chat_id=USER + 1, bot=RecordingBot())
    await client.send(f"/start {issued.code}")
    await client.click(manager.one_message(), InlineButtonTextLocator("Nederlands"))
    intro = manager.last_message()
    manager.reset_history()
    await client.click(intro, InlineButtonTextLocator("Verder ▶️"))
    text = manager.last_message().text or ""
    assert "VDAB krijgt deze chat niet te zien" not in text
    assert "Alleen jouw team" not in text
    assert "• An Claes, begeleider voor werk, bij VDAB" in text
    assert "• Bert Peeters, begeleider voor zorg" in text
    assert "Telegram versleutelt ze niet van begin tot eind." in text
    assert "vertaaldienst" in text
