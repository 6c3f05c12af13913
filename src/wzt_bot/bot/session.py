"""Bot API calls as JSON bodies: aiogram's session, with a cheaper way to send a request.

aiogram's `AiohttpSession` sends every call as a form: each parameter prepared on its own
(nested objects JSON-encoded by a recursive walk in Python), then url-encoded by aiohttp.
That costs about 100 µs of CPU per sendMessage with the main menu keyboard, on every answer
the bot sends. The Bot API takes the same parameters as one JSON object ("application/json,
except for uploading files"), which pydantic's serializer writes in about 10 µs.

Only methods without files take the JSON path, and only when every value can be written as
Telegram expects it; anything else (a file, a date, a default nested inside an object) goes
through aiogram's own form path unchanged. Answers are read and checked by aiogram as usual.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

import pydantic_core
from aiogram.client.default import Default
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    GetUpdates,
    SendChatAction,
    SendMessage,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiohttp import ClientError, ClientTimeout

if TYPE_CHECKING:
    from aiogram import Bot

#: The calls the bot makes on every update or check-in; none of them carries a file.
JSON_METHODS: frozenset[type[TelegramMethod[Any]]] = frozenset(
    {
        AnswerCallbackQuery,
        DeleteMessage,
        DeleteWebhook,
        EditMessageReplyMarkup,
        EditMessageText,
        GetMe,
        GetUpdates,
        SendChatAction,
        SendMessage,
        SetMyCommands,
    }
)
_JSON_HEADERS = {"Content-Type": "application/json"}
# Written by aiogram as Unix time (prepare_value); pydantic would write ISO 8601.
_NOT_AS_JSON = (datetime.datetime, datetime.timedelta, datetime.date)


def json_body(bot: Bot, method: TelegramMethod[Any]) -> bytes | None:
    """The call's parameters as one JSON object, as aiogram would send them; None when the
    call should go as a form (a method outside `JSON_METHODS`, a date, a nested default)."""
    if type(method) not in JSON_METHODS:
        return None
    params: dict[str, Any] = {}
    for name, given in method:
        value = bot.default[given.name] if isinstance(given, Default) else given
        if value is None or value == "":
            continue  # aiogram's form leaves these out too
        if isinstance(value, _NOT_AS_JSON):
            return None
        params[name] = value
    try:
        # Unknown types (a default inside an object, a file) refuse to serialize.
        return pydantic_core.to_json(params, exclude_none=True)
    except pydantic_core.PydanticSerializationError:
        return None


class JsonAiohttpSession(AiohttpSession):
    """`AiohttpSession` that sends file-less calls as JSON (see the module docstring)."""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        body = json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body,
                headers=_JSON_HEADERS,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as resp:
                raw_result = await resp.text()
        except TimeoutError as e:
            raise TelegramNetworkError(method=method, message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e
        response = self.check_response(
            bot=bot, method=method, status_code=resp.status, content=raw_result
        )
        return cast("TelegramType", response.result)
