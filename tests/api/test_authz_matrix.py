"""The authorisation matrix: every endpoint × every caller, with the status each cell expects.

Callers: a casemanager, a teamlead and a network analyst of team A (network Oost), an admin,
a casemanager and a teamlead of team B (network West: "another team"), no token, a wrong
token. The objects (participant, flag, complaint, appointment, plan, ...) belong to team A.
A request that is allowed must also be well formed, so each endpoint has a valid body.
Expected: 2xx ("ok"), 403 (a role that may not do this, on data it may see), 404 (data of
another team: not even its existence is told), 401 (no or a wrong token).
Every operation in /openapi.json under /api/v1 must have a row: a new endpoint without one
fails this test.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.test_plan_e2e import plan_body
from tests.fakes.outreach import FrozenClock, linked_participant
from wzt_bot.domain.models import FeedbackResponse, FlagKind, FlagUrgency, Role, SurveyKind
from wzt_bot.domain.services import admin, flags
from wzt_bot.domain.services import complaints as complaint_service
from wzt_bot.wiring import Container

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
CALLERS = ("cm", "lead", "analyst", "admin", "cm_b", "lead_b", "none", "wrong")


@dataclass
class World:
    client: httpx.AsyncClient
    container: Container
    ids: dict[str, str]
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        if who == "none":
            return {}
        if who == "wrong":
            return {"Authorization": "Bearer not-a-real-token-" + "x" * 30}
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@pytest.fixture
async def world(container: Container) -> AsyncIterator[World]:
    clock = FrozenClock(NOW)
    sam = await linked_participant(container, clock, name="Sam", user_id=9701)
    async with container.uow_factory() as uow:
        team = await uow.teams.get(sam.team_id)
        assert team is not None
        other = await admin.create_team(uow, name="Team West", network_name="West")
        tokens: dict[str, str] = {}
        ids: dict[str, str] = {
            "participant_id": str(sam.participant.id),
            "team_id": str(sam.team_id),
            "network_id": str(team.network_id),
        }
        for who, role, teams in (
            ("cm", Role.CASEMANAGER, {sam.team_id}),
            ("lead", Role.TEAMLEAD, {sam.team_id}),
            ("analyst", Role.NETWORK_ANALYST, {sam.team_id}),
            ("admin", Role.ADMIN, set()),
            ("cm_b", Role.CASEMANAGER, {other.id}),
            ("lead_b", Role.TEAMLEAD, {other.id}),
        ):
            created = await admin.create_staff(uow, name=who, role=role, team_ids=frozenset(teams))
            tokens[who] = created.token
            ids[f"{who}_staff_id"] = str(created.staff.id)
        flag = await flags.raise_flag(
            uow,
            clock,
            sam.participant,
            kind=FlagKind.CONCERN,
            urgency=FlagUrgency.NORMAL,
            source="concern",
            words=flags.Words(text="Mijn vergoeding is nog niet betaald.", language="nl"),
        )
        ids["flag_id"] = str(flag.id)
        complaint, _ = await complaint_service.file_complaint(
            uow,
            clock,
            ZoneInfo("Europe/Brussels"),
            sam.participant,
            about_team=False,
            anonymous=False,
            words=flags.Words(text="Ik werd niet gehoord."),
        )
        ids["complaint_id"] = str(complaint.id)
        await uow.feedback.add_response(
            FeedbackResponse(
                id=uuid.uuid4(),
                network_id=team.network_id,
                trajectory_type="activeringstraject",
                survey=SurveyKind.END,
                survey_version=1,
                month=date(2026, 11, 1),
                answers={"overall": "4"},
                completed=True,
            )
        )
        await uow.commit()
    app = container.build_api(with_webhook=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
        world = World(client, container, ids, tokens)
        admin_headers = world.headers("admin")
        base = f"/api/v1/participants/{ids['participant_id']}"
        plan = await client.put(f"{base}/plan", json=plan_body(), headers=admin_headers)
        assert plan.status_code == 200, plan.text
        invite = await client.post(f"{base}/invite", headers=admin_headers)
        assert invite.status_code in (200, 201), invite.text
        ids["code"] = invite.json()["invite_code"]
        yield world


def _appointment() -> dict[str, Any]:
    starts = (datetime.now(UTC) + timedelta(days=5)).replace(microsecond=0)
    return {"starts_at": starts.isoformat(), "where": "VDAB Gent", "with_whom": "An"}


async def _new_appointment(world: World) -> dict[str, str]:
    created = await world.client.post(
        f"/api/v1/participants/{world.ids['participant_id']}/appointments",
        json=_appointment(),
        headers=world.headers("admin"),
    )
    assert created.status_code == 201, created.text
    return {"appointment_id": created.json()["id"]}


async def _new_invite(world: World) -> dict[str, str]:
    issued = await world.client.post(
        f"/api/v1/participants/{world.ids['participant_id']}/invite",
        headers=world.headers("admin"),
    )
    assert issued.status_code in (200, 201), issued.text
    return {"code": issued.json()["invite_code"]}


async def _complaint_settings(world: World) -> dict[str, Any]:
    current = await world.client.get(
        f"/api/v1/networks/{world.ids['network_id']}/complaints", headers=world.headers("admin")
    )
    assert current.status_code == 200, current.text
    return dict(current.json())


async def _rights(world: World) -> dict[str, Any]:
    current = await world.client.get(
        f"/api/v1/networks/{world.ids['network_id']}/rights", headers=world.headers("admin")
    )
    assert current.status_code == 200, current.text
    topics = [
        {"topic": t["topic"], "text": t["text"], "last_verified": t["last_verified"]}
        for t in current.json()["topics"][:2]
    ]
    return {"topics": topics}


Body = Callable[[World], Any]
Fresh = Callable[[World], Awaitable[dict[str, str]]]


@dataclass(frozen=True)
class Row:
    """One endpoint: its body, a factory for a fresh object where the call consumes it, and
    the expected status per caller ("ok" = any 2xx)."""

    expect: dict[str, int | str]
    body: Body | None = None
    fresh: Fresh | None = None
    query: str = ""


def _row(
    cm: int | str,
    lead: int | str,
    analyst: int | str,
    admin_: int | str,
    cm_b: int | str,
    lead_b: int | str,
    *,
    body: Body | None = None,
    fresh: Fresh | None = None,
    query: str = "",
) -> Row:
    expect = dict(zip(CALLERS, (cm, lead, analyst, admin_, cm_b, lead_b, 401, 401), strict=True))
    return Row(expect, body, fresh, query)


OK = "ok"

MATRIX: dict[str, Row] = {
    # participants: the team's casemanagers and teamleads, and the admin; another team 404
    # another team's team_id: "unknown team", the same answer as for a team that does not exist
    "POST /api/v1/participants": _row(
        OK,
        OK,
        403,
        OK,
        422,
        422,
        body=lambda w: {"display_name": "Nieuw", "team_id": w.ids["team_id"]},
    ),
    "GET /api/v1/participants": _row(OK, OK, 403, OK, OK, OK),
    "GET /api/v1/participants/{participant_id}": _row(OK, OK, 403, OK, 404, 404),
    "POST /api/v1/participants/{participant_id}/invite": _row(OK, OK, 403, OK, 404, 404),
    "GET /api/v1/participants/{participant_id}/invite.png": _row(
        OK, OK, 403, OK, 404, 404, query="code={code}", fresh=_new_invite
    ),
    "GET /api/v1/participants/{participant_id}/checkins": _row(OK, OK, 403, OK, 404, 404),
    "PUT /api/v1/participants/{participant_id}/contacts": _row(
        OK, OK, 403, OK, 404, 404, body=lambda w: {"main_contact_id": w.ids["cm_staff_id"]}
    ),
    # flags
    "GET /api/v1/flags": _row(OK, OK, 403, OK, OK, OK),
    "GET /api/v1/flags/{flag_id}": _row(OK, OK, 403, OK, 404, 404),
    "POST /api/v1/flags/{flag_id}/acknowledge": _row(OK, OK, 403, OK, 404, 404),
    "POST /api/v1/flags/{flag_id}/resolve": _row(
        OK, OK, 403, OK, 404, 404, body=lambda w: {"note": "Gebeld."}
    ),
    "POST /api/v1/flags/{flag_id}/reply": _row(
        OK, OK, 403, OK, 404, 404, body=lambda w: {"text": "Ik bel je morgen."}
    ),
    "GET /api/v1/flags/{flag_id}/messages/{message_id}/media": _row(404, 404, 403, 404, 404, 404),
    # team settings: the teamlead of the team and the admin change them
    # (a network analyst reads anonymous totals only: a team's settings are not theirs to see)
    "GET /api/v1/teams/{team_id}/settings": _row(OK, OK, 404, OK, 404, 404),
    "PUT /api/v1/teams/{team_id}/settings": _row(
        403, OK, 404, OK, 404, 404, body=lambda w: {"office_start": "08:30"}
    ),
    "GET /api/v1/teams/{team_id}/webhook-deliveries": _row(OK, OK, 404, OK, 404, 404),
    # a delivery that does not exist: 404 whoever asks (nothing told about the team either)
    "POST /api/v1/teams/{team_id}/webhook-deliveries/{delivery_id}/retry": _row(
        404, 404, 404, 404, 404, 404
    ),
    "PUT /api/v1/staff/me": _row(OK, OK, OK, OK, OK, OK, body=lambda w: {"away": False}),
    "PUT /api/v1/networks/{network_id}/checkin-settings": _row(
        403, 403, 403, OK, 403, 403, body=lambda w: {"stage_weeks": 2}
    ),
    # the plan
    "PUT /api/v1/participants/{participant_id}/plan": _row(
        OK, OK, 403, OK, 404, 404, body=lambda w: plan_body("Nieuwe versie.")
    ),
    "GET /api/v1/participants/{participant_id}/plan": _row(OK, OK, 403, OK, 404, 404),
    "GET /api/v1/participants/{participant_id}/plan/versions": _row(OK, OK, 403, OK, 404, 404),
    "GET /api/v1/participants/{participant_id}/plan/versions/{number}": _row(
        OK, OK, 403, OK, 404, 404
    ),
    "GET /api/v1/participants/{participant_id}/plan/versions/{number}/diff": _row(
        OK, OK, 403, OK, 404, 404
    ),
    "PUT /api/v1/participants/{participant_id}/trajectory": _row(
        OK, OK, 403, OK, 404, 404, body=lambda w: {"phase": "uitvoering"}
    ),
    "GET /api/v1/participants/{participant_id}/trajectory": _row(OK, OK, 403, OK, 404, 404),
    "PUT /api/v1/participants/{participant_id}/team": _row(
        OK,
        OK,
        403,
        OK,
        404,
        404,
        body=lambda w: {"entries": [{"name": "Tom", "role": "stagebegeleider"}]},
    ),
    "GET /api/v1/participants/{participant_id}/team": _row(OK, OK, 403, OK, 404, 404),
    "POST /api/v1/participants/{participant_id}/appointments": _row(
        OK, OK, 403, OK, 404, 404, body=lambda w: _appointment()
    ),
    "GET /api/v1/participants/{participant_id}/appointments": _row(OK, OK, 403, OK, 404, 404),
    "DELETE /api/v1/participants/{participant_id}/appointments/{appointment_id}": _row(
        OK, OK, 403, OK, 404, 404, fresh=_new_appointment
    ),
    # complaints go to their handlers, not to teams: the API is the admin's (by role, so a
    # 403 tells nothing about any complaint or network)
    "GET /api/v1/complaints": _row(403, 403, 403, OK, 403, 403),
    "GET /api/v1/complaints/{complaint_id}": _row(403, 403, 403, OK, 403, 403),
    "PUT /api/v1/complaints/{complaint_id}/status": _row(
        403, 403, 403, OK, 403, 403, body=lambda w: {"status": "in_behandeling"}
    ),
    "GET /api/v1/networks/{network_id}/complaints": _row(403, 403, 403, OK, 403, 403),
    "PUT /api/v1/networks/{network_id}/complaints": _row(403, 403, 403, OK, 403, 403),
    # rights explanations: read by the network's staff, changed by an admin
    # (public information, not a person's data: another network's staff get a plain 403)
    "GET /api/v1/networks/{network_id}/rights": _row(OK, OK, OK, OK, 403, 403),
    "PUT /api/v1/networks/{network_id}/rights": _row(403, 403, 403, OK, 403, 403),
    # feedback reports: anonymous totals for the network's analysts and teamleads; a
    # casemanager's role does not read them; another network: 404
    **{
        f"GET /api/v1/reports/{path}": _row(
            403, OK, OK, OK, 403, 404, query="network_id={network_id}&from=2026-01&to=2026-12"
        )
        for path in (
            "feedback",
            "feedback.csv",
            "feedback/charts/{survey}/{question_id}.png",
            "feedback/charts/{survey}/{question_id}.svg",
        )
    },
}
#: bodies that need a read first
ASYNC_BODIES: dict[str, Callable[[World], Awaitable[Any]]] = {
    "PUT /api/v1/networks/{network_id}/complaints": _complaint_settings,
    "PUT /api/v1/networks/{network_id}/rights": _rights,
}
PLACEHOLDERS = {  # version 2 exists (the plan PUT rows come first); the others do not
    "number": "2",
    "message_id": str(uuid.UUID(int=1)),
    "delivery_id": str(uuid.UUID(int=2)),
    "survey": "end",
    "question_id": "overall",
}


def _operations(world: World) -> list[str]:
    spec = world.client._transport.app.openapi()  # type: ignore[attr-defined]
    return [
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        if path.startswith("/api/")
        for method in operations
    ]


async def test_every_endpoint_has_a_row(world: World) -> None:
    assert sorted(_operations(world)) == sorted(MATRIX)


async def test_authorisation_matrix(world: World) -> None:
    wrong: list[str] = []
    for operation, row in MATRIX.items():
        method, template = operation.split(" ", 1)
        for who in CALLERS:
            values = dict(world.ids) | PLACEHOLDERS
            if row.fresh is not None:
                values |= await row.fresh(world)
            url = template.format(**values)
            if row.query:
                url += "?" + row.query.format(**values)
            body = row.body(world) if row.body else None
            if operation in ASYNC_BODIES:
                body = await ASYNC_BODIES[operation](world)
            response = await world.client.request(
                method, url, json=body, headers=world.headers(who)
            )
            expected = row.expect[who]
            got = response.status_code
            fine = 200 <= got < 300 if expected == OK else got == expected
            if not fine:
                wrong.append(
                    f"{operation} as {who}: {got}, expected {expected} {response.text[:160]}"
                )
    assert not wrong, "\n".join(wrong)
