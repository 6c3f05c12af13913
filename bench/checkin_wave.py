"""Check-in wave: 10,000 participants due at once, against a fake Bot API enforcing 30 msg/s.

What is measured (each figure from the receiving side, the fake Telegram, and the database):
- the wave through the real command `wzt-bot jobs run-once --now T`: the time from the moment
  the jobs start (the command's first line: imports done, database open — where a running
  scheduler's tick would start) to the last message received, against the bound
  10,000 / 30 s (target ≤ 1.05×); also shown: first to last message, and from the command's
  own start (Python imports included); 429 answers (target 0); duplicates (0); missed (0);
- the same wave with the sender killed with SIGKILL when half of it is out, then the same
  command started again (nothing twice, nothing lost);
- finding the due check-ins among 1,000,000 scheduled rows on PostgreSQL (10,000 due now,
  the rest due over the coming 99 days): the claim query the scheduler runs
  (`SELECT ... FOR UPDATE SKIP LOCKED LIMIT 500`), p50 / max of 20 runs (target ≤ 50 ms).

Run: `.venv/bin/python -m bench.checkin_wave [--participants 10000] [--record]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
import uuid
from asyncio.subprocess import PIPE
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from bench.pipeline import POSTGRES_ADMIN_URL, machine_info, postgres_version
from bench.proc import ChildProcess
from bench.wave_fake import wave_fake_main
from wzt_bot.db.engine import build_engine
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.tables import (
    CheckinRow,
    NetworkRow,
    OutboxRow,
    ParticipantRow,
    TeamRow,
    TelegramLinkRow,
)

TOKEN = "777000:WAVE-bench-token"  # noqa: S105 - only valid on the fake
SECRET = "wave-bench-secret-key-not-for-real-use-0123456789abcdef"  # noqa: S105
DB_NAME = "wzt_bench_wave"
RESULTS = Path(__file__).with_name("RESULTS.md")
FIRST_CHAT = 50_000_000
RATE = 30.0
#: Monday 10:00 in Brussels: outside quiet hours.
WAVE_AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def admin_sql(sql: str) -> None:
    url = make_url(POSTGRES_ADMIN_URL)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def fresh_database() -> str:
    await admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    await admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    url = make_url(POSTGRES_ADMIN_URL).set(database=DB_NAME).render_as_string(hide_password=False)
    await upgrade_head_async(url)
    return url


async def seed(url: str, participants: int, *, extra_history: int = 0) -> list[int]:
    """Linked, consenting participants, each with one check-in due at WAVE_AT; optionally
    `extra_history` more scheduled check-ins each, due later (the due-row query then looks
    for the due ones among participants × (1 + extra_history) scheduled rows)."""
    engine = build_engine(url)
    chats = [FIRST_CHAT + i for i in range(participants)]
    created = WAVE_AT - timedelta(days=60)
    try:
        async with engine.begin() as conn:
            network, team = uuid.uuid4(), uuid.uuid4()
            await conn.execute(insert(NetworkRow), [{"id": network, "name": "Netwerk Wave"}])
            await conn.execute(
                insert(TeamRow), [{"id": team, "network_id": network, "name": "Team Wave"}]
            )
            for start in range(0, participants, 2000):
                block = chats[start : start + 2000]
                people = [
                    {
                        "id": uuid.uuid4(),
                        "team_id": team,
                        "display_name": f"Deelnemer {chat}",
                        "status": "active",
                        "locale": "nl",
                        "proactive_paused": False,
                        "unreachable": False,
                        "checkins_consented": True,
                        "created_at": created,
                        "onboarded_at": created,
                    }
                    for chat in block
                ]
                await conn.execute(insert(ParticipantRow), people)
                await conn.execute(
                    insert(TelegramLinkRow),
                    [
                        {
                            "id": uuid.uuid4(),
                            "participant_id": p["id"],
                            "telegram_user_id": chat,
                            "chat_id": chat,
                            "linked_at": created,
                        }
                        for p, chat in zip(people, block, strict=True)
                    ],
                )
                await conn.execute(
                    insert(CheckinRow),
                    [
                        {
                            "id": uuid.uuid4(),
                            "participant_id": p["id"],
                            "slot": f"{p['id'].hex}:2026-11-30",
                            "kind": "regular",
                            "status": "scheduled",
                            "due_at": WAVE_AT,
                            "created_at": created,
                            "wording": i % 5,
                            "all_ok": False,
                            "topics": "",
                        }
                        for i, p in enumerate(people)
                    ],
                )
            if extra_history:
                await conn.exec_driver_sql(
                    f"""
                    INSERT INTO checkins (id, participant_id, slot, kind, status, due_at,
                                          created_at, wording, all_ok, topics)
                    SELECT gen_random_uuid(), p.id, p.id::text || ':f' || g, 'regular',
                           'scheduled',
                           TIMESTAMPTZ '2026-11-30 09:00+00' + (g || ' days')::interval,
                           TIMESTAMPTZ '2026-06-01 09:00+00', g % 5, false, ''
                    FROM participants p CROSS JOIN generate_series(1, {int(extra_history)}) g
                    """  # noqa: S608 - an int, not input
                )
                await conn.exec_driver_sql("ANALYZE checkins")
    finally:
        await engine.dispose()
    return chats


def run_once_command(url: str, base_url: str) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "WZT_DATABASE_URL": url,
        "WZT_BOT_TOKEN": TOKEN,
        "WZT_TELEGRAM_API_URL": base_url,
        "WZT_SECRET_KEY": SECRET,
        "WZT_BOT_USERNAME": "wzt_wave_bot",
        "WZT_TELEGRAM_GLOBAL_RATE": str(RATE),
        "WZT_TELEGRAM_CHAT_RATE": "1",
        "WZT_LOG_LEVEL": "WARNING",
    }
    env.pop("WZT_REDIS_URL", None)
    command = [sys.executable, "-m", "wzt_bot", "jobs", "run-once", "--now", WAVE_AT.isoformat()]
    return command, env


async def _tick_started(process: asyncio.subprocess.Process) -> float:
    """When the command (imports done, database open) starts the jobs: its first line."""
    assert process.stdout is not None
    first = await process.stdout.readline()
    at = time.time()
    print(first.decode().strip(), flush=True)
    async for line in process.stdout:
        print(line.decode().strip(), flush=True)
    return at


async def outbox_counts(url: str) -> dict[str, int]:
    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {str(s): int(n) for s, n in rows.all()}
    finally:
        await engine.dispose()


async def wave(participants: int, *, kill_at: float | None) -> dict[str, Any]:
    url = await fresh_database()
    fake = ChildProcess(wave_fake_main, (TOKEN,), "wave-fake")
    base_url = await fake.start()
    try:
        chats = await seed(url, participants)
        await fake.call("users", chats)
        command, env = run_once_command(url, base_url)
        started = time.time()
        process = await asyncio.create_subprocess_exec(*command, env=env, stdout=PIPE)
        ticking = asyncio.create_task(_tick_started(process))
        killed_at = None
        if kill_at is not None:
            while await fake.call("count") < participants * kill_at:
                if process.returncode is not None:
                    break
                await asyncio.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            killed_at = await fake.call("count")
            process = await asyncio.create_subprocess_exec(*command, env=env, stdout=PIPE)
            asyncio.create_task(_tick_started(process))  # noqa: RUF006 - drains its output
        code = await process.wait()
        stats: dict[str, Any] = await fake.call("stats", chats)
        stats["outbox"] = await outbox_counts(url)
        stats["exit_code"] = code
        stats["wall"] = stats["last"] - started
        stats["from_tick"] = stats["last"] - await ticking
        stats["window"] = stats["last"] - stats["first"]
        stats["bound"] = participants / RATE
        stats["killed_after"] = killed_at
        return stats
    finally:
        await fake.stop()
        await admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


async def due_query(participants: int, history: int, runs: int = 20) -> dict[str, Any]:
    url = await fresh_database()
    try:
        await seed(url, participants, extra_history=history)
        dsn = make_url(url)
        conn = await asyncpg.connect(
            host=dsn.host, port=dsn.port or 5432, user=dsn.username, database=dsn.database
        )
        try:
            total = await conn.fetchval("SELECT count(*) FROM checkins")
            sql = (
                "SELECT id FROM checkins WHERE status = 'scheduled' AND due_at <= $1 "
                "ORDER BY due_at LIMIT 500 FOR UPDATE SKIP LOCKED"
            )
            times = []
            for _ in range(runs):
                async with conn.transaction():
                    t0 = time.perf_counter()
                    rows = await conn.fetch(sql, WAVE_AT)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert len(rows) == min(500, participants)
            plan = await conn.fetch("EXPLAIN " + sql, WAVE_AT)
        finally:
            await conn.close()
        return {
            "rows": int(total),
            "p50": statistics.median(times),
            "max": max(times),
            "plan": " / ".join(str(r[0]).strip() for r in plan[:4]),
        }
    finally:
        await admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def line(name: str, s: dict[str, Any]) -> str:
    ratio = s["from_tick"] / s["bound"]
    return (
        f"| {name} | {s['delivered']} | {s['from_tick']:.1f} s | {s['bound']:.1f} s "
        f"| **{ratio:.3f}×** | {s['window']:.1f} s | {s['wall']:.1f} s "
        f"| {s['rate_limited']} | {s['duplicates']} | {s['missed']} | "
        f"{s['outbox'].get('uncertain', 0)} | {s['killed_after'] or '-'} |"
    )


async def main_async(args: argparse.Namespace) -> int:
    info = machine_info()
    pg = await postgres_version()
    print(f"wave: {args.participants} participants, fake at {RATE:.0f} msg/s ...", flush=True)
    plain = await wave(args.participants, kill_at=None)
    print(plain, flush=True)
    killed = await wave(args.participants, kill_at=0.5)
    print(killed, flush=True)
    due = await due_query(args.participants, args.history)
    print(due, flush=True)
    table = "\n".join(
        (
            "| run | delivered | tick start → last | bound N/30 | ratio | first → last "
            "| command start → last | 429s | duplicates | missed | uncertain | killed after |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            line("wave", plain),
            line("wave, sender SIGKILLed halfway, restarted", killed),
        )
    )
    met = plain["from_tick"] / plain["bound"] <= 1.05
    # Both runs: a kill may leave one message uncertain, never one missed or sent twice.
    counts_ok = all(
        run["duplicates"] == 0 and run["missed"] == 0 and run["rate_limited"] == 0
        for run in (plain, killed)
    )
    verdict = (
        f"Targets: ratio ≤ 1.05× ({'met' if met else 'NOT met'}"
        f"), 429s 0, duplicates 0, missed 0 in both runs ({'met' if counts_ok else 'NOT met'})"
        f". Due-row query among {due['rows']:,} check-ins: "
        f"p50 {due['p50']:.2f} ms, max {due['max']:.2f} ms (target ≤ 50 ms: "
        f"{'met' if due['max'] <= 50 else 'NOT met'}). Plan: `{due['plan']}`"
    )
    print(table, verdict, sep="\n")
    if args.record:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = f"""
## {stamp} — check-in wave

- Machine: {info["cpus"]} cores ({info["cpu"]}), {info["memory"]} RAM, {info["os"]}
- Python {info["python"]}; {info["packages"]}; PostgreSQL server {pg}
- {args.participants} participants due at once; the real command
  `wzt-bot jobs run-once --now {WAVE_AT.isoformat()}` (its own process) against the fake
  Bot API in another process enforcing 30 msg/s overall and 1 msg/s per chat (429 with
  retry_after above that); the bot's limiter set to WZT_TELEGRAM_GLOBAL_RATE={RATE:g}.
  Counts from the fake's records and the outbox table.
- Command: `.venv/bin/python -m bench.checkin_wave {" ".join(sys.argv[1:])}`

{table}

{verdict}
"""
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(section)
        print(f"recorded in {RESULTS}")
    ok = counts_ok
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checkin_wave", description=__doc__)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument(
        "--history", type=int, default=99, help="later check-ins each (due-row query)"
    )
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
