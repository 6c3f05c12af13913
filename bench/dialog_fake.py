"""The participants' side of the dialog benchmark, in a process of its own.

A child process runs :class:`DialogTelegram` (the sandbox ``FakeTelegram`` plus bookkeeping)
and plays every participant in-process, all at once, each one step at a time: inject the
step (a text, or a press of a button by its visible text), wait until the bot's answer to
that step is recorded, then the next step. The answer to a step is the first message the
bot sends (or edits) in that chat whose text holds every expected piece; any other message
the bot sends or edits in the chat meanwhile is an unexpected answer. Flood limits are those
the parent asks for (Telegram's, or off).

The parent talks to the child over a pipe, see ``bench.proc``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench.proc import serve
from wzt_bot.sandbox.fake_telegram import FakeTelegram, SandboxError
from wzt_bot.sandbox.params import ApiError, Params

JSON = dict[str, Any]
#: Methods whose text is the bot's answer to a step.
ANSWERS = frozenset({"sendmessage", "editmessagetext"})
GRACE = 2.0  # seconds after the last step: late (doubled) answers still count as errors


@dataclass
class _Walker:
    """One participant: the step waiting for its answer, and what came back."""

    expect: tuple[str, ...] | None = None
    kind: str = ""
    answered_at: float = 0.0
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    unexpected: list[str] = field(default_factory=list)

    def on_text(self, now: float, method: str, text: str) -> None:
        if self.expect is not None and all(piece in text for piece in self.expect):
            self.expect = None
            self.answered_at = now
            self.answered.set()
            return
        waiting = f"waiting for {self.kind}" if self.expect is not None else "no step waiting"
        self.unexpected.append(f"{method} ({waiting}): {text[:120]!r}")


class DialogTelegram(FakeTelegram):
    """``FakeTelegram`` that matches the bot's messages to the participants' steps."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.walkers: dict[int, _Walker] = {}
        self.calls: Counter[str] = Counter()
        self.not_ok: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.polling = asyncio.Event()  # the bot asked for updates: it is up and warmed up

    async def start(self) -> None:
        """Start with TCP_NODELAY on the accepted connections (see ``bench.fake_proc``)."""
        await super().start()
        if self._server is not None:
            for listener in self._server.servers:
                for sock in listener.sockets:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _step_of(self, params: Params) -> str:
        """The step the chat of a Bot API call is at (or was at last)."""
        try:
            chat_id = params.int_or_none("chat_id")
        except ApiError:
            chat_id = None
        walker = self.walkers.get(chat_id) if chat_id is not None else None
        return f"step {walker.kind!r}" if walker is not None else "no step"

    async def _dispatch(
        self, method_name: str, params: Params, via: str = "http"
    ) -> tuple[int, JSON]:
        if method_name.lower() == "getupdates":
            self.polling.set()
        status, body = await super()._dispatch(method_name, params, via)
        now = time.perf_counter()
        self.calls[method_name] += 1
        if status == 429:
            self.throttled[method_name] += 1  # the bot waits retry_after and sends again
        elif status != 200 or not body.get("ok"):
            self.not_ok[
                f"{method_name} {status} in {self._step_of(params)}: {body.get('description')}"
            ] += 1
        elif method_name.lower() in ANSWERS and isinstance(body.get("result"), dict):
            result = body["result"]
            walker = self.walkers.get(int(result["chat"]["id"]))
            if walker is not None:
                walker.on_text(now, method_name, str(result.get("text") or ""))
        return status, body


@dataclass
class _Outcome:
    latencies: list[tuple[str, float]] = field(default_factory=list)  # (kind, seconds)
    timeouts: Counter[str] = field(default_factory=Counter)
    no_button: list[str] = field(default_factory=list)
    finished: int = 0


async def _walk(
    fake: DialogTelegram, chat_id: int, steps: list[JSON], timeout: float, out: _Outcome
) -> None:
    """One participant through its steps; a lost or impossible step ends its walk."""
    walker = fake.walkers[chat_id]
    for step in steps:
        walker.kind = str(step["kind"])
        walker.expect = tuple(step["expect"])
        walker.answered.clear()
        started = time.perf_counter()
        try:
            if step["action"] == "press":
                fake.press(chat_id, str(step["text"]))
            else:
                fake.inject_message(chat_id, str(step["text"]), language_code="nl")
        except SandboxError as exc:
            out.no_button.append(f"{chat_id} {walker.kind}: {exc.detail}")
            walker.expect = None
            return
        try:
            await asyncio.wait_for(walker.answered.wait(), timeout)
        except TimeoutError:
            out.timeouts[walker.kind] += 1
            walker.expect = None
            return
        out.latencies.append((walker.kind, walker.answered_at - started))
    out.finished += 1


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


async def run_walks(fake: DialogTelegram, script: dict[int, list[JSON]], timeout: float) -> JSON:
    """Every participant at once through its steps; the figures as plain data.

    Starts once the bot polls (after its start-up, language models loaded).
    """
    await asyncio.wait_for(fake.polling.wait(), 120)
    fake.walkers = {chat_id: _Walker() for chat_id in script}
    fake.calls.clear()
    fake.not_ok.clear()
    fake.throttled.clear()
    out = _Outcome()
    cpu0, wall0 = _cpu_seconds(), time.perf_counter()
    await asyncio.gather(*(_walk(fake, c, steps, timeout, out) for c, steps in script.items()))
    last = max((w.answered_at for w in fake.walkers.values()), default=wall0)
    await asyncio.sleep(GRACE)  # a doubled answer of the last step shows up as unexpected
    unexpected = [f"{c}: {u}" for c, w in fake.walkers.items() for u in w.unexpected]
    return {
        "participants": len(script),
        "planned": sum(len(steps) for steps in script.values()),
        "finished": out.finished,
        "latencies": out.latencies,
        "timeouts": dict(out.timeouts),
        "no_button": out.no_button,
        "unexpected": unexpected,
        "not_ok": dict(fake.not_ok),
        "throttled": dict(fake.throttled),
        "calls": dict(fake.calls),
        "wall_seconds": max(last - wall0, 1e-9),
        "fake_cpu_seconds": _cpu_seconds() - cpu0,
        "limits": fake.limits(),
    }


async def _serve(conn: Connection, token: str, username: str, limits: JSON) -> None:
    fake = DialogTelegram(bot_token=token, bot_username=username, **limits)
    await fake.start()

    async def users(chat_ids: list[int]) -> None:
        for chat_id in chat_ids:
            fake.create_user(chat_id, first_name=f"Deelnemer {chat_id}", language_code="nl")

    async def walk(arg: JSON) -> JSON:
        script = {int(chat): list(steps) for chat, steps in arg["script"].items()}
        gc.collect()  # the fake is the harness: no collector pauses of its own while measuring
        gc.freeze()
        gc.disable()
        try:
            return await run_walks(fake, script, float(arg["timeout"]))
        finally:
            gc.enable()

    async def stop(_: Any) -> None:
        with contextlib.suppress(Exception):
            await fake.stop()

    await serve(conn, {"users": users, "walk": walk, "stop": stop}, ready=fake.base_url)


def dialog_fake_main(conn: Connection, token: str, username: str, limits: JSON) -> None:
    """Entry point of the fake Telegram child process (see ``proc.ChildProcess``)."""
    asyncio.run(_serve(conn, token, username, limits))
