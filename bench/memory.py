"""Memory: resident size of `wzt-bot run` with 100,000 participants in the database.

The database (SQLite or PostgreSQL) holds 100,000 linked, consenting participants in 20
teams (bulk seed). `wzt-bot run` (bot polling a fake Bot API, API and scheduler in one
process, as deployed) is started as a subprocess; once /readyz answers, the API is asked for
every page of the participant list as the admin (100,000 rows through the API, 200 per page)
while the scheduler ticks. VmRSS and VmHWM (the peak) are read from /proc. Target: peak
resident size ≤ 400 MB.

Run: `.venv/bin/python -m bench.memory [--participants N] [--backends sqlite,postgres] [--record]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bench.api_flags import _pg_admin
from bench.fake_proc import fake_main
from bench.pipeline import POSTGRES_ADMIN_URL, machine_info, postgres_version
from bench.proc import ChildProcess
from wzt_bot.config import Settings
from wzt_bot.db.engine import build_engine
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.tables import NetworkRow, ParticipantRow, TeamRow, TelegramLinkRow
from wzt_bot.domain.models import Role
from wzt_bot.domain.services import admin
from wzt_bot.wiring import Container

RESULTS = Path(__file__).with_name("RESULTS.md")
DB_NAME = "wzt_bench_memory"
TOKEN = "777001:MEMORY-bench-token"  # noqa: S105 - only valid on the fake
TEAMS = 20
TARGET_MB = 400.0
BIN = Path(sys.executable).parent


async def seed(url: str, participants: int, secret_key: str) -> str:
    engine = build_engine(url)
    created = datetime.now(UTC) - timedelta(days=60)
    network = uuid.uuid4()
    teams = [uuid.uuid4() for _ in range(TEAMS)]
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(NetworkRow), [{"id": network, "name": "Netwerk Geheugen"}])
            await conn.execute(
                insert(TeamRow),
                [
                    {"id": t, "network_id": network, "name": f"Team {i}"}
                    for i, t in enumerate(teams)
                ],
            )
            for start in range(0, participants, 5000):
                people = [
                    {
                        "id": uuid.uuid4(),
                        "team_id": teams[i % TEAMS],
                        "display_name": f"Deelnemer {i}",
                        "status": "active",
                        "locale": "nl",
                        "proactive_paused": False,
                        "unreachable": False,
                        "checkins_consented": True,
                        "created_at": created,
                        "onboarded_at": created,
                    }
                    for i in range(start, min(participants, start + 5000))
                ]
                await conn.execute(insert(ParticipantRow), people)
                await conn.execute(
                    insert(TelegramLinkRow),
                    [
                        {
                            "id": uuid.uuid4(),
                            "participant_id": p["id"],
                            "telegram_user_id": 60_000_000 + n,
                            "chat_id": 60_000_000 + n,
                            "linked_at": created,
                        }
                        for n, p in enumerate(people, start)
                    ],
                )
    finally:
        await engine.dispose()
    settings = Settings(database_url=url, secret_key=secret_key, _env_file=None)  # type: ignore[call-arg]
    async with Container.open(settings) as container, container.uow_factory() as uow:
        staff = await admin.create_staff(uow, name="Beheer", role=Role.ADMIN, team_ids=frozenset())
        await uow.commit()
    return staff.token


def _status(pid: int) -> dict[str, float]:
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB -> MiB
    return values


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _settle(pid: int, *, limit: float = 900.0) -> float:
    """Seconds until the process used less than 10% of a core over 3 seconds."""
    started = time.perf_counter()
    await asyncio.sleep(5)
    while time.perf_counter() - started < limit:
        before = _cpu_seconds(pid)
        await asyncio.sleep(3)
        if _cpu_seconds(pid) - before < 0.3:
            break
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def measure(url: str, participants: int) -> dict[str, float]:
    secret_key = "bench-" + secrets.token_urlsafe(40)
    await upgrade_head_async(url)
    token = await seed(url, participants, secret_key)
    fake = ChildProcess(fake_main, (TOKEN, "wzt_memory_bot", True), "fake-telegram")
    base_url = str(await fake.start())
    port = _free_port()
    env = os.environ | {
        "WZT_DATABASE_URL": url,
        "WZT_SECRET_KEY": secret_key,
        "WZT_BOT_TOKEN": TOKEN,
        "WZT_TELEGRAM_API_URL": base_url,
        "WZT_API_PORT": str(port),
        "WZT_API_HOST": "127.0.0.1",
    }
    env.pop("WZT_REDIS_URL", None)
    process = await asyncio.create_subprocess_exec(
        str(BIN / "wzt-bot"),
        "run",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        api = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=api, timeout=300) as client:
            for _ in range(300):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("wzt-bot run did not become ready")
            # The scheduler's first tick plans a check-in for every consenting participant
            # (100,000 here, none planned yet): wait until the process is idle again.
            settle = await _settle(process.pid)
            idle = _status(process.pid)
            headers = {"Authorization": f"Bearer {token}"}
            seen = 0
            started = time.perf_counter()
            for offset in range(0, participants, 200):
                page = await client.get(
                    f"/api/v1/participants?offset={offset}&limit=200", headers=headers
                )
                assert page.status_code == 200, page.text
                seen += len(page.json()["items"])
            listing = time.perf_counter() - started
            await asyncio.sleep(2)
            after = _status(process.pid)
        return {
            "settle_s": settle,
            "idle_rss": idle["VmRSS"],
            "rss": after["VmRSS"],
            "peak": after["VmHWM"],
            "listed": seen,
            "listing_s": listing,
        }
    finally:
        process.terminate()
        await process.wait()
        await fake.stop()


def run_backend(backend: str, participants: int) -> dict[str, float]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="wzt-bench-memory-") as tmp:
            return asyncio.run(measure(f"sqlite+aiosqlite:///{tmp}/m.sqlite3", participants))
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
    asyncio.run(_pg_admin(f'CREATE DATABASE "{DB_NAME}"'))
    try:
        url = make_url(POSTGRES_ADMIN_URL).set(database=DB_NAME)
        return asyncio.run(measure(url.render_as_string(hide_password=False), participants))
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    rows = {b: run_backend(b, args.participants) for b in args.backends.split(",")}
    lines = [
        "| backend | first tick s | RSS idle MiB | RSS after listing all MiB | peak (VmHWM) MiB "
        "| listed | listing s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, r in rows.items():
        lines.append(
            f"| {backend} | {r['settle_s']:.0f} | {r['idle_rss']:.0f} | {r['rss']:.0f} | "
            f"{r['peak']:.0f} | {r['listed']:.0f} | {r['listing_s']:.1f} |"
        )
    worst = max(r["peak"] for r in rows.values())
    met = "met" if worst <= TARGET_MB else "NOT met"
    verdict = f"Target peak ≤ {TARGET_MB:.0f} MiB: {met} (worst {worst:.0f} MiB)"
    text = "\n".join(lines)
    print(text)
    print(verdict)
    if args.record:
        info = machine_info()
        pg = asyncio.run(postgres_version())
        with RESULTS.open("a", encoding="utf-8") as f:
            f.write(
                f"\n\n## Memory of `wzt-bot run` with {args.participants:,} participants "
                f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
                f"`python -m bench.memory --participants {args.participants}`; machine: {info}; "
                f"{pg}. Bot (polling a fake Bot API), API and scheduler in one process; the "
                f"admin lists every participant through the API, 200 per page.\n\n"
                f"{text}\n\n**{verdict}**\n"
            )
    return 0 if worst <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
