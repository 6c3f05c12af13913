"""Scenario 2: SIGKILL of the outbox sender while it delivers webhooks to a team's system.

A team's webhook URL points at a small receiver on loopback that records every POST with its
X-WZT-Delivery id and answers after 50 ms. M events are queued through the domain
(`outbox.webhook_event`, as raising a flag does); `wzt-bot scheduler` (the sender running
continuously) delivers them, is killed with SIGKILL when half arrived, and started again.
Counted at the receiver: every delivery id at least once (nothing lost); repeats, which must
carry the same delivery id (receivers drop them). The leases are shortened through
WZT_OUTBOX_CLAIM_LEASE / WZT_OUTBOX_SENDING_LEASE (defaults 30 s / 120 s), so the run waits
seconds, not minutes, for the dead sender's claims.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from bench.faults.common import (
    TOKEN,
    WztProcess,
    drop_database,
    fake_main,
    fresh_database,
    receiver_main,
    secret_key,
    wzt_env,
)
from bench.proc import ChildProcess

DB_NAME = "wzt_bench_faults_outbox"
CLAIM_LEASE = 3
SENDING_LEASE = 6
RECEIVER_DELAY = 0.05
HOOK_SECRET = "team-webhook-secret-0123456789abcdef"  # noqa: S105 - bench only


async def seed(url: str, key: str, hook_url: str, events: int) -> set[str]:
    """One team whose webhook points at the receiver; `events` webhook events queued."""
    from dataclasses import replace

    from wzt_bot.config import Settings
    from wzt_bot.domain.services import admin
    from wzt_bot.domain.services.outbox import webhook_event
    from wzt_bot.wiring import Container

    settings = Settings(database_url=url, secret_key=key, _env_file=None)
    async with Container.open(settings) as container:
        async with container.uow_factory() as uow:
            team = await admin.create_team(uow, name="Team Hook", network_name="Netwerk Hook")
            team_settings = replace(await uow.teams.settings(team.id), webhook_url=hook_url)
            await uow.teams.save_settings(team.id, team_settings)
            await uow.teams.set_webhook_secret(team.id, HOOK_SECRET)
            await uow.commit()
        for start in range(0, events, 100):
            async with container.uow_factory() as uow:
                for i in range(start, min(events, start + 100)):
                    await webhook_event(
                        uow,
                        container.clock,
                        team_settings,
                        team.id,
                        event="flag.created",
                        body={"flag": i, "urgency": "normal"},
                    )
                await uow.commit()
        return await outbox_deliveries(url)


async def outbox_deliveries(url: str) -> set[str]:
    from wzt_bot.db.engine import build_engine
    from wzt_bot.db.tables import OutboxRow

    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(select(OutboxRow.id).where(OutboxRow.channel == "webhook"))
            return {str(r) for r in rows.scalars()}
    finally:
        await engine.dispose()


async def outbox_counts(url: str) -> dict[str, int]:
    from wzt_bot.db.engine import build_engine
    from wzt_bot.db.tables import OutboxRow

    engine = build_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {str(s): int(n) for s, n in rows.all()}
    finally:
        await engine.dispose()


async def run(events: int) -> dict[str, Any]:
    url = await fresh_database(DB_NAME)
    fake = ChildProcess(fake_main, (TOKEN,), "faults-fake-telegram")
    receiver = ChildProcess(receiver_main, (RECEIVER_DELAY,), "faults-receiver")
    base_url = str(await fake.start())
    hook_url = str(await receiver.start())
    try:
        key = secret_key()
        expected = await seed(url, key, hook_url, events)
        env = wzt_env(
            url,
            base_url,
            WZT_SECRET_KEY=key,
            WZT_OUTBOX_CLAIM_LEASE=str(CLAIM_LEASE),
            WZT_OUTBOX_SENDING_LEASE=str(SENDING_LEASE),
        )
        sender = WztProcess(["scheduler"], env, "delivery-kill")
        started = time.time()
        await sender.start()
        while await receiver.call("count") < events // 2:
            if not sender.alive:
                raise RuntimeError(f"the sender exited: see {sender.log}")
            await asyncio.sleep(0.02)
        await sender.kill()
        killed_at = time.time()
        at_kill = await receiver.call("count")
        outbox_at_kill = await outbox_counts(url)
        await sender.start()
        done_at = None
        while time.time() - killed_at < SENDING_LEASE + CLAIM_LEASE + 60:
            counts = await outbox_counts(url)
            if counts.get("sent", 0) >= events:
                done_at = time.time()
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)
        alive = sender.alive
        await sender.stop()
        received: list[str] = await receiver.call("deliveries")
        per_id = Counter(received)
        return {
            "events": events,
            "received_at_kill": at_kill,
            "outbox_at_kill": outbox_at_kill,
            "posts": len(received),
            "distinct": len(per_id),
            "missing": len(expected - set(per_id)),
            "unknown_ids": len(set(per_id) - expected),
            "repeats": sum(n - 1 for n in per_id.values()),
            "repeated_ids": sum(1 for n in per_id.values() if n > 1),
            "outbox": await outbox_counts(url),
            "kill_to_all_sent_s": (done_at - killed_at) if done_at else None,
            "wall_s": (done_at or time.time()) - started,
            "alive_at_end": alive,
        }
    finally:
        await receiver.stop()
        await fake.stop()
        await drop_database(DB_NAME)


HEADER = (
    "| events | received before the kill | POSTs received | distinct delivery ids | missing "
    "| repeats (same id) | outbox after | kill → all sent |\n"
    "|---:|---:|---:|---:|---:|---:|---|---:|"
)


def line(r: dict[str, Any]) -> str:
    t = r["kill_to_all_sent_s"]
    return (
        f"| {r['events']} | {r['received_at_kill']} | {r['posts']} | {r['distinct']} "
        f"| {r['missing']} | {r['repeats']} | {r['outbox']} "
        f"| {f'{t:.1f} s' if t is not None else 'not within the limit'} |"
    )
