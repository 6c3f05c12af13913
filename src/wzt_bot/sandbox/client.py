"""Typed async client for the fake Telegram server's control API (for tests)."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx

__all__ = ["History", "SandboxClient", "SandboxClientError", "format_transcript"]

History = dict[str, Any]
JSON = dict[str, Any]


class SandboxClientError(Exception):
    """The control API answered with an error status."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


def _button_texts(markup: Any) -> list[str]:
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    texts: list[str] = []
    for row in rows:
        for button in row:
            texts.append(button if isinstance(button, str) else str(button.get("text", "")))
    return texts


def format_transcript(history: History) -> str:
    """Human readable chat transcript (used in assertion messages)."""
    lines = [f"chat {history.get('chat_id')} (version {history.get('version')}):"]
    for msg in history.get("messages", []):
        body = msg.get("text")
        if body is None:
            body = f"[{msg.get('kind')}]" + (f" {msg['caption']}" if msg.get("caption") else "")
        flags = "".join(
            f" ({flag})"
            for flag, on in (("edited", msg.get("edited")), ("deleted", msg.get("deleted")))
            if on
        )
        line = f"  #{msg.get('message_id')} {msg.get('from')}: {body}{flags}"
        buttons = _button_texts(msg.get("reply_markup"))
        if buttons:
            line += f"  [{' | '.join(buttons)}]"
        lines.append(line)
    keyboard = _button_texts(history.get("reply_keyboard"))
    if keyboard:
        lines.append(f"  reply keyboard: [{' | '.join(keyboard)}]")
    if len(lines) == 1:
        lines.append("  (no messages)")
    return "\n".join(lines)


class SandboxClient:
    """Wraps every ``/control`` endpoint of :class:`~wzt_bot.sandbox.FakeTelegram`."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: JSON | None = None,
        params: dict[str, str | int | float] | None = None,
        read_timeout: float | None = None,
    ) -> Any:
        kwargs: dict[str, Any] = {}
        if read_timeout is not None:
            kwargs["timeout"] = read_timeout
        response = await self._http.request(method, path, json=json, params=params, **kwargs)
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code >= 400:
            detail = data.get("detail") if isinstance(data, dict) else response.text
            raise SandboxClientError(response.status_code, str(detail))
        return data

    # ------------------------------------------------------------------ participant actions

    async def create_user(
        self,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str = "nl",
        last_name: str | None = None,
        username: str | None = None,
    ) -> JSON:
        body: JSON = {"user_id": user_id, "first_name": first_name, "language_code": language_code}
        if last_name is not None:
            body["last_name"] = last_name
        if username is not None:
            body["username"] = username
        result: JSON = await self._request("POST", "/control/users", json=body)
        return result

    async def users(self) -> list[JSON]:
        data = await self._request("GET", "/control/users")
        return list(data["users"])

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str = "nl",
        first_name: str = "Test",
        edit_of: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """Participant sends ``text``; returns ``{"update_id", "message_id"}``."""
        body: JSON = {
            "user_id": user_id,
            "text": text,
            "kind": "text",
            "language_code": language_code,
            "first_name": first_name,
        }
        if edit_of is not None:
            body["edit_of"] = edit_of
        if reply_to_message_id is not None:
            body["reply_to_message_id"] = reply_to_message_id
        result: JSON = await self._request("POST", "/control/messages", json=body)
        return result

    async def edit_text(self, user_id: int, message_id: int, text: str) -> JSON:
        """Participant edits an earlier text message (``edited_message`` update)."""
        return await self.send_text(user_id, text, edit_of=message_id)

    async def send_kind(
        self,
        user_id: int,
        kind: str,
        *,
        caption: str | None = None,
        language_code: str = "nl",
        first_name: str = "Test",
    ) -> JSON:
        """Participant sends a sticker/photo/voice/document/video/location/contact."""
        body: JSON = {
            "user_id": user_id,
            "kind": kind,
            "language_code": language_code,
            "first_name": first_name,
        }
        if caption is not None:
            body["caption"] = caption
        result: JSON = await self._request("POST", "/control/messages", json=body)
        return result

    async def press(self, user_id: int, text: str) -> JSON:
        """Press a button by visible text (inline on newest message first, then reply kb)."""
        result: JSON = await self._request(
            "POST", "/control/press", json={"user_id": user_id, "text": text}
        )
        return result

    async def callback(self, user_id: int, message_id: int, data: str) -> JSON:
        """Press the inline button with ``callback_data == data`` on ``message_id``."""
        result: JSON = await self._request(
            "POST",
            "/control/callbacks",
            json={"user_id": user_id, "message_id": message_id, "data": data},
        )
        return result

    async def block(self, user_id: int, blocked: bool = True, *, notify: bool = True) -> JSON:
        result: JSON = await self._request(
            "POST",
            f"/control/users/{user_id}/block",
            json={"blocked": blocked, "notify": notify},
        )
        return result

    async def unblock(self, user_id: int, *, notify: bool = True) -> JSON:
        return await self.block(user_id, False, notify=notify)

    # ------------------------------------------------------------------ inspection

    async def history(self, chat_id: int) -> History:
        result: History = await self._request("GET", f"/control/chats/{chat_id}/history")
        return result

    async def wait_history(
        self,
        chat_id: int,
        version: int,
        timeout: float = 10.0,
    ) -> History:
        """Long-poll: the history once its version differs from ``version``."""
        result: History = await self._request(
            "GET",
            f"/control/chats/{chat_id}/wait",
            params={"version": version, "timeout": timeout},
            read_timeout=timeout + 10.0,
        )
        return result

    async def wait_for(
        self,
        chat_id: int,
        predicate_or_min_count: Callable[[History], bool] | int,
        timeout: float = 10.0,
    ) -> History:
        """Wait until ``predicate(history)`` holds, or (int N) until the chat holds at least
        N messages from the bot (deleted ones included). Raises AssertionError with the
        transcript on timeout."""
        predicate: Callable[[History], bool]
        if isinstance(predicate_or_min_count, int):
            minimum = predicate_or_min_count

            def enough_bot_messages(history: History) -> bool:
                bot = [m for m in history["messages"] if m["from"] == "bot"]
                return len(bot) >= minimum

            predicate = enough_bot_messages
            what = f"at least {minimum} bot message(s)"
        else:
            predicate = predicate_or_min_count
            what = getattr(predicate, "__name__", "predicate")
        deadline = time.monotonic() + timeout
        history = await self.history(chat_id)
        while not predicate(history):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout:.1f}s waiting for {what}\n"
                    + format_transcript(history)
                )
            history = await self.wait_history(
                chat_id, int(history["version"]), min(remaining, 25.0)
            )
        return history

    async def bot_messages(self, chat_id: int) -> list[JSON]:
        """Bot messages that are not deleted, oldest first."""
        history = await self.history(chat_id)
        return [m for m in history["messages"] if m["from"] == "bot" and not m["deleted"]]

    async def callback_answers(self) -> list[JSON]:
        result: list[JSON] = await self._request("GET", "/control/callback_answers")
        return result

    async def unanswered_callbacks(self) -> int:
        data = await self._request("GET", "/control/unanswered_callbacks")
        return int(data["count"])

    async def requests(self, method: str | None = None) -> list[JSON]:
        params: dict[str, str | int | float] | None = {"method": method} if method else None
        result: list[JSON] = await self._request("GET", "/control/requests", params=params)
        return result

    async def pending_updates(self) -> list[JSON]:
        result: list[JSON] = await self._request("GET", "/control/updates")
        return result

    async def commands(self) -> list[JSON]:
        result: list[JSON] = await self._request("GET", "/control/commands")
        return result

    async def webhook_deliveries(self) -> list[JSON]:
        result: list[JSON] = await self._request("GET", "/control/webhook_deliveries")
        return result

    async def stats(self) -> JSON:
        result: JSON = await self._request("GET", "/control/stats")
        return result

    # ------------------------------------------------------------------ knobs

    async def limits(
        self,
        *,
        enforce_rates: bool | None = None,
        global_rate: float | None = None,
        global_burst: int | None = None,
        chat_rate: float | None = None,
        chat_burst: int | None = None,
    ) -> JSON:
        """Change (only the given) flood limits; returns the limits now in force."""
        body = {
            key: value
            for key, value in (
                ("enforce_rates", enforce_rates),
                ("global_rate", global_rate),
                ("global_burst", global_burst),
                ("chat_rate", chat_rate),
                ("chat_burst", chat_burst),
            )
            if value is not None
        }
        result: JSON = await self._request("POST", "/control/limits", json=body)
        return result

    async def fail_next(
        self,
        method: str,
        status: int,
        count: int = 1,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        delay: float = 0.0,
    ) -> JSON:
        body: JSON = {"method": method, "status": status, "count": count, "delay": delay}
        if retry_after is not None:
            body["retry_after"] = retry_after
        if description is not None:
            body["description"] = description
        result: JSON = await self._request("POST", "/control/fail_next", json=body)
        return result

    async def reset(self) -> None:
        await self._request("POST", "/control/reset")
