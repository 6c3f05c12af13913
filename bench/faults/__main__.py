"""Fault scenarios against the real `wzt-bot` processes: `python -m bench.faults [--record]`.

1. webhook: `wzt-bot bot` (webhook mode, PostgreSQL) SIGKILLed while Telegram posts updates;
2. outbox: `wzt-bot scheduler` SIGKILLed while it delivers a team's webhooks;
3. postgres: a private PostgreSQL (port 55432) restarted under `wzt-bot api` load;
4. redis: a private Redis (port 56379) killed under `wzt-bot bot` (polling), then back.

Scenarios 1 and 2 use databases of their own (`wzt_bench_faults*`) on the shared PostgreSQL
(`WZT_BENCH_POSTGRES_URL`), created and dropped here; the shared servers are never restarted
or flushed. The exit code is 1 when an expectation is missed (see `check`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.faults import delivery_kill, pg_restart, redis_down, webhook_kill

RESULTS = Path(__file__).resolve().parent.parent / "RESULTS.md"
SCENARIOS = ("webhook", "outbox", "postgres", "redis")


def sizes(quick: bool) -> dict[str, Any]:
    if quick:
        return {"updates": 60, "events": 60, "pg_phase": 3.0, "outages": [0.0], "chats": 15,
                "redis_phase": 3.0}  # fmt: skip
    return {"updates": 300, "events": 300, "pg_phase": 6.0, "outages": [0.0, 5.0], "chats": 40,
            "redis_phase": 6.0}  # fmt: skip


async def run_all(args: argparse.Namespace) -> dict[str, Any]:
    size = sizes(args.quick)
    chosen = args.only.split(",") if args.only else list(SCENARIOS)
    out: dict[str, Any] = {}
    if "webhook" in chosen:
        print(f"1. webhook: {size['updates']} updates, SIGKILL halfway ...", flush=True)
        out["webhook"] = await webhook_kill.run(size["updates"])
        print(json.dumps(out["webhook"]), flush=True)
    if "outbox" in chosen:
        print(f"2. outbox: {size['events']} webhook events, SIGKILL halfway ...", flush=True)
        out["outbox"] = await delivery_kill.run(size["events"])
        print(json.dumps(out["outbox"]), flush=True)
    if "postgres" in chosen:
        out["postgres"] = []
        for outage in size["outages"]:
            print(f"3. postgres: outage {outage or 'restart'} under API load ...", flush=True)
            r = await pg_restart.run(before=size["pg_phase"], after=size["pg_phase"], outage=outage)
            out["postgres"].append(r)
            print(json.dumps(r), flush=True)
    if "redis" in chosen:
        print(f"4. redis: {size['chats']} chats, Redis killed, then back ...", flush=True)
        out["redis"] = await redis_down.run(size["chats"], phase=size["redis_phase"])
        print(json.dumps(out["redis"]), flush=True)
    return out


def _check_webhook(w: dict[str, Any]) -> list[str]:
    misses = []
    if w["db"].get("done", 0) != w["updates"] or len(w["db"]) != 1:
        misses.append(f"webhook: not every update done exactly once: {w['db']}")
    if w["unanswered"]:
        misses.append(f"webhook: {w['unanswered']} updates never answered")
    in_flight = w["answers_at_kill"] - w["db_at_kill"].get("done", 0)
    twice = w["answered_twice"] + w["answered_more"]
    if twice > w["answers_not_repeated"]:
        misses.append(
            f"webhook: the sent ledger kept {w['answers_not_repeated']} answers from repeating "
            f"but {twice} went out twice ({in_flight} answered, not done, at the kill)"
        )
    return misses


def _check_outbox(o: dict[str, Any]) -> list[str]:
    misses = []
    if o["missing"] or o["unknown_ids"]:
        misses.append(f"outbox: {o['missing']} delivery ids never received")
    if o["outbox"] != {"sent": o["events"]}:
        misses.append(f"outbox: rows not all sent: {o['outbox']}")
    return misses


def _check_postgres(p: dict[str, Any]) -> list[str]:
    misses = []
    bad = {k: v for k, v in p["all"].items() if k not in ("200", "503")}
    if bad:
        misses.append(f"postgres ({p['mode']}): answers other than 200/503: {bad}")
    if p["max_latency_s"] > pg_restart.CLIENT_TIMEOUT / 2:
        misses.append(f"postgres ({p['mode']}): max latency {p['max_latency_s']:.1f} s")
    if not p["alive_at_end"]:
        misses.append(f"postgres ({p['mode']}): the API process died")
    return misses


def _check_redis(r: dict[str, Any]) -> list[str]:
    misses = []
    if not (r["alive_at_end"] and r["starts"] == 1):
        misses.append("redis: the bot process died")
    if r["during"] < r["chats"] or r["after"] < r["chats"]:
        misses.append(f"redis: answered {r['during']} during, {r['after']} after")
    return misses


def check(out: dict[str, Any]) -> list[str]:
    """What must hold; each miss is one line."""
    misses = []
    if "webhook" in out:
        misses += _check_webhook(out["webhook"])
    if "outbox" in out:
        misses += _check_outbox(out["outbox"])
    for p in out.get("postgres", []):
        misses += _check_postgres(p)
    if "redis" in out:
        misses += _check_redis(out["redis"])
    return misses


def report(out: dict[str, Any]) -> str:
    parts = []
    if w := out.get("webhook"):
        parts += [
            "**1. SIGKILL of `wzt-bot bot` (webhook mode, PostgreSQL) while Telegram posts "
            f"updates** (WZT_UPDATE_STALE_AFTER={w['stale_after_s']} s)",
            "",
            webhook_kill.HEADER,
            webhook_kill.line(w),
            "",
            f"At the kill: {w['db_at_kill']} in the database, {w['answers_at_kill']} answers "
            f"sent; {w['repeats_logged']} re-posted updates acknowledged as repeats after the "
            f"restart; restarted process up in {w['restart_ready_s']:.1f} s.",
            "",
        ]
        twice = w["answered_twice"] + w["answered_more"]
        in_flight = w["answers_at_kill"] - w["db_at_kill"].get("done", 0)
        parts += [
            f"Answers sent before the kill whose update had not committed 'done': {in_flight}. "
            f"After the restart recovery handled those updates again; the sent ledger kept "
            f"{w['answers_not_repeated']} answers from going out again; "
            f"{w['sent_on_replay_not_recorded']} answers were sent on the replay because the "
            f"ledger had none (not sent before, or sent in the instant before the kill), "
            f"{w['sent_on_replay_different']} because the answer differed.",
            "",
        ]
        if twice:
            parts += [
                f"Answered twice: {twice} updates: an answer Telegram accepted in the instant "
                "between its HTTP response and the ledger write when the process died. "
                "sendMessage has no idempotency key, so that instant cannot be closed from the "
                "bot's side: at least once, never lost.",
                "",
            ]
    if o := out.get("outbox"):
        parts += [
            "**2. SIGKILL of `wzt-bot scheduler` while it delivers a team's webhooks** "
            f"(receiver answers after {delivery_kill.RECEIVER_DELAY * 1000:.0f} ms; "
            f"WZT_OUTBOX_CLAIM_LEASE={delivery_kill.CLAIM_LEASE} s, "
            f"WZT_OUTBOX_SENDING_LEASE={delivery_kill.SENDING_LEASE} s)",
            "",
            delivery_kill.HEADER,
            delivery_kill.line(o),
            "",
            f"Outbox at the kill: {o['outbox_at_kill']}.",
            "",
        ]
    if out.get("postgres"):
        parts += [
            "**3. Private PostgreSQL restarted under `wzt-bot api` load** "
            f"({pg_restart.CLIENTS} clients, GET /api/v1/participants, client timeout "
            f"{pg_restart.CLIENT_TIMEOUT:.0f} s; the API is not restarted)",
            "",
            pg_restart.HEADER,
            *(pg_restart.line(p) for p in out["postgres"]),
            "",
        ]
    if r := out.get("redis"):
        parts += [
            "**4. Private Redis killed under `wzt-bot bot` (polling), then started again** "
            f"(down {r['down_s']:.1f} s)",
            "",
            redis_down.HEADER,
            redis_down.line(r),
            "",
        ]
    return "\n".join(parts)


def record(out: dict[str, Any], misses: list[str], argv: list[str]) -> None:
    from bench.pipeline import machine_info, postgres_version

    info = machine_info()
    pg = asyncio.run(postgres_version())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    verdict = "all expectations met" if not misses else "MISSED: " + "; ".join(misses)
    section = f"""
## {stamp} — faults (kills, database restart, Redis down)

- Machine: {info["cpus"]} cores ({info["cpu"]}), {info["memory"]} RAM, {info["os"]}
- Python {info["python"]}; {info["packages"]}; PostgreSQL server {pg} (shared, scenarios 1-2;
  a private server of the same binaries for 3); redis-server private for 4
- Every `wzt-bot` part runs as a real subprocess (SIGKILL is a real kill); the fake Bot API and
  the webhook receiver in child processes.
- Command: `.venv/bin/python -m bench.faults {" ".join(argv)}`

{report(out)}
Verdict: {verdict}.
"""
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(section)
    print(f"recorded in {RESULTS}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(SCENARIOS)}")
    args = parser.parse_args(argv)
    if args.record and args.quick:
        parser.error("--quick figures are not for the record")
    out = asyncio.run(run_all(args))
    print()
    print(report(out))
    misses = check(out)
    for miss in misses:
        print("MISSED:", miss)
    if args.record:
        record(out, misses, sys.argv[1:] if argv is None else argv)
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
