"""Complaints, for the operator of the independent complaints handler (admin), and the
complaint contacts of a network. A team's casemanagers and teamleads have no access."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.schemas import Problem, Strict
from wzt_bot.domain.models import Complaint, ComplaintStatus
from wzt_bot.domain.policies.complaints import ComplaintSettings, Contact, Handler, ServiceKind
from wzt_bot.domain.services import complaints as svc

router = APIRouter(prefix="/api/v1", tags=["complaints"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    403: {"model": Problem, "description": "Admins only"},
    404: {"model": Problem},
}
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ComplaintOut(BaseModel):
    id: uuid.UUID
    receipt: str
    network_id: uuid.UUID
    about_team: bool = Field(description="About someone of the participant's own team")
    anonymous: bool
    handler: str
    status: ComplaintStatus
    created_at: datetime
    updated_at: datetime | None


class ComplainantOut(BaseModel):
    participant_id: uuid.UUID
    display_name: str
    team_id: uuid.UUID


class ComplaintDetail(ComplaintOut):
    text: str
    voice_note: bool
    answer: str | None
    participant: ComplainantOut | None = Field(description="null when anonymous")


class StatusIn(Strict):
    status: Literal["in_behandeling", "beantwoord"]
    answer: str | None = Field(None, max_length=4000, description="Told to the participant")


class ContactIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=60)
    email: str = Field("", max_length=200)
    web: str = Field("", max_length=300)
    hours: str = Field("", max_length=200)
    note: str = Field("", max_length=500)
    last_verified: date | None = None


class HandlerIn(Strict):
    contact: ContactIn
    kind: ServiceKind = Field(
        ServiceKind.OTHER,
        description="The kind of service: decides the next step the participant is shown "
        "after this handler's answer (the Vlaamse Ombudsdienst only for flemish_public)",
    )
    email: str = Field(
        "", max_length=200, pattern=rf"(^$)|{EMAIL}", description="Where complaints are mailed"
    )
    anonymous_allowed: bool = False
    webhook_url: str = Field(
        "",
        max_length=500,
        pattern=r"(^$)|(^https?://[^\s]+$)",
        description="The handler's own system: each complaint is POSTed there as a signed "
        "`complaint.filed` event (X-WZT-Signature, X-WZT-Delivery), like a team's webhook",
    )
    webhook_secret: str | None = Field(
        None,
        min_length=16,
        max_length=200,
        description="Write-only: the key the webhook is signed with. Left out: the current "
        "one stays; never returned",
    )
    remove_webhook_secret: bool = Field(False, description="Forget the webhook's secret")
    webhook_secret_set: bool | None = Field(
        None, description="Read-only (as GET shows it); ignored here, so a GET can be PUT back"
    )


class HandlerOut(BaseModel):
    contact: ContactIn
    kind: ServiceKind
    email: str
    anonymous_allowed: bool
    webhook_url: str
    webhook_secret_set: bool = Field(description="Whether a webhook secret is stored")


class ComplaintSettingsIn(Strict):
    organisation: HandlerIn
    independent: HandlerIn
    vdab: ContactIn
    ombudsdienst: ContactIn
    next_steps: dict[ServiceKind, ContactIn] = Field(
        default_factory=dict,
        description="Per kind of service, where to go after the handler's answer (e.g. the "
        "municipality's ombudsdienst for local_public); without one the bot says where to ask",
    )


class ComplaintSettingsOut(BaseModel):
    organisation: HandlerOut
    independent: HandlerOut
    vdab: ContactIn
    ombudsdienst: ContactIn
    next_steps: dict[ServiceKind, ContactIn]


def _out(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.id,
        "receipt": c.receipt,
        "network_id": c.network_id,
        "about_team": c.about_team,
        "anonymous": c.anonymous,
        "handler": c.handler,
        "status": c.status,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def _settings_in(body: ComplaintSettingsIn) -> ComplaintSettings:
    def contact(c: ContactIn) -> Contact:
        return Contact(**c.model_dump())

    def handler(h: HandlerIn) -> Handler:
        return Handler(
            contact=contact(h.contact),
            email=h.email,
            anonymous_allowed=h.anonymous_allowed,
            webhook_url=h.webhook_url,
            kind=h.kind,
        )

    return ComplaintSettings(
        organisation=handler(body.organisation),
        independent=handler(body.independent),
        vdab=contact(body.vdab),
        ombudsdienst=contact(body.ombudsdienst),
        next_steps={k: contact(c) for k, c in body.next_steps.items()},
    )


@router.get("/complaints", response_model=list[ComplaintOut], responses=ERRORS)
async def list_complaints(
    ctx: Ctx,
    staff: CurrentStaff,
    network_id: uuid.UUID | None = None,
    status: ComplaintStatus | None = None,
) -> list[ComplaintOut]:
    """Complaints filed in the bot, newest first (no words in the list)."""
    async with ctx.uow_factory() as uow:
        items = await svc.list_complaints(
            uow, ctx.clock, staff, network_id=network_id, status=status
        )
        await uow.commit()
    return [ComplaintOut(**_out(c)) for c in items]


@router.get("/complaints/{complaint_id}", response_model=ComplaintDetail, responses=ERRORS)
async def read_complaint(complaint_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> ComplaintDetail:
    """One complaint in the participant's words; who filed it unless it is anonymous."""
    async with ctx.uow_factory() as uow:
        complaint, who = await svc.read_complaint(uow, ctx.clock, staff, complaint_id)
        await uow.commit()
    return ComplaintDetail(
        **_out(complaint),
        text=complaint.text,
        voice_note=complaint.voice_ref is not None,
        answer=complaint.answer,
        participant=ComplainantOut(
            participant_id=who.id, display_name=who.display_name, team_id=who.team_id
        )
        if who
        else None,
    )


@router.put(
    "/complaints/{complaint_id}/status",
    response_model=ComplaintOut,
    responses={**ERRORS, 422: {}},
)
async def set_status(
    complaint_id: uuid.UUID, body: StatusIn, ctx: Ctx, staff: CurrentStaff
) -> ComplaintOut:
    """in_behandeling or beantwoord (with a short answer): the participant is told in the bot."""
    async with ctx.uow_factory() as uow:
        complaint = await svc.set_status(
            uow, ctx.clock, staff, complaint_id, ComplaintStatus(body.status), body.answer
        )
        await uow.commit()
    return ComplaintOut(**_out(complaint))


def _settings_out(settings: ComplaintSettings, secrets: dict[str, bool]) -> ComplaintSettingsOut:
    data = settings.to_json()
    for which in ("organisation", "independent"):
        data[which]["webhook_secret_set"] = secrets.get(which, False)
    return ComplaintSettingsOut.model_validate(data)


@router.get(
    "/networks/{network_id}/complaints", response_model=ComplaintSettingsOut, responses=ERRORS
)
async def read_settings(
    network_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff
) -> ComplaintSettingsOut:
    """The network's complaint handlers and the public contacts the bot explains."""
    async with ctx.uow_factory() as uow:
        settings = await svc.read_settings(uow, staff, network_id)
        secrets = await svc.webhook_secrets_set(uow, network_id)
        await uow.commit()
    return _settings_out(settings, secrets)


@router.put(
    "/networks/{network_id}/complaints",
    response_model=ComplaintSettingsOut,
    responses={**ERRORS, 422: {}},
)
async def save_settings(
    network_id: uuid.UUID, body: ComplaintSettingsIn, ctx: Ctx, staff: CurrentStaff
) -> ComplaintSettingsOut:
    """Edit every contact (name, phone, e-mail, web form, hours, last verified), where
    complaints are mailed or posted (webhook with its write-only secret), and whether
    anonymous complaints are accepted."""
    changes: dict[str, str | None] = {}
    for which, handler in (("organisation", body.organisation), ("independent", body.independent)):
        if handler.remove_webhook_secret:
            changes[which] = None
        elif handler.webhook_secret is not None:
            changes[which] = handler.webhook_secret
    async with ctx.uow_factory() as uow:
        saved = await svc.save_settings(
            uow, ctx.clock, staff, network_id, _settings_in(body), changes
        )
        secrets = await svc.webhook_secrets_set(uow, network_id)
        await uow.commit()
    return _settings_out(saved, secrets)
