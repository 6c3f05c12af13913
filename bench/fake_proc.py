"""The participants' side of the pipeline benchmark, in a process of its own.

A child process runs :class:`BenchTelegram` (the sandbox ``FakeTelegram`` plus bookkeeping)
and plays every participant in-process: it injects the updates and times each reply of the
bot. The bot under test runs in the parent process and only sees the Bot API over HTTP, as
with the real Telegram. Keeping the fake in its own process keeps its own CPU cost (HTTP
server, request parsing, JSON) out of the bot's process, so the throughput figures are the
bot's, not the bot's plus the fake's.

The parent talks to the child over a pipe, see ``bench.proc``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench.proc import serve
from wzt_bot.sandbox.fake_telegram import FakeTelegram
from wzt_bot.sandbox.params import Params

JSON = dict[str, Any]
REPLY_TIMEOUT = 30.0  # seconds one update may wait for its answer before it counts as lost


@dataclass
class _ChatBook:
    """Injections of one chat still waiting for their reply, oldest first."""

    waiting: deque[float] = field(default_factory=deque)
    latencies: list[float] = field(default_factory=list)
    last_reply: float = 0.0
    extra_replies: int = 0
    signal: asyncio.Event = field(default_factory=asyncio.Event)


class BenchTelegram(FakeTelegram):
    """``FakeTelegram`` that times every ``sendMessage`` against the injections of its chat.

    A reply is matched to the oldest unanswered injection of the same chat (updates of one
    chat are answered in order by both bots). Every non-ok Bot API answer is counted.
    """

    def __init__(self, *, nodelay: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.nodelay = nodelay
        self.books: dict[int, _ChatBook] = {}
        self.not_ok: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.replied = asyncio.Event()

    async def start(self) -> None:
        """Start, then switch Nagle's algorithm off for every accepted connection.

        ``FakeTelegram.start`` binds a socket made with ``socket.socket(AF_INET, SOCK_STREAM)``
        (proto 0), and asyncio only sets TCP_NODELAY on accepted sockets whose proto is
        IPPROTO_TCP. uvicorn writes a response's head and body separately, so every answer of
        the fake then waits for the client's delayed ACK: about 40 ms per Bot API call on
        Linux. Real Telegram has no such stall; set on the listening socket, TCP_NODELAY is
        inherited by the accepted ones.
        """
        await super().start()
        server = self._server
        if self.nodelay and server is not None:
            for listener in server.servers:
                for sock in listener.sockets:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def book(self, chat_id: int) -> _ChatBook:
        book = self.books.get(chat_id)
        if book is None:
            book = self.books[chat_id] = _ChatBook()
        return book

    def reset_books(self) -> None:
        self.books = {}
        self.not_ok = Counter()
        self.calls = Counter()

    async def _dispatch(
        self, method_name: str, params: Params, via: str = "http"
    ) -> tuple[int, JSON]:
        status, body = await super()._dispatch(method_name, params, via)
        now = time.perf_counter()
        self.calls[method_name] += 1
        if status != 200 or not body.get("ok"):
            self.not_ok[f"{method_name} {status}"] += 1
        elif method_name.lower() == "sendmessage":
            chat_id = int(body["result"]["chat"]["id"])
            book = self.book(chat_id)
            if book.waiting:
                book.latencies.append(now - book.waiting.popleft())
                book.last_reply = now
                book.signal.set()
                self.replied.set()
            else:
                book.extra_replies += 1
        return status, body

    async def all_answered(self, chats: list[int], timeout: float) -> bool:
        """Wait until no injection of ``chats`` waits for its reply (False on timeout)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while any(self.book(c).waiting for c in chats):
                    self.replied.clear()
                    await self.replied.wait()
                return True
        return False

    def send(self, chat_id: int, text: str) -> None:
        book = self.book(chat_id)
        book.waiting.append(time.perf_counter())
        self.inject_message(chat_id, text, language_code="nl")


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


async def _closed_chat(fake: BenchTelegram, chat_id: int, texts: list[str]) -> None:
    """One participant who sends the next message as soon as the previous one is answered."""
    book = fake.book(chat_id)
    for text in texts:
        book.signal.clear()
        fake.send(chat_id, text)
        try:
            await asyncio.wait_for(book.signal.wait(), REPLY_TIMEOUT)
        except TimeoutError:
            return  # lost: the rest of this chat is not sent, the loss shows in the errors


async def _burst(fake: BenchTelegram, plan: dict[int, list[str]]) -> None:
    """All updates at once (round robin over the chats), then wait for every reply."""
    longest = max((len(texts) for texts in plan.values()), default=0)
    for i in range(longest):
        for chat_id, texts in plan.items():
            if i < len(texts):
                fake.send(chat_id, texts[i])
    await fake.all_answered(list(plan), REPLY_TIMEOUT + 0.2 * sum(map(len, plan.values())))


async def run_load(fake: BenchTelegram, plan: dict[int, list[str]], mode: str) -> JSON:
    """Play ``plan`` (texts per chat); return the timings as plain data."""
    fake.reset_books()
    cpu0, wall0 = _cpu_seconds(), time.perf_counter()
    if mode == "closed":
        await asyncio.gather(*(_closed_chat(fake, c, texts) for c, texts in plan.items()))
    else:
        await _burst(fake, plan)
    # Replies that are still on their way are given a moment (they count if they arrive).
    await fake.all_answered(list(plan), 1.0)
    last = max((fake.book(c).last_reply for c in plan), default=wall0)
    wall = max(last - wall0, 1e-9)
    latencies = [lat for c in plan for lat in fake.book(c).latencies]
    return {
        "injected": sum(len(fake.book(c).latencies) + len(fake.book(c).waiting) for c in plan),
        "planned": sum(len(texts) for texts in plan.values()),
        "answered": len(latencies),
        "extra_replies": sum(fake.book(c).extra_replies for c in plan),
        "wall_seconds": wall,
        "latencies": latencies,
        "not_ok": dict(fake.not_ok),
        "calls": dict(fake.calls),
        "fake_cpu_seconds": _cpu_seconds() - cpu0,
    }


async def _serve(conn: Connection, token: str, username: str, nodelay: bool) -> None:
    fake = BenchTelegram(
        bot_token=token, bot_username=username, enforce_rates=False, nodelay=nodelay
    )
    await fake.start()

    async def users(chat_ids: list[int]) -> None:
        for chat_id in chat_ids:
            fake.create_user(chat_id, first_name=f"Deelnemer {chat_id}", language_code="nl")

    async def load(arg: JSON) -> JSON:
        plan = {int(chat): list(texts) for chat, texts in arg["plan"].items()}
        # The fake is the harness, not the system under test: no garbage collector pauses
        # of its own (its chat histories grow with every message) in the measured part.
        gc.collect()
        gc.freeze()
        gc.disable()
        try:
            return await run_load(fake, plan, str(arg["mode"]))
        finally:
            gc.enable()

    async def stop(_: Any) -> None:
        await fake.stop()

    await serve(conn, {"users": users, "load": load, "stop": stop}, ready=fake.base_url)


def fake_main(conn: Connection, token: str, username: str, nodelay: bool) -> None:
    """Entry point of the fake Telegram child process (see ``proc.ChildProcess``)."""
    asyncio.run(_serve(conn, token, username, nodelay))
