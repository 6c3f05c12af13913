"""Flags, check-in history and team settings over the API, scoped and validated."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import FlagKind, FlagUrgency, Role, Topic
from wzt_bot.domain.services import admin, checkins, flags
from wzt_bot.wiring import Container

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass
class World:
    client: httpx.AsyncClient
    container: Container
    team_id: uuid.UUID
    participant_id: uuid.UUID
    flag_id: uuid.UUID
    tokens: dict[str, str]
    lead_id: uuid.UUID

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    linked = await linked_participant(container, clock, name="Sam")
    async with container.uow_factory() as uow:
        other = await admin.create_team(uow, name="Team West", network_name="West")
        tokens: dict[str, str] = {}
        ids: dict[str, uuid.UUID] = {}
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {linked.team_id}),
            ("lead", Role.TEAMLEAD, {linked.team_id}),
            ("outsider", Role.TEAMLEAD, {other.id}),
            ("analyst", Role.NETWORK_ANALYST, {linked.team_id}),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who], ids[who] = created.token, created.staff.id
        flag = await flags.raise_flag(
            uow,
            clock,
            linked.participant,
            kind=FlagKind.CONCERN,
            urgency=FlagUrgency.NORMAL,
            source="concern",
            topic=Topic.GELD,
            words=flags.Words(text="Mijn vergoeding is nog niet betaald.", language="nl"),
        )
        checkin = await checkins.start_adhoc(uow, clock, linked.participant)
        await checkins.answer(uow, clock, linked.participant, checkin.id, score=4)
        await checkins.add_details(
            uow, clock, linked.participant, checkin.id, went_well="Op tijd op stage."
        )
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        yield World(
            client, container, linked.team_id, linked.participant.id, flag.id, tokens, ids["lead"]
        )


async def test_list_filter_and_read_a_flag(world: World) -> None:
    listed = await world.client.get(
        "/api/v1/flags", params={"status": "open", "kind": "concern"}, headers=world.auth("cm")
    )
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert {"id", "participant_id", "kind", "urgency", "status", "created_at"} <= item.keys()
    assert item["id"] == str(world.flag_id) and item["urgency"] == "normal"
    none = await world.client.get(
        "/api/v1/flags", params={"urgency": "urgent"}, headers=world.auth("cm")
    )
    assert none.json()["items"] == []
    detail = await world.client.get(f"/api/v1/flags/{world.flag_id}", headers=world.auth("cm"))
    assert detail.json()["messages"][0]["text"] == "Mijn vergoeding is nog niet betaald."


async def test_other_teams_and_analysts_see_nothing(world: World) -> None:
    outsider = await world.client.get("/api/v1/flags", headers=world.auth("outsider"))
    assert outsider.json()["items"] == []
    for who, status in (("outsider", 404), ("analyst", 403)):
        response = await world.client.get(f"/api/v1/flags/{world.flag_id}", headers=world.auth(who))
        assert response.status_code == status
        reply = await world.client.post(
            f"/api/v1/flags/{world.flag_id}/reply", json={"text": "x"}, headers=world.auth(who)
        )
        assert reply.status_code == status
    assert (await world.client.get("/api/v1/flags")).status_code == 401


async def test_acknowledge_reply_resolve(world: World) -> None:
    ack = await world.client.post(
        f"/api/v1/flags/{world.flag_id}/acknowledge", headers=world.auth("cm")
    )
    assert ack.json()["status"] == "acknowledged"
    reply = await world.client.post(
        f"/api/v1/flags/{world.flag_id}/reply",
        json={"text": "Ik bel je morgen om 10 uur."},
        headers=world.auth("cm"),
    )
    assert reply.status_code == 201 and reply.json()["queued"] is True
    empty = await world.client.post(
        f"/api/v1/flags/{world.flag_id}/reply", json={"text": ""}, headers=world.auth("cm")
    )
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["field"] == "text"
    resolved = await world.client.post(
        f"/api/v1/flags/{world.flag_id}/resolve",
        json={"note": "Betaald op 24/11."},
        headers=world.auth("cm"),
    )
    assert resolved.json()["status"] == "resolved"
    async with world.container.uow_factory() as uow:
        kinds = sorted(
            m.kind
            for m in await uow.outbox.list(status=None, channel="telegram", target=None, limit=10)
        )
    assert kinds == ["reply", "resolved"]


async def test_checkin_history(world: World) -> None:
    response = await world.client.get(
        f"/api/v1/participants/{world.participant_id}/checkins", headers=world.auth("cm")
    )
    [checkin] = response.json()
    assert checkin["score"] == 4 and checkin["went_well"] == "Op tijd op stage."
    hidden = await world.client.get(
        f"/api/v1/participants/{world.participant_id}/checkins", headers=world.auth("outsider")
    )
    assert hidden.status_code == 404


async def test_team_settings_validation_and_roles(world: World) -> None:
    url = f"/api/v1/teams/{world.team_id}/settings"
    body = {
        "office_start": "08:30",
        "office_end": "16:30",
        "routing": {"zorg": str(world.lead_id)},
        "notify_chat_id": -1001234,
        "webhook_url": "https://cms.example/hooks/wzt",
        "webhook_secret": "a-long-enough-secret-123",
        "checkins": {"missed_before_flag": 3, "quiet_start": "19:00"},
    }
    assert (await world.client.put(url, json=body, headers=world.auth("cm"))).status_code == 403
    saved = await world.client.put(url, json=body, headers=world.auth("lead"))
    assert saved.status_code == 200, saved.text
    out = saved.json()
    assert out["webhook_secret_set"] is True and "webhook_secret" not in out
    assert out["checkins"]["missed_before_flag"] == 3
    again = await world.client.get(url, headers=world.auth("cm"))
    assert again.json()["routing"] == {"zorg": str(world.lead_id)}
    bad = await world.client.put(
        url,
        json={"office_start": "25:00", "routing": {"zorg": str(uuid.uuid4())}},
        headers=world.auth("lead"),
    )
    assert bad.status_code == 422
    stranger = await world.client.put(
        url, json={"routing": {"zorg": str(uuid.uuid4())}}, headers=world.auth("lead")
    )
    assert stranger.status_code == 422 and "not in team" in stranger.text
    other = await world.client.get(url, headers=world.auth("outsider"))
    assert other.status_code == 404


async def test_trajectory_and_contacts_set_the_rhythm(world: World) -> None:
    base = f"/api/v1/participants/{world.participant_id}"
    response = await world.client.put(
        f"{base}/trajectory",
        json={"phase": "uitvoering", "stage_changed_on": "2026-11-23"},
        headers=world.auth("cm"),
    )
    assert response.status_code == 200, response.text
    contacts = await world.client.put(
        f"{base}/contacts", json={"main_contact_id": str(world.lead_id)}, headers=world.auth("cm")
    )
    assert contacts.status_code == 200
    wrong = await world.client.put(
        f"{base}/contacts", json={"main_contact_id": str(uuid.uuid4())}, headers=world.auth("cm")
    )
    assert wrong.status_code == 422
    away = await world.client.put(
        "/api/v1/staff/me",
        json={"away": True, "function": "casemanager_zorg"},
        headers=world.auth("lead"),
    )
    assert away.json() == {"id": str(world.lead_id), "away": True, "function": "casemanager_zorg"}


async def test_resolve_note_stays_in_the_team_only_the_message_reaches_the_participant(
    world: World,
) -> None:
    resolved = await world.client.post(
        f"/api/v1/flags/{world.flag_id}/resolve",
        json={"note": "Intern: dossier nagekeken.", "message_to_participant": "Het is betaald."},
        headers=world.auth("cm"),
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    thread = await world.client.get(f"/api/v1/flags/{world.flag_id}", headers=world.auth("cm"))
    staff = [
        (m["text"], m["internal"]) for m in thread.json()["messages"] if m["author"] == "staff"
    ]
    assert sorted(staff) == [("Het is betaald.", False), ("Intern: dossier nagekeken.", True)]
    async with world.container.uow_factory() as uow:
        [sent] = await uow.outbox.list(status=None, channel="telegram", target=None, limit=10)
    assert sent.kind == "resolved" and sent.payload["text"] == "Het is betaald."
    assert "dossier" not in str(sent.payload)
    too_long = await world.client.post(
        f"/api/v1/flags/{world.flag_id}/resolve",
        json={"message_to_participant": "x" * 4097},
        headers=world.auth("cm"),
    )
    assert too_long.status_code == 422


async def test_resolve_with_only_a_note_sends_no_words(world: World) -> None:
    await world.client.post(
        f"/api/v1/flags/{world.flag_id}/resolve",
        json={"note": "Betaald op 24/11, zie boekhouding."},
        headers=world.auth("cm"),
    )
    async with world.container.uow_factory() as uow:
        [sent] = await uow.outbox.list(status=None, channel="telegram", target=None, limit=10)
    assert sent.kind == "resolved" and sent.payload["text"] is None


async def test_readyz_names_a_network_whose_complaints_reach_nobody(world: World) -> None:
    from wzt_bot.domain.policies.complaints import ComplaintSettings, Contact, Handler

    ready = (await world.client.get("/readyz")).json()
    assert ready["status"] == "ok"
    assert any("'Oost'" in d and "organisation and independent" in d for d in ready["details"])
    async with world.container.uow_factory() as uow:
        team = await uow.teams.get(world.team_id)
        assert team is not None
        hook = Handler(Contact(name="Klachten"), webhook_url="https://klachten.example/hook")
        await uow.networks.save_section(
            team.network_id,
            "complaints",
            ComplaintSettings(organisation=hook, independent=hook).to_json(),
        )
        await uow.commit()
    without_secret = (await world.client.get("/readyz")).json()["details"]
    assert any("'Oost'" in d for d in without_secret), "a webhook without its secret posts nothing"
    async with world.container.uow_factory() as uow:
        for which in ("organisation", "independent"):
            await uow.networks.set_secret(
                team.network_id, f"complaints.{which}.webhook", "s3cret-s3cret-s3cret"
            )
        await uow.commit()
    details = (await world.client.get("/readyz")).json()["details"]
    assert not any("'Oost'" in d for d in details)
