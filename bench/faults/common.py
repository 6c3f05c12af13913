"""Shared parts of the fault scenarios: databases, private servers, child processes.

Nothing here restarts or flushes the shared PostgreSQL or Redis: a scenario that kills a
server starts a private one (`PrivatePostgres`, `PrivateRedis`) on its own port and data
directory, and removes it afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.pipeline import POSTGRES_ADMIN_URL
from bench.proc import Handler, serve

BIN = Path(sys.executable).parent
TMP = Path(os.environ.get("WZT_FAULTS_TMP", "/work/tmp"))
TOKEN = "777002:FAULTS-bench-token"  # noqa: S105 - only valid on the fake
BOT_USERNAME = "wzt_faults_bot"
WIDE_OPEN = "100000"
JSON = dict[str, Any]


def secret_key() -> str:
    return "faults-" + secrets.token_urlsafe(40)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- PostgreSQL


async def admin_sql(sql: str, admin_url: str = POSTGRES_ADMIN_URL) -> None:
    url = make_url(admin_url)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def fresh_database(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> str:
    """Drop and create database `name` (only ours: `wzt_bench_faults...`); migrate it."""
    from wzt_bot.db.migrate import upgrade_head_async

    assert name.startswith("wzt_bench_faults")
    await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin_url)
    await admin_sql(f'CREATE DATABASE "{name}"', admin_url)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    await upgrade_head_async(url)
    return url


async def drop_database(name: str, admin_url: str = POSTGRES_ADMIN_URL) -> None:
    assert name.startswith("wzt_bench_faults")
    with contextlib.suppress(Exception):
        await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', admin_url)


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return versions[-1].parent


class PrivatePostgres:
    """A PostgreSQL server of our own (port 55432), run as the `postgres` OS user."""

    def __init__(self, port: int = 55432) -> None:
        self.port = port
        self.data = TMP / "faults-pg"
        self.sockets = TMP / "faults-pg-sock"
        self.log = TMP / "faults-pg.log"
        self.bin = _pg_bin()

    @property
    def admin_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def _pg_ctl(self, *args: str) -> None:
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), *args)

    def start(self) -> None:
        self.cleanup()
        TMP.mkdir(parents=True, exist_ok=True)
        for path in (self.data, self.sockets):
            path.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.log, "postgres", "postgres")
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust"
        )
        self._pg_ctl("-o", self._options(), "-l", str(self.log), "-w", "start")

    def _options(self) -> str:
        return f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start_again(self) -> None:
        self._pg_ctl("-o", self._options(), "-l", str(self.log), "-w", "start")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "-o", self._options(), "-l", str(self.log), "-w", "restart")

    def cleanup(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop()
        for path in (self.data, self.sockets):
            shutil.rmtree(path, ignore_errors=True)
        self.log.unlink(missing_ok=True)


class PrivateRedis:
    """A Redis of our own (port 56379), no persistence."""

    def __init__(self, port: int = 56379) -> None:
        self.port = port
        self.pidfile = TMP / f"faults-redis-{port}.pid"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        TMP.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
                "--dir",
                str(TMP),
            ],
            check=True,
            capture_output=True,
        )
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise RuntimeError("private redis did not start")

    def pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int(self.pidfile.read_text().strip())
        return None

    def kill(self) -> None:
        """SIGKILL our own redis-server (by its pid file)."""
        pid = self.pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        self.pidfile.unlink(missing_ok=True)


# --------------------------------------------------------------------------- wzt-bot


def wzt_env(url: str, base_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "WZT_DATABASE_URL": url,
        "WZT_BOT_TOKEN": TOKEN,
        "WZT_TELEGRAM_API_URL": base_url,
        "WZT_BOT_USERNAME": BOT_USERNAME,
        "WZT_TELEGRAM_GLOBAL_RATE": WIDE_OPEN,
        "WZT_TELEGRAM_CHAT_RATE": WIDE_OPEN,
        "WZT_TELEGRAM_CHAT_BURST": WIDE_OPEN,
        "WZT_API_HOST": "127.0.0.1",
        "WZT_LOG_LEVEL": "INFO",
    }
    for name in ("WZT_REDIS_URL", "WZT_WEBHOOK_URL", "WZT_WEBHOOK_SECRET"):
        env.pop(name, None)
    env.update(extra)
    return env


def _open_log(path: Path, *, append: bool) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a" if append else "w", encoding="utf-8")


class WztProcess:
    """`wzt-bot <args>` as a real subprocess; its output goes to a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log_name: str) -> None:
        self.args, self.env = args, env
        self.log = TMP / f"faults-{log_name}.log"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        out = _open_log(self.log, append=bool(self.starts))
        out.write(f"\n===== start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n")
        out.flush()
        self.process = await asyncio.create_subprocess_exec(
            str(BIN / "wzt-bot"), *self.args, env=self.env, stdout=out, stderr=out
        )
        out.close()
        self.starts += 1

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def kill(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self, timeout: float = 20) -> int | None:
        if self.process is None or self.process.returncode is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            await self.kill()
            return self.process.returncode

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


async def wait_http(url: str, *, status: int = 200, timeout: float = 60) -> float:
    """Seconds until GET url answers `status`."""
    import httpx

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=2) as client:
        while time.perf_counter() - started < timeout:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == status:
                    return time.perf_counter() - started
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} did not answer {status} within {timeout:.0f} s")


async def link_participants(url: str, chats: list[int]) -> None:
    """Linked, onboarded, consenting participants, through the domain services."""
    from bench.pipeline import link_participants as link
    from wzt_bot.config import Settings
    from wzt_bot.wiring import Container

    settings = Settings(database_url=url, secret_key=secret_key(), _env_file=None)
    async with Container.open(settings) as container:
        await link(container, chats)


# --------------------------------------------------------------------------- fake Bot API


async def _fake_serve(conn: Connection, token: str) -> None:
    from wzt_bot.sandbox.fake_telegram import FakeTelegram
    from wzt_bot.sandbox.params import Params

    class FaultTelegram(FakeTelegram):
        """Counts every accepted sendMessage per chat, with wall-clock times."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.sent: Counter[int] = Counter()
            self.times: list[float] = []

        async def start(self) -> None:
            await super().start()
            if self._server is not None:  # no Nagle stalls (see bench/fake_proc.py)
                for listener in self._server.servers:
                    for sock in listener.sockets:
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        async def _dispatch(
            self, method_name: str, params: Params, via: str = "http"
        ) -> tuple[int, JSON]:
            status, body = await super()._dispatch(method_name, params, via)
            if method_name.lower() == "sendmessage" and status == 200 and body.get("ok"):
                self.sent[int(body["result"]["chat"]["id"])] += 1
                self.times.append(time.time())
            return status, body

    fake = FaultTelegram(bot_token=token, bot_username=BOT_USERNAME, enforce_rates=False)
    await fake.start()

    async def users(chat_ids: list[int]) -> None:
        for chat_id in chat_ids:
            fake.create_user(chat_id, first_name=f"Deelnemer {chat_id}", language_code="nl")

    async def inject(messages: list[tuple[int, str]]) -> int:
        for chat_id, text in messages:
            fake.inject_message(chat_id, text, language_code="nl")
        return len(messages)

    async def count(_: Any) -> int:
        return sum(fake.sent.values())

    async def per_chat(chat_ids: list[int]) -> list[int]:
        return [fake.sent.get(c, 0) for c in chat_ids]

    async def times(_: Any) -> list[float]:
        return list(fake.times)

    async def stop(_: Any) -> None:
        await fake.stop()

    handlers: dict[str, Handler] = {
        "users": users,
        "inject": inject,
        "count": count,
        "per_chat": per_chat,
        "times": times,
        "stop": stop,
    }
    await serve(conn, handlers, ready=fake.base_url)


def fake_main(conn: Connection, token: str) -> None:
    """Entry point of the fake Bot API child process."""
    asyncio.run(_fake_serve(conn, token))


# --------------------------------------------------------------------------- receiver


async def _receiver_serve(conn: Connection, delay: float) -> None:
    """A team's system: records every POST with its X-WZT-Delivery id, answers after `delay`."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    seen: list[tuple[str, float]] = []

    async def hook(request: Request) -> Response:
        await request.body()
        seen.append((request.headers.get("X-WZT-Delivery", ""), time.time()))
        await asyncio.sleep(delay)
        return Response(status_code=204)

    port = free_port()
    app = Starlette(routes=[Route("/hook", hook, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn has no event for it
        await asyncio.sleep(0.02)

    async def count(_: Any) -> int:
        return len(seen)

    async def distinct(_: Any) -> int:
        return len({d for d, _ in seen})

    async def deliveries(_: Any) -> list[str]:
        return [d for d, _ in seen]

    async def stop(_: Any) -> None:
        server.should_exit = True
        await task

    handlers: dict[str, Handler] = {
        "count": count,
        "distinct": distinct,
        "deliveries": deliveries,
        "stop": stop,
    }
    await serve(conn, handlers, ready=f"http://127.0.0.1:{port}/hook")


def receiver_main(conn: Connection, delay: float) -> None:
    asyncio.run(_receiver_serve(conn, delay))
