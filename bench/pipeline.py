"""Pipeline benchmark: wzt-bot against a bare aiogram echo bot on the same fake Bot API.

    .venv/bin/python -m bench.pipeline [--updates N] [--chats N] [--backends sqlite,postgres]
                                       [--mode closed|burst] [--quick] [--record] [--profile]

For every backend the echo bot and the real bot (``wiring.Container`` + ``run_parts``,
polling) run one after the other in this run, each in a process of its own
(``bench/bot_proc.py``), each against a fresh fake Telegram in another process
(``bench/fake_proc.py``); this process only prepares the database and orchestrates. Every
simulated participant is linked (invite redeemed, language chosen, consent given) and sends a
mix of free text and menu presses; each update is stored encrypted, handled in one
transaction and answered with one sendMessage.

Reported per bot: updates per second (handled updates / wall time from the first injection
to the last reply), latency per update (reply seen by the fake minus injection) p50/p99/max,
errors (injected minus answered, plus non-ok Bot API answers) and the ratio wzt / echo.
See bench/README.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import platform
import random
import secrets
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.bot_proc import echo_main, wzt_main
from bench.fake_proc import fake_main
from bench.proc import ChildProcess, MachineMeter, machine_busy
from wzt_bot.bot.texts import MenuItem, menu_label
from wzt_bot.config import Settings
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.tables import TelegramUpdateRow
from wzt_bot.domain.models import ConsentKind, Role
from wzt_bot.domain.services import admin, onboarding, participants
from wzt_bot.i18n import I18n
from wzt_bot.logging_setup import configure_logging
from wzt_bot.wiring import Container

TOKEN = "777000:BENCH-pipeline-token"  # noqa: S105 - only valid on the fake Bot API
BOT_USERNAME = "wzt_bench_bot"
FIRST_CHAT = 810_000_001
WIDE_OPEN = 100_000  # the bot's own Telegram rate limiter, opened wide (see RESULTS.md)
RESULTS = Path(__file__).with_name("RESULTS.md")
POSTGRES_ADMIN_URL = os.environ.get(
    "WZT_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_DB = "wzt_bench"
REDIS_URL = os.environ.get("WZT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
FREE_TEXTS = (
    "hallo",
    "Goeiemorgen! Wanneer is mijn volgende afspraak?",
    "ik weet het niet goed",
    "Dank je wel 🙂",
    "Kan ik morgen iets later komen? De bus rijdt niet.",
    "ok",
)
KEY_PACKAGES = (
    "aiogram",
    "aiogram-dialog",
    "aiohttp",
    "SQLAlchemy",
    "asyncpg",
    "aiosqlite",
    "redis",
    "uvicorn",
    "starlette",
)

Plan = dict[int, list[str]]


# --------------------------------------------------------------------------- workload


def menu_texts() -> tuple[str, str]:
    t = I18n(default_locale="nl").get("nl")
    return menu_label(t, MenuItem.PLAN), menu_label(t, MenuItem.MYDATA)


def make_plan(chats: int, updates: int, seed: int) -> Plan:
    """``updates`` texts spread evenly over ``chats`` chats: 50% free text, 25% each menu item."""
    plan_label, data_label = menu_texts()
    rng = random.Random(seed)
    kinds = ["text", "text", "plan", "data"] * (updates // 4 + 1)
    kinds = kinds[:updates]
    rng.shuffle(kinds)
    chosen = {
        "plan": lambda: plan_label,
        "data": lambda: data_label,
        "text": lambda: rng.choice(FREE_TEXTS),
    }
    plan: Plan = {FIRST_CHAT + i: [] for i in range(chats)}
    for i, kind in enumerate(kinds):
        plan[FIRST_CHAT + i % chats].append(chosen[kind]())
    return {chat: texts for chat, texts in plan.items() if texts}


# --------------------------------------------------------------------------- measurement


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0.0 for an empty list)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class RunResult:
    bot: str
    backend: str
    injected: int
    answered: int
    wall_seconds: float
    latencies: list[float]
    not_ok: dict[str, int]
    extra_replies: int
    calls: dict[str, int]
    bot_cpu_seconds: float
    loop_cpu_seconds: float
    fake_cpu_seconds: float
    machine_busy: float
    stored: dict[str, int] = field(default_factory=dict)
    sql: dict[str, int] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return self.answered / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def errors(self) -> int:
        return self.injected - self.answered + sum(self.not_ok.values()) + self.extra_replies

    def pct(self, p: float) -> float:
        return percentile(sorted(self.latencies), p) * 1000

    def sql_summary(self) -> str:
        """SQL statements per answered update, most frequent first."""
        if not self.sql or not self.answered:
            return ""
        total = sum(n for kind, n in self.sql.items() if kind != "COMMIT")
        parts = ", ".join(
            f"{kind} {n / self.answered:.2f}"
            for kind, n in sorted(self.sql.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        return (
            f"{total / self.answered:.1f} statements per update through SQLAlchemy "
            f"(not counted: the hot path's own, run on the driver, see db/fast.py): {parts}"
        )

    def api_summary(self) -> str:
        """Bot API calls per answered update."""
        if not self.answered:
            return ""
        return ", ".join(
            f"{method} {n / self.answered:.2f}"
            for method, n in sorted(self.calls.items(), key=lambda kv: (-kv[1], kv[0]))
        )

    def line(self) -> str:
        stored = ", ".join(f"{k}={v}" for k, v in sorted(self.stored.items()))
        return (
            f"{self.bot:>4} [{self.backend}] {self.throughput:8.1f} upd/s  "
            f"p50 {self.pct(50):7.1f} ms  p99 {self.pct(99):7.1f} ms  max {self.pct(100):7.1f} ms  "
            f"answered {self.answered}/{self.injected}  errors {self.errors}  "
            f"cpu bot {self.bot_cpu_seconds / self.wall_seconds:4.0%} "
            f"(loop {self.loop_cpu_seconds / self.wall_seconds:4.0%}) "
            f"fake {self.fake_cpu_seconds / self.wall_seconds:4.0%} "
            f"machine {self.machine_busy:4.0%}" + (f"  db: {stored}" if stored else "")
        )


async def start_fake(chats: list[int], nodelay: bool) -> tuple[ChildProcess, str]:
    fake = ChildProcess(fake_main, (TOKEN, BOT_USERNAME, nodelay), "fake-telegram")
    base_url = str(await fake.start())
    await fake.call("users", chats)
    return fake, base_url


@dataclass(frozen=True)
class Workload:
    warmup: Plan
    plan: Plan
    mode: str = "closed"
    nodelay: bool = True
    gc_freeze: bool = False


async def measured_load(
    fake: ChildProcess, bot: ChildProcess, name: str, backend: str, work: Workload
) -> RunResult:
    """Warm up (not counted), then the measured load with the bot's meters on."""
    await fake.call("load", {"plan": work.warmup, "mode": "closed"})
    machine = MachineMeter()
    await bot.call("measure", {"gc_freeze": work.gc_freeze})
    machine.start()
    raw: dict[str, Any] = await fake.call("load", {"plan": work.plan, "mode": work.mode})
    busy = machine.stop()
    measured: dict[str, Any] = await bot.call("measured")
    return RunResult(
        bot=name,
        backend=backend,
        injected=int(raw["injected"]),
        answered=int(raw["answered"]),
        wall_seconds=float(raw["wall_seconds"]),
        latencies=[float(x) for x in raw["latencies"]],
        not_ok={str(k): int(v) for k, v in raw["not_ok"].items()},
        extra_replies=int(raw["extra_replies"]),
        calls={str(k): int(v) for k, v in raw["calls"].items()},
        bot_cpu_seconds=float(measured["cpu_seconds"]),
        loop_cpu_seconds=float(measured["loop_cpu_seconds"]),
        fake_cpu_seconds=float(raw["fake_cpu_seconds"]),
        machine_busy=busy,
        sql={str(k): int(v) for k, v in measured.get("sql", {}).items()},
    )


# --------------------------------------------------------------------------- the echo bot


async def run_echo(backend: str, work: Workload) -> RunResult:
    """A bare aiogram Dispatcher that answers every text with the same text."""
    fake, base_url = await start_fake(list(work.plan), work.nodelay)
    try:
        bot = ChildProcess(echo_main, (TOKEN, base_url), "echo-bot")
        await bot.start()
        try:
            return await measured_load(fake, bot, "echo", backend, work)
        finally:
            await bot.stop()
    finally:
        await fake.stop()


# --------------------------------------------------------------------------- wzt-bot


@contextlib.asynccontextmanager
async def fresh_database(backend: str, name: str = POSTGRES_DB) -> AsyncIterator[str]:
    """A migrated, empty database for one run: a SQLite file or the PostgreSQL database
    ``name`` (wzt_bench unless told), dropped afterwards."""
    if backend.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="wzt-bench-") as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/wzt-bench.sqlite3"
            await upgrade_head_async(url)
            yield url
        return
    import asyncpg

    admin_url = make_url(POSTGRES_ADMIN_URL)

    async def admin_sql(sql: str) -> None:
        conn = await asyncpg.connect(
            host=admin_url.host,
            port=admin_url.port or 5432,
            user=admin_url.username,
            password=admin_url.password,
            database=admin_url.database,
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin_sql(f'CREATE DATABASE "{name}"')
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade_head_async(url)
        yield url
    finally:
        await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def flush_bench_redis() -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


async def link_participants(container: Container, chat_ids: list[int]) -> None:
    """Every chat belongs to a linked, onboarded participant (as after /start <code>)."""
    clock = container.clock
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team Bench", network_name="Netwerk Bench")
        staff = await admin.create_staff(
            uow, name="Casemanager", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        await uow.commit()
    for chat_id in chat_ids:
        async with container.uow_factory() as uow:
            issued = await participants.create_participant(
                uow, clock, staff.staff, display_name=f"Deelnemer {chat_id}", team_id=team.id
            )
            linked = await onboarding.redeem_invite(
                uow, clock, telegram_user_id=chat_id, chat_id=chat_id, code=issued.code
            )
            person = await onboarding.set_locale(uow, clock, linked.participant, "nl")
            await onboarding.record_consent(
                uow, clock, person, kind=ConsentKind.CHECKIN_MESSAGES, granted=True
            )
            await uow.commit()


async def stored_updates(container: Container) -> dict[str, int]:
    async with container.engine.connect() as conn:
        rows = await conn.execute(
            select(TelegramUpdateRow.status, func.count()).group_by(TelegramUpdateRow.status)
        )
        return {str(status): int(count) for status, count in rows.all()}


async def run_wzt(backend: str, work: Workload, profile: Path | None = None) -> RunResult:
    """The real bot as `wzt-bot run bot` builds it, polling the fake Bot API."""
    with_redis = backend.endswith("+redis")
    if with_redis:
        await flush_bench_redis()
    chats = list(work.plan)
    fake, base_url = await start_fake(chats, work.nodelay)
    try:
        async with fresh_database(backend) as url:
            values: dict[str, Any] = {
                "database_url": url,
                "secret_key": "bench-" + secrets.token_urlsafe(40),
                "bot_token": TOKEN,
                "telegram_api_url": base_url,
                "bot_username": BOT_USERNAME,
                "redis_url": REDIS_URL if with_redis else None,
                "telegram_global_rate": WIDE_OPEN,
                "telegram_chat_rate": WIDE_OPEN,
                "telegram_chat_burst": WIDE_OPEN,
            }
            settings = Settings(**values, _env_file=None)  # type: ignore[call-arg]
            async with Container.open(settings) as container:
                await link_participants(container, chats)
                profile_path = (
                    str(profile.with_name(f"{profile.name}-{backend}.pstats")) if profile else None
                )
                bot = ChildProcess(wzt_main, (values, profile_path), "wzt-bot")
                await bot.start()
                try:
                    result = await measured_load(fake, bot, "wzt", backend, work)
                finally:
                    await bot.stop()
                result.stored = await stored_updates(container)
                return result
    finally:
        await fake.stop()


# --------------------------------------------------------------------------- report


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    versions = []
    for name in KEY_PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpus": str(os.cpu_count() or "?"),
        "cpu": cpu,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": ", ".join(versions),
    }


async def postgres_version() -> str:
    try:
        import asyncpg

        url = make_url(POSTGRES_ADMIN_URL)
        conn = await asyncpg.connect(
            host=url.host, port=url.port or 5432, user=url.username, database=url.database
        )
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()
    except Exception:
        return "unavailable"


@dataclass
class Pair:
    backend: str
    echo: RunResult
    wzt: RunResult
    round: int = 1

    @property
    def ratio(self) -> float:
        return self.wzt.throughput / self.echo.throughput if self.echo.throughput else 0.0


def summarise(pairs: list[Pair]) -> list[Pair]:
    """Per backend, the round with the median ratio (all rounds when there is one)."""
    out: list[Pair] = []
    for backend in dict.fromkeys(p.backend for p in pairs):
        rounds = sorted((p for p in pairs if p.backend == backend), key=lambda p: p.ratio)
        out.append(rounds[(len(rounds) - 1) // 2])
    return out


def errors_of(pairs: list[Pair], backend: str) -> int:
    return sum(p.wzt.errors + p.echo.errors for p in pairs if p.backend == backend)


def table(pairs: list[Pair]) -> str:
    """The summary table: the median round per backend, errors summed over all rounds."""
    rows = [
        "| backend | echo upd/s | wzt upd/s | ratio | wzt p50 ms | wzt p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in summarise(pairs):
        ratios = sorted(q.ratio for q in pairs if q.backend == p.backend)
        spread = f" ({ratios[0]:.0%}–{ratios[-1]:.0%})" if len(ratios) > 1 else ""
        rows.append(
            f"| {p.backend} | {p.echo.throughput:.0f} | {p.wzt.throughput:.0f} "
            f"| {p.ratio:.0%}{spread} | {p.wzt.pct(50):.1f} | {p.wzt.pct(99):.1f} "
            f"| {errors_of(pairs, p.backend)} |"
        )
    return "\n".join(rows)


def detail_table(pairs: list[Pair]) -> str:
    rows = [
        "| backend | round | bot | upd/s | p50 ms | p99 ms | max ms | answered | non-ok API "
        "| bot CPU | fake CPU | machine CPU | stored updates |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in pairs:
        for r in (p.echo, p.wzt):
            stored = ", ".join(f"{k} {v}" for k, v in sorted(r.stored.items())) or "-"
            rows.append(
                f"| {p.backend} | {p.round} | {r.bot} | {r.throughput:.0f} | {r.pct(50):.1f} "
                f"| {r.pct(99):.1f} | {r.pct(100):.1f} | {r.answered}/{r.injected} "
                f"| {sum(r.not_ok.values())} | {r.bot_cpu_seconds / r.wall_seconds:.0%} "
                f"| {r.fake_cpu_seconds / r.wall_seconds:.0%} | {r.machine_busy:.0%} | {stored} |"
            )
    return "\n".join(rows)


def sql_lines(pairs: list[Pair]) -> str:
    return "\n".join(
        f"- SQL, {p.backend}: {p.wzt.sql_summary()}" for p in summarise(pairs) if p.wzt.sql
    )


def verdict(pairs: list[Pair]) -> str:
    met = bool(pairs) and all(
        p.ratio >= 0.5 and errors_of(pairs, p.backend) == 0 for p in summarise(pairs)
    )
    return f"Target ≥ 50%: {'met' if met else 'NOT met'}"


RESULTS_HEADER = """\
# Benchmark results

Appended by `.venv/bin/python -m bench.pipeline --record` (see bench/README.md).

**What is measured.** Updates per second through the full pipeline of wzt-bot, polling a fake
Bot API: a linked participant's text messages and menu presses (50% free text, 25% "📋 Mijn
plan", 25% "🔒 Mijn gegevens"), each stored encrypted, handled in one transaction and
answered with one sendMessage; against a bare aiogram echo bot on the same fake Bot API,
measured in the same run. Ratio = wzt upd/s ÷ echo upd/s. Latency = reply seen by the fake
minus injection of the update. Errors = updates not answered + non-ok Bot API answers +
unexpected extra replies (must be 0). Target: wzt ≥ 50% of the echo bot.

**Rate limits opened wide.** The bot's own Telegram rate limiter is set to 100000 msg/s
(global and per chat) and the fake does not enforce flood limits. We measure the capacity of
the pipeline; Telegram's real limits (about 30 msg/s overall, 1 msg/s per chat) would cap
both bots at the same figure and hide any difference.

**Layout.** Each bot runs in a process of its own, as deployed (the echo bot's process
imports aiogram only); the fake Telegram and the simulated participants run in another
process, so the fake's own CPU cost stays out of the bot's (on 2 cores: one for each,
PostgreSQL shares them); the benchmark's main process only prepares the database and
orchestrates. The fake's garbage collector is off during the measured part (it is the
harness); the bots' is left as it is. "closed" mode: each participant sends the next message
as soon as the previous one is answered (so at most one update per chat in flight, all chats
at once); "burst" mode injects every update at once.

**Nagle.** The sandbox `FakeTelegram` as shipped answers every Bot API call about 40 ms late
(Nagle's algorithm + delayed ACK: its listening socket is made with proto 0, so asyncio does
not set TCP_NODELAY, and uvicorn writes head and body separately). The benchmark switches
TCP_NODELAY on for the fake's connections (bench/fake_proc.py); `--keep-nagle` measures the
fake as shipped, where both bots are bound by that latency instead of by their own work.
"""


def record(
    pairs: list[Pair], args: argparse.Namespace, info: dict[str, str], pg: str, busy: float
) -> None:
    if not RESULTS.exists():
        RESULTS.write_text(RESULTS_HEADER, encoding="utf-8")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    freeze = "yes (--gc-freeze)" if args.gc_freeze else "no"
    section = f"""
## {stamp} — pipeline ({args.mode} mode)

- Machine: {info["cpus"]} cores ({info["cpu"]}), {info["memory"]} RAM, {info["os"]}
- Python {info["python"]}; {info["packages"]}; PostgreSQL server {pg}
- Machine busy with other work just before the run: {busy:.0%} of all cores
- Settings: {args.chats} chats, {args.updates} updates per run (+{args.warmup} warm-up, not
  counted), {args.repeat} round(s) per backend (the table shows the median round); mix 50%
  text / 25% "📋 Mijn plan" / 25% "🔒 Mijn gegevens", seed {args.seed}; bot rate limiter
  {WIDE_OPEN} msg/s, fake flood limits off; TCP_NODELAY on the fake's connections
  {"off (--keep-nagle)" if args.keep_nagle else "on"}; Redis only for `+redis` backends;
  gc.freeze() after the warm-up in both bots: {freeze} (wzt-bot freezes its start-up
  heap itself, as shipped)
- Command: `.venv/bin/python -m bench.pipeline {" ".join(sys.argv[1:])}`

{table(pairs)}

{verdict(pairs)}

<details><summary>Details per run</summary>

{detail_table(pairs)}

CPU columns: share of one core used by the bot process / the fake Telegram process during the
measured run; machine = all cores busy (includes PostgreSQL).

{sql_lines(pairs)}
</details>
"""
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(section)
    print(f"\nrecorded in {RESULTS}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__)
    parser.add_argument("--updates", type=int, default=2000, help="measured updates per run")
    parser.add_argument("--chats", type=int, default=100, help="simulated participants")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up updates (not counted)")
    parser.add_argument(
        "--backends",
        default="sqlite,postgres",
        help="comma separated: sqlite, postgres, postgres+redis, sqlite+redis",
    )
    parser.add_argument("--mode", choices=("closed", "burst"), default="closed")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds (echo + wzt) per backend; median is shown"
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: 300 updates, 30 chats")
    parser.add_argument("--record", action="store_true", help="append the results to RESULTS.md")
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="FILE",
        help="cProfile the bot process during the wzt runs (FILE-<backend>.pstats; "
        "figures are slowed down by the profiler, do not record them)",
    )
    parser.add_argument(
        "--keep-nagle",
        action="store_true",
        help="leave the sandbox fake as it is: ~40 ms per Bot API call (see bench/fake_proc.py)",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="experiment: gc.freeze() in both bot processes after the warm-up",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.updates, args.chats = 300, 30
    if args.warmup is None:
        args.warmup = max(args.chats, args.updates // 10)
    args.backend_list = [b.strip() for b in args.backends.split(",") if b.strip()]
    for backend in args.backend_list:
        if backend.removesuffix("+redis") not in ("sqlite", "postgres"):
            parser.error(f"unknown backend {backend!r}")
    if args.record and args.profile:
        parser.error("--record and --profile do not mix (the profiler slows the bot down)")
    return args


async def main_async(args: argparse.Namespace) -> int:
    configure_logging("WARNING")
    plan = make_plan(args.chats, args.updates, args.seed)
    warmup = make_plan(args.chats, args.warmup, args.seed + 1)
    busy = machine_busy(1.0)
    print(f"machine busy before the run: {busy:.0%} of all cores")
    if busy > 0.15:
        print("  warning: something else is running; the figures will be noisy", flush=True)
    started = time.perf_counter()
    pairs: list[Pair] = []
    work = Workload(warmup, plan, args.mode, not args.keep_nagle, args.gc_freeze)
    for backend in args.backend_list:
        for round_no in range(1, args.repeat + 1):
            echo = await run_echo(backend, work)
            print(echo.line(), flush=True)
            print(f"     Bot API calls per update: {echo.api_summary()}", flush=True)
            wzt = await run_wzt(backend, work, args.profile)
            print(wzt.line(), flush=True)
            print(f"     Bot API calls per update: {wzt.api_summary()}", flush=True)
            print(f"     SQL: {wzt.sql_summary()}", flush=True)
            pairs.append(Pair(backend, echo, wzt, round_no))
    print()
    print(table(pairs))
    print()
    print(verdict(pairs))
    print(f"(total {time.perf_counter() - started:.0f} s)")
    if args.record:
        record(pairs, args, machine_info(), await postgres_version(), busy)
    return 0


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
