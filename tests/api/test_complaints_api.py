"""Complaints over the API: only the handler's operator (admin) sees them; network contacts
are editable data with a "last verified" date; bad input answers 422 with reasons."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from tests.fakes.outreach import FakeNotifier, FakeRelay, linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import NetworkRow
from wzt_bot.domain.models import Role
from wzt_bot.domain.policies.complaints import ComplaintSettings
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.services import admin, flags
from wzt_bot.domain.services import complaints as svc
from wzt_bot.domain.services.delivery import Sender
from wzt_bot.domain.services.onboarding import participant_for_user
from wzt_bot.wiring import Container

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
WORDS = "Ik werd niet gehoord in het gesprek."
HANDLER_SECRET = "handler-secret-0123456789"


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


async def test_a_handler_with_its_own_system_gets_a_signed_webhook(
    world: World, container: Container
) -> None:
    """The independent handler's webhook: its secret is write-only and encrypted at rest; a
    complaint about the own team is posted there, signed, and never to the team's webhook."""
    url = f"/api/v1/networks/{world.network_id}/complaints"
    body = (await world.client.get(url, headers=world.auth("admin"))).json()
    assert body["independent"]["webhook_secret_set"] is False
    body["independent"]["webhook_url"] = "https://klachten.example/hook"
    body["independent"]["webhook_secret"] = HANDLER_SECRET
    body["independent"]["anonymous_allowed"] = True
    short = {**body, "independent": {**body["independent"], "webhook_secret": "kort"}}
    assert (await world.client.put(url, json=short, headers=world.auth("admin"))).status_code == 422
    saved = await world.client.put(url, json=body, headers=world.auth("admin"))
    assert saved.status_code == 200, saved.text
    assert HANDLER_SECRET not in saved.text
    shown = await world.client.get(url, headers=world.auth("admin"))
    assert shown.json()["independent"]["webhook_secret_set"] is True
    assert shown.json()["organisation"]["webhook_secret_set"] is False
    assert HANDLER_SECRET not in shown.text
    # PUT back what GET shows: the secret stays.
    again = await world.client.put(url, json=shown.json(), headers=world.auth("admin"))
    assert again.json()["independent"]["webhook_secret_set"] is True
    async with container.engine.connect() as connection:
        raw = json.dumps(
            (
                await connection.execute(
                    select(NetworkRow.settings).where(NetworkRow.id == world.network_id)
                )
            ).scalar_one()
        )
    assert HANDLER_SECRET not in raw  # encrypted

    clock = FrozenClock(NOW)
    async with container.uow_factory() as uow:
        participant = await participant_for_user(uow, 9501)
        assert participant is not None
        await uow.teams.save_settings(
            participant.team_id, TeamSettings(webhook_url="https://team.example/hook")
        )
        await uow.teams.set_webhook_secret(participant.team_id, "team-secret-team-secret")
        complaint, _ = await svc.file_complaint(
            uow,
            clock,
            ZoneInfo("Europe/Brussels"),
            participant,
            about_team=True,
            anonymous=True,
            words=flags.Words(text=WORDS),
        )
        await uow.commit()
    relay = FakeRelay()
    report = await Sender(container.uow_factory, clock, FakeNotifier(), relay).drain()
    assert report.dead == 0
    posts = [(m.payload, u, s) for m, u, s in relay.posted]
    to_handler = [p for p in posts if p[1] == "https://klachten.example/hook"]
    assert [p[0]["data"]["receipt"] for p in to_handler] == [complaint.receipt]
    payload, _, secret = to_handler[0]
    assert secret == HANDLER_SECRET
    assert payload["event"] == "complaint.filed" and payload["data"]["about_own_team"] is True
    assert payload["data"]["complainant"] is None  # anonymous
    assert payload["data"]["text"] == WORDS
    assert not [p for p in posts if p[1] == "https://team.example/hook"]
