"""Waar heb ik recht op? with the aiogram-dialog test tools: windows, buttons, state."""

from __future__ import annotations

from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Message
from aiogram_dialog.test_tools import BotClient, MockMessageManager
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator

from tests.dialogs.test_onboarding_dialog import RecordingBot, _code
from wzt_bot.bot.context import BotContext
from wzt_bot.bot.factory import build_dispatcher
from wzt_bot.clock import SystemClock
from wzt_bot.domain.models import FlagKind
from wzt_bot.domain.policies.rights import TITLES, RightsTopic
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services.onboarding import participant_for_user, redeem_invite
from wzt_bot.wiring import Container

USER = 78


def _labels(message: Message) -> list[str]:
    markup = message.reply_markup
    assert markup is not None and hasattr(markup, "inline_keyboard")
    return [b.text for row in markup.inline_keyboard for b in row]


async def test_rights_dialog_windows(container: Container) -> None:
    code = await _code(container)
    async with container.uow_factory() as uow:
        await redeem_invite(uow, SystemClock(), telegram_user_id=USER, chat_id=USER, code=code)
        await uow.commit()
    ctx = BotContext(uow_factory=container.uow_factory, clock=SystemClock(), i18n=container.i18n)
    manager = MockMessageManager()
    dp = build_dispatcher(ctx, MemoryStorage(), message_manager=manager)
    bot = RecordingBot()
    client = BotClient(dp, user_id=USER, chat_id=USER, bot=bot)
    t = container.i18n.get("nl")

    await client.send("/rechten")
    topics = manager.one_message()
    assert (
        topics.text is not None
        and t("Hier lees je waar je misschien recht op hebt.") in topics.text
    )
    labels = _labels(topics)
    assert labels == [t(TITLES[topic]) for topic in RightsTopic] + [t("✖️ Stoppen")]
    markup = topics.reply_markup
    assert markup is not None and hasattr(markup, "inline_keyboard")
    assert all(
        len((b.callback_data or "").encode()) <= 64 for r in markup.inline_keyboard for b in r
    )

    manager.reset_history()
    callback_id = await client.click(topics, InlineButtonTextLocator(t(TITLES[RightsTopic.TOLK])))
    manager.assert_answered(callback_id)
    topic = manager.last_message()
    assert topic.text is not None and topic.text.startswith(t(TITLES[RightsTopic.TOLK]))
    manager.reset_history()
    await client.click(topic, InlineButtonTextLocator(t("✅ Dit wil ik bekijken met mijn team")))
    topics = manager.last_message()
    assert f"✅ {t(TITLES[RightsTopic.TOLK])}" in _labels(topics)
    assert t("📨 Vraag mijn team om dit samen te bekijken") in _labels(topics)

    manager.reset_history()
    await client.click(
        topics, InlineButtonTextLocator(t("📨 Vraag mijn team om dit samen te bekijken"))
    )
    preview = manager.last_message()
    assert preview.text is not None and t(TITLES[RightsTopic.TOLK]) in preview.text
    manager.reset_history()
    await client.click(preview, InlineButtonTextLocator(t("✅ Versturen")))
    (sent,) = bot.sent
    assert sent.text is not None and t("✅ Verstuurd naar je team.") in sent.text
    async with container.uow_factory() as uow:
        participant = await participant_for_user(uow, USER)
        assert participant is not None
        found, _ = await uow.flags.search(
            FlagFilter(participant_id=participant.id), offset=0, limit=5
        )
    assert [f.kind for f in found] == [FlagKind.RIGHTS]
