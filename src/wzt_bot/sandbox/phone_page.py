"""The "participant phone" page served by the fake Telegram server at ``GET /phone``.

``phone.html`` (next to this module, shipped as package data) is one self-contained HTML
document: inline CSS and vanilla JS, no external assets. It talks only to the control API
of the same server. Message text is always inserted as DOM text nodes; formatting comes
from the message entities, never from raw HTML.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["phone_html"]


@cache
def phone_html() -> str:
    """The page's HTML (read once from the package data)."""
    return files("wzt_bot.sandbox").joinpath("phone.html").read_text(encoding="utf-8")
