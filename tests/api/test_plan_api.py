"""The plan, trajectory, directory and appointments over the API (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import AuditRow, OutboxRow, PlanVersionRow
from wzt_bot.domain.models import Role
from wzt_bot.domain.services import admin
from wzt_bot.wiring import Container

PLAN: dict[str, Any] = {
    "trajectory_type": "activeringstraject",
    "objective": "Ik wil in een keuken werken, een paar dagen per week.",
    "start_date": "2026-11-02",
    "expected_end_date": "2027-08-01",
    "evaluation_every_weeks": 6,
    "change_note": "Eerste versie, samen opgemaakt.",
    "actions": [
        {
            "domain": "werk",
            "title": "Stage zoeken in een grootkeuken",
            "owner": "An",
            "due_date": "2026-12-15",
            "status": "bezig",
        },
        {"domain": "zorg", "title": "Afspraak bij de huisarts over slapen", "owner": "Lies"},
    ],
}


@dataclass
class World:
    client: httpx.AsyncClient
    container: Container
    team_id: uuid.UUID
    participant_id: uuid.UUID
    tokens: dict[str, str]
    staff_ids: dict[str, uuid.UUID]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    @property
    def base(self) -> str:
        return f"/api/v1/participants/{self.participant_id}"


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    clock = FrozenClock(datetime.now(UTC))
    linked = await linked_participant(container, clock, name="Sam")
    async with container.uow_factory() as uow:
        other = await admin.create_team(uow, name="Team West", network_name="West")
        tokens: dict[str, str] = {}
        ids: dict[str, uuid.UUID] = {}
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {linked.team_id}),
            ("zorg", Role.CASEMANAGER, {linked.team_id}),
            ("outsider", Role.TEAMLEAD, {other.id}),
            ("analyst", Role.NETWORK_ANALYST, {linked.team_id}),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who], ids[who] = created.token, created.staff.id
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield World(client, container, linked.team_id, linked.participant.id, tokens, ids)


async def _count(container: Container, statement: Any) -> int:
    async with container.engine.connect() as connection:
        return int((await connection.execute(statement)).scalar_one())


async def test_each_put_is_a_version_with_history_and_diff(world: World) -> None:
    first = await world.client.put(f"{world.base}/plan", json=PLAN, headers=world.auth("cm"))
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["version"] == 1
    assert [a["status"] for a in body["actions"]] == ["bezig", "gepland"]
    assert body["next_evaluation_date"] is not None  # from the rhythm: every 6 weeks
    ids = [a["id"] for a in body["actions"]]
    assert all(ids) and len(set(ids)) == 2

    changed = dict(PLAN)
    changed["change_note"] = "De stage is gevonden. Nieuwe stap erbij."
    changed["actions"] = [
        {**PLAN["actions"][0], "id": ids[0], "status": "gedaan"},
        {**PLAN["actions"][1], "id": ids[1]},
        {"domain": "leven", "title": "Busabonnement aanvragen", "owner": "Sam"},
    ]
    second = await world.client.put(f"{world.base}/plan", json=changed, headers=world.auth("cm"))
    assert second.status_code == 200, second.text
    assert second.json()["version"] == 2

    latest = await world.client.get(f"{world.base}/plan", headers=world.auth("zorg"))
    assert latest.status_code == 200
    assert latest.json()["version"] == 2
    assert latest.json()["change_note"] == "De stage is gevonden. Nieuwe stap erbij."

    versions = await world.client.get(f"{world.base}/plan/versions", headers=world.auth("cm"))
    assert [v["version"] for v in versions.json()] == [1, 2]
    assert versions.json()[0]["change_note"] == "Eerste versie, samen opgemaakt."
    old = await world.client.get(f"{world.base}/plan/versions/1", headers=world.auth("cm"))
    assert old.json()["actions"][0]["status"] == "bezig"
    assert len(old.json()["actions"]) == 2

    diff = await world.client.get(f"{world.base}/plan/versions/2/diff", headers=world.auth("cm"))
    assert diff.status_code == 200
    changes = {(c["what"], c["title"]) for c in diff.json()["changes"]}
    assert ("action_status", "Stage zoeken in een grootkeuken") in changes
    assert ("action_added", "Busabonnement aanvragen") in changes
    assert diff.json()["from_version"] == 1
    missing = await world.client.get(
        f"{world.base}/plan/versions/2/diff", params={"against": 9}, headers=world.auth("cm")
    )
    assert missing.status_code == 404

    # The participant is offered each version (they accept messages), with one reminder each;
    # the reminder of version 1 is cancelled by version 2.
    async with world.container.engine.connect() as connection:
        rows = (
            await connection.execute(select(OutboxRow.key, OutboxRow.status, OutboxRow.kind))
        ).all()
    keyed = {key: (status, kind) for key, status, kind in rows}
    hexid = world.participant_id.hex
    assert keyed[f"plan:{hexid}:v1"] == ("pending", "plan_version")
    assert keyed[f"plan:{hexid}:v1:reminder"] == ("cancelled", "plan_reminder")
    assert keyed[f"plan:{hexid}:v2:reminder"] == ("pending", "plan_reminder")
    reads = await _count(
        world.container,
        select(func.count()).select_from(AuditRow).where(AuditRow.action == "plan.read"),
    )
    assert reads >= 2


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"expected_end_date": "2026-10-01"}, "expected_end_date", "after start_date"),
        ({"expected_end_date": "2028-06-01"}, "expected_end_date", "at most 18 months"),
        ({"expected_end_date": "2026-12-01"}, "expected_end_date", "at least 3 months"),
        ({"actions": [{"domain": "hobby", "title": "x"}]}, "actions.0.domain", ""),
        ({"actions": [{"domain": "werk", "title": "x", "status": "af"}]}, "actions.0.status", ""),
        ({"actions": [{"domain": "werk"}]}, "actions.0.title", ""),
        ({"actions": [{"domain": "werk", "title": "  "}]}, "actions.0.title", "empty"),
        ({"objective": ""}, "objective", ""),
        ({"evaluation_every_weeks": 0}, "evaluation_every_weeks", ""),
        ({"start_date": "2026-02-30"}, "start_date", ""),
    ],
)
async def test_bad_documents_get_field_level_reasons_and_nothing_is_saved(
    world: World, change: dict[str, Any], field: str, reason: str
) -> None:
    response = await world.client.put(
        f"{world.base}/plan", json=PLAN | change, headers=world.auth("cm")
    )
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert field in [p["field"] for p in problems], problems
    assert reason in " ".join(p["reason"] for p in problems)
    saved = await _count(world.container, select(func.count()).select_from(PlanVersionRow))
    assert saved == 0


async def test_an_extension_allows_more_than_18_months(world: World) -> None:
    long_plan = PLAN | {"expected_end_date": "2028-06-01"}
    start = await world.client.put(
        f"{world.base}/trajectory",
        json={
            "trajectory_type": "activeringstraject",
            "start_date": "2026-11-02",
            "expected_end_date": "2027-08-01",
        },
        headers=world.auth("cm"),
    )
    assert start.status_code == 200, start.text
    assert start.json()["latest_end_date"] == "2028-05-02"
    no_reason = await world.client.put(
        f"{world.base}/trajectory", json={"extended_until": "2028-06-30"}, headers=world.auth("cm")
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["field"] == "extension_reason"
    extended = await world.client.put(
        f"{world.base}/trajectory",
        json={"extended_until": "2028-06-30", "extension_reason": "Stage loopt nog, goed bezig."},
        headers=world.auth("cm"),
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["latest_end_date"] == "2028-06-30"
    accepted = await world.client.put(
        f"{world.base}/plan", json=long_plan, headers=world.auth("cm")
    )
    assert accepted.status_code == 200, accepted.text


async def test_trajectory_pause_resume_and_end_advice(world: World) -> None:
    put = world.client.put
    url, cm = f"{world.base}/trajectory", world.auth("cm")
    await put(f"{world.base}/plan", json=PLAN, headers=cm)
    nazorg_too_early = await put(url, json={"phase": "nazorg"}, headers=cm)
    assert nazorg_too_early.status_code == 422
    assert nazorg_too_early.json()["detail"][0]["field"] == "phase"
    paused = await put(url, json={"paused": True, "pause_date": "2026-11-10"}, headers=cm)
    assert paused.json()["paused"] is True
    resumed = await put(url, json={"paused": False, "pause_date": "2026-11-20"}, headers=cm)
    assert resumed.json()["pauses"] == [{"start": "2026-11-10", "end": "2026-11-20"}]
    assert resumed.json()["paused"] is False
    early_end = await put(url, json={"paused": True, "pause_date": "2026-11-15"}, headers=cm)
    assert early_end.status_code == 422
    discussed_first = await put(url, json={"end_advice_discussed_on": "2026-11-20"}, headers=cm)
    assert discussed_first.status_code == 422
    advice = await put(
        url,
        json={
            "end_advice": "welzijn",
            "end_advice_text": "Eerst rust en zorg. Daarna kijken we opnieuw naar werk.",
            "next_steps": "Blijf naar de dagbesteding gaan.",
        },
        headers=cm,
    )
    assert advice.json()["phase"] == "afsluiting"
    today = datetime.now(UTC).date()
    discussed = await put(url, json={"end_advice_discussed_on": today.isoformat()}, headers=cm)
    assert discussed.status_code == 200, discussed.text
    assert discussed.json()["phase"] == "nazorg"
    assert discussed.json()["aftercare_until"] is not None
    read = await world.client.get(url, headers=world.auth("zorg"))
    assert read.json()["end_advice_text"].startswith("Eerst rust")
    async with world.container.engine.connect() as connection:
        kinds = set((await connection.execute(select(OutboxRow.kind))).scalars())
    assert "end_advice" in kinds  # shown to the participant only now


async def test_directory_sets_the_contacts(world: World) -> None:
    cm = world.auth("cm")
    entries = [
        {
            "name": "An Claes",
            "role": "casemanager_werk",
            "organisation": "GTB",
            "reach": "ma-do 9-17 u, 0470 00 00 00",
            "staff_id": str(world.staff_ids["cm"]),
            "main": True,
        },
        {
            "name": "Lies Peeters",
            "role": "casemanager_zorg",
            "organisation": "CAW",
            "staff_id": str(world.staff_ids["zorg"]),
            "backup": True,
        },
        {"name": "Tom", "role": "stagebegeleider", "organisation": "Grootkeuken Zuid"},
    ]
    saved = await world.client.put(f"{world.base}/team", json={"entries": entries}, headers=cm)
    assert saved.status_code == 200, saved.text
    read = await world.client.get(f"{world.base}/team", headers=cm)
    assert [e["name"] for e in read.json()["entries"]] == ["An Claes", "Lies Peeters", "Tom"]
    async with world.container.uow_factory() as uow:
        participant = await uow.participants.get(world.participant_id)
    assert participant is not None
    assert participant.main_contact_id == world.staff_ids["cm"]
    assert participant.backup_contact_id == world.staff_ids["zorg"]
    two_mains = [entries[0], {**entries[1], "backup": False, "main": True}]
    bad = await world.client.put(f"{world.base}/team", json={"entries": two_mains}, headers=cm)
    assert bad.status_code == 422
    stranger = [{**entries[0], "staff_id": str(world.staff_ids["outsider"])}]
    bad = await world.client.put(f"{world.base}/team", json={"entries": stranger}, headers=cm)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "entries.0.staff_id"


async def test_appointments_with_a_reminder_that_a_cancel_withdraws(world: World) -> None:
    cm = world.auth("cm")
    starts = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
    created = await world.client.post(
        f"{world.base}/appointments",
        json={
            "starts_at": starts.isoformat(),
            "where": "VDAB Gent, Kongostraat 7",
            "with_whom": "An",
            "bring": "Je identiteitskaart",
        },
        headers=cm,
    )
    assert created.status_code == 201, created.text
    appointment_id = created.json()["id"]
    listed = await world.client.get(f"{world.base}/appointments", headers=cm)
    assert [a["id"] for a in listed.json()] == [appointment_id]
    async with world.container.engine.connect() as connection:
        reminder = (
            await connection.execute(
                select(OutboxRow.status, OutboxRow.not_before).where(
                    OutboxRow.key == f"appt:{uuid.UUID(appointment_id).hex}:reminder"
                )
            )
        ).one()
    assert reminder.status == "pending"
    assert reminder.not_before < starts - timedelta(hours=12)  # the day before
    past = await world.client.post(
        f"{world.base}/appointments",
        json={"starts_at": "2020-01-01T10:00:00+01:00"},
        headers=cm,
    )
    assert past.status_code == 422
    naive = await world.client.post(
        f"{world.base}/appointments", json={"starts_at": "2030-01-01T10:00:00"}, headers=cm
    )
    assert naive.status_code == 422
    other = await world.client.delete(
        f"/api/v1/participants/{uuid.uuid4()}/appointments/{appointment_id}", headers=cm
    )
    assert other.status_code == 404
    gone = await world.client.delete(f"{world.base}/appointments/{appointment_id}", headers=cm)
    assert gone.status_code == 204
    assert (await world.client.get(f"{world.base}/appointments", headers=cm)).json() == []
    async with world.container.engine.connect() as connection:
        status = (
            await connection.execute(
                select(OutboxRow.status).where(
                    OutboxRow.key == f"appt:{uuid.UUID(appointment_id).hex}:reminder"
                )
            )
        ).scalar_one()
    assert status == "cancelled"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/plan", PLAN),
        ("get", "/plan", None),
        ("get", "/plan/versions", None),
        ("put", "/trajectory", {"phase": "plan"}),
        ("put", "/team", {"entries": []}),
        ("get", "/appointments", None),
        ("post", "/appointments", {"starts_at": "2030-01-01T10:00:00+01:00"}),
    ],
)
async def test_scoped_to_the_callers_teams(
    world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    url = f"{world.base}{path}"
    kwargs: dict[str, Any] = {"json": body} if body is not None else {}
    outsider = await world.client.request(method, url, headers=world.auth("outsider"), **kwargs)
    assert outsider.status_code == 404
    analyst = await world.client.request(method, url, headers=world.auth("analyst"), **kwargs)
    assert analyst.status_code == 403
    anonymous = await world.client.request(method, url, **kwargs)
    assert anonymous.status_code == 401


async def test_no_plan_yet_is_a_404_with_a_reason(world: World) -> None:
    response = await world.client.get(f"{world.base}/plan", headers=world.auth("cm"))
    assert response.status_code == 404
