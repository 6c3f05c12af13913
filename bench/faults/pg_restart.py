"""Scenario 3: PostgreSQL restarted under API load (a PRIVATE server on port 55432).

`wzt-bot api` runs against the private server; a load driver sends
`GET /api/v1/participants` with a casemanager's token (made with `wzt-bot team create` and
`wzt-bot staff create`) from a few clients continuously, client timeout 10 s, and polls
`/readyz`. Mid-way the server is restarted (`pg_ctl restart -m fast`), or stopped for a few
seconds and started again (a longer outage). Measured: answers by status during the outage,
the max latency, the time from the server being back to the first 200, without restarting
the API.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections import Counter
from typing import Any

import httpx

from bench.faults.common import (
    BIN,
    PrivatePostgres,
    WztProcess,
    free_port,
    secret_key,
    wait_http,
    wzt_env,
)

CLIENTS = 4
CLIENT_TIMEOUT = 10.0


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "wzt-bot"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


async def run(*, before: float, after: float, outage: float) -> dict[str, Any]:
    """`outage` 0: `pg_ctl restart -m fast`; otherwise stop, wait `outage` s, start."""
    pg = PrivatePostgres()
    await asyncio.to_thread(pg.start)
    api = None
    try:
        url = pg.admin_url.rsplit("/", 1)[0] + "/wzt_bench_faults_pg"
        from bench.faults.common import admin_sql

        await admin_sql('CREATE DATABASE "wzt_bench_faults_pg"', pg.admin_url)
        port = free_port()
        env = wzt_env(
            url, "http://127.0.0.1:9", WZT_SECRET_KEY=secret_key(), WZT_API_PORT=str(port)
        )
        env.pop("WZT_BOT_TOKEN")
        await asyncio.to_thread(_cli, env, "migrate")
        team = await asyncio.to_thread(
            _cli, env, "team", "create", "--name", "Team PG", "--network", "Netwerk PG"
        )
        token = await asyncio.to_thread(
            _cli, env, "staff", "create", "--name", "An", "--role", "casemanager", "--team", team
        )
        api = WztProcess(["api"], env, "pg-restart")
        await api.start()
        base = f"http://127.0.0.1:{port}"
        await wait_http(f"{base}/readyz")

        results: list[tuple[float, float, str]] = []  # (start, end, status or error)
        ready: list[tuple[float, int]] = []
        stop = asyncio.Event()
        headers = {"Authorization": f"Bearer {token}"}

        async def client(c: httpx.AsyncClient) -> None:
            while not stop.is_set():
                t0 = time.time()
                try:
                    r = await c.get("/api/v1/participants", headers=headers)
                    outcome = str(r.status_code)
                except httpx.TimeoutException:
                    outcome = "timeout"
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                results.append((t0, time.time(), outcome))
                await asyncio.sleep(0.02)

        async def readiness(c: httpx.AsyncClient) -> None:
            while not stop.is_set():
                try:
                    ready.append((time.time(), (await c.get("/readyz")).status_code))
                except httpx.HTTPError:
                    ready.append((time.time(), 0))
                await asyncio.sleep(0.1)

        async with httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT) as c:
            tasks = [asyncio.create_task(client(c)) for _ in range(CLIENTS)]
            tasks.append(asyncio.create_task(readiness(c)))
            await asyncio.sleep(before)
            down_at = time.time()
            if outage:
                await asyncio.to_thread(pg.stop)
                await asyncio.sleep(outage)
                await asyncio.to_thread(pg.start_again)
            else:
                await asyncio.to_thread(pg.restart)
            back_at = time.time()
            await asyncio.sleep(after)
            stop.set()
            await asyncio.gather(*tasks)
        alive = api.alive
        await api.stop()
        during = [r for r in results if r[1] >= down_at and r[0] <= back_at]
        after_back = [r for r in results if r[0] >= back_at]
        first_ok = next((r[1] for r in sorted(after_back) if r[2] == "200"), None)
        # The first moment from which every request answered 200 again.
        bad_after = [r for r in results if r[0] >= down_at and r[2] != "200"]
        recovered = max((r[1] for r in bad_after), default=back_at)
        ready_during = Counter(s for t, s in ready if down_at <= t <= back_at)
        ready_after = [t for t, s in ready if t >= back_at and s == 200]
        log = api.log_text()
        return {
            "mode": f"stop, {outage:g} s, start" if outage else "pg_ctl restart -m fast",
            "requests": len(results),
            "outage_s": back_at - down_at,
            "during": dict(Counter(r[2] for r in during)),
            "after_back": dict(Counter(r[2] for r in after_back)),
            "all": dict(Counter(r[2] for r in results)),
            "max_latency_s": max(r[1] - r[0] for r in results),
            "max_latency_during_s": max((r[1] - r[0] for r in during), default=0.0),
            "first_200_after_back_s": (first_ok - back_at) if first_ok else None,
            "last_error_after_back_s": max(recovered - back_at, 0.0),
            "readyz_during": dict(ready_during),
            "readyz_200_after_back_s": (ready_after[0] - back_at) if ready_after else None,
            "alive_at_end": alive,
            "tracebacks_in_log": log.count("Traceback"),
        }
    finally:
        if api is not None and api.alive:
            await api.stop()
        await asyncio.to_thread(pg.cleanup)


HEADER = (
    "| outage | requests | during the outage (by status) | after (by status) | max latency "
    "| server back → first 200 | → last error | /readyz during | API process |\n"
    "|---|---:|---|---|---:|---:|---:|---|---|"
)


def line(r: dict[str, Any]) -> str:
    first = r["first_200_after_back_s"]
    return (
        f"| {r['mode']} ({r['outage_s']:.1f} s) | {r['requests']} | {r['during']} "
        f"| {r['after_back']} | {r['max_latency_s'] * 1000:.0f} ms "
        f"| {f'{first:.2f} s' if first is not None else 'none'} "
        f"| {r['last_error_after_back_s']:.2f} s | {r['readyz_during']} "
        f"| {'alive' if r['alive_at_end'] else 'DIED'} |"
    )
