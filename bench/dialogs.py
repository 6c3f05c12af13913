"""Dialog benchmark: many participants at once, each through a 10-step dialog with the real bot.

    .venv/bin/python -m bench.dialogs [--participants 500] [--backends sqlite,postgres]
                                      [--limits telegram,relaxed] [--timeout 30]
                                      [--quick] [--record]

For every backend and every set of limits, the real bot (``wiring.Container`` + ``run_parts``,
polling, ``bench/bot_proc.py``) runs in a process of its own against a fresh fake Bot API in
another process (``bench/dialog_fake.py``) that plays every participant at once, each one
step at a time. Every participant is linked (invite, language, consent, through the domain
services) and has a plan and a "who is who" pushed through the API before the run. Its ten
steps: /menu; 📋 Mijn plan, 🎯 Mijn doel en stappen, then the steps or who is who; 🙂 Hoe gaat
het?, then a face or 👍 Alles oké; 💬 Ik wil iets vragen of zeggen, a topic, a text, ✅ Versturen.

Reported: latency per step (from injecting the update to the bot's answer to that step as the
fake records it) p50/p95/p99/max overall and per step kind, wall time, Bot API calls, 429s,
and the errors (target 0): steps without an answer within the timeout, unexpected answers,
steps that could not be taken (the button was not there), non-ok Bot API answers other than
429, ERROR lines in the bot's log, updates in the database not marked done.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.bot_proc import wzt_main
from bench.dialog_fake import dialog_fake_main
from bench.pipeline import (
    WIDE_OPEN,
    fresh_database,
    machine_info,
    percentile,
    postgres_version,
    stored_updates,
)
from bench.proc import ChildProcess, MachineMeter, machine_busy
from wzt_bot.bot.outreach_texts import TAP_A_FACE, TOPIC_LABELS
from wzt_bot.bot.texts import MenuItem, menu_label
from wzt_bot.config import Settings
from wzt_bot.domain.models import ConsentKind, Role, Topic
from wzt_bot.domain.services import admin, onboarding, participants
from wzt_bot.i18n import I18n, Translator
from wzt_bot.logging_setup import configure_logging
from wzt_bot.wiring import Container

TOKEN = "777001:BENCH-dialogs-token"  # noqa: S105 - only valid on the fake Bot API
BOT_USERNAME = "wzt_dialogs_bench_bot"
FIRST_CHAT = 820_000_001
RESULTS = Path(__file__).with_name("RESULTS.md")
POSTGRES_DB = "wzt_bench_dialogs"
OBJECTIVE = "Ik wil in een keuken werken."
MAIN_CONTACT = "An Claes"
SEED_CONCURRENCY = 8
#: Telegram's flood limits in the fake (429 with retry_after above them), and the bot's own
#: limiter at its defaults; or both out of the way.
LIMITS: dict[str, dict[str, Any]] = {
    "telegram": {
        "enforce_rates": True,
        "global_rate": 30.0,
        "global_burst": 30,
        "chat_rate": 1.0,
        "chat_burst": 5,
    },
    "relaxed": {"enforce_rates": False},
}
ERROR_LINE = re.compile(r"\[(error|critical)\s*\]|^(ERROR|CRITICAL) ", re.MULTILINE)
WARNING_LINE = re.compile(r"\[warning\s*\]|^WARNING ", re.MULTILINE)

Step = dict[str, Any]


# --------------------------------------------------------------------------- the script


def _step(kind: str, action: str, text: str, *expect: str) -> Step:
    return {"kind": kind, "action": action, "text": text, "expect": list(expect)}


def _head(t: Translator, msgid: str) -> str:
    """The translated text up to its first placeholder ("Dit stuur ik naar")."""
    return t(msgid).split("{", 1)[0].strip()


def script_for(t: Translator, index: int) -> list[Step]:
    """The ten steps of participant ``index``; even and odd ones take other branches."""
    even = index % 2 == 0
    words = f"Kan ik volgende week een dag vrij nemen voor de stage? (deelnemer {index})"
    return [
        _step("menu", "text", "/menu", t("Hier is het menu. Kies wat je wil doen.")),
        _step("plan hub", "press", menu_label(t, MenuItem.PLAN), OBJECTIVE),
        _step("plan goal", "press", "🎯 " + t("Mijn doel en stappen"), "🎯 " + t("Je doel")),
        _step(
            "plan steps",
            "press",
            t("Bekijk de stappen") + " ▶️",
            t("Stap {i} van {n}", i=1, n=2),
            "Stage zoeken in een grootkeuken",
        )
        if even
        else _step(
            "plan who", "press", "👥 " + t("Wie is wie"), "👥 " + t("Wie is wie"), MAIN_CONTACT
        ),
        _step("check-in open", "press", menu_label(t, MenuItem.CHECKIN), t(TAP_A_FACE)),
        _step("check-in face", "press", "🙂", t("Waar denk je nu vooral aan?"))
        if even
        else _step(
            "check-in all ok",
            "press",
            "👍 " + t("Alles oké"),
            t("Wat lukte er deze week? Iets kleins mag ook."),
        ),
        _step("concern open", "press", menu_label(t, MenuItem.ASK), t("Waarover gaat het?")),
        _step(
            "concern topic",
            "press",
            t(TOPIC_LABELS[Topic.WERK]),
            t("Schrijf je bericht hieronder."),
        ),
        _step("concern text", "text", words, _head(t, "Dit stuur ik naar {who}:"), words),
        _step("concern send", "press", t("✅ Versturen"), _head(t, "✅ Verstuurd naar {who}.")),
    ]


def make_script(chats: list[int]) -> dict[int, list[Step]]:
    t = I18n(default_locale="nl").get("nl")
    return {chat: script_for(t, i) for i, chat in enumerate(chats)}


# --------------------------------------------------------------------------- seeding


def plan_document() -> dict[str, Any]:
    return {
        "trajectory_type": "activeringstraject",
        "objective": OBJECTIVE,
        "start_date": "2026-11-02",
        "expected_end_date": "2027-08-01",
        "evaluation_every_weeks": 6,
        "change_note": "Eerste versie, samen opgemaakt.",
        "actions": [
            {"domain": "werk", "title": "Stage zoeken in een grootkeuken", "owner": "An"},
            {"domain": "zorg", "title": "Afspraak bij de huisarts", "owner": "Lies"},
        ],
    }


async def seed(container: Container, chat_ids: list[int]) -> None:
    """Linked participants (domain services), each with a plan and who is who (the API)."""
    clock = container.clock
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team Bench", network_name="Netwerk Bench")
        staff = await admin.create_staff(
            uow, name="Casemanager", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        await uow.commit()
    directory = {
        "entries": [
            {
                "name": MAIN_CONTACT,
                "role": "casemanager_werk",
                "reach": "ma-do 9-17 u",
                "staff_id": str(staff.staff.id),
                "main": True,
            },
            {"name": "Lies", "role": "casemanager_zorg", "organisation": "CAW"},
        ]
    }
    app = container.build_api(with_webhook=False)
    slots = asyncio.Semaphore(SEED_CONCURRENCY)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://api.bench",
        headers={"Authorization": f"Bearer {staff.token}"},
        timeout=60,
    ) as api:

        async def one(chat_id: int) -> None:
            async with slots:
                async with container.uow_factory() as uow:
                    issued = await participants.create_participant(
                        uow, clock, staff.staff, display_name=f"Sam {chat_id}", team_id=team.id
                    )
                    linked = await onboarding.redeem_invite(
                        uow, clock, telegram_user_id=chat_id, chat_id=chat_id, code=issued.code
                    )
                    person = await onboarding.set_locale(uow, clock, linked.participant, "nl")
                    await onboarding.record_consent(
                        uow, clock, person, kind=ConsentKind.CHECKIN_MESSAGES, granted=True
                    )
                    await uow.commit()
                base = f"/api/v1/participants/{person.id}"
                for path, body in (("team", directory), ("plan", plan_document())):
                    response = await api.put(f"{base}/{path}", json=body)
                    if response.status_code != 200:
                        raise RuntimeError(f"PUT {path}: {response.status_code} {response.text}")

        await asyncio.gather(*(one(chat_id) for chat_id in chat_ids))


# --------------------------------------------------------------------------- one run


@dataclass
class Run:
    backend: str
    limits: str
    participants: int
    planned: int
    finished: int
    wall_seconds: float
    latencies: list[tuple[str, float]]
    timeouts: dict[str, int]
    no_button: list[str]
    unexpected: list[str]
    not_ok: dict[str, int]
    throttled: dict[str, int]
    calls: dict[str, int]
    fake_limits: dict[str, Any]
    bot_limits: dict[str, float]
    bot_cpu_seconds: float
    fake_cpu_seconds: float
    machine_busy: float
    seed_seconds: float
    log_errors: list[str] = field(default_factory=list)
    log_warnings: int = 0
    stored: dict[str, int] = field(default_factory=dict)

    @property
    def not_done(self) -> int:
        return sum(n for status, n in self.stored.items() if status != "done")

    @property
    def errors(self) -> int:
        """Each failure once; the steps a participant did not take after one are not added."""
        return (
            sum(self.timeouts.values())
            + len(self.no_button)
            + len(self.unexpected)
            + sum(self.not_ok.values())
            + len(self.log_errors)
            + self.not_done
        )

    def error_parts(self) -> str:
        lost = (
            self.planned - len(self.latencies) - sum(self.timeouts.values()) - len(self.no_button)
        )
        return (
            f"timeouts {sum(self.timeouts.values())}, unexpected {len(self.unexpected)}, "
            f"no button {len(self.no_button)}, non-ok API {sum(self.not_ok.values())}, "
            f"log ERROR {len(self.log_errors)}, updates not done {self.not_done}, "
            f"steps not taken {lost}"
        )

    def pct(self, p: float, kind: str | None = None) -> float:
        values = sorted(s for k, s in self.latencies if kind is None or k == kind)
        return percentile(values, p) * 1000

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(k for k, _ in self.latencies))

    @property
    def sends_per_second(self) -> float:
        sent = sum(self.calls.get(m, 0) for m in ("sendMessage", "editMessageReplyMarkup"))
        sent -= sum(self.throttled.values())
        return sent / self.wall_seconds

    def line(self) -> str:
        return (
            f"[{self.backend}, limits {self.limits}] {self.participants} participants: "
            f"{len(self.latencies)}/{self.planned} steps answered in {self.wall_seconds:.1f} s  "
            f"p50 {self.pct(50):.0f} ms  p95 {self.pct(95):.0f} ms  p99 {self.pct(99):.0f} ms  "
            f"max {self.pct(100):.0f} ms  errors {self.errors}"
        )


def bot_settings(url: str, base_url: str, limits: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "database_url": url,
        "secret_key": "bench-" + secrets.token_urlsafe(40),
        "bot_token": TOKEN,
        "telegram_api_url": base_url,
        "bot_username": BOT_USERNAME,
        "redis_url": None,
    }
    if limits == "relaxed":
        values |= {
            "telegram_global_rate": WIDE_OPEN,
            "telegram_chat_rate": WIDE_OPEN,
            "telegram_chat_burst": WIDE_OPEN,
        }
    return values


def read_log(path: Path) -> tuple[list[str], int]:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    errors = [
        m.string[m.start() : m.string.find("\n", m.start())] for m in ERROR_LINE.finditer(text)
    ]
    return errors, len(WARNING_LINE.findall(text))


async def run_one(backend: str, limits: str, chats: list[int], timeout: float) -> Run:
    script = make_script(chats)
    fake = ChildProcess(dialog_fake_main, (TOKEN, BOT_USERNAME, LIMITS[limits]), "fake-telegram")
    base_url = str(await fake.start())
    try:
        await fake.call("users", chats)
        with tempfile.TemporaryDirectory(prefix="wzt-bench-dialogs-") as tmp:
            log = Path(tmp) / "bot.log"
            async with fresh_database(backend, POSTGRES_DB) as url:
                values = bot_settings(url, base_url, limits)
                settings = Settings(**values, _env_file=None)
                async with Container.open(settings) as container:
                    started = time.perf_counter()
                    await seed(container, chats)
                    seed_seconds = time.perf_counter() - started
                    bot = ChildProcess(wzt_main, (values, None, str(log)), "wzt-bot")
                    await bot.start()
                    try:
                        await bot.call("measure")
                        machine = MachineMeter()
                        machine.start()
                        raw: dict[str, Any] = await fake.call(
                            "walk",
                            {"script": script, "timeout": timeout},
                            timeout=timeout * 12 + 60 + len(chats),
                        )
                        busy = machine.stop()
                        measured: dict[str, Any] = await bot.call("measured")
                    finally:
                        await bot.stop()
                    stored = await stored_updates(container)
                    log_errors, log_warnings = read_log(log)
                    return Run(
                        backend=backend,
                        limits=limits,
                        participants=len(chats),
                        planned=int(raw["planned"]),
                        finished=int(raw["finished"]),
                        wall_seconds=float(raw["wall_seconds"]),
                        latencies=[(str(k), float(s)) for k, s in raw["latencies"]],
                        timeouts={str(k): int(v) for k, v in raw["timeouts"].items()},
                        no_button=[str(x) for x in raw["no_button"]],
                        unexpected=[str(x) for x in raw["unexpected"]],
                        not_ok={str(k): int(v) for k, v in raw["not_ok"].items()},
                        throttled={str(k): int(v) for k, v in raw["throttled"].items()},
                        calls={str(k): int(v) for k, v in raw["calls"].items()},
                        fake_limits=dict(raw["limits"]),
                        bot_limits={
                            "global": settings.telegram_global_rate,
                            "chat": settings.telegram_chat_rate,
                            "chat_burst": settings.telegram_chat_burst,
                        },
                        bot_cpu_seconds=float(measured["cpu_seconds"]),
                        fake_cpu_seconds=float(raw["fake_cpu_seconds"]),
                        machine_busy=busy,
                        seed_seconds=seed_seconds,
                        log_errors=log_errors,
                        log_warnings=log_warnings,
                        stored=stored,
                    )
    finally:
        await fake.stop()


# --------------------------------------------------------------------------- report


def limits_text(run: Run) -> str:
    fake = run.fake_limits
    if fake.get("enforce_rates"):
        flood = (
            f"fake enforces {fake['global_rate']:g} msg/s overall (burst {fake['global_burst']}) "
            f"and {fake['chat_rate']:g} msg/s per chat (burst {fake['chat_burst']})"
        )
    else:
        flood = "fake flood limits off"
    bot = run.bot_limits
    own = (
        "bot limiter wide open"
        if bot["global"] >= WIDE_OPEN
        else f"bot limiter {bot['global']:g} msg/s overall, {bot['chat']:g} msg/s per chat "
        f"(burst {bot['chat_burst']:g})"
    )
    return f"{flood}; {own}"


def details(run: Run) -> list[str]:
    lines = [
        f"  limits: {limits_text(run)}",
        f"  {run.error_parts()}; 429s {sum(run.throttled.values())}; "
        f"log WARNING lines {run.log_warnings}",
        f"  sends/s {run.sends_per_second:.1f}; Bot API calls "
        + ", ".join(f"{m} {n}" for m, n in sorted(run.calls.items(), key=lambda kv: -kv[1])),
        f"  cpu bot {run.bot_cpu_seconds / run.wall_seconds:.0%} fake "
        f"{run.fake_cpu_seconds / run.wall_seconds:.0%} machine {run.machine_busy:.0%}; "
        f"seeding {run.seed_seconds:.0f} s; db: "
        + ", ".join(f"{k}={v}" for k, v in sorted(run.stored.items())),
    ]
    for kind in run.kinds():
        n = sum(1 for k, _ in run.latencies if k == kind)
        lines.append(
            f"    {kind:16} n {n:5}  p50 {run.pct(50, kind):7.0f}  p95 {run.pct(95, kind):7.0f}  "
            f"p99 {run.pct(99, kind):7.0f}  max {run.pct(100, kind):7.0f} ms"
        )
    for title, items in (
        ("unexpected", run.unexpected),
        ("no button", run.no_button),
        ("log ERROR", run.log_errors),
        ("timeouts", [f"{k}: {v}" for k, v in run.timeouts.items()]),
        ("non-ok", [f"{k}: {v}" for k, v in run.not_ok.items()]),
    ):
        for item in items[:5]:
            lines.append(f"  {title}: {item}")
        if len(items) > 5:
            lines.append(f"  {title}: ... {len(items) - 5} more")
    return lines


def summary_table(runs: list[Run]) -> str:
    rows = [
        "| backend | limits | participants | steps answered | wall s | sends/s | p50 ms "
        "| p95 ms | p99 ms | max ms | 429s | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        rows.append(
            f"| {r.backend} | {r.limits} | {r.participants} | {len(r.latencies)}/{r.planned} "
            f"| {r.wall_seconds:.1f} | {r.sends_per_second:.1f} | {r.pct(50):.0f} "
            f"| {r.pct(95):.0f} | {r.pct(99):.0f} | {r.pct(100):.0f} "
            f"| {sum(r.throttled.values())} | {r.errors} |"
        )
    return "\n".join(rows)


def kind_table(runs: list[Run]) -> str:
    heads = " | ".join(f"{r.backend} {r.limits} p50 / p99" for r in runs)
    rows = [f"| step | {heads} |", "|---|" + "---:|" * len(runs)]
    kinds = list(dict.fromkeys(k for r in runs for k in r.kinds()))
    for kind in kinds:
        cells = " | ".join(f"{r.pct(50, kind):.0f} / {r.pct(99, kind):.0f}" for r in runs)
        rows.append(f"| {kind} | {cells} |")
    return "\n".join(rows)


def verdict(runs: list[Run]) -> str:
    met = bool(runs) and all(r.errors == 0 for r in runs)
    return f"Target errors 0: {'met' if met else 'NOT met'}"


def record(runs: list[Run], args: argparse.Namespace, pg: str, busy: float) -> None:
    info = machine_info()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    limit_lines = "\n".join(
        f"  - {name}: {limits_text(r)}" for name, r in {r.limits: r for r in runs}.items()
    )
    detail = "\n".join(f"{r.line()}\n" + "\n".join(details(r)) for r in runs)
    section = f"""
## {stamp} — dialogs ({args.participants} participants × 10 steps)

- Machine: {info["cpus"]} cores ({info["cpu"]}), {info["memory"]} RAM, {info["os"]}
- Python {info["python"]}; {info["packages"]}; PostgreSQL server {pg}
- Machine busy with other work just before the run: {busy:.0%} of all cores
- Every participant at once, one step at a time: /menu; 📋 Mijn plan → 🎯 Mijn doel en
  stappen → (even) Bekijk de stappen ▶️ / (odd) 👥 Wie is wie; 🙂 Hoe gaat het? → (even) 🙂
  / (odd) 👍 Alles oké; 💬 Ik wil iets vragen of zeggen → Werk of stage → a text → ✅ Versturen.
  Latency: the update injected → the bot's answer to that step recorded by the fake.
  Timeout per step {args.timeout:g} s with limits relaxed, {args.timeout_limited:g} s under
  Telegram's limits (the queue for 25 msg/s alone is ~30 s per step at 500 participants).
- Limits:
{limit_lines}
- Command: `.venv/bin/python -m bench.dialogs {" ".join(sys.argv[1:])}`

{summary_table(runs)}

{verdict(runs)} (errors = steps without an answer in time + unexpected answers + steps that
could not be taken + non-ok Bot API answers other than 429 + ERROR lines in the bot's log +
updates in the database not marked done)

**Reading.** Under Telegram's limits the global bound dominates: the bot sends at its own
limiter's rate and every participant waits for every other's send of the same step (about N /
rate s for a step answered with one message, twice that where aiogram-dialog also removes the
keyboard of the previous window: the check-in answer and the concern steps). The wall time is
that bound (N × sends per participant / rate). With the limits relaxed the figures are the
bot's own cost with N dialogs in flight (see the bot's CPU in the details).

Per step kind, p50 / p99 ms:

{kind_table(runs)}

<details><summary>Details per run</summary>

```
{detail}
```
</details>
"""
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(section)
    print(f"\nrecorded in {RESULTS}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dialogs", description=__doc__)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite, postgres")
    parser.add_argument(
        "--limits",
        default="telegram,relaxed",
        help="comma separated: telegram (flood limits on, the bot's limiter at its defaults), "
        "relaxed (both off)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds per step, limits relaxed"
    )
    parser.add_argument(
        "--timeout-limited",
        type=float,
        default=120.0,
        help="seconds per step under Telegram's limits (500 participants at ~1.5 sends per "
        "step against 25 msg/s queue ~30 s for every step by themselves)",
    )
    parser.add_argument("--quick", action="store_true", help="smoke test: 50 participants")
    parser.add_argument("--record", action="store_true", help="append the results to RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants = 50
    args.backend_list = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.limit_list = [x.strip() for x in args.limits.split(",") if x.strip()]
    for backend in args.backend_list:
        if backend not in ("sqlite", "postgres"):
            parser.error(f"unknown backend {backend!r}")
    for limits in args.limit_list:
        if limits not in LIMITS:
            parser.error(f"unknown limits {limits!r}")
    return args


async def main_async(args: argparse.Namespace) -> int:
    configure_logging("WARNING")
    busy = machine_busy(1.0)
    print(f"machine busy before the run: {busy:.0%} of all cores", flush=True)
    started = time.perf_counter()
    chats = [FIRST_CHAT + i for i in range(args.participants)]
    runs: list[Run] = []
    for backend in args.backend_list:
        for limits in args.limit_list:
            timeout = args.timeout if limits == "relaxed" else args.timeout_limited
            run = await run_one(backend, limits, chats, timeout)
            print(run.line(), flush=True)
            print("\n".join(details(run)), flush=True)
            runs.append(run)
    print()
    print(summary_table(runs))
    print()
    print(kind_table(runs))
    print()
    print(verdict(runs))
    print(f"(total {time.perf_counter() - started:.0f} s)")
    if args.record:
        record(runs, args, await postgres_version(), busy)
    return 0 if all(r.errors == 0 for r in runs) else 1


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(main())
