"""A fake Telegram Bot API server for local development and tests.

``FakeTelegram`` serves, on 127.0.0.1, the subset of the Bot API that wzt-bot uses
(``/bot{token}/{method}``), checks the Bot API limits a real bot trips over (text
length, callback data size, HTML/Markdown parsing, flood limits, blocked users, ...)
and answers with Telegram's own error descriptions.  A JSON control API under
``/control`` lets tests (and the ``/phone`` demo page) play the participant: send
messages, press buttons, read the chat history, block the bot and inject faults.

Control API (JSON; errors are ``{"detail": str}`` with status 400/404):

- ``POST /control/users`` {user_id, first_name?, last_name?, username?, language_code?};
  ``GET /control/users`` -> {"users": [...]}
- ``POST /control/messages`` {user_id, text?, kind?, first_name?, last_name?, username?,
  language_code?, edit_of?, caption?, reply_to_message_id?} -> {update_id, message_id}
- ``POST /control/callbacks`` {user_id, message_id, data} -> {update_id, callback_query_id}
- ``POST /control/press`` {user_id, text} -> {kind: callback|url|text|contact|location, ...}
- ``GET /control/chats/{id}/history``; ``GET /control/chats/{id}/wait?version=N&timeout=S``
- ``GET /control/callback_answers``; ``GET /control/unanswered_callbacks`` -> {count}
- ``GET /control/requests[?method=]``; ``GET /control/updates`` (pending getUpdates queue)
- ``GET /control/commands``; ``GET|POST /control/limits``; ``POST /control/fail_next``
- ``POST /control/users/{id}/block`` {blocked?: true, notify?: true}
- ``GET /control/webhook_deliveries``; ``GET /control/stats``; ``POST /control/reset``
- ``GET /phone`` the participant phone page (``?user=1001&name=Sam&lang=nl``)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from wzt_bot.sandbox.formatting import (
    PARSE_MODES,
    EntityParseError,
    parse_formatted,
    utf16_len,
)
from wzt_bot.sandbox.markup import (
    inline_buttons,
    keyboard_button_text,
    markup_kind,
    validate_reply_markup,
)
from wzt_bot.sandbox.params import ApiError, Params, UploadedFile, bad_request, parse_body
from wzt_bot.sandbox.phone_page import phone_html
from wzt_bot.sandbox.ratelimit import TokenBucket

__all__ = ["FakeTelegram", "SandboxError"]

JSON = dict[str, Any]
Sender = Literal["bot", "user"]
Handler = Callable[[Params], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
#: What downloads of participants' files contain: a recognisable header, nothing more.
_FILE_BYTES: dict[str, bytes] = {
    "voice": b"OggS\x00\x02" + bytes(58),
    "photo": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(53) + b"\xff\xd9",
    "document": b"%PDF-1.4\n%sandbox\n%%EOF\n",
}
_FILE_TYPES = {"voice": "audio/ogg", "photo": "image/jpeg", "document": "application/pdf"}
_FILE_EXT = {"voice": "oga", "photo": "jpg", "document": "pdf"}
_USER_FILE = re.compile(r"SANDBOX-(voice|photo|document)-(\d+)(?:-s)?")

USER_KINDS = ("text", "sticker", "photo", "voice", "document", "video", "location", "contact")
UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
DEFAULT_ALLOWED = UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
FAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: POLL_CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LOG_LIMIT = 10_000


class SandboxError(Exception):
    """A control API error: HTTP ``status`` with a human readable ``detail``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


# --------------------------------------------------------------------------- state


@dataclass
class _User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "nl"
    blocked: bool = False

    def api(self) -> JSON:
        out: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            out["last_name"] = self.last_name
        if self.username:
            out["username"] = self.username
        if self.language_code:
            out["language_code"] = self.language_code
        return out

    def chat(self) -> JSON:
        out: JSON = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            out["last_name"] = self.last_name
        if self.username:
            out["username"] = self.username
        return out

    def control(self) -> JSON:
        return {
            "user_id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
            "blocked": self.blocked,
        }


@dataclass
class _Message:
    message_id: int
    chat_id: int
    sender: Sender
    date: int
    kind: str
    text: str | None = None  # plain text as the user sees it
    raw_text: str | None = None  # text/caption as the bot sent it (before entity parsing)
    caption: str | None = None
    entities: list[JSON] = field(default_factory=list)
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    media: Any = None  # API object for the kind: list of PhotoSize, Document, Sticker, ...
    edit_date: int | None = None
    deleted: bool = False
    reply_to_message_id: int | None = None

    def content_key(self) -> tuple[Any, ...]:
        return (
            self.text,
            self.caption,
            json.dumps(self.entities, sort_keys=True),
            json.dumps(self.reply_markup, sort_keys=True),
        )


class _Signal:
    """Wakes every waiter on :meth:`fire`; usable from any running loop."""

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    def fire(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait(self, seconds: float) -> bool:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await asyncio.wait_for(fut, seconds)
            return True
        except TimeoutError:
            return False
        finally:
            if fut in self._waiters:
                self._waiters.remove(fut)


@dataclass
class _Chat:
    chat_id: int
    messages: dict[int, _Message] = field(default_factory=dict)
    next_message_id: int = 1
    version: int = 0
    reply_keyboard: JSON | None = None
    chat_action: JSON | None = None
    toast: JSON | None = None
    signal: _Signal = field(default_factory=_Signal)


@dataclass
class _Update:
    update_id: int
    type: str
    chat_id: int
    payload: JSON


@dataclass
class _Callback:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created: float
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int | None = None

    def control(self) -> JSON:
        return {
            "callback_query_id": self.id,
            "user_id": self.user_id,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "data": self.data,
            "answered": self.answered,
            "text": self.text,
            "show_alert": self.show_alert,
            "url": self.url,
            "cache_time": self.cache_time,
        }


@dataclass
class _Fault:
    status: int
    count: int
    retry_after: int | None
    description: str | None
    delay: float


@dataclass
class _Described:
    """A method result together with the ``description`` Telegram adds to some answers."""

    result: Any
    description: str


class _QuietServer(uvicorn.Server):
    """A uvicorn server that leaves the process' signal handlers alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


# --------------------------------------------------------------------------- server


class FakeTelegram:
    """Fake Telegram Bot API server plus control API and participant phone page."""

    def __init__(
        self,
        *,
        bot_token: str = "123456:SANDBOX",  # noqa: S107 - a fake token for a fake server
        bot_username: str = "wzt_sandbox_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        global_rate: float = 30.0,
        global_burst: int = 30,
        chat_rate: float = 1.0,
        chat_burst: int = 5,
        enforce_rates: bool = True,
        webhook_retry_base: float = 0.5,
        webhook_max_attempts: int = 10,
        bot_first_name: str = "WZT Sandbox",
    ) -> None:
        self.bot_token = bot_token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        head = bot_token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456
        self.host = host
        self._requested_port = port
        self._port: int | None = None
        self._initial_limits = (global_rate, global_burst, chat_rate, chat_burst, enforce_rates)
        self.webhook_retry_base = webhook_retry_base
        self.webhook_max_attempts = webhook_max_attempts
        self._server: _QuietServer | None = None
        self._server_task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self._closing = False
        self._next_update_id = 1
        self._next_callback = 1
        self._next_file = 1
        self._handlers: dict[str, Handler] = {
            "getMe": self._m_get_me,
            "getUpdates": self._m_get_updates,
            "setWebhook": self._m_set_webhook,
            "deleteWebhook": self._m_delete_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "sendMessage": self._m_send_message,
            "editMessageText": self._m_edit_message_text,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "editMessageCaption": self._m_edit_message_caption,
            "deleteMessage": self._m_delete_message,
            "answerCallbackQuery": self._m_answer_callback_query,
            "sendChatAction": self._m_send_chat_action,
            "setMyCommands": self._m_set_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "setChatMenuButton": self._m_set_chat_menu_button,
            "getChatMenuButton": self._m_get_chat_menu_button,
            "sendPhoto": self._m_send_photo,
            "sendDocument": self._m_send_document,
            "getFile": self._m_get_file,
            "close": self._m_true,
            "logOut": self._m_true,
        }
        self._method_names = {name.lower(): name for name in self._handlers}
        self._reset_state()
        self.app = self._build_app()

    # ------------------------------------------------------------------ lifecycle

    def _reset_state(self) -> None:
        global_rate, global_burst, chat_rate, chat_burst, enforce = self._initial_limits
        self.global_rate = global_rate
        self.global_burst = global_burst
        self.chat_rate = chat_rate
        self.chat_burst = chat_burst
        self.enforce_rates = enforce
        self._global_bucket = TokenBucket(global_rate, global_burst)
        self._chat_buckets: dict[int, TokenBucket] = {}
        self._users: dict[int, _User] = {}
        self._chats: dict[int, _Chat] = {}
        self._pending: list[_Update] = []
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED
        self._updates_signal = _Signal()
        self._poll_generation = 0
        self._webhook_url: str | None = None
        self._webhook_secret: str | None = None
        self._webhook_max_connections = 40
        self._webhook_last_error: tuple[int, str] | None = None
        self._webhook_queues: dict[int, deque[_Update]] = {}
        self._webhook_workers: dict[int, asyncio.Task[None]] = {}
        self._deliveries: list[JSON] = []
        self._callbacks: dict[str, _Callback] = {}
        self._requests: deque[JSON] = deque(maxlen=_LOG_LIMIT)
        self._calls: dict[str, int] = {}
        self._status_counts: dict[str, int] = {}
        self._rate_limit_events: list[JSON] = []
        self._updates_created = 0
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._menu_buttons: dict[int | None, JSON] = {}
        self._faults: dict[str, _Fault] = {}
        self._files: dict[str, JSON] = {}

    async def start(self) -> None:
        """Start uvicorn as a task on the running loop; return once it listens."""
        if self._server_task is not None:
            return
        self._closing = False
        # IPPROTO_TCP explicitly: asyncio then turns Nagle's algorithm off for each connection
        # (with protocol 0 it does not, and every Bot API answer waits ~40 ms for an ACK).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        sock.setblocking(False)
        self._port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            timeout_graceful_shutdown=2,
        )
        self._server = _QuietServer(config)
        self._server_task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._server_task.done():
                self._server_task.result()
                raise RuntimeError("fake Telegram server stopped during start-up")
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        """Stop the server, wake every long poll and cancel webhook deliveries."""
        self._closing = True
        self._wake_all()
        await self._cancel_webhook_workers()
        if self._server is not None and self._server_task is not None:
            self._server.should_exit = True
            try:
                await asyncio.wait_for(asyncio.shield(self._server_task), timeout=5)
            except TimeoutError:
                self._server.force_exit = True
                await self._server_task
        self._server = None
        self._server_task = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT``; the Bot API lives at ``{base_url}/bot{token}/{method}``."""
        return f"http://{self.host}:{self.port}"

    @property
    def phone_url(self) -> str:
        return f"{self.base_url}/phone"

    def _wake_all(self) -> None:
        self._updates_signal.fire()
        for chat in self._chats.values():
            chat.signal.fire()

    # ------------------------------------------------------------------ helpers

    @property
    def bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id)
        return chat

    def _touch(self, chat: _Chat) -> None:
        chat.version += 1
        chat.signal.fire()

    def _new_file_id(self, kind: str) -> tuple[str, str]:
        n = self._next_file
        self._next_file += 1
        return f"SANDBOX-{kind}-{n}", f"U{kind[:2]}{n}"

    def _api_message(self, msg: _Message) -> JSON:
        user = self._users.get(msg.chat_id)
        chat = user.chat() if user else {"id": msg.chat_id, "type": "private", "first_name": "?"}
        out: JSON = {"message_id": msg.message_id}
        if msg.sender == "bot":
            out["from"] = self.bot_user
        else:
            out["from"] = (
                user.api() if user else {"id": msg.chat_id, "is_bot": False, "first_name": "?"}
            )
        out["chat"] = chat
        out["date"] = msg.date
        if msg.edit_date is not None:
            out["edit_date"] = msg.edit_date
        if msg.reply_to_message_id is not None:
            chat_state = self._chats.get(msg.chat_id)
            replied = chat_state.messages.get(msg.reply_to_message_id) if chat_state else None
            if replied is not None and not replied.deleted:
                inner = self._api_message(replied)
                inner.pop("reply_to_message", None)
                out["reply_to_message"] = inner
        if msg.kind == "text":
            out["text"] = msg.text or ""
            if msg.entities:
                out["entities"] = msg.entities
        else:
            if msg.media is not None:
                out[msg.kind] = msg.media
            if msg.caption is not None:
                out["caption"] = msg.caption
                if msg.entities:
                    out["caption_entities"] = msg.entities
        if msg.reply_markup is not None and markup_kind(msg.reply_markup) == "inline_keyboard":
            out["reply_markup"] = msg.reply_markup
        return out

    def _history_entry(self, msg: _Message) -> JSON:
        return {
            "message_id": msg.message_id,
            "from": msg.sender,
            "text": msg.text,
            "caption": msg.caption,
            "kind": msg.kind,
            "reply_markup": msg.reply_markup,
            "parse_mode": msg.parse_mode,
            "entities": msg.entities,
            "raw_text": msg.raw_text,
            "media": msg.media,
            "date": msg.date,
            "edited": msg.edit_date is not None,
            "deleted": msg.deleted,
            "reply_to_message_id": msg.reply_to_message_id,
        }

    # ------------------------------------------------------------------ updates

    def _enqueue(self, update_type: str, payload: JSON, chat_id: int) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates_created += 1
        update = _Update(
            update_id, update_type, chat_id, {"update_id": update_id, update_type: payload}
        )
        if self._webhook_url is not None:
            self._queue_webhook(update)
        else:
            self._pending.append(update)
            self._updates_signal.fire()
        return update_id

    def _queue_webhook(self, update: _Update) -> None:
        queue = self._webhook_queues.setdefault(update.chat_id, deque())
        queue.append(update)
        worker = self._webhook_workers.get(update.chat_id)
        if worker is None or worker.done():
            self._webhook_workers[update.chat_id] = asyncio.get_running_loop().create_task(
                self._webhook_worker(update.chat_id)
            )

    async def _webhook_worker(self, chat_id: int) -> None:
        queue = self._webhook_queues.get(chat_id)
        while queue:
            update = queue[0]
            await self._deliver(update)
            if queue and queue[0] is update:
                queue.popleft()
        self._webhook_queues.pop(chat_id, None)
        self._webhook_workers.pop(chat_id, None)

    async def _deliver(self, update: _Update) -> None:
        for attempt in range(1, self.webhook_max_attempts + 1):
            url = self._webhook_url
            if url is None or self._closing:
                return
            headers = {"Content-Type": "application/json"}
            if self._webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self._webhook_secret
            record: JSON = {
                "update_id": update.update_id,
                "attempt": attempt,
                "url": url,
                "status": None,
                "ok": False,
                "error": None,
                "ts": time.time(),
            }
            body = b""
            try:
                if self._http is None:
                    self._http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=5.0))
                response = await self._http.post(
                    url, content=json.dumps(update.payload).encode(), headers=headers
                )
                record["status"] = response.status_code
                record["ok"] = 200 <= response.status_code < 300
                body = response.content
                if not record["ok"]:
                    record["error"] = f"Wrong response from the webhook: {response.status_code}"
            except httpx.HTTPError as exc:
                record["error"] = f"Connection error: {type(exc).__name__}: {exc}"
            self._deliveries.append(record)
            if record["ok"]:
                await self._run_webhook_reply(body)
                return
            self._webhook_last_error = (int(time.time()), str(record["error"]))
            if attempt < self.webhook_max_attempts:
                await asyncio.sleep(self.webhook_retry_base * 2 ** (attempt - 1))

    async def _run_webhook_reply(self, body: bytes) -> None:
        """Telegram executes a Bot API method returned in the webhook response body."""
        try:
            reply = json.loads(body) if body.strip() else None
        except ValueError:
            return
        if isinstance(reply, dict) and isinstance(reply.get("method"), str):
            values = {k: v for k, v in reply.items() if k != "method"}
            await self._dispatch(str(reply["method"]), Params(values, {}), via="webhook_reply")

    async def _cancel_webhook_workers(self) -> None:
        workers = list(self._webhook_workers.values())
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await worker
        self._webhook_workers.clear()

    def _webhook_pending(self) -> list[_Update]:
        return sorted(
            (u for q in self._webhook_queues.values() for u in q), key=lambda u: u.update_id
        )

    # ------------------------------------------------------------------ dispatch

    async def _dispatch(
        self, method_name: str, params: Params, via: str = "http"
    ) -> tuple[int, JSON]:
        canonical = self._method_names.get(method_name.lower())
        name = canonical or method_name
        status = 200
        body: JSON
        if canonical is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            try:
                await self._apply_fault(canonical, params)
                result = await self._handlers[canonical](params)
                if isinstance(result, _Described):
                    body = {"ok": True, "result": result.result, "description": result.description}
                else:
                    body = {"ok": True, "result": result}
            except ApiError as exc:
                status, body = exc.status, exc.payload()
        self._log(name, params.loggable(), status, body, via)
        return status, body

    def _log(self, method: str, params: JSON, status: int, body: JSON, via: str) -> None:
        self._requests.append(
            {
                "method": method,
                "params": params,
                "status_code": status,
                "ok": bool(body.get("ok")),
                "description": body.get("description"),
                "ts": time.time(),
                "via": via,
            }
        )
        self._calls[method] = self._calls.get(method, 0) + 1
        self._status_counts[str(status)] = self._status_counts.get(str(status), 0) + 1

    def _record_429(self, method: str, params: Params, retry_after: int, scope: str) -> None:
        chat_id: int | None
        try:
            chat_id = params.int_or_none("chat_id")
        except ApiError:
            chat_id = None
        self._rate_limit_events.append(
            {
                "method": method,
                "chat_id": chat_id,
                "retry_after": retry_after,
                "scope": scope,
                "ts": time.time(),
            }
        )

    async def _apply_fault(self, method: str, params: Params) -> None:
        key = method.lower()
        fault = self._faults.get(key)
        if fault is None:
            key = "*"
            fault = self._faults.get(key)
        if fault is None:
            return
        fault.count -= 1
        if fault.count <= 0:
            del self._faults[key]
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault.status == 200:
            return
        if fault.status == 429:
            retry = fault.retry_after or 1
            self._record_429(method, params, retry, "fault")
            raise ApiError(
                429,
                fault.description or f"Too Many Requests: retry after {retry}",
                retry_after=retry,
            )
        description = fault.description or FAULT_DESCRIPTIONS.get(
            fault.status, f"Error {fault.status}"
        )
        raise ApiError(fault.status, description, retry_after=fault.retry_after)

    def _check_rate(self, method: str, chat_id: int, params: Params) -> None:
        """Raise 429 when a flood limit is hit; otherwise consume the tokens."""
        if not self.enforce_rates:
            return
        bucket = self._chat_buckets.get(chat_id)
        if bucket is None:
            bucket = self._chat_buckets[chat_id] = TokenBucket(self.chat_rate, self.chat_burst)
        chat_wait = bucket.wait_time()
        global_wait = self._global_bucket.wait_time()
        wait = max(chat_wait, global_wait)
        if wait > 0:
            retry = TokenBucket.retry_after(wait)
            scope = "chat" if chat_wait >= global_wait else "global"
            self._record_429(method, params, retry, scope)
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        bucket.take()
        self._global_bucket.take()

    # ------------------------------------------------------------------ param helpers

    def _resolve_chat(self, p: Params) -> _User:
        raw = p.values.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        if isinstance(raw, str) and raw.strip().startswith("@"):
            raise bad_request("chat not found")
        try:
            chat_id = p.int_or_none("chat_id")
        except ApiError as exc:
            raise bad_request("chat not found") from exc
        user = self._users.get(chat_id) if chat_id is not None else None
        if user is None:
            raise bad_request("chat not found")
        return user

    @staticmethod
    def _check_not_blocked(user: _User) -> None:
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    @staticmethod
    def _parse_mode(p: Params) -> str | None:
        mode = p.str_or_none("parse_mode")
        if mode is None or mode == "":
            return None
        for known in PARSE_MODES:
            if mode.lower() == known.lower():
                return known
        raise bad_request("unsupported parse_mode")

    @staticmethod
    def _format(
        text: str, mode: str | None, p: Params, entities_field: str
    ) -> tuple[str, list[JSON]]:
        try:
            plain, entities = parse_formatted(text, mode)
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from exc
        if mode is None:
            given = p.json_or_none(entities_field)
            if isinstance(given, list):
                entities = [e for e in given if isinstance(e, dict)]
        return plain, entities

    def _text_content(self, p: Params) -> tuple[str, str, list[JSON], str | None]:
        """Validate text + parse_mode; return (raw, plain, entities, parse_mode)."""
        raw = p.str_or_none("text")
        if raw is None or raw == "":
            raise bad_request("message text is empty")
        mode = self._parse_mode(p)
        plain, entities = self._format(raw, mode, p, "entities")
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > MAX_TEXT:
            raise bad_request("message is too long")
        return raw, plain, entities, mode

    def _caption_content(self, p: Params) -> tuple[str | None, str | None, list[JSON], str | None]:
        raw = p.str_or_none("caption")
        mode = self._parse_mode(p)
        if raw is None or raw == "":
            return None, None, [], mode
        plain, entities = self._format(raw, mode, p, "caption_entities")
        if utf16_len(plain) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return raw, plain, entities, mode

    def _markup(self, p: Params, *, inline_only: bool = False) -> JSON | None:
        markup = p.json_or_none("reply_markup", "can't parse reply keyboard markup JSON object")
        return validate_reply_markup(markup, inline_only=inline_only)

    def _reply_to(self, p: Params, chat: _Chat) -> int | None:
        reply_id: int | None = None
        allow_without = p.bool("allow_sending_without_reply")
        params = p.json_or_none("reply_parameters")
        if isinstance(params, dict):
            value = params.get("message_id")
            reply_id = (
                int(value) if isinstance(value, (int, str)) and str(value).isdigit() else None
            )
            allow_without = allow_without or bool(params.get("allow_sending_without_reply"))
        elif p.has("reply_to_message_id"):
            reply_id = p.int_or_none("reply_to_message_id")
        if reply_id is None:
            return None
        target = chat.messages.get(reply_id)
        if target is None or target.deleted:
            if allow_without:
                return None
            raise bad_request("message to be replied not found")
        return reply_id

    def _target_message(self, p: Params, missing: str) -> tuple[_User, _Chat, _Message]:
        if p.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        user = self._resolve_chat(p)
        message_id = p.int_or_none("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        chat = self._chat(user.id)
        msg = chat.messages.get(message_id)
        if msg is None or msg.deleted:
            raise bad_request(missing)
        return user, chat, msg

    def _store_bot_message(self, chat: _Chat, msg: _Message) -> None:
        chat.messages[msg.message_id] = msg
        kind = markup_kind(msg.reply_markup)
        if kind == "keyboard":
            chat.reply_keyboard = msg.reply_markup
        elif kind == "remove_keyboard":
            chat.reply_keyboard = None
        chat.chat_action = None
        self._touch(chat)

    def _allocate_message_id(self, chat: _Chat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def _upload(self, p: Params, param: str, kind: str) -> tuple[JSON, UploadedFile | None]:
        """Resolve an InputFile parameter (upload, attach://, known file_id or URL)."""
        upload: UploadedFile | None = p.files.get(param)
        ref = p.str_or_none(param) if upload is None else None
        if upload is None and ref is not None and ref.startswith("attach://"):
            upload = p.files.get(ref[len("attach://") :])
            if upload is None:
                raise bad_request(f"there is no {kind} in the request")
        if upload is not None:
            file_id, unique = self._new_file_id(kind)
            info: JSON = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": upload.filename,
                "file_size": upload.size,
                "mime_type": upload.content_type,
            }
            self._files[file_id] = info
            return info, upload
        if ref is None or ref == "":
            raise bad_request(f"there is no {kind} in the request")
        if ref in self._files:
            return dict(self._files[ref]), None
        if ref.lower().startswith(("http://", "https://")):
            file_id, unique = self._new_file_id(kind)
            name = urlsplit(ref).path.rsplit("/", 1)[-1] or kind
            info = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": name,
                "file_size": 0,
                "mime_type": "application/octet-stream",
                "url": ref,
            }
            self._files[file_id] = info
            return info, None
        raise bad_request("wrong file identifier/HTTP URL specified")

    # ------------------------------------------------------------------ Bot API methods

    async def _m_true(self, p: Params) -> Any:
        return True

    async def _m_get_file(self, p: Params) -> Any:
        """Files participants sent (voice notes, photos, ...): a path to download them from."""
        file_id = p.str_or_none("file_id") or ""
        match = _USER_FILE.fullmatch(file_id)
        if match is None:
            raise bad_request("invalid file_id")
        kind = match.group(1)
        return {
            "file_id": file_id,
            "file_unique_id": f"U{kind[:2]}{match.group(2)}",
            "file_size": len(_FILE_BYTES.get(kind, b"")),
            "file_path": f"{kind}/{file_id}.{_FILE_EXT.get(kind, 'bin')}",
        }

    async def _ep_file(self, request: Request) -> Response:
        """`GET /file/bot<token>/<file_path>`, as the Bot API serves downloads."""
        if str(request.path_params["token"]) != self.bot_token:
            return JSONResponse({"ok": False, "error_code": 401}, status_code=401)
        kind = str(request.path_params["path"]).split("/", 1)[0]
        if kind not in _FILE_BYTES:
            return JSONResponse({"ok": False, "error_code": 404}, status_code=404)
        return Response(_FILE_BYTES[kind], media_type=_FILE_TYPES[kind])

    async def _m_get_me(self, p: Params) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_get_updates(self, p: Params) -> Any:
        if self._webhook_url is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = p.int_or_none("offset")
        limit = p.int_or_none("limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = min(max(p.float_or_none("timeout") or 0.0, 0.0), 50.0)
        allowed = p.json_or_none("allowed_updates")
        if isinstance(allowed, list):
            chosen = frozenset(str(a) for a in allowed) & UPDATE_TYPES
            self._allowed_updates = chosen or DEFAULT_ALLOWED
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_signal.fire()  # a newer request terminates the older one
        if offset is not None:
            if offset < 0:
                self._pending = (
                    self._pending[offset:] if -offset < len(self._pending) else self._pending
                )
            else:
                self._pending = [u for u in self._pending if u.update_id >= offset]
        deadline = time.monotonic() + timeout
        while True:
            self._pending = [u for u in self._pending if u.type in self._allowed_updates]
            if self._pending or self._closing:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            await self._updates_signal.wait(remaining)
            if self._poll_generation != generation:
                raise ApiError(409, POLL_CONFLICT)
            if self._webhook_url is not None:
                return []
        return [u.payload for u in self._pending[:limit]]

    async def _m_set_webhook(self, p: Params) -> Any:
        url = p.str_or_none("url") or ""
        if not url:
            await self._drop_webhook(p.bool("drop_pending_updates"))
            return _Described(True, "Webhook was deleted")
        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.str_or_none("secret_token")
        if secret and not _SECRET_RE.match(secret):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        allowed = p.json_or_none("allowed_updates")
        if isinstance(allowed, list):
            chosen = frozenset(str(a) for a in allowed) & UPDATE_TYPES
            self._allowed_updates = chosen or DEFAULT_ALLOWED
        max_connections = p.int_or_none("max_connections")
        if max_connections is not None:
            self._webhook_max_connections = max_connections
        already = self._webhook_url == url and self._webhook_secret == (secret or None)
        if p.bool("drop_pending_updates"):
            self._pending = []
            await self._cancel_webhook_workers()
            self._webhook_queues.clear()
        self._webhook_url = url
        self._webhook_secret = secret or None
        self._webhook_last_error = None
        pending, self._pending = self._pending, []
        for update in pending:
            if update.type in self._allowed_updates:
                self._queue_webhook(update)
        self._updates_signal.fire()
        return _Described(True, "Webhook is already set" if already else "Webhook was set")

    async def _drop_webhook(self, drop_pending: bool) -> bool:
        was_set = self._webhook_url is not None
        self._webhook_url = None
        self._webhook_secret = None
        await self._cancel_webhook_workers()
        undelivered = self._webhook_pending()
        self._webhook_queues.clear()
        if drop_pending:
            self._pending = []
        else:
            self._pending = sorted(self._pending + undelivered, key=lambda u: u.update_id)
        self._updates_signal.fire()
        return was_set

    async def _m_delete_webhook(self, p: Params) -> Any:
        was_set = await self._drop_webhook(p.bool("drop_pending_updates"))
        return _Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")

    async def _m_get_webhook_info(self, p: Params) -> Any:
        info: JSON = {
            "url": self._webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._webhook_pending())
            if self._webhook_url
            else len(self._pending),
        }
        if self._webhook_url:
            info["max_connections"] = self._webhook_max_connections
            info["ip_address"] = "127.0.0.1"
            if self._allowed_updates != DEFAULT_ALLOWED:
                info["allowed_updates"] = sorted(self._allowed_updates)
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    async def _m_send_message(self, p: Params) -> Any:
        user = self._resolve_chat(p)
        raw, plain, entities, mode = self._text_content(p)
        markup = self._markup(p)
        chat = self._chat(user.id)
        reply_to = self._reply_to(p, chat)
        self._check_not_blocked(user)
        self._check_rate("sendMessage", user.id, p)
        msg = _Message(
            message_id=self._allocate_message_id(chat),
            chat_id=user.id,
            sender="bot",
            date=int(time.time()),
            kind="text",
            text=plain,
            raw_text=raw,
            entities=entities,
            parse_mode=mode,
            reply_markup=markup,
            reply_to_message_id=reply_to,
        )
        self._store_bot_message(chat, msg)
        return self._api_message(msg)

    async def _send_media(self, p: Params, method: str, kind: str) -> Any:
        user = self._resolve_chat(p)
        info, _ = self._upload(p, kind, kind)
        raw, caption, entities, mode = self._caption_content(p)
        markup = self._markup(p)
        chat = self._chat(user.id)
        reply_to = self._reply_to(p, chat)
        self._check_not_blocked(user)
        self._check_rate(method, user.id, p)
        media: Any
        if kind == "photo":
            media = [
                {
                    "file_id": info["file_id"] + "-s",
                    "file_unique_id": info["file_unique_id"] + "s",
                    "width": 90,
                    "height": 90,
                    "file_size": min(int(info["file_size"]), 2048),
                },
                {
                    "file_id": info["file_id"],
                    "file_unique_id": info["file_unique_id"],
                    "width": 1280,
                    "height": 960,
                    "file_size": int(info["file_size"]),
                },
            ]
        else:
            media = {
                k: info[k]
                for k in ("file_id", "file_unique_id", "file_name", "mime_type", "file_size")
            }
        msg = _Message(
            message_id=self._allocate_message_id(chat),
            chat_id=user.id,
            sender="bot",
            date=int(time.time()),
            kind=kind,
            caption=caption,
            raw_text=raw,
            entities=entities,
            parse_mode=mode,
            reply_markup=markup,
            media=media,
            reply_to_message_id=reply_to,
        )
        self._store_bot_message(chat, msg)
        return self._api_message(msg)

    async def _m_send_photo(self, p: Params) -> Any:
        return await self._send_media(p, "sendPhoto", "photo")

    async def _m_send_document(self, p: Params) -> Any:
        return await self._send_media(p, "sendDocument", "document")

    async def _m_edit_message_text(self, p: Params) -> Any:
        user, chat, msg = self._target_message(p, "message to edit not found")
        if msg.sender != "bot":
            raise bad_request("message can't be edited")
        if msg.kind != "text":
            raise bad_request("there is no text in the message to edit")
        raw, plain, entities, mode = self._text_content(p)
        markup = self._markup(p, inline_only=True)
        candidate = _Message(
            msg.message_id,
            msg.chat_id,
            "bot",
            msg.date,
            "text",
            text=plain,
            entities=entities,
            reply_markup=markup,
        )
        if candidate.content_key() == msg.content_key():
            raise bad_request(NOT_MODIFIED)
        self._check_rate("editMessageText", user.id, p)
        msg.text, msg.raw_text, msg.entities, msg.parse_mode = plain, raw, entities, mode
        msg.reply_markup = markup
        msg.edit_date = int(time.time())
        self._touch(chat)
        return self._api_message(msg)

    async def _m_edit_message_caption(self, p: Params) -> Any:
        user, chat, msg = self._target_message(p, "message to edit not found")
        if msg.sender != "bot":
            raise bad_request("message can't be edited")
        if msg.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        raw, caption, entities, mode = self._caption_content(p)
        markup = self._markup(p, inline_only=True)
        candidate = _Message(
            msg.message_id,
            msg.chat_id,
            "bot",
            msg.date,
            msg.kind,
            caption=caption,
            entities=entities,
            reply_markup=markup,
        )
        if candidate.content_key() == msg.content_key():
            raise bad_request(NOT_MODIFIED)
        self._check_rate("editMessageCaption", user.id, p)
        msg.caption, msg.raw_text, msg.entities, msg.parse_mode = caption, raw, entities, mode
        msg.reply_markup = markup
        msg.edit_date = int(time.time())
        self._touch(chat)
        return self._api_message(msg)

    async def _m_edit_message_reply_markup(self, p: Params) -> Any:
        user, chat, msg = self._target_message(p, "message to edit not found")
        if msg.sender != "bot":
            raise bad_request("message can't be edited")
        markup = self._markup(p, inline_only=True)
        current = msg.reply_markup if markup_kind(msg.reply_markup) == "inline_keyboard" else None
        if json.dumps(markup, sort_keys=True) == json.dumps(current, sort_keys=True):
            raise bad_request(NOT_MODIFIED)
        self._check_rate("editMessageReplyMarkup", user.id, p)
        msg.reply_markup = markup
        msg.edit_date = int(time.time())
        self._touch(chat)
        return self._api_message(msg)

    async def _m_delete_message(self, p: Params) -> Any:
        _, chat, msg = self._target_message(p, "message to delete not found")
        msg.deleted = True
        self._touch(chat)
        return True

    async def _m_answer_callback_query(self, p: Params) -> Any:
        query_id = p.str_or_none("callback_query_id")
        callback = self._callbacks.get(query_id or "")
        if callback is None or callback.answered:
            raise bad_request(QUERY_TOO_OLD)
        text = p.str_or_none("text")
        if text is not None and len(text) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        callback.answered = True
        callback.text = text
        callback.show_alert = p.bool("show_alert")
        callback.url = p.str_or_none("url")
        callback.cache_time = p.int_or_none("cache_time")
        if text:
            chat = self._chat(callback.chat_id)
            chat.toast = {
                "text": text,
                "show_alert": callback.show_alert,
                "callback_query_id": callback.id,
                "ts": time.time(),
            }
            self._touch(chat)
        return True

    async def _m_send_chat_action(self, p: Params) -> Any:
        user = self._resolve_chat(p)
        action = p.str_or_none("action")
        if not action or action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._check_not_blocked(user)
        chat = self._chat(user.id)
        chat.chat_action = {"action": action, "until": time.time() + 5.0}
        self._touch(chat)
        return True

    @staticmethod
    def _commands_key(p: Params) -> tuple[str, str]:
        scope = p.json_or_none("scope", "can't parse BotCommandScope JSON object")
        if scope is not None and not (isinstance(scope, dict) and "type" in scope):
            raise bad_request("can't parse BotCommandScope JSON object")
        scope_key = (
            "default"
            if scope is None or scope == {"type": "default"}
            else json.dumps(scope, sort_keys=True)
        )
        return scope_key, p.str_or_none("language_code") or ""

    async def _m_set_my_commands(self, p: Params) -> Any:
        commands = p.json_or_none("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too much commands")
        clean: list[JSON] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = item.get("command")
            description = item.get("description")
            if not isinstance(command, str) or not _COMMAND_RE.match(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": command, "description": description})
        key = self._commands_key(p)
        if clean:
            self._commands[key] = clean
        else:
            self._commands.pop(key, None)
        return True

    async def _m_delete_my_commands(self, p: Params) -> Any:
        self._commands.pop(self._commands_key(p), None)
        return True

    async def _m_get_my_commands(self, p: Params) -> Any:
        return self._commands.get(self._commands_key(p), [])

    async def _m_set_chat_menu_button(self, p: Params) -> Any:
        chat_id: int | None = None
        if p.has("chat_id"):
            chat_id = self._resolve_chat(p).id
        button = p.json_or_none("menu_button", "can't parse menu button JSON object")
        if button is None:
            button = {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app" and not (
            isinstance(button.get("text"), str) and isinstance(button.get("web_app"), dict)
        ):
            raise bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = button
        return True

    async def _m_get_chat_menu_button(self, p: Params) -> Any:
        chat_id: int | None = None
        if p.has("chat_id"):
            chat_id = self._resolve_chat(p).id
        return (
            self._menu_buttons.get(chat_id) or self._menu_buttons.get(None) or {"type": "default"}
        )

    # ------------------------------------------------------------------ participant side

    def create_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """Create (or update the given fields of) a Telegram user the bot can talk to."""
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id <= 0:
            raise SandboxError(400, "user_id must be a positive integer")
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = _User(
                id=user_id,
                first_name=first_name or "Test",
                last_name=last_name,
                username=username,
                language_code=language_code or "nl",
            )
        else:
            if first_name:
                user.first_name = first_name
            if last_name is not None:
                user.last_name = last_name or None
            if username is not None:
                user.username = username or None
            if language_code:
                user.language_code = language_code
        self._chat(user_id)
        return user.control()

    def users(self) -> list[JSON]:
        return [u.control() for u in self._users.values()]

    def _user_media(self, kind: str, caption: str | None) -> tuple[Any, str | None]:
        file_id, unique = self._new_file_id(kind)
        media: Any
        if kind == "sticker":
            caption = None  # stickers carry no caption
            media = {
                "file_id": file_id,
                "file_unique_id": unique,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "\U0001f44d",
                "file_size": 14_000,
            }
        elif kind == "photo":
            media = [
                {
                    "file_id": file_id + "-s",
                    "file_unique_id": unique + "s",
                    "width": 90,
                    "height": 67,
                    "file_size": 1_200,
                },
                {
                    "file_id": file_id,
                    "file_unique_id": unique,
                    "width": 1280,
                    "height": 960,
                    "file_size": 98_000,
                },
            ]
        elif kind == "voice":
            media = {
                "file_id": file_id,
                "file_unique_id": unique,
                "duration": 3,
                "mime_type": "audio/ogg",
                "file_size": 9_800,
            }
        elif kind == "document":
            media = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": "document.pdf",
                "mime_type": "application/pdf",
                "file_size": 52_000,
            }
        elif kind == "video":
            media = {
                "file_id": file_id,
                "file_unique_id": unique,
                "width": 640,
                "height": 360,
                "duration": 5,
                "mime_type": "video/mp4",
                "file_size": 420_000,
            }
        elif kind == "location":
            media = {"latitude": 51.0543, "longitude": 3.7174}
            caption = None
        else:  # contact
            media = {"phone_number": "+32470000000", "first_name": "Test"}
            caption = None
        if kind not in ("location", "contact"):
            info = media[-1] if isinstance(media, list) else media
            self._files[file_id] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "file_name": info.get("file_name", kind),
                "file_size": info.get("file_size", 0),
                "mime_type": info.get("mime_type", "application/octet-stream"),
            }
        return media, caption

    def inject_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        kind: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        edit_of: int | None = None,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """The participant sends a message (or edits one with ``edit_of``).

        Returns ``{"update_id": int, "message_id": int}``.
        """
        kind = kind or "text"
        if kind not in USER_KINDS:
            raise SandboxError(400, f"unknown kind {kind!r}; use one of {', '.join(USER_KINDS)}")
        if kind == "text" and not text:
            raise SandboxError(400, "text is required for a text message")
        if kind != "text" and text and caption is None:
            caption = text
        self.create_user(
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        user = self._users[user_id]
        chat = self._chat(user_id)
        now = int(time.time())
        if edit_of is not None:
            return self._edit_user_message(chat, edit_of, kind, text, caption)
        if reply_to_message_id is not None:
            target = chat.messages.get(reply_to_message_id)
            if target is None or target.deleted:
                raise SandboxError(400, f"message {reply_to_message_id} not found in chat")
        msg = _Message(
            message_id=self._allocate_message_id(chat),
            chat_id=user_id,
            sender="user",
            date=now,
            kind=kind,
            reply_to_message_id=reply_to_message_id,
        )
        if kind == "text":
            msg.text = msg.raw_text = text
            msg.entities = self._command_entities(text or "")
        else:
            msg.media, msg.caption = self._user_media(kind, caption)
            msg.raw_text = msg.caption
            if kind == "contact" and isinstance(msg.media, dict):
                msg.media["first_name"] = user.first_name
                msg.media["user_id"] = user.id
        chat.messages[msg.message_id] = msg
        if chat.reply_keyboard is not None and chat.reply_keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None
        self._touch(chat)
        update_id = self._enqueue("message", self._api_message(msg), user_id)
        return {"update_id": update_id, "message_id": msg.message_id}

    def _edit_user_message(
        self, chat: _Chat, message_id: int, kind: str, text: str | None, caption: str | None
    ) -> JSON:
        msg = chat.messages.get(message_id)
        if msg is None or msg.sender != "user" or msg.deleted:
            raise SandboxError(400, f"message {message_id} is not a message of user {chat.chat_id}")
        if msg.kind == "text":
            if kind != "text":
                raise SandboxError(400, "a text message can only be edited into text")
            msg.text = msg.raw_text = text
            msg.entities = self._command_entities(text or "")
        else:
            msg.caption = msg.raw_text = caption
        msg.edit_date = int(time.time())
        self._touch(chat)
        update_id = self._enqueue("edited_message", self._api_message(msg), chat.chat_id)
        return {"update_id": update_id, "message_id": msg.message_id}

    @staticmethod
    def _command_entities(text: str) -> list[JSON]:
        if not text.startswith("/") or len(text) < 2 or text[1].isspace():
            return []
        command = text.split(maxsplit=1)[0]
        return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]

    def inject_callback(self, user_id: int, message_id: int, data: str) -> JSON:
        """The participant presses the inline button with ``callback_data == data``.

        Returns ``{"update_id": int, "callback_query_id": str}``.
        """
        user = self._users.get(user_id)
        chat = self._chats.get(user_id)
        msg = chat.messages.get(message_id) if chat else None
        if user is None or chat is None or msg is None or msg.deleted or msg.sender != "bot":
            raise SandboxError(400, f"no bot message {message_id} in chat {user_id}")
        if not any(b.get("callback_data") == data for b in inline_buttons(msg.reply_markup)):
            raise SandboxError(
                400, f"message {message_id} has no inline button with callback_data {data!r}"
            )
        query_id = str(4_000_000_000_000_000_000 + self._next_callback)
        self._next_callback += 1
        self._callbacks[query_id] = _Callback(
            query_id, user_id, user_id, message_id, data, time.time()
        )
        payload = {
            "id": query_id,
            "from": user.api(),
            "message": self._api_message(msg),
            "chat_instance": str(-(7_000_000_000_000_000 + user_id)),
            "data": data,
        }
        update_id = self._enqueue("callback_query", payload, user_id)
        return {"update_id": update_id, "callback_query_id": query_id}

    def press(self, user_id: int, text: str) -> JSON:
        """Press a button by its visible text: inline first (newest message), then reply keyboard.

        Returns ``{"kind": "callback", "update_id", "callback_query_id", "message_id"}``,
        ``{"kind": "url", "url", "message_id"}`` or ``{"kind": "text"|"contact"|"location",
        "update_id", "message_id"}``; raises ``SandboxError(404)`` when nothing matches.
        """
        chat = self._chats.get(user_id)
        if chat is None or user_id not in self._users:
            raise SandboxError(404, f"chat {user_id} does not exist")
        for msg in reversed(list(chat.messages.values())):
            if msg.sender != "bot" or msg.deleted:
                continue
            for button in inline_buttons(msg.reply_markup):
                if button.get("text") != text:
                    continue
                if button.get("callback_data") is not None:
                    result = self.inject_callback(
                        user_id, msg.message_id, str(button["callback_data"])
                    )
                    return {"kind": "callback", "message_id": msg.message_id, **result}
                if button.get("url") is not None:
                    return {"kind": "url", "url": button["url"], "message_id": msg.message_id}
        pressed = self._press_reply_keyboard(chat, text)
        if pressed is not None:
            return pressed
        raise SandboxError(
            404, f"no inline button or reply keyboard button with text {text!r} in chat {user_id}"
        )

    def _press_reply_keyboard(self, chat: _Chat, text: str) -> JSON | None:
        keyboard = chat.reply_keyboard or {}
        for row in keyboard.get("keyboard", []):
            for button in row:
                if keyboard_button_text(button) != text:
                    continue
                options = button if isinstance(button, dict) else {}
                if options.get("request_contact"):
                    return {"kind": "contact", **self.inject_message(chat.chat_id, kind="contact")}
                if options.get("request_location"):
                    return {
                        "kind": "location",
                        **self.inject_message(chat.chat_id, kind="location"),
                    }
                return {"kind": "text", **self.inject_message(chat.chat_id, text)}
        return None

    def block(self, user_id: int, blocked: bool = True, *, notify: bool = True) -> JSON:
        """Block (or unblock) the bot for a user; sends a ``my_chat_member`` update if notify."""
        user = self._users.get(user_id)
        if user is None:
            raise SandboxError(404, f"user {user_id} does not exist")
        changed = user.blocked != blocked
        user.blocked = blocked
        update_id: int | None = None
        if changed and notify:
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            old_member: JSON = {"user": self.bot_user, "status": old}
            new_member: JSON = {"user": self.bot_user, "status": new}
            if old == "kicked":
                old_member["until_date"] = 0
            if new == "kicked":
                new_member["until_date"] = 0
            payload = {
                "chat": user.chat(),
                "from": user.api(),
                "date": int(time.time()),
                "old_chat_member": old_member,
                "new_chat_member": new_member,
            }
            update_id = self._enqueue("my_chat_member", payload, user_id)
        return {"user_id": user_id, "blocked": blocked, "update_id": update_id}

    # ------------------------------------------------------------------ inspection

    def history(self, chat_id: int) -> JSON:
        """The chat as the participant sees it (see the control API docs)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return {
                "chat_id": chat_id,
                "messages": [],
                "reply_keyboard": None,
                "version": 0,
                "chat_action": None,
                "toast": None,
                "user": None,
            }
        action = chat.chat_action
        if action is not None and action["until"] < time.time():
            action = None
        user = self._users.get(chat_id)
        return {
            "chat_id": chat_id,
            "messages": [self._history_entry(m) for m in chat.messages.values()],
            "reply_keyboard": chat.reply_keyboard,
            "version": chat.version,
            "chat_action": action,
            "toast": chat.toast,
            "user": user.control() if user else None,
        }

    def messages(self, chat_id: int) -> list[JSON]:
        return list(self.history(chat_id)["messages"])

    async def wait_history(
        self,
        chat_id: int,
        version: int,
        timeout: float,
    ) -> JSON:
        """Return the history as soon as its version differs from ``version``."""
        deadline = time.monotonic() + max(0.0, min(timeout, 60.0))
        while True:
            chat = self._chats.get(chat_id)
            current = chat.version if chat else 0
            remaining = deadline - time.monotonic()
            if current != version or remaining <= 0 or self._closing:
                return self.history(chat_id)
            await self._chat(chat_id).signal.wait(remaining)

    def callback_answers(self) -> list[JSON]:
        return [c.control() for c in self._callbacks.values()]

    def unanswered_callbacks(self) -> int:
        return sum(1 for c in self._callbacks.values() if not c.answered)

    def requests(self, method: str | None = None) -> list[JSON]:
        if method is None:
            return list(self._requests)
        return [r for r in self._requests if str(r["method"]).lower() == method.lower()]

    def pending_updates(self) -> list[JSON]:
        return [u.payload for u in self._pending]

    def webhook_deliveries(self) -> list[JSON]:
        return list(self._deliveries)

    def commands(self) -> list[JSON]:
        return [
            {"scope": scope, "language_code": lang, "commands": cmds}
            for (scope, lang), cmds in self._commands.items()
        ]

    def stats(self) -> JSON:
        client_errors = sum(n for s, n in self._status_counts.items() if s.startswith("4"))
        server_errors = sum(n for s, n in self._status_counts.items() if s.startswith("5"))
        return {
            "calls": dict(self._calls),
            "status_counts": dict(self._status_counts),
            "rate_limited": len(self._rate_limit_events),
            "rate_limit_events": list(self._rate_limit_events),
            "client_errors": client_errors,
            "server_errors": server_errors,
            "updates_created": self._updates_created,
            "pending_updates": len(self._pending),
            "unanswered_callbacks": self.unanswered_callbacks(),
            "webhook_deliveries": len(self._deliveries),
            "webhook_url": self._webhook_url,
        }

    # ------------------------------------------------------------------ control knobs

    def set_limits(
        self,
        *,
        enforce_rates: bool | None = None,
        global_rate: float | None = None,
        global_burst: int | None = None,
        chat_rate: float | None = None,
        chat_burst: int | None = None,
    ) -> JSON:
        if enforce_rates is not None:
            self.enforce_rates = enforce_rates
        if global_rate is not None:
            self.global_rate = float(global_rate)
        if global_burst is not None:
            self.global_burst = int(global_burst)
        if chat_rate is not None:
            self.chat_rate = float(chat_rate)
        if chat_burst is not None:
            self.chat_burst = int(chat_burst)
        self._global_bucket.reconfigure(self.global_rate, self.global_burst)
        for bucket in self._chat_buckets.values():
            bucket.reconfigure(self.chat_rate, self.chat_burst)
        return self.limits()

    def limits(self) -> JSON:
        return {
            "enforce_rates": self.enforce_rates,
            "global_rate": self.global_rate,
            "global_burst": self.global_burst,
            "chat_rate": self.chat_rate,
            "chat_burst": self.chat_burst,
        }

    def fail_next(
        self,
        method: str,
        status: int,
        count: int = 1,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        delay: float = 0.0,
    ) -> JSON:
        """Answer the next ``count`` calls of ``method`` ("*" = any) with ``status``.

        ``status`` 200 with a ``delay`` only slows the calls down. A failed call changes no
        state.
        """
        key = method.lower()
        if key != "*" and key not in self._method_names:
            raise SandboxError(400, f"unknown Bot API method {method!r}")
        if count < 1:
            raise SandboxError(400, "count must be >= 1")
        self._faults[key] = _Fault(
            status=status,
            count=count,
            retry_after=retry_after,
            description=description,
            delay=max(0.0, delay),
        )
        return {
            "method": self._method_names.get(key, "*"),
            "status": status,
            "count": count,
            "retry_after": retry_after,
            "description": description,
            "delay": delay,
        }

    async def reset(self) -> None:
        """Clear all state (users, chats, updates, webhook, logs, faults, limits).

        Update ids keep increasing so a running poller's offset stays valid.
        """
        self._wake_all()
        await self._cancel_webhook_workers()
        old_chats = list(self._chats.values())
        old_signal = self._updates_signal
        self._reset_state()
        for chat in old_chats:
            chat.signal.fire()
        old_signal.fire()

    # ------------------------------------------------------------------ ASGI app

    def _build_app(self) -> Starlette:
        routes = [
            Route("/", self._ep_index, methods=["GET"]),
            Route("/phone", self._ep_phone, methods=["GET"]),
            Route("/bot{token}/{method}", self._ep_bot, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._ep_file, methods=["GET"]),
            Route("/control/users", self._ep_users, methods=["GET", "POST"]),
            Route("/control/users/{user_id:int}/block", self._ep_block, methods=["POST"]),
            Route("/control/messages", self._ep_messages, methods=["POST"]),
            Route("/control/callbacks", self._ep_callbacks, methods=["POST"]),
            Route("/control/press", self._ep_press, methods=["POST"]),
            Route("/control/chats/{chat_id:int}/history", self._ep_history, methods=["GET"]),
            Route("/control/chats/{chat_id:int}/wait", self._ep_wait, methods=["GET"]),
            Route("/control/callback_answers", self._ep_callback_answers, methods=["GET"]),
            Route("/control/unanswered_callbacks", self._ep_unanswered, methods=["GET"]),
            Route("/control/requests", self._ep_requests, methods=["GET"]),
            Route("/control/updates", self._ep_updates, methods=["GET"]),
            Route("/control/commands", self._ep_commands, methods=["GET"]),
            Route("/control/limits", self._ep_limits, methods=["GET", "POST"]),
            Route("/control/fail_next", self._ep_fail_next, methods=["POST"]),
            Route("/control/webhook_deliveries", self._ep_deliveries, methods=["GET"]),
            Route("/control/stats", self._ep_stats, methods=["GET"]),
            Route("/control/reset", self._ep_reset, methods=["POST"]),
        ]
        app = Starlette(routes=routes)
        app.add_exception_handler(SandboxError, self._sandbox_error)
        return app

    async def _sandbox_error(self, request: Request, exc: Exception) -> Response:
        if isinstance(exc, SandboxError):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status)
        raise exc

    async def _ep_index(self, request: Request) -> Response:
        return RedirectResponse("/phone")

    async def _ep_phone(self, request: Request) -> Response:
        return HTMLResponse(phone_html(), headers={"Cache-Control": "no-store"})

    async def _ep_bot(self, request: Request) -> Response:
        token = str(request.path_params["token"])
        method = str(request.path_params["method"])
        if token != self.bot_token:
            body: JSON = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            self._log(method, {}, 401, body, "http")
            return JSONResponse(body, status_code=401)
        raw = await request.body()
        try:
            values, files = parse_body(
                raw, request.headers.get("content-type", ""), list(request.query_params.items())
            )
        except ApiError as exc:
            self._log(method, {}, exc.status, exc.payload(), "http")
            return JSONResponse(exc.payload(), status_code=exc.status)
        status, body = await self._dispatch(method, Params(values, files))
        return JSONResponse(body, status_code=status)

    @staticmethod
    async def _json(request: Request) -> JSON:
        raw = await request.body()
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise SandboxError(400, "body must be a JSON object") from exc
        if not isinstance(data, dict):
            raise SandboxError(400, "body must be a JSON object")
        return data

    @staticmethod
    def _int(data: JSON, key: str, *, required: bool = True) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                raise SandboxError(400, f"{key} is required")
            return None
        if isinstance(value, bool):
            raise SandboxError(400, f"{key} must be an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise SandboxError(400, f"{key} must be an integer")

    @staticmethod
    def _opt_str(data: JSON, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise SandboxError(400, f"{key} must be a string")
        return value

    def _req_int(self, data: JSON, key: str) -> int:
        value = self._int(data, key)
        if value is None:  # pragma: no cover - _int raises for required keys
            raise SandboxError(400, f"{key} is required")
        return value

    async def _ep_users(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse({"users": self.users()})
        data = await self._json(request)
        user = self.create_user(
            self._req_int(data, "user_id"),
            first_name=self._opt_str(data, "first_name"),
            last_name=self._opt_str(data, "last_name"),
            username=self._opt_str(data, "username"),
            language_code=self._opt_str(data, "language_code"),
        )
        return JSONResponse(user)

    async def _ep_block(self, request: Request) -> Response:
        data = await self._json(request)
        blocked = data.get("blocked", True)
        notify = data.get("notify", True)
        result = self.block(int(request.path_params["user_id"]), bool(blocked), notify=bool(notify))
        return JSONResponse(result)

    async def _ep_messages(self, request: Request) -> Response:
        data = await self._json(request)
        result = self.inject_message(
            self._req_int(data, "user_id"),
            self._opt_str(data, "text"),
            kind=self._opt_str(data, "kind"),
            first_name=self._opt_str(data, "first_name"),
            last_name=self._opt_str(data, "last_name"),
            username=self._opt_str(data, "username"),
            language_code=self._opt_str(data, "language_code"),
            edit_of=self._int(data, "edit_of", required=False),
            caption=self._opt_str(data, "caption"),
            reply_to_message_id=self._int(data, "reply_to_message_id", required=False),
        )
        return JSONResponse(result)

    async def _ep_callbacks(self, request: Request) -> Response:
        data = await self._json(request)
        callback_data = self._opt_str(data, "data")
        if callback_data is None:
            raise SandboxError(400, "data is required")
        result = self.inject_callback(
            self._req_int(data, "user_id"), self._req_int(data, "message_id"), callback_data
        )
        return JSONResponse(result)

    async def _ep_press(self, request: Request) -> Response:
        data = await self._json(request)
        text = self._opt_str(data, "text")
        if text is None:
            raise SandboxError(400, "text is required")
        return JSONResponse(self.press(self._req_int(data, "user_id"), text))

    async def _ep_history(self, request: Request) -> Response:
        return JSONResponse(self.history(int(request.path_params["chat_id"])))

    async def _ep_wait(self, request: Request) -> Response:
        try:
            version = int(request.query_params.get("version", "-1"))
            timeout = float(request.query_params.get("timeout", "25"))
        except ValueError as exc:
            raise SandboxError(400, "version must be an integer, timeout a number") from exc
        history = await self.wait_history(int(request.path_params["chat_id"]), version, timeout)
        return JSONResponse(history)

    async def _ep_callback_answers(self, request: Request) -> Response:
        return JSONResponse(self.callback_answers())

    async def _ep_unanswered(self, request: Request) -> Response:
        return JSONResponse({"count": self.unanswered_callbacks()})

    async def _ep_requests(self, request: Request) -> Response:
        return JSONResponse(self.requests(request.query_params.get("method")))

    async def _ep_updates(self, request: Request) -> Response:
        return JSONResponse(self.pending_updates())

    async def _ep_commands(self, request: Request) -> Response:
        return JSONResponse(self.commands())

    async def _ep_limits(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(self.limits())
        data = await self._json(request)
        unknown = set(data) - {
            "enforce_rates",
            "global_rate",
            "global_burst",
            "chat_rate",
            "chat_burst",
        }
        if unknown:
            raise SandboxError(400, f"unknown limit(s): {', '.join(sorted(unknown))}")
        try:
            result = self.set_limits(
                enforce_rates=None
                if data.get("enforce_rates") is None
                else bool(data["enforce_rates"]),
                global_rate=None if data.get("global_rate") is None else float(data["global_rate"]),
                global_burst=None
                if data.get("global_burst") is None
                else int(data["global_burst"]),
                chat_rate=None if data.get("chat_rate") is None else float(data["chat_rate"]),
                chat_burst=None if data.get("chat_burst") is None else int(data["chat_burst"]),
            )
        except (TypeError, ValueError) as exc:
            raise SandboxError(400, f"invalid limits: {exc}") from exc
        return JSONResponse(result)

    async def _ep_fail_next(self, request: Request) -> Response:
        data = await self._json(request)
        method = self._opt_str(data, "method")
        if not method:
            raise SandboxError(400, "method is required")
        status = self._req_int(data, "status")
        count = self._int(data, "count", required=False) or 1
        delay = data.get("delay", 0.0)
        if not isinstance(delay, (int, float)) or isinstance(delay, bool):
            raise SandboxError(400, "delay must be a number")
        result = self.fail_next(
            method,
            status,
            count,
            retry_after=self._int(data, "retry_after", required=False),
            description=self._opt_str(data, "description"),
            delay=float(delay),
        )
        return JSONResponse(result)

    async def _ep_deliveries(self, request: Request) -> Response:
        return JSONResponse(self.webhook_deliveries())

    async def _ep_stats(self, request: Request) -> Response:
        return JSONResponse(self.stats())

    async def _ep_reset(self, request: Request) -> Response:
        await self.reset()
        return JSONResponse({"ok": True})
