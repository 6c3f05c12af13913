"""The casemanager API in-process over httpx, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import ConsentKind, Role
from wzt_bot.domain.services import admin, onboarding
from wzt_bot.wiring import Container


@dataclass
class World:
    client: httpx.AsyncClient
    team_id: uuid.UUID
    other_team_id: uuid.UUID
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team Gent", network_name="Oost")
        other = await admin.create_team(uow, name="Team Brugge", network_name="West")
        tokens = {}
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {team.id}),
            ("lead", Role.TEAMLEAD, {team.id}),
            ("outsider", Role.CASEMANAGER, {other.id}),
            ("analyst", Role.NETWORK_ANALYST, {team.id}),
            ("admin", Role.ADMIN, set()),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who] = created.token
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield World(client, team.id, other.id, tokens)


async def _create(world: World, who: str = "cm", name: str = "Sam") -> httpx.Response:
    return await world.client.post(
        "/api/v1/participants",
        json={"display_name": name, "team_id": str(world.team_id)},
        headers=world.auth(who),
    )


async def test_create_participant_returns_invite_link_and_qr(world: World) -> None:
    response = await _create(world)
    assert response.status_code == 201, response.text
    body = response.json()
    code = body["invite_code"]
    assert body["invite_link"] == f"https://t.me/wzt_test_bot?start={code}"
    qr = await world.client.get(body["invite_qr_url"], headers=world.auth("cm"))
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")
    wrong = await world.client.get(
        f"/api/v1/participants/{body['id']}/invite.png?code=AAAAAAAAAAAAAAAA",
        headers=world.auth("cm"),
    )
    assert wrong.status_code == 404


async def test_detail_list_and_pagination(world: World) -> None:
    ids = [(await _create(world, name=f"Deelnemer {i}")).json()["id"] for i in range(3)]
    page = await world.client.get("/api/v1/participants?limit=2", headers=world.auth("lead"))
    assert page.status_code == 200
    assert page.json()["total"] == 3 and len(page.json()["items"]) == 2
    detail = await world.client.get(f"/api/v1/participants/{ids[0]}", headers=world.auth("cm"))
    assert detail.status_code == 200
    body = detail.json()
    assert body["telegram"] == {"linked": False, "linked_at": None, "unreachable": False}
    assert body["invite"]["active"] is True and body["consents"] == []
    assert (await world.client.get("/api/v1/participants", headers=world.auth("admin"))).json()[
        "total"
    ] == 3


async def test_detail_shows_when_the_next_checkin_is_planned(
    world: World, container: Container
) -> None:
    """next_checkin_at: when the bot next reaches out; null before consent and after /stop."""
    bru = ZoneInfo("Europe/Brussels")
    created = (await _create(world)).json()
    url = f"/api/v1/participants/{created['id']}"
    assert (await world.client.get(url, headers=world.auth("cm"))).json()["next_checkin_at"] is None
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=bru))  # Monday
    async with container.uow_factory() as uow:
        linked = await onboarding.redeem_invite(
            uow, clock, telegram_user_id=4242, chat_id=4242, code=created["invite_code"]
        )
        await onboarding.record_consent(
            uow, clock, linked.participant, kind=ConsentKind.CHECKIN_MESSAGES, granted=True, tz=bru
        )
        await uow.commit()
    body = (await world.client.get(url, headers=world.auth("cm"))).json()
    planned = datetime.fromisoformat(body["next_checkin_at"])
    assert planned == datetime(2026, 12, 7, 10, 0, tzinfo=bru)  # two weeks after the link
    async with container.uow_factory() as uow:  # /stop
        participant = await uow.participants.get(linked.participant.id)
        assert participant is not None
        await onboarding.set_proactive_paused(uow, clock, participant, paused=True)
        await uow.commit()
    body = (await world.client.get(url, headers=world.auth("cm"))).json()
    assert body["next_checkin_at"] is None and body["proactive_paused"] is True


async def test_other_team_gets_404_and_no_token_401(world: World) -> None:
    pid = (await _create(world)).json()["id"]
    outsider = await world.client.get(f"/api/v1/participants/{pid}", headers=world.auth("outsider"))
    assert outsider.status_code == 404
    missing = await world.client.get(
        f"/api/v1/participants/{uuid.uuid4()}", headers=world.auth("cm")
    )
    assert missing.status_code == 404
    assert (await world.client.get(f"/api/v1/participants/{pid}")).status_code == 401
    bad = await world.client.get(
        f"/api/v1/participants/{pid}", headers={"Authorization": "Bearer wzt_nope"}
    )
    assert bad.status_code == 401
    listed = await world.client.get("/api/v1/participants", headers=world.auth("outsider"))
    assert listed.json()["total"] == 0
    assert (
        await world.client.post(
            f"/api/v1/participants/{pid}/invite", headers=world.auth("outsider")
        )
    ).status_code == 404
    cross = await world.client.post(
        "/api/v1/participants",
        json={"display_name": "X", "team_id": str(world.team_id)},
        headers=world.auth("outsider"),
    )
    assert cross.status_code == 422
    analyst = await world.client.get(f"/api/v1/participants/{pid}", headers=world.auth("analyst"))
    assert analyst.status_code == 403


async def test_new_invite_revokes_old(world: World) -> None:
    first = (await _create(world)).json()
    again = await world.client.post(
        f"/api/v1/participants/{first['id']}/invite", headers=world.auth("cm")
    )
    assert again.status_code == 201
    assert again.json()["invite_code"] != first["invite_code"]
    old_qr = await world.client.get(first["invite_qr_url"], headers=world.auth("cm"))
    assert old_qr.status_code == 404
    new_qr = await world.client.get(again.json()["invite_qr_url"], headers=world.auth("cm"))
    assert new_qr.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"display_name": "", "team_id": "not-a-uuid"},
        {"display_name": "x" * 81, "team_id": str(uuid.uuid4())},
        {"display_name": "Sam", "team_id": str(uuid.uuid4()), "extra": 1},
        ["not", "an", "object"],
    ],
)
async def test_malformed_input_gets_422_with_reasons(world: World, body: object) -> None:
    response = await world.client.post("/api/v1/participants", json=body, headers=world.auth("cm"))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail and all("reason" in d for d in detail)


async def test_unknown_team_and_bad_json(world: World) -> None:
    response = await world.client.post(
        "/api/v1/participants",
        json={"display_name": "Sam", "team_id": str(uuid.uuid4())},
        headers=world.auth("admin"),
    )
    assert response.status_code == 422
    raw = await world.client.post(
        "/api/v1/participants",
        content=b"{not json",
        headers={**world.auth("cm"), "Content-Type": "application/json"},
    )
    assert raw.status_code == 422


async def test_oversized_body_gets_413(world: World) -> None:
    response = await world.client.post(
        "/api/v1/participants",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={**world.auth("cm"), "Content-Type": "application/json"},
    )
    assert response.status_code == 413


async def test_reads_are_audited(world: World, container: Container) -> None:
    pid = (await _create(world)).json()["id"]
    await world.client.get(f"/api/v1/participants/{pid}", headers=world.auth("lead"))
    await world.client.get("/api/v1/participants", headers=world.auth("cm"))
    async with container.uow_factory() as uow:
        entries = await uow.audit.for_participant(uuid.UUID(pid))
    actions = [e.action for e in entries]
    assert actions[:1] == ["participant.create"]
    assert "participant.read" in actions and "participant.list" in actions
    assert all(e.actor_kind == "staff" for e in entries)


async def test_operations_endpoints(world: World) -> None:
    assert (await world.client.get("/healthz")).json() == {"status": "ok"}
    assert (await world.client.get("/readyz")).status_code == 200
    metrics = await world.client.get("/metrics")
    assert metrics.status_code == 200 and "wzt_updates_total" in metrics.text
    spec = (await world.client.get("/openapi.json")).json()
    assert "/api/v1/participants/{participant_id}/invite.png" in spec["paths"]
    assert (await world.client.get("/docs")).status_code == 200
