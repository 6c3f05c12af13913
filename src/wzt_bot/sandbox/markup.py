"""Validation of ``reply_markup`` objects like the Bot API does it."""

from __future__ import annotations

from typing import Any

from wzt_bot.sandbox.params import bad_request

__all__ = [
    "INLINE_ACTIONS",
    "inline_buttons",
    "keyboard_button_text",
    "markup_kind",
    "validate_reply_markup",
]

INLINE_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
_MAX_BUTTONS = 100
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"


def markup_kind(markup: dict[str, Any] | None) -> str | None:
    """``inline_keyboard``, ``keyboard``, ``remove_keyboard``, ``force_reply`` or None."""
    if markup is None:
        return None
    for kind in ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply"):
        if kind in markup:
            return kind
    return None


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """All inline buttons of an (already validated) markup, row by row."""
    if markup is None or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def _check_inline_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in INLINE_ACTIONS if button.get(key) is not None]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(
            prefix + "InlineKeyboardButton must have exactly one of the optional fields, "
            f"found {', '.join(actions)}"
        )
    if "callback_data" in actions:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in actions:
        url = button["url"]
        if not isinstance(url, str) or not url.lower().startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")


def _check_keyboard_button(button: Any) -> None:
    if isinstance(button, str):
        text: Any = button
    elif isinstance(button, dict):
        text = button.get("text")
    else:
        raise bad_request(
            "can't parse keyboard button: KeyboardButton must be a String or an Object"
        )
    if not isinstance(text, str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    if not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")


def _check_rows(rows: Any, field: str, kind_name: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            f'can\'t parse reply keyboard markup JSON object: Field "{field}" of the '
            f"{kind_name} must be an Array of Arrays"
        )
    if sum(len(row) for row in rows) > _MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _check_inline_keyboard(markup: dict[str, Any]) -> None:
    rows = _check_rows(markup["inline_keyboard"], "inline_keyboard", "InlineKeyboardMarkup")
    for row in rows:
        for button in row:
            _check_inline_button(button)


def _check_reply_keyboard(markup: dict[str, Any]) -> None:
    rows = _check_rows(markup["keyboard"], "keyboard", "ReplyKeyboardMarkup")
    if not any(rows):
        raise bad_request("keyboard must be non-empty")
    for row in rows:
        for button in row:
            _check_keyboard_button(button)
    _check_placeholder(markup)


def validate_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a decoded ``reply_markup``; return it unchanged or raise :class:`ApiError`."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(_MARKUP_ERROR)
    kind = markup_kind(markup)
    if kind is None:
        raise bad_request(_MARKUP_ERROR)
    if inline_only and kind != "inline_keyboard":
        raise bad_request("inline keyboard expected")
    if kind == "inline_keyboard":
        _check_inline_keyboard(markup)
    elif kind == "keyboard":
        _check_reply_keyboard(markup)
    elif markup[kind] is not True:  # remove_keyboard / force_reply
        raise bad_request(_MARKUP_ERROR)
    elif kind == "force_reply":
        _check_placeholder(markup)
    return markup


def _check_placeholder(markup: dict[str, Any]) -> None:
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and (not isinstance(placeholder, str) or len(placeholder) > 64):
        raise bad_request("INPUT_FIELD_PLACEHOLDER_INVALID")


def keyboard_button_text(button: Any) -> str:
    """Visible text of a reply keyboard button (string or KeyboardButton object)."""
    if isinstance(button, str):
        return button
    if isinstance(button, dict):
        return str(button.get("text", ""))
    return ""
