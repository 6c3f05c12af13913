"""The bots under test, each in a child process of its own (see ``bench.proc``).

- ``echo_main``: a bare aiogram 3 Dispatcher with one handler that answers the same text.
  This process imports aiogram only, like a real echo bot.
- ``wzt_main``: the real bot as ``wzt-bot run bot`` builds it (``Container.open`` +
  ``run_parts``, polling), like a real deployment of wzt-bot.

Commands from the parent: "measure" (start the CPU meter and the probes), "measured" (stop
them, return the figures), "stop" (stop polling, finish the work in flight).
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import gc
import io
import logging
import pstats
import re
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bench.proc import CpuMeter, serve

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

JSON = dict[str, Any]


class Probe(Protocol):
    """Switched on for the measured part of a run only (not during the warm-up)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


class Measurement:
    """The bot process' CPU and the probes, between "measure" and "measured".

    ``{"gc_freeze": true}`` as the argument of "measure" first moves every object alive
    (modules, schemas, the warmed-up bot) out of the garbage collector's reach with
    ``gc.freeze()``, as a service can do once it has started (an experiment, see README).
    """

    def __init__(self, probes: tuple[Probe, ...] = ()) -> None:
        self.meter = CpuMeter()
        self.probes = probes

    async def start(self, arg: Any = None) -> None:
        if isinstance(arg, dict) and arg.get("gc_freeze"):
            gc.collect()
            gc.freeze()
        for probe in self.probes:
            probe.start()
        self.meter.start()

    async def stop(self, _: Any = None) -> JSON:
        cpu, loop_cpu = self.meter.stop()
        for probe in self.probes:
            probe.stop()
        return {"cpu_seconds": cpu, "loop_cpu_seconds": loop_cpu}


# --------------------------------------------------------------------------- echo


async def _echo(conn: Connection, token: str, base_url: str) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    logging.basicConfig(level=logging.WARNING)
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False))
    measurement = Measurement()

    async def stop(_: Any) -> None:
        with contextlib.suppress(RuntimeError):  # polling had not started yet
            await dp.stop_polling()
        await asyncio.wait_for(polling, timeout=30)

    await serve(conn, {"measure": measurement.start, "measured": measurement.stop, "stop": stop})


def echo_main(conn: Connection, token: str, base_url: str) -> None:
    """Entry point of the echo bot's child process."""
    asyncio.run(_echo(conn, token, base_url))


# --------------------------------------------------------------------------- wzt-bot


class SqlCounter:
    """Counts the SQL statements and commits the bot sends, by kind and table."""

    _TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE)\s+\"?(\w+)", re.IGNORECASE)

    def __init__(self, engine: AsyncEngine) -> None:
        from sqlalchemy import event

        self.counts: Counter[str] = Counter()
        self.active = False
        event.listen(engine.sync_engine, "before_cursor_execute", self._on_execute)
        event.listen(engine.sync_engine, "commit", self._on_commit)

    @classmethod
    def kind(cls, statement: str) -> str:
        words = statement.split(None, 2)
        verb = words[0].upper() if words else "?"
        if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK"):
            return verb
        table = cls._TABLE.search(statement)
        return f"{verb} {table.group(1)}" if table else verb

    def _on_execute(self, *args: Any) -> None:
        if self.active:
            self.counts[self.kind(str(args[2]))] += 1

    def _on_commit(self, *args: Any) -> None:
        if self.active:
            self.counts["COMMIT"] += 1

    def start(self) -> None:
        self.counts.clear()
        self.active = True

    def stop(self) -> None:
        self.active = False


class Profiler:
    """cProfile of the bot's event loop thread; written and summarised when stopped."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.profile = cProfile.Profile()

    def start(self) -> None:
        self.profile.enable()

    def stop(self) -> None:
        self.profile.disable()
        self.profile.dump_stats(str(self.path))
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(self.profile, stream=out).strip_dirs().sort_stats(order).print_stats(30)
            print(f"\n--- profile of the wzt bot process, by {order} ({self.path}) ---")
            print(out.getvalue(), flush=True)


def capture_log(path: str) -> None:
    """Send this process' stderr to ``path`` (before ``configure_logging``, which binds
    structlog's PrintLogger and the stdlib handler to ``sys.stderr``)."""
    import os
    import sys

    log = Path(path).open("a", encoding="utf-8", buffering=1)  # noqa: SIM115 - process-long
    os.dup2(log.fileno(), 2)
    sys.stderr = log


def name_levels() -> None:
    """Level and logger name in front of stdlib lines (``configure_logging`` writes the
    message only), so ERROR lines of aiogram and asyncio can be counted afterwards."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))


async def _wzt(
    conn: Connection, settings_values: JSON, profile: str | None, log_path: str | None = None
) -> None:
    from wzt_bot.config import Settings
    from wzt_bot.logging_setup import configure_logging
    from wzt_bot.wiring import Container, run_parts

    if log_path is not None:
        capture_log(log_path)
    configure_logging("WARNING")
    if log_path is not None:
        name_levels()
    settings = Settings(**settings_values, _env_file=None)  # type: ignore[call-arg]
    async with Container.open(settings) as container:
        sql = SqlCounter(container.engine)
        probes: tuple[Probe, ...] = (sql,) if profile is None else (sql, Profiler(Path(profile)))
        measurement = Measurement(probes)
        stop_event = asyncio.Event()
        bot_task = asyncio.create_task(run_parts(container, stop_event, {"bot"}))

        async def measured(_: Any) -> JSON:
            return {**await measurement.stop(), "sql": dict(sql.counts)}

        async def stop(_: Any) -> None:
            stop_event.set()
            await asyncio.wait_for(bot_task, timeout=30)
            if container.pipeline is not None:
                await container.pipeline.drain(timeout=30)

        await serve(conn, {"measure": measurement.start, "measured": measured, "stop": stop})


def wzt_main(
    conn: Connection, settings_values: JSON, profile: str | None, log_path: str | None = None
) -> None:
    """Entry point of the wzt bot's child process (its stderr to ``log_path`` when given)."""
    asyncio.run(_wzt(conn, settings_values, profile, log_path))
