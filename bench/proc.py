"""Child processes for the benchmarks, driven over a pipe; CPU meters.

Every part of a benchmark run lives in a process of its own (``spawn``, so each imports only
what it needs): the fake Telegram with the simulated participants, and the bot under test.
The parent only orchestrates. This module imports nothing of wzt-bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
import traceback
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

Handler = Callable[[Any], Awaitable[Any]]


async def serve(conn: Connection, handlers: dict[str, Handler], ready: Any = None) -> None:
    """In a child: answer the parent's ``(command, arg)`` messages until "stop".

    Each handler's result goes back as ``("ok", result)``, an exception as ``("error", text)``.
    The "stop" handler (optional) runs last; then this returns.
    """
    loop = asyncio.get_running_loop()
    conn.send(("ready", ready))
    while True:
        command, arg = await loop.run_in_executor(None, conn.recv)
        handler = handlers.get(command)
        if handler is None and command != "stop":
            conn.send(("error", f"unknown command {command!r}"))
            continue
        try:
            result = await handler(arg) if handler is not None else None
        except Exception:
            conn.send(("error", traceback.format_exc()))
        else:
            conn.send(("ok", result))
        if command == "stop":
            return


class ChildProcess:
    """The parent's handle on one child: start, call (without blocking the loop), stop."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child_conn = ctx.Pipe()
        self._proc = ctx.Process(target=target, args=(child_conn, *args), name=name)
        self.name = name

    async def start(self, timeout: float = 120) -> Any:
        """Start the child; return what it sent with "ready"."""
        self._proc.start()
        kind, value = await self._recv(timeout)
        if kind != "ready":
            raise RuntimeError(f"{self.name} did not start: {kind}: {value}")
        return value

    async def _recv(self, timeout: float) -> tuple[str, Any]:
        loop = asyncio.get_running_loop()
        ready = await loop.run_in_executor(None, self._conn.poll, timeout)
        if not ready:
            raise TimeoutError(f"{self.name} did not answer in {timeout:.0f} s")
        try:
            message: tuple[str, Any] = self._conn.recv()
        except EOFError as exc:
            raise RuntimeError(f"{self.name} exited (code {self._proc.exitcode})") from exc
        return message

    async def call(self, command: str, arg: Any = None, timeout: float = 600) -> Any:
        self._conn.send((command, arg))
        kind, value = await self._recv(timeout)
        if kind != "ok":
            raise RuntimeError(f"{self.name}, {command}: {kind}: {value}")
        return value

    async def stop(self, timeout: float = 60) -> Any:
        """Ask the child to stop (its "stop" handler's result is returned), then join it."""
        result: Any = None
        if self._proc.is_alive():
            with contextlib.suppress(OSError, TimeoutError, RuntimeError):
                result = await self.call("stop", timeout=timeout)
        await asyncio.get_running_loop().run_in_executor(None, self._proc.join, 15)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(5)
        self._conn.close()
        return result


class CpuMeter:
    """CPU seconds of this process, and of the calling (event loop) thread, over an interval."""

    def __init__(self) -> None:
        self._process = self._thread = 0.0

    @staticmethod
    def _process_cpu() -> float:
        times = os.times()
        return times.user + times.system

    def start(self) -> None:
        self._process, self._thread = self._process_cpu(), time.thread_time()

    def stop(self) -> tuple[float, float]:
        """(process CPU seconds, event loop thread CPU seconds) since start."""
        return self._process_cpu() - self._process, time.thread_time() - self._thread


class MachineMeter:
    """Busy fraction of all cores (from /proc/stat) over an interval; 0.0 where unknown."""

    def __init__(self) -> None:
        self._ticks = (0.0, 0.0)

    @staticmethod
    def _read() -> tuple[float, float]:
        try:
            fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        except (OSError, IndexError):
            return 0.0, 0.0
        values = [float(v) for v in fields]
        idle = values[3] + (values[4] if len(values) > 4 else 0.0)
        return sum(values) - idle, sum(values)

    def start(self) -> None:
        self._ticks = self._read()

    def stop(self) -> float:
        busy0, total0 = self._ticks
        busy1, total1 = self._read()
        return (busy1 - busy0) / (total1 - total0) if total1 > total0 else 0.0


def machine_busy(seconds: float) -> float:
    """Busy fraction of all cores over the next ``seconds`` (blocks; use before the runs)."""
    meter = MachineMeter()
    meter.start()
    time.sleep(seconds)
    return meter.stop()
