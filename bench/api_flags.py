"""`GET /api/v1/flags` with 100,000 flags in the database: p50/p95 per query, SQLite and PostgreSQL.

The database: 50 teams of one network, 20 participants each (1,000), 100,000 flags spread
over them (a mix of kinds, urgencies and statuses, created over the past year). The API runs
as `wzt-bot api` runs it (uvicorn, its own event loop, in a thread of this process); the
client is httpx over loopback. Each query is asked `--requests` times after a warm-up; the
figures are the latency seen by the client. Queries: a casemanager's inbox (own team, about
2,000 flags: the first page, the open ones, page 20), a teamlead filtering by urgency, the
admin's first page over all 100,000 (with the total count) and a filter on kind.
Target: p95 ≤ 100 ms for every query.

Run: `.venv/bin/python -m bench.api_flags [--flags 100000] [--requests 200] [--record]`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import secrets
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from bench.pipeline import POSTGRES_ADMIN_URL, machine_info, postgres_version
from wzt_bot.config import Settings
from wzt_bot.db.engine import build_engine
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.tables import FlagRow, NetworkRow, ParticipantRow, TeamRow
from wzt_bot.domain.models import FlagKind, FlagStatus, FlagUrgency, Role
from wzt_bot.domain.services import admin
from wzt_bot.wiring import Container, serve_api

RESULTS = Path(__file__).with_name("RESULTS.md")
DB_NAME = "wzt_bench_flags"
TEAMS, PER_TEAM = 50, 20
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
TARGET_P95_MS = 100.0


async def seed(url: str, flags: int, secret_key: str) -> dict[str, str]:
    """The teams, participants and flags (bulk), and one token per caller."""
    rng = random.Random(7)
    engine = build_engine(url)
    network = uuid.uuid4()
    teams = [uuid.uuid4() for _ in range(TEAMS)]
    people: list[tuple[uuid.UUID, uuid.UUID]] = []
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(NetworkRow), [{"id": network, "name": "Netwerk Bench"}])
            await conn.execute(
                insert(TeamRow),
                [
                    {"id": t, "network_id": network, "name": f"Team {i}"}
                    for i, t in enumerate(teams)
                ],
            )
            rows = []
            for team in teams:
                for _ in range(PER_TEAM):
                    pid = uuid.uuid4()
                    people.append((pid, team))
                    rows.append(
                        {
                            "id": pid,
                            "team_id": team,
                            "display_name": f"Deelnemer {len(people)}",
                            "status": "active",
                            "locale": "nl",
                            "proactive_paused": False,
                            "unreachable": False,
                            "checkins_consented": True,
                            "created_at": NOW - timedelta(days=400),
                        }
                    )
            await conn.execute(insert(ParticipantRow), rows)
            kinds = list(FlagKind)
            statuses = [FlagStatus.RESOLVED] * 7 + [FlagStatus.OPEN] * 2 + [FlagStatus.ACKNOWLEDGED]
            for start in range(0, flags, 5000):
                block = []
                for _ in range(min(5000, flags - start)):
                    pid, team = rng.choice(people)
                    block.append(
                        {
                            "id": uuid.uuid4(),
                            "participant_id": pid,
                            "team_id": team,
                            "kind": rng.choice(kinds).value,
                            "urgency": rng.choice(list(FlagUrgency)).value,
                            "status": rng.choice(statuses).value,
                            "source": "bench",
                            "created_at": NOW - timedelta(minutes=rng.randrange(525_600)),
                        }
                    )
                await conn.execute(insert(FlagRow), block)
    finally:
        await engine.dispose()
    settings = Settings(database_url=url, secret_key=secret_key, _env_file=None)  # type: ignore[call-arg]
    tokens: dict[str, str] = {"team": str(teams[0])}
    async with Container.open(settings) as container, container.uow_factory() as uow:
        for who, role, team_ids in (
            ("cm", Role.CASEMANAGER, frozenset({teams[0]})),
            ("lead", Role.TEAMLEAD, frozenset({teams[0]})),
            ("admin", Role.ADMIN, frozenset()),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=team_ids)
            tokens[who] = created.token
        await uow.commit()
    return tokens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def api_server(url: str, secret_key: str) -> Iterator[str]:
    """`wzt-bot api` in a thread: uvicorn on loopback, its own event loop."""
    port = _free_port()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    ready = threading.Event()
    failure: list[BaseException] = []

    async def main() -> None:
        settings = Settings(database_url=url, secret_key=secret_key, _env_file=None)  # type: ignore[call-arg]
        async with Container.open(settings) as container:
            task = asyncio.create_task(
                serve_api(container.build_api(with_webhook=False), "127.0.0.1", port, stop)
            )
            for _ in range(200):
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                await asyncio.sleep(0.05)
            ready.set()
            await task

    def run() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as error:
            failure.append(error)
            ready.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(60)
    if failure:
        raise failure[0]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)


def queries(tokens: dict[str, str]) -> list[tuple[str, str, str]]:
    team = tokens["team"]
    return [
        ("casemanager: own inbox, first page", "cm", "/api/v1/flags"),
        ("casemanager: open flags", "cm", "/api/v1/flags?status=open"),
        ("casemanager: page 20", "cm", "/api/v1/flags?offset=950&limit=50"),
        ("teamlead: urgent, one team", "lead", f"/api/v1/flags?urgency=urgent&team_id={team}"),
        ("admin: all flags, first page", "admin", "/api/v1/flags"),
        ("admin: kind=crisis, open", "admin", "/api/v1/flags?kind=crisis&status=open"),
    ]


def measure(base: str, tokens: dict[str, str], requests: int) -> list[dict[str, Any]]:
    out = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for label, who, path in queries(tokens):
            headers = {"Authorization": f"Bearer {tokens[who]}"}
            for _ in range(10):  # warm-up
                assert client.get(path, headers=headers).status_code == 200
            times = []
            total = 0
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text
                total = int(response.json()["total"])
            times.sort()
            out.append(
                {
                    "query": label,
                    "total": total,
                    "p50": statistics.median(times),
                    "p95": times[int(0.95 * len(times)) - 1],
                    "max": times[-1],
                }
            )
    return out


async def _pg_admin(statement: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    admin_url = make_url(POSTGRES_ADMIN_URL)
    conn = await asyncpg.connect(
        host=admin_url.host,
        port=admin_url.port or 5432,
        user=admin_url.username,
        database=admin_url.database,
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def run_backend(backend: str, flags: int, requests: int) -> list[dict[str, Any]]:
    secret_key = "bench-" + secrets.token_urlsafe(40)

    def with_url(url: str) -> list[dict[str, Any]]:
        asyncio.run(upgrade_head_async(url))
        started = time.perf_counter()
        tokens = asyncio.run(seed(url, flags, secret_key))
        print(f"[{backend}] seeded {flags} flags in {time.perf_counter() - started:.1f} s")
        with api_server(url, secret_key) as base:
            return measure(base, tokens, requests)

    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="wzt-bench-flags-") as tmp:
            return with_url(f"sqlite+aiosqlite:///{tmp}/flags.sqlite3")
    from sqlalchemy.engine import make_url

    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
    asyncio.run(_pg_admin(f'CREATE DATABASE "{DB_NAME}"'))
    try:
        url = make_url(POSTGRES_ADMIN_URL).set(database=DB_NAME)
        return with_url(url.render_as_string(hide_password=False))
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    lines = [
        "| backend | query | flags matching | p50 ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for backend, rows in results.items():
        for row in rows:
            lines.append(
                f"| {backend} | {row['query']} | {row['total']} | {row['p50']:.1f} | "
                f"{row['p95']:.1f} | {row['max']:.1f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_flags", description=__doc__)
    parser.add_argument("--flags", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args(argv)
    results = {b: run_backend(b, args.flags, args.requests) for b in args.backends.split(",")}
    worst = max(row["p95"] for rows in results.values() for row in rows)
    met = "met" if worst <= TARGET_P95_MS else "NOT met"
    verdict = f"Target p95 ≤ {TARGET_P95_MS:.0f} ms: {met} (worst p95 {worst:.1f} ms)"
    text = table(results)
    print(text)
    print(verdict)
    if args.record:
        info = machine_info()
        pg = asyncio.run(postgres_version())
        with RESULTS.open("a", encoding="utf-8") as f:
            f.write(
                f"\n\n## GET /api/v1/flags with {args.flags:,} flags "
                f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n\n"
                f"`python -m bench.api_flags --flags {args.flags} --requests {args.requests}`; "
                f"machine: {info}; {pg}. Client and server on one machine over loopback, "
                f"{args.requests} requests per query after 10 warm-up requests.\n\n"
                f"{text}\n\n**{verdict}**\n"
            )
    return 0 if worst <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
