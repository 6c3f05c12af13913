"""The feedback report (JSON, k-anonymous) over 100,000 answers: median time per run.

    .venv/bin/python -m bench.feedback_report [--answers 100000] [--repeat 7] [--record]

Bulk-seeds one network with anonymous responses of the end survey (one answer row per
question), then times `reports.feedback_report` (the SQL GROUP BYs, the suppression, the
audit line) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bench.checkin_wave import admin_sql
from bench.pipeline import POSTGRES_ADMIN_URL, machine_info, postgres_version
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.tables import FeedbackAnswerRow, FeedbackResponseRow
from wzt_bot.domain.models import Role, SurveyKind
from wzt_bot.domain.ports import FeedbackReportFilter
from wzt_bot.domain.services import admin, reports
from wzt_bot.domain.surveys import current
from wzt_bot.wiring import Container

DB_NAME = "wzt_bench_report"
SECRET = "bench-secret-key-bench-secret-key-0123456789"  # noqa: S105 - a throwaway database


def settings(url: str):  # type: ignore[no-untyped-def]
    from wzt_bot.config import Settings

    return Settings(
        database_url=url,
        secret_key=SECRET,
        bot_token="123456:BENCH",  # noqa: S106 - never used
        bot_username="wzt_bench_bot",
        _env_file=None,  # type: ignore[call-arg]
    )


async def run(url: str, answers: int, repeat: int) -> tuple[float, list[float]]:
    await upgrade_head_async(url)
    survey = current(SurveyKind.END)
    closed = [q for q in survey.questions if q.options]
    rng = random.Random(7)
    async with Container.open(settings(url)) as c:
        async with c.uow_factory() as uow:
            team = await admin.create_team(uow, name="Bench", network_name="Bench")
            staff = await admin.create_staff(uow, name="a", role=Role.ADMIN, team_ids=frozenset())
            await uow.commit()
        sittings = answers // len(closed)
        responses, rows = [], []
        for i in range(sittings):
            rid = uuid.uuid4()
            responses.append(
                {
                    "id": rid,
                    "network_id": team.network_id,
                    "trajectory_type": "onbekend",
                    "survey": survey.kind.value,
                    "survey_version": survey.version,
                    "month": date(2026, 1 + i % 12, 1),
                    "completed": True,
                    "stopped_after": None,
                    "share_text": False,
                }
            )
            for q in closed:
                rows.append(
                    {
                        "response_id": rid,
                        "question_id": q.id,
                        "value": rng.choice(q.options).code,
                        "text_ct": None,
                        "key_id": None,
                    }
                )
        async with c.engine.begin() as conn:
            for start in range(0, len(responses), 5000):
                await conn.execute(insert(FeedbackResponseRow), responses[start : start + 5000])
            for start in range(0, len(rows), 5000):
                await conn.execute(insert(FeedbackAnswerRow), rows[start : start + 5000])
        where = FeedbackReportFilter(team.network_id, date(2026, 1, 1), date(2026, 12, 1))
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            async with c.uow_factory() as uow:
                await reports.feedback_report(uow, c.clock, staff.staff, where)
                await uow.commit()
            times.append(time.perf_counter() - t0)
    return statistics.median(times), times


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--answers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        results["sqlite"] = await run(sqlite, args.answers, args.repeat)
    await admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    await admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    pg = make_url(POSTGRES_ADMIN_URL).set(database=DB_NAME).render_as_string(hide_password=False)
    try:
        results["postgres"] = await run(pg, args.answers, args.repeat)
    finally:
        await admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — feedback report (JSON) over "
        f"{args.answers:,} answers",
        "",
        "- Machine: {cpus} cores ({cpu}), {memory} RAM, {os}; Python {python}".format(
            **machine_info()
        )
        + " (shared machine, 2 cores: figures are indicative)",
        f"- PostgreSQL server {await postgres_version()}",
        "- Command: `.venv/bin/python -m bench.feedback_report --record`",
        "",
        "| backend | median | runs |",
        "|---|---:|---|",
    ]
    for name, (median, times) in results.items():
        runs = ", ".join(f"{t * 1000:.0f}" for t in times)
        lines.append(f"| {name} | **{median * 1000:.0f} ms** | {runs} ms |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        path = Path(__file__).with_name("RESULTS.md")
        path.write_text(path.read_text() + "\n" + text)


if __name__ == "__main__":
    asyncio.run(main())
