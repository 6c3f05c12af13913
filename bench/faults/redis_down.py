"""Scenario 4: Redis killed under the bot (polling the fake Bot API), then back.

`wzt-bot bot` polls the fake Bot API with WZT_REDIS_URL at a PRIVATE Redis (port 56379:
dialog state, shared rate limits, chat locks). Participants keep sending messages, one each
per phase; Redis is killed (SIGKILL) after the first phase and started again (empty) after the
second. Counted per phase: messages answered (from the fake's records), whether the process
stayed alive (and how often it started), and the log lines about Redis.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bench.faults.common import (
    TOKEN,
    PrivateRedis,
    WztProcess,
    drop_database,
    fake_main,
    fresh_database,
    link_participants,
    secret_key,
    wzt_env,
)
from bench.proc import ChildProcess

DB_NAME = "wzt_bench_faults_redis"
FIRST_CHAT = 72_000_000
TEXTS = ("Hallo", "Hoe gaat het?", "Ik heb een vraag")


async def _phase(
    fake: ChildProcess, chats: list[int], text: str, seconds: float
) -> tuple[int, float]:
    """Every chat sends `text` once, spread over `seconds`; (answers, max wait) once settled."""
    before: list[int] = await fake.call("per_chat", chats)
    gap = seconds / max(len(chats), 1)
    started = time.time()
    for chat in chats:
        await fake.call("inject", [(chat, text)])
        await asyncio.sleep(gap)
    deadline = time.time() + 10  # give late answers a moment (they count in this phase)
    while time.time() < deadline:
        now: list[int] = await fake.call("per_chat", chats)
        if all(a > b for a, b in zip(now, before, strict=True)):
            break
        await asyncio.sleep(0.2)
    now = await fake.call("per_chat", chats)
    answered = sum(1 for a, b in zip(now, before, strict=True) if a > b)
    return answered, time.time() - started


async def run(chats_n: int, *, phase: float) -> dict[str, Any]:
    url = await fresh_database(DB_NAME)
    fake = ChildProcess(fake_main, (TOKEN,), "faults-fake-telegram")
    base_url = str(await fake.start())
    redis = PrivateRedis()
    redis.start()
    bot = None
    try:
        chats = [FIRST_CHAT + i for i in range(chats_n)]
        await fake.call("users", chats)
        await link_participants(url, chats)
        env = wzt_env(url, base_url, WZT_SECRET_KEY=secret_key(), WZT_REDIS_URL=redis.url)
        bot = WztProcess(["bot"], env, "redis-down")
        await bot.start()
        # Up when a first message is answered.
        await fake.call("inject", [(chats[0], "/help")])
        for _ in range(300):
            if await fake.call("count"):
                break
            await asyncio.sleep(0.1)
        results: dict[str, Any] = {"chats": chats_n}
        results["before"], _ = await _phase(fake, chats, TEXTS[0], phase)
        redis.kill()
        killed_at = time.time()
        results["during"], _ = await _phase(fake, chats, TEXTS[1], phase)
        results["alive_during"] = bot.alive
        redis.start()
        back_at = time.time()
        results["after"], _ = await _phase(fake, chats, TEXTS[2], phase)
        results["down_s"] = back_at - killed_at
        results["alive_at_end"] = bot.alive
        results["starts"] = bot.starts
        await bot.stop()
        log = bot.log_text()
        results["redis_log_lines"] = sorted(
            {
                word
                for line in log.splitlines()
                for word in line.split()
                if ("redis" in word.lower() or "storage" in word.lower())
                and "." in word
                and "=" not in word
            }
        )
        results["tracebacks_in_log"] = log.count("Traceback")
        results["failed_updates_logged"] = log.count("update.unhandled_error")
        return results
    finally:
        if bot is not None and bot.alive:
            await bot.stop()
        redis.kill()
        await fake.stop()
        await drop_database(DB_NAME)


HEADER = (
    "| chats | answered before | with Redis down | after Redis is back | process "
    "| failed updates logged | log lines about Redis |\n"
    "|---:|---:|---:|---:|---|---:|---|"
)


def line(r: dict[str, Any]) -> str:
    n = r["chats"]
    alive = "alive, 1 start" if r["alive_at_end"] and r["starts"] == 1 else "DIED/restarted"
    return (
        f"| {n} | {r['before']}/{n} | {r['during']}/{n} | {r['after']}/{n} | {alive} "
        f"| {r['failed_updates_logged']} | {', '.join(f'`{w}`' for w in r['redis_log_lines'])} |"
    )
