"""Scenario 1: SIGKILL of `wzt-bot bot` (webhook mode) while Telegram posts updates.

A driver plays Telegram: it posts N updates (one text message from each of N linked
participants) to the webhook, a few at a time, and like Telegram posts again any update that
did not get a 200 (connection refused while the process is down, 5xx) until it does. When
half of them got their 200, the process is killed with SIGKILL and started again at once.
Counted afterwards: updates stored and marked done in `telegram_updates`, answers per chat in
the fake Bot API's records (one each expected), and how long the updates the dead process had
accepted but not handled waited for recovery.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.faults.common import (
    TOKEN,
    WztProcess,
    drop_database,
    fake_main,
    free_port,
    fresh_database,
    link_participants,
    secret_key,
    wait_http,
    wzt_env,
)
from bench.proc import ChildProcess

DB_NAME = "wzt_bench_faults"
FIRST_CHAT = 71_000_000
FIRST_UPDATE = 500_000_000
WEBHOOK_SECRET = "faults-webhook-secret-0123456789"  # noqa: S105 - bench only
STALE_AFTER = 10  # seconds (WZT_UPDATE_STALE_AFTER); the default is 600


def _update(i: int) -> dict[str, Any]:
    chat = FIRST_CHAT + i
    user = {"id": chat, "is_bot": False, "first_name": f"Deelnemer {chat}", "language_code": "nl"}
    return {
        "update_id": FIRST_UPDATE + i,
        "message": {
            "message_id": 1000 + i,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": f"Hallo, dit is bericht {i}",
        },
    }


async def _db_counts(url: str) -> dict[str, int]:
    from wzt_bot.db.engine import build_engine
    from wzt_bot.db.tables import TelegramUpdateRow

    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(TelegramUpdateRow.status, func.count()).group_by(TelegramUpdateRow.status)
            )
            return {str(s): int(n) for s, n in rows.all()}
    finally:
        await engine.dispose()


async def run(n: int, *, concurrency: int = 8, stale_after: int = STALE_AFTER) -> dict[str, Any]:
    url = await fresh_database(DB_NAME)
    fake = ChildProcess(fake_main, (TOKEN,), "faults-fake-telegram")
    base_url = str(await fake.start())
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    try:
        chats = [FIRST_CHAT + i for i in range(n)]
        await fake.call("users", chats)
        await link_participants(url, chats)
        env = wzt_env(
            url,
            base_url,
            WZT_SECRET_KEY=secret_key(),
            WZT_API_PORT=str(port),
            WZT_WEBHOOK_URL=api,
            WZT_WEBHOOK_SECRET=WEBHOOK_SECRET,
            WZT_UPDATE_STALE_AFTER=str(stale_after),
        )
        bot = WztProcess(["bot"], env, "webhook-kill")
        await bot.start()
        await wait_http(f"{api}/healthz")

        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            queue.put_nowait(i)
        stats = {"posts": 0, "ok": 0, "refused": 0, "non_200": 0}
        ok_at: dict[int, float] = {}
        half = asyncio.Event()
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}

        async def poster(client: httpx.AsyncClient) -> None:
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                delay = 0.1
                while True:  # as Telegram: again until a 200
                    stats["posts"] += 1
                    try:
                        r = await client.post("/telegram/webhook", json=_update(i), headers=headers)
                    except httpx.HTTPError:
                        stats["refused"] += 1
                    else:
                        if r.status_code == 200:
                            break
                        stats["non_200"] += 1
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 1.0)
                stats["ok"] += 1
                ok_at[i] = time.time()
                if stats["ok"] >= n // 2:
                    half.set()

        started = time.time()
        async with httpx.AsyncClient(base_url=api, timeout=10) as client:
            posters = [asyncio.create_task(poster(client)) for _ in range(concurrency)]
            await half.wait()
            await bot.kill()
            killed_at = time.time()
            ok_at_kill = stats["ok"]
            db_at_kill = await _db_counts(url)
            answers_at_kill = await fake.call("count")
            await bot.start()
            restart_ready = await wait_http(f"{api}/healthz")
            await asyncio.gather(*posters)
        all_posted = time.time()

        # Until every update is done (the dead process's ones through recovery), or a limit.
        limit = stale_after + 90
        done_at = None
        while time.time() - all_posted < limit:
            counts = await _db_counts(url)
            if counts.get("done", 0) >= n:
                done_at = time.time()
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)  # answers still on their way
        counts = await _db_counts(url)
        per_chat: list[int] = await fake.call("per_chat", chats)
        answer_times: list[float] = await fake.call("times")
        alive = bot.alive
        await bot.stop()
        log = bot.log_text()
        return {
            "updates": n,
            "posts": stats["posts"],
            "refused": stats["refused"],
            "non_200": stats["non_200"],
            "ok_at_kill": ok_at_kill,
            "db_at_kill": db_at_kill,
            "answers_at_kill": answers_at_kill,
            "restart_ready_s": restart_ready,
            "db": counts,
            "answered_once": sum(1 for c in per_chat if c == 1),
            "answered_twice": sum(1 for c in per_chat if c == 2),
            "answered_more": sum(1 for c in per_chat if c > 2),
            "unanswered": sum(1 for c in per_chat if c == 0),
            "answers": sum(per_chat),
            "all_done_after_kill_s": (done_at - killed_at) if done_at else None,
            "last_answer_after_kill_s": max(answer_times) - killed_at if answer_times else None,
            "wall_s": (done_at or time.time()) - started,
            "recovered_log_lines": log.count("update.recovered"),
            "repeats_logged": log.count("update.repeat"),
            "answers_not_repeated": log.count("update.answer_not_repeated"),
            "sent_on_replay_not_recorded": log.count("reason=not_recorded"),
            "sent_on_replay_different": log.count("reason=different"),
            "alive_at_end": alive,
            "stale_after_s": stale_after,
        }
    finally:
        await fake.stop()
        await drop_database(DB_NAME)


def line(r: dict[str, Any]) -> str:
    done = r["db"].get("done", 0)
    other = {k: v for k, v in r["db"].items() if k != "done"}
    recover = r["all_done_after_kill_s"]
    return (
        f"| {r['updates']} | {r['ok_at_kill']} | {r['posts']} ({r['refused']} refused, "
        f"{r['non_200']} non-200) | {done} | {other or '-'} | {r['answered_once']} "
        f"| {r['answered_twice'] + r['answered_more']} | {r['unanswered']} "
        f"| {recover:.1f} s |"
        if recover is not None
        else f"| {r['updates']} | {r['ok_at_kill']} | {r['posts']} | {done} | {other} "
        f"| {r['answered_once']} | {r['answered_twice'] + r['answered_more']} "
        f"| {r['unanswered']} | not within the limit |"
    )


HEADER = (
    "| updates | 200s before the kill | posts (refused, non-200) | done in DB | other rows "
    "| answered once | answered twice+ | unanswered | kill → all done |\n"
    "|---:|---:|---|---:|---|---:|---:|---:|---:|"
)
