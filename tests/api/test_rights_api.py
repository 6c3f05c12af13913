"""Waar heb ik recht op? over the API: every topic has a text (the network's own or the
shipped default) with a date; admins edit, staff of the network read; 401/403/404/422."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import Network, Role, Team, new_id
from wzt_bot.domain.policies.rights import DEFAULT_TEXTS, RightsTopic
from wzt_bot.domain.services import admin
from wzt_bot.wiring import Container

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@dataclass
class World:
    client: httpx.AsyncClient
    network_id: uuid.UUID
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    sam = await linked_participant(container, clock, name="Sam", user_id=9601)
    async with container.uow_factory() as uow:
        team = await uow.teams.get(sam.team_id)
        assert team is not None
        other_network = Network(id=new_id(), name="Elders")
        await uow.networks.add(other_network)
        other_team = Team(id=new_id(), network_id=other_network.id, name="Elders team")
        await uow.teams.add(other_team)
        tokens: dict[str, str] = {}
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {sam.team_id}),
            ("outsider", Role.CASEMANAGER, {other_team.id}),
            ("admin", Role.ADMIN, set()),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who] = created.token
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield World(client, team.network_id, tokens)


async def test_defaults_for_every_topic(world: World) -> None:
    url = f"/api/v1/networks/{world.network_id}/rights"
    assert (await world.client.get(url)).status_code == 401
    for who in ("admin", "cm"):
        got = await world.client.get(url, headers=world.auth(who))
        assert got.status_code == 200, got.text
        topics = got.json()["topics"]
        assert [t["topic"] for t in topics] == [t.value for t in RightsTopic]
        assert all(t["is_default"] and t["last_verified"] for t in topics)
        assert topics[0]["text"] == DEFAULT_TEXTS[RightsTopic.ONKOSTEN]
    outsider = await world.client.get(url, headers=world.auth("outsider"))
    assert outsider.status_code == 403
    missing = await world.client.get(
        f"/api/v1/networks/{uuid.uuid4()}/rights", headers=world.auth("admin")
    )
    assert missing.status_code == 404


async def test_admin_edits_own_texts(world: World, container: Container) -> None:
    url = f"/api/v1/networks/{world.network_id}/rights"
    body = {
        "topics": [
            {
                "topic": "vervoer",
                "text": "Bel Ann voor je busticket.",
                "last_verified": "2026-12-01",
            }
        ]
    }
    assert (await world.client.put(url, json=body, headers=world.auth("cm"))).status_code == 403
    saved = await world.client.put(url, json=body, headers=world.auth("admin"))
    assert saved.status_code == 200, saved.text
    vervoer = next(t for t in saved.json()["topics"] if t["topic"] == "vervoer")
    assert vervoer == {
        "topic": "vervoer",
        "text": "Bel Ann voor je busticket.",
        "last_verified": "2026-12-01",
        "is_default": False,
    }
    again = (await world.client.get(url, headers=world.auth("cm"))).json()["topics"]
    assert next(t for t in again if t["topic"] == "vervoer")["is_default"] is False
    assert next(t for t in again if t["topic"] == "tolk")["is_default"] is True
    for bad in (
        {"topics": [{"topic": "loon", "text": "x"}]},
        {"topics": [{"topic": "tolk", "text": ""}]},
        {"topics": [], "extra": 1},
    ):
        got = await world.client.put(url, json=bad, headers=world.auth("admin"))
        assert got.status_code == 422, bad
    cleared = await world.client.put(url, json={"topics": []}, headers=world.auth("admin"))
    assert all(t["is_default"] for t in cleared.json()["topics"])
    async with container.uow_factory() as uow:
        rows = await uow.rights.for_network(world.network_id)
    assert rows == {}
