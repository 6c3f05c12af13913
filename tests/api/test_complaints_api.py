"""Complaints over the API: only the handler's operator (admin) sees them; network contacts
are editable data with a "last verified" date; bad input answers 422 with reasons."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import Role
from wzt_bot.domain.policies.complaints import ComplaintSettings
from wzt_bot.domain.services import admin, flags
from wzt_bot.domain.services import complaints as svc
from wzt_bot.wiring import Container

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
WORDS = "Ik werd niet gehoord in het gesprek."


@dataclass
class World:
    client: httpx.AsyncClient
    network_id: uuid.UUID
    complaint_id: uuid.UUID
    anonymous_id: uuid.UUID
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    sam = await linked_participant(container, clock, name="Sam", user_id=9501)
    async with container.uow_factory() as uow:
        team = await uow.teams.get(sam.team_id)
        assert team is not None
        tokens: dict[str, str] = {}
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {sam.team_id}),
            ("lead", Role.TEAMLEAD, {sam.team_id}),
            ("admin", Role.ADMIN, set()),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who] = created.token
        settings = ComplaintSettings.from_json(
            {
                "organisation": {
                    "contact": {"name": "Klachtendienst Oost"},
                    "anonymous_allowed": True,
                }
            }
        )
        await uow.networks.save_section(team.network_id, "complaints", settings.to_json())
        named, _ = await svc.file_complaint(
            uow,
            clock,
            ZoneInfo("Europe/Brussels"),
            sam.participant,
            about_team=False,
            anonymous=False,
            words=flags.Words(text=WORDS),
        )
        anonymous, _ = await svc.file_complaint(
            uow,
            clock,
            ZoneInfo("Europe/Brussels"),
            sam.participant,
            about_team=False,
            anonymous=True,
            words=flags.Words(text="Zonder naam, graag."),
        )
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield World(client, team.network_id, named.id, anonymous.id, tokens)


async def test_only_the_handlers_operator_sees_complaints(world: World) -> None:
    assert (await world.client.get("/api/v1/complaints")).status_code == 401
    for who in ("cm", "lead"):
        seen = await world.client.get("/api/v1/complaints", headers=world.auth(who))
        assert seen.status_code == 403, who
        one = await world.client.get(
            f"/api/v1/complaints/{world.complaint_id}", headers=world.auth(who)
        )
        assert one.status_code == 403 and WORDS not in one.text
    listed = await world.client.get("/api/v1/complaints", headers=world.auth("admin"))
    assert listed.status_code == 200, listed.text
    assert {c["id"] for c in listed.json()} == {str(world.complaint_id), str(world.anonymous_id)}


async def test_read_named_and_anonymous(world: World) -> None:
    named = await world.client.get(
        f"/api/v1/complaints/{world.complaint_id}", headers=world.auth("admin")
    )
    assert named.status_code == 200, named.text
    assert WORDS in named.text and "Sam" in named.text
    anonymous = await world.client.get(
        f"/api/v1/complaints/{world.anonymous_id}", headers=world.auth("admin")
    )
    assert anonymous.status_code == 200
    assert anonymous.json()["anonymous"] is True and "Sam" not in anonymous.text
    missing = await world.client.get(
        f"/api/v1/complaints/{uuid.uuid4()}", headers=world.auth("admin")
    )
    assert missing.status_code == 404


async def test_status_moves_on_and_never_back(world: World) -> None:
    url = f"/api/v1/complaints/{world.complaint_id}/status"
    moved = await world.client.put(
        url, json={"status": "beantwoord", "answer": "Sorry."}, headers=world.auth("admin")
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "beantwoord"
    back = await world.client.put(url, json={"status": "ontvangen"}, headers=world.auth("admin"))
    assert back.status_code == 422
    bad = await world.client.put(url, json={"status": "weg"}, headers=world.auth("admin"))
    assert bad.status_code == 422 and "status" in bad.text
    team = await world.client.put(url, json={"status": "beantwoord"}, headers=world.auth("cm"))
    assert team.status_code == 403


async def test_network_contacts_are_editable_data(world: World) -> None:
    url = f"/api/v1/networks/{world.network_id}/complaints"
    current = await world.client.get(url, headers=world.auth("admin"))
    assert current.status_code == 200, current.text
    body = current.json()
    assert body["ombudsdienst"]["phone"] == "0800 240 50"
    assert body["ombudsdienst"]["last_verified"]
    body["independent"]["contact"]["name"] = "Klachtenpunt Netwerk Oost"
    body["independent"]["email"] = "klachten@oost.example"
    body["ombudsdienst"]["last_verified"] = "2026-12-01"
    saved = await world.client.put(url, json=body, headers=world.auth("admin"))
    assert saved.status_code == 200, saved.text
    again = (await world.client.get(url, headers=world.auth("admin"))).json()
    assert again["independent"]["contact"]["name"] == "Klachtenpunt Netwerk Oost"
    assert again["ombudsdienst"]["last_verified"] == "2026-12-01"
    body["ombudsdienst"]["last_verified"] = "gisteren"
    bad = await world.client.put(url, json=body, headers=world.auth("admin"))
    assert bad.status_code == 422 and "last_verified" in bad.text
    assert (await world.client.get(url, headers=world.auth("lead"))).status_code == 403
    other = await world.client.get(
        f"/api/v1/networks/{uuid.uuid4()}/complaints", headers=world.auth("admin")
    )
    assert other.status_code == 404
