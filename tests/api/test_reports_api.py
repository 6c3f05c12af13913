"""Feedback reports over the API: k-anonymous (k = 5) in JSON and CSV, the role matrix."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import httpx
import pytest

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import (
    FeedbackResponse,
    Role,
    SurveyKind,
    SurveyProgress,
    SurveyStatus,
)
from wzt_bot.domain.services import admin
from wzt_bot.wiring import Container

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
NOV = date(2026, 11, 1)
URL = "/api/v1/reports/feedback"


@dataclass
class World:
    client: httpx.AsyncClient
    network_id: uuid.UUID
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def q(self, **extra: str) -> dict[str, str]:
        return {"network_id": str(self.network_id), "from": "2026-10", "to": "2026-12", **extra}


def _responses(network_id: uuid.UUID) -> list[FeedbackResponse]:
    # start_overall: "4" x 8, "5" x 3, "1" x 1 -> only "4" (8) is shown
    values = ["4"] * 8 + ["5"] * 3 + ["1"]
    out = []
    for i, value in enumerate(values):
        completed = i < 10
        out.append(
            FeedbackResponse(
                id=uuid.uuid4(),
                network_id=network_id,
                trajectory_type="onbekend",
                survey=SurveyKind.START,
                survey_version=1,
                month=NOV,
                answers={
                    "start_overall": value,
                    **({"plan_understood": "yes"} if completed else {}),
                },
                free_text={"felt_heard": f"Casemanager Jolien belde 0470 12 34 5{i}."}
                if i < 6
                else {},
                share_text=i < 6,
                completed=completed,
                stopped_after=None if completed else "start_overall",
            )
        )
    return out


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    people = [
        await linked_participant(container, clock, name=f"P{i}", user_id=9600 + i) for i in range(3)
    ]
    sam = people[0]
    async with container.uow_factory() as uow:
        team = await uow.teams.get(sam.team_id)
        assert team is not None
        west = await admin.create_team(uow, name="Team West", network_name="West")
        tokens: dict[str, str] = {}
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {sam.team_id}),
            ("lead", Role.TEAMLEAD, {sam.team_id}),
            ("analyst", Role.NETWORK_ANALYST, {sam.team_id}),
            ("stranger", Role.NETWORK_ANALYST, {west.id}),
            ("admin", Role.ADMIN, set()),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who] = created.token
        for response in _responses(team.network_id):
            await uow.feedback.add_response(response)
        for p in people:
            await uow.feedback.save_progress(
                SurveyProgress(p.participant.id, SurveyKind.START, 1, SurveyStatus.DONE, NOV)
            )
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield World(client, team.network_id, tokens)


async def test_json_is_k_anonymous(world: World) -> None:
    got = await world.client.get(URL, params=world.q(), headers=world.auth("analyst"))
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["k"] == 5
    (start,) = body["surveys"]
    assert start["survey"] == "start" and start["sittings"] == 12
    assert start["offers"] is None and start["response_rate"] is None  # 3 offers < 5
    questions = {q["id"]: q for q in start["questions"]}
    overall = {o["code"]: o for o in questions["start_overall"]["options"]}
    assert overall["4"]["count"] == 8 and overall["4"]["label"] == "🙂 Goed"
    assert all(overall[c]["count"] is None for c in ("1", "2", "3", "5"))
    assert questions["start_overall"]["respondents"] is None  # 12 - 8 would give 4
    assert questions["start_overall"]["stopped_after"] is None  # 2 < 5
    shown = [o["count"] for q in start["questions"] for o in q["options"] if o["count"]]
    assert all(c >= 5 for c in shown)
    words = questions["felt_heard"]["texts"]
    assert len(words) == 6
    assert all("Jolien" not in w and "0470" not in w and "[naam]" in w for w in words)


async def test_lang_translates_labels(world: World) -> None:
    got = await world.client.get(URL, params=world.q(lang="en"), headers=world.auth("admin"))
    assert got.status_code == 200, got.text
    bad = await world.client.get(URL, params=world.q(lang="xx"), headers=world.auth("admin"))
    assert bad.status_code == 422


async def test_csv_is_k_anonymous(world: World) -> None:
    got = await world.client.get(f"{URL}.csv", params=world.q(), headers=world.auth("lead"))
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    overall = {r["option"]: r for r in rows if r["question"] == "start_overall"}
    assert overall["4"]["count"] == "8" and overall["4"]["suppressed"] == "false"
    for code in ("1", "2", "3", "5"):
        assert overall[code]["count"] == "" and overall[code]["suppressed"] == "true"
    assert all(r["count"] == "" or int(r["count"]) >= 5 for r in rows)


async def test_role_matrix(world: World) -> None:
    for url in (URL, f"{URL}.csv"):
        assert (await world.client.get(url, params=world.q())).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert (await world.client.get(url, params=world.q(), headers=wrong)).status_code == 401
        for who, status in (
            ("cm", 403),
            ("stranger", 404),
            ("lead", 200),
            ("analyst", 200),
            ("admin", 200),
        ):
            got = await world.client.get(url, params=world.q(), headers=world.auth(who))
            assert got.status_code == status, (url, who, got.text)
        other = world.q(network_id=str(uuid.uuid4()))
        assert (
            await world.client.get(url, params=other, headers=world.auth("admin"))
        ).status_code == 404


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2026-12", "2026-10"),
        ("2026-13", "2026-12"),
        ("oktober", "2026-12"),
        ("2026-02-30", "2026-03"),
    ],
)
async def test_bad_periods_are_422(world: World, start: str, end: str) -> None:
    params = world.q()
    params.update({"from": start, "to": end})
    got = await world.client.get(URL, params=params, headers=world.auth("admin"))
    assert got.status_code == 422, got.text
    assert "from" in got.text


async def test_dates_work_as_months(world: World) -> None:
    params = world.q()
    params.update({"from": "2026-11-15", "to": "2026-11-20"})
    got = await world.client.get(URL, params=params, headers=world.auth("admin"))
    assert got.status_code == 200 and got.json()["surveys"][0]["sittings"] == 12
    none = world.q(trajectory_type="arbeidszorg")
    got = await world.client.get(URL, params=none, headers=world.auth("admin"))
    assert got.status_code == 200 and got.json()["surveys"] == []


async def test_charts_are_k_anonymous(world: World) -> None:
    base = f"{URL}/charts/start/start_overall"
    svg = await world.client.get(f"{base}.svg", params=world.q(), headers=world.auth("analyst"))
    assert svg.status_code == 200, svg.text
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(svg.content)  # noqa: S314 - our own SVG
    texts = ["".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count("< 5") == 4 and "8" in texts and "Goed" in texts
    assert not {"1", "3", "4", "12"} & set(texts)  # no hidden count, no total
    png = await world.client.get(f"{base}.png", params=world.q(), headers=world.auth("lead"))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    import matplotlib.image as mpimg

    assert mpimg.imread(io.BytesIO(png.content), format="png").shape[0] > 100
    missing = await world.client.get(
        f"{URL}/charts/start/nope.svg", params=world.q(), headers=world.auth("admin")
    )
    assert missing.status_code == 404
    cm = await world.client.get(f"{base}.svg", params=world.q(), headers=world.auth("cm"))
    assert cm.status_code == 403


async def test_reads_are_audited(world: World, container: Container) -> None:
    from sqlalchemy import select

    from wzt_bot.db.tables import AuditRow

    got = await world.client.get(URL, params=world.q(), headers=world.auth("analyst"))
    assert got.status_code == 200
    async with container.engine.connect() as conn:
        actions = (await conn.execute(select(AuditRow.action))).scalars().all()
    assert "report.feedback.read" in actions
