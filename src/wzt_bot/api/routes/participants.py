"""Participants: create with an invite, list, read, new invite, invite QR code."""

from __future__ import annotations

import io
import uuid
from typing import Annotated, Any
from urllib.parse import quote

import segno
from fastapi import APIRouter, HTTPException, Query, Request, Response

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.schemas import (
    CheckinOut,
    ConsentOut,
    ContactsIn,
    InviteOut,
    InviteStatus,
    ParticipantCreate,
    ParticipantCreated,
    ParticipantDetail,
    ParticipantPage,
    ParticipantSummary,
    Problem,
    TelegramOut,
)
from wzt_bot.domain.models import Participant
from wzt_bot.domain.security import hash_secret
from wzt_bot.domain.services import checkins as checkin_svc
from wzt_bot.domain.services import participants as svc
from wzt_bot.domain.services import teams as team_svc
from wzt_bot.domain.services.participants import IssuedInvite

router = APIRouter(prefix="/api/v1/participants", tags=["participants"])

Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"model": Problem, "description": "No such participant in your teams"}}
AUTH: Responses = {401: {"model": Problem}, 403: {"model": Problem}}
PNG: Responses = {200: {"content": {"image/png": {}}, "description": "QR code of the invite link"}}


async def _invite_out(request: Request, ctx: Ctx, issued: IssuedInvite) -> dict[str, Any]:
    username = await ctx.bot_username()
    link = f"https://t.me/{username}?start={issued.code}"
    qr = request.url_for("invite_qr", participant_id=str(issued.participant.id))
    return {
        "invite_code": issued.code,
        "invite_link": link,
        "invite_qr_url": f"{qr}?code={quote(issued.code)}",
        "invite_expires_at": issued.expires_at_iso,
    }


def _summary(p: Participant) -> ParticipantSummary:
    return ParticipantSummary(
        id=p.id,
        display_name=p.display_name,
        team_id=p.team_id,
        status=p.status.value,
        locale=p.locale,
        created_at=p.created_at,
    )


@router.post("", status_code=201, response_model=ParticipantCreated, responses={**AUTH, 422: {}})
async def create_participant(
    body: ParticipantCreate, request: Request, ctx: Ctx, staff: CurrentStaff
) -> ParticipantCreated:
    """Create a participant and a single-use invite (valid 14 days) to hand over in person."""
    async with ctx.uow_factory() as uow:
        issued = await svc.create_participant(
            uow, ctx.clock, staff, display_name=body.display_name, team_id=body.team_id
        )
        await uow.commit()
    return ParticipantCreated(
        id=issued.participant.id,
        display_name=issued.participant.display_name,
        team_id=issued.participant.team_id,
        **await _invite_out(request, ctx, issued),
    )


@router.get("", response_model=ParticipantPage, responses=AUTH)
async def list_participants(
    ctx: Ctx,
    staff: CurrentStaff,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ParticipantPage:
    """Participants of your own teams (all teams for an admin), newest first."""
    async with ctx.uow_factory() as uow:
        items, total = await svc.list_participants(
            uow, ctx.clock, staff, offset=offset, limit=limit
        )
        await uow.commit()
    return ParticipantPage(
        items=[_summary(p) for p in items], total=total, offset=offset, limit=limit
    )


@router.get("/{participant_id}", response_model=ParticipantDetail, responses={**AUTH, **NOT_FOUND})
async def get_participant(
    participant_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff
) -> ParticipantDetail:
    """Link status, language, consents and dates of one participant."""
    async with ctx.uow_factory() as uow:
        view = await svc.view_participant(uow, ctx.clock, staff, participant_id)
        await uow.commit()
    p = view.participant
    return ParticipantDetail(
        **_summary(p).model_dump(),
        onboarded_at=p.onboarded_at,
        updated_at=p.updated_at,
        proactive_paused=p.proactive_paused,
        next_checkin_at=view.next_checkin.due_at if view.next_checkin else None,
        telegram=TelegramOut(
            linked=view.link is not None,
            linked_at=view.link.linked_at if view.link else None,
            unreachable=p.unreachable,
        ),
        consents=[
            ConsentOut(
                kind=c.kind.value,
                granted=c.granted,
                text_version=c.text_version,
                locale=c.locale,
                recorded_at=c.recorded_at,
            )
            for c in view.consents
        ],
        invite=InviteStatus(
            active=view.invite is not None,
            expires_at=view.invite.expires_at if view.invite else None,
        ),
    )


@router.post(
    "/{participant_id}/invite",
    status_code=201,
    response_model=InviteOut,
    responses={**AUTH, **NOT_FOUND},
)
async def new_invite(
    participant_id: uuid.UUID, request: Request, ctx: Ctx, staff: CurrentStaff
) -> InviteOut:
    """A new invite code; any earlier code of this participant stops working."""
    async with ctx.uow_factory() as uow:
        issued = await svc.reissue_invite(uow, ctx.clock, staff, participant_id)
        await uow.commit()
    return InviteOut(**await _invite_out(request, ctx, issued))


@router.get(
    "/{participant_id}/invite.png",
    name="invite_qr",
    response_class=Response,
    responses={**PNG, **AUTH, **NOT_FOUND},
)
async def invite_qr(
    participant_id: uuid.UUID,
    ctx: Ctx,
    staff: CurrentStaff,
    code: Annotated[str, Query(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    scale: Annotated[int, Query(ge=2, le=20)] = 8,
) -> Response:
    """QR code of the invite link, to print or show. Needs the code: only its hash is stored."""
    async with ctx.uow_factory() as uow:
        view = await svc.view_participant(
            uow, ctx.clock, staff, participant_id, action="participant.invite_qr"
        )
        await uow.commit()
    if view.invite is None or view.invite.code_hash != hash_secret(code):
        raise HTTPException(404, "no active invite with this code for this participant")
    username = await ctx.bot_username()
    buffer = io.BytesIO()
    segno.make(f"https://t.me/{username}?start={code}", error="m").save(
        buffer, kind="png", scale=scale, border=4
    )
    return Response(
        buffer.getvalue(), media_type="image/png", headers={"Cache-Control": "no-store"}
    )


@router.get(
    "/{participant_id}/checkins",
    response_model=list[CheckinOut],
    responses={**AUTH, **NOT_FOUND},
)
async def participant_checkins(
    participant_id: uuid.UUID,
    ctx: Ctx,
    staff: CurrentStaff,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CheckinOut]:
    """The answer history: newest first, scheduled ones included."""
    async with ctx.uow_factory() as uow:
        items = await checkin_svc.history(uow, ctx.clock, staff, participant_id, limit=limit)
        await uow.commit()
    return [
        CheckinOut(
            id=c.id,
            kind=c.kind.value,
            status=c.status.value,
            due_at=c.due_at,
            sent_at=c.sent_at,
            answered_at=c.answered_at,
            score=c.score,
            all_ok=c.all_ok,
            topics=[t.value for t in c.topics],
            wants_contact=c.wants_contact,
            note=c.note,
            went_well=c.went_well,
            voice_note=c.voice_ref is not None,
        )
        for c in items
    ]


@router.put("/{participant_id}/contacts", responses={**AUTH, **NOT_FOUND, 422: {}})
async def put_contacts(
    participant_id: uuid.UUID, body: ContactsIn, ctx: Ctx, staff: CurrentStaff
) -> dict[str, str | None]:
    """The participant's main contact and back-up (members of their team)."""
    async with ctx.uow_factory() as uow:
        p = await team_svc.set_contacts(
            uow,
            ctx.clock,
            staff,
            participant_id,
            main_contact_id=body.main_contact_id,
            backup_contact_id=body.backup_contact_id,
            tz=ctx.tz,
        )
        await uow.commit()
    return {
        "main_contact_id": str(p.main_contact_id) if p.main_contact_id else None,
        "backup_contact_id": str(p.backup_contact_id) if p.backup_contact_id else None,
    }
