"""aiogram-dialog widgets that speak the participant's language."""

from __future__ import annotations

from string import Formatter
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Text

from wzt_bot.i18n import Translator


def translator(manager: DialogManager) -> Translator:
    t: Translator = manager.middleware_data["t"]
    return t


class T(Text):
    """A gettext msgid, translated at render time and formatted with the getter's data.

    Babel extracts these through the `T` keyword (see babel.cfg).
    """

    def __init__(self, msgid: str, when: WhenCondition = None) -> None:
        super().__init__(when=when)
        self.msgid = msgid
        self.fields = [name for _, name, _, _ in Formatter().parse(msgid) if name]

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        params = {name: data[name] for name in self.fields}
        return translator(manager)(self.msgid, **params)
