"""Flags for the team: list, read, acknowledge, resolve, reply through the bot."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.schemas import (
    FlagDetail,
    FlagMessageOut,
    FlagOut,
    FlagPage,
    FlagRiskOut,
    Problem,
    ReplyIn,
    ReplyOut,
    ResolveIn,
)
from wzt_bot.domain.models import Flag, FlagKind, FlagStatus, FlagUrgency
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import flags as svc

router = APIRouter(prefix="/api/v1/flags", tags=["flags"])

Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {401: {"model": Problem}, 403: {"model": Problem}}
NOT_FOUND: Responses = {404: {"model": Problem, "description": "No such flag in your teams"}}


def flag_out(f: Flag) -> FlagOut:
    return FlagOut(
        id=f.id,
        participant_id=f.participant_id,
        team_id=f.team_id,
        kind=f.kind,
        urgency=f.urgency,
        status=f.status,
        topic=f.topic,
        source=f.source,
        assignee_id=f.assignee_id,
        respond_by=f.respond_by,
        created_at=f.created_at,
        updated_at=f.updated_at,
        acknowledged_at=f.acknowledged_at,
        resolved_at=f.resolved_at,
        helped=f.helped,
    )


@router.get("", response_model=FlagPage, responses=AUTH)
async def list_flags(
    ctx: Ctx,
    staff: CurrentStaff,
    status: FlagStatus | None = None,
    urgency: FlagUrgency | None = None,
    kind: FlagKind | None = None,
    team_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FlagPage:
    """Flags of your teams, newest first. No words of the participant here: read one flag."""
    where = FlagFilter(
        team_ids=frozenset({team_id}) if team_id else None,
        status=status,
        urgency=urgency,
        kind=kind,
        participant_id=participant_id,
    )
    async with ctx.uow_factory() as uow:
        items, total = await svc.search_flags(
            uow, ctx.clock, staff, where, offset=offset, limit=limit
        )
        await uow.commit()
    return FlagPage(items=[flag_out(f) for f in items], total=total, offset=offset, limit=limit)


@router.get("/{flag_id}", response_model=FlagDetail, responses={**AUTH, **NOT_FOUND})
async def get_flag(flag_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> FlagDetail:
    """One flag with its thread (the participant's words, replies, system notes). For a
    crisis flag also each risk message: a note with `refers_to` says the participant withdrew
    that message ("Ik ben oké, dit was verkeerd begrepen")."""
    async with ctx.uow_factory() as uow:
        view = await svc.view_flag(uow, ctx.clock, staff, flag_id)
        await uow.commit()
    withdrawn = {r.message_id: r.withdrawn_at for r in view.risks if r.message_id}
    refers_to = {r.note_id: r.message_id for r in view.risks if r.note_id}
    return FlagDetail(
        **flag_out(view.flag).model_dump(),
        messages=[
            FlagMessageOut(
                id=m.id,
                author=m.author.value,
                author_id=m.author_id,
                text=m.text,
                language=m.language,
                translation=m.translation,
                machine_translation=m.translation is not None,
                media_kind=m.media_kind,
                internal=m.internal,
                created_at=m.created_at,
                refers_to=refers_to.get(m.id),
                withdrawn_at=withdrawn.get(m.id),
            )
            for m in view.messages
        ],
        risks=[
            FlagRiskOut(
                id=r.id,
                urgency=r.urgency,
                created_at=r.created_at,
                message_id=r.message_id,
                withdrawn_at=r.withdrawn_at,
                note_id=r.note_id,
                acknowledged_at=r.acknowledged_at,
            )
            for r in view.risks
        ],
    )


@router.post("/{flag_id}/acknowledge", response_model=FlagOut, responses={**AUTH, **NOT_FOUND})
async def acknowledge_flag(flag_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> FlagOut:
    """Someone is on it (open → acknowledged); assigns it to you if nobody had it."""
    async with ctx.uow_factory() as uow:
        flag = await svc.acknowledge(uow, ctx.clock, staff, flag_id)
        await uow.commit()
    return flag_out(flag)


@router.post("/{flag_id}/resolve", response_model=FlagOut, responses={**AUTH, **NOT_FOUND})
async def resolve_flag(
    flag_id: uuid.UUID, body: ResolveIn, ctx: Ctx, staff: CurrentStaff
) -> FlagOut:
    """Done. `note` stays in the team (an internal line in the thread); the participant reads
    only `message_to_participant`. For a question or a request the participant is told it is
    closed, with that message when given."""
    async with ctx.uow_factory() as uow:
        flag = await svc.resolve(
            uow,
            ctx.clock,
            staff,
            flag_id,
            body.note,
            body.message_to_participant,
            tools=ctx.language_tools,
        )
        await uow.commit()
    return flag_out(flag)


@router.post(
    "/{flag_id}/reply", status_code=201, response_model=ReplyOut, responses={**AUTH, **NOT_FOUND}
)
async def reply_to_flag(
    flag_id: uuid.UUID, body: ReplyIn, ctx: Ctx, staff: CurrentStaff
) -> ReplyOut:
    """Your answer reaches the participant through the bot (in their language when a
    translation server is configured, marked as machine translation)."""
    async with ctx.uow_factory() as uow:
        message, queued = await svc.reply(
            uow, ctx.clock, staff, flag_id, body.text, tools=ctx.language_tools
        )
        await uow.commit()
    return ReplyOut(message_id=message.id, queued=queued)


@router.get(
    "/{flag_id}/messages/{message_id}/media",
    response_class=Response,
    responses={
        200: {"content": {"audio/ogg": {}, "image/jpeg": {}}, "description": "The file"},
        **AUTH,
        **NOT_FOUND,
    },
)
async def flag_media(
    flag_id: uuid.UUID, message_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff
) -> Response:
    """A voice note or photo the participant sent with this flag (fetched from Telegram)."""
    async with ctx.uow_factory() as uow:
        file_id = await svc.media_of(uow, ctx.clock, staff, flag_id, message_id)
        await uow.commit()
    if ctx.files is None:
        raise HTTPException(503, "no Telegram token in this process: files cannot be fetched")
    content, media_type = await ctx.files.fetch(file_id)
    return Response(content, media_type=media_type, headers={"Cache-Control": "no-store"})
