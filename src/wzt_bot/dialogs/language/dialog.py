"""/taal: choose another language at any time."""

from typing import Any

from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager
from aiogram_dialog.widgets.kbd import Select

from wzt_bot.bot.texts import main_menu
from wzt_bot.dialogs.common import apply_locale, language_window
from wzt_bot.dialogs.states import LanguageSG
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import LOCALE_NAMES


async def on_language(
    callback: CallbackQuery, widget: Select[Any], manager: DialogManager, locale: str
) -> None:
    await apply_locale(manager, locale)
    await manager.done()
    t = translator(manager)
    if callback.message is not None:
        await callback.message.answer(
            t("Ik spreek nu {language}.", language=LOCALE_NAMES.get(locale, locale)),
            reply_markup=main_menu(t),
        )


def language_dialog() -> Dialog:
    return Dialog(language_window("lang", on_language, LanguageSG.choose))
