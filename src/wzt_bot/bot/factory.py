"""Builds the aiogram Bot and Dispatcher. Called by the composition root only."""

from __future__ import annotations

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseStorage
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.protocols import MessageManagerProtocol

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.crisis import CrisisMiddleware
from wzt_bot.bot.crisis import build_router as build_crisis_router
from wzt_bot.bot.filters import dialog_open, never
from wzt_bot.bot.handlers import commands, errors, fallback, outreach
from wzt_bot.bot.handlers.menu import build_menu_router
from wzt_bot.bot.handlers.plan import build_plan_router
from wzt_bot.bot.limits import BlockedCallback, RateLimiter, TelegramLimitsMiddleware
from wzt_bot.bot.middlewares import UnitOfWorkMiddleware
from wzt_bot.bot.sent_ledger import SentLedgerMiddleware
from wzt_bot.bot.session import JsonAiohttpSession
from wzt_bot.bot.texts import menu_lookup
from wzt_bot.dialogs.checkin.dialog import checkin_dialog, checkin_settings_dialog
from wzt_bot.dialogs.complaint.dialog import complaint_dialog
from wzt_bot.dialogs.concern.dialog import concern_dialog
from wzt_bot.dialogs.feedback.dialog import feedback_dialog
from wzt_bot.dialogs.language.dialog import language_dialog
from wzt_bot.dialogs.onboarding.dialog import onboarding_dialog
from wzt_bot.dialogs.plan.dialog import plan_words_dialog
from wzt_bot.dialogs.rights.dialog import rights_dialog


def build_bot(
    token: str,
    api_url: str,
    limiter: RateLimiter,
    *,
    on_blocked: BlockedCallback | None = None,
    request_timeout: float = 20.0,
) -> Bot:
    # A call that takes longer than `request_timeout` fails as a network error and is retried
    # with backoff (TelegramLimitsMiddleware); long polling sets its own, longer timeout.
    session = JsonAiohttpSession(
        api=TelegramAPIServer.from_base(api_url.rstrip("/")), timeout=request_timeout
    )
    # Outermost: an answer an update already got before a crash is neither paced nor sent.
    session.middleware(SentLedgerMiddleware())
    session.middleware(TelegramLimitsMiddleware(limiter, on_blocked=on_blocked))
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode=None))


def build_dispatcher(
    ctx: BotContext,
    storage: BaseStorage,
    *,
    message_manager: MessageManagerProtocol | None = None,
) -> Dispatcher:
    dp = Dispatcher(storage=storage, ctx=ctx)
    dp.update.outer_middleware(UnitOfWorkMiddleware())
    if ctx.crisis is not None:
        # Before every handler and every dialog (registered before setup_dialogs' own).
        crisis = CrisisMiddleware(ctx.crisis, known_texts=menu_lookup(ctx.i18n))
        dp.message.outer_middleware(crisis)
        dp.edited_message.outer_middleware(crisis)
    dp.include_routers(
        # Error handlers only, and button handlers only: a message passes them in one step.
        _not_for_messages(
            errors.build_router(),
            outreach.build_router(),
            build_plan_router(),
            build_crisis_router(),
        ),
        commands.build_router(),
        # The persistent menu before the dialogs: its buttons work even with a dialog open.
        build_menu_router(ctx.i18n),
        _dialogs(),
        fallback.build_router(),
    )
    setup_dialogs(dp, message_manager=message_manager)
    return dp


def _not_for_messages(*routers: Router) -> Router:
    """Routers without message handlers, behind one filter that no message passes: a
    message (most updates) skips them all at once instead of visiting each in turn."""
    parent = Router(name="not_for_messages")
    for observer in (parent.message, parent.edited_message, parent.my_chat_member):
        observer.filter(never)
    parent.include_routers(*routers)
    return parent


def _dialogs() -> Router:
    """The dialogs, behind one filter: a message or button press without an open dialog
    (most of them) skips them all at once instead of trying each dialog in turn."""
    router = Router(name="dialogs")
    router.message.filter(dialog_open)
    router.callback_query.filter(dialog_open)
    router.include_routers(
        onboarding_dialog(),
        language_dialog(),
        checkin_dialog(),
        checkin_settings_dialog(),
        concern_dialog(),
        plan_words_dialog(),
        complaint_dialog(),
        feedback_dialog(),
        rights_dialog(),
    )
    return router
