"""Team settings (office hours, routing, notifications, webhooks) and webhook deliveries."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any

from fastapi import APIRouter

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.schemas import (
    CheckinOverrides,
    DeliveryOut,
    Problem,
    ResponseHours,
    StaffAway,
    TeamSettingsIn,
    TeamSettingsOut,
)
from wzt_bot.domain.models import FlagUrgency, OutboxMessage, OutboxStatus
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.services import teams as svc

router = APIRouter(prefix="/api/v1", tags=["teams"])

Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {401: {"model": Problem}, 403: {"model": Problem}}
NOT_FOUND: Responses = {404: {"model": Problem, "description": "No such team of yours"}}


def _out(settings: TeamSettings, secret_set: bool) -> TeamSettingsOut:
    data = settings.to_json()
    hours = {u.value: h for u, h in settings.response_hours.items()}
    return TeamSettingsOut(
        **{k: v for k, v in data.items() if k not in ("response_hours", "checkins")},
        response_hours=ResponseHours(**hours),
        checkins=CheckinOverrides(**data["checkins"]),
        webhook_secret_set=secret_set,
    )


@router.get(
    "/teams/{team_id}/settings", response_model=TeamSettingsOut, responses={**AUTH, **NOT_FOUND}
)
async def get_team_settings(team_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> TeamSettingsOut:
    async with ctx.uow_factory() as uow:
        settings, secret_set = await svc.read_settings(uow, staff, team_id)
    return _out(settings, secret_set)


@router.put(
    "/teams/{team_id}/settings",
    response_model=TeamSettingsOut,
    responses={**AUTH, **NOT_FOUND, 422: {}},
)
async def put_team_settings(
    team_id: uuid.UUID, body: TeamSettingsIn, ctx: Ctx, staff: CurrentStaff
) -> TeamSettingsOut:
    """The whole settings document (teamlead or admin). Office hours and the response target
    are what participants are told; routing sends each topic to one team member."""
    settings = TeamSettings(
        office_days=frozenset(d for d in body.office_days if 0 <= d <= 6),
        office_start=time.fromisoformat(body.office_start),
        office_end=time.fromisoformat(body.office_end),
        response_hours={FlagUrgency(k): v for k, v in body.response_hours.model_dump().items()},
        answer_within_days=body.answer_within_days,
        routing=dict(body.routing),
        main_contact_id=body.main_contact_id,
        backup_contact_id=body.backup_contact_id,
        notify_chat_id=body.notify_chat_id,
        digest_hour=body.digest_hour,
        webhook_url=body.webhook_url,
        checkins=body.checkins.model_dump(exclude_none=True),
    )
    async with ctx.uow_factory() as uow:
        await svc.save_settings(
            uow, ctx.clock, staff, team_id, settings, webhook_secret=body.webhook_secret
        )
        secret_set = await uow.teams.webhook_secret(team_id) is not None
        await uow.commit()
    return _out(settings, secret_set)


def _delivery(m: OutboxMessage) -> DeliveryOut:
    return DeliveryOut(
        id=m.id,
        event=m.kind,
        status=m.status.value,
        attempts=m.attempts,
        last_error=m.last_error,
        created_at=m.created_at,
        sent_at=m.sent_at,
        give_up_at=m.give_up_at,
    )


@router.get(
    "/teams/{team_id}/webhook-deliveries",
    response_model=list[DeliveryOut],
    responses={**AUTH, **NOT_FOUND},
)
async def list_deliveries(
    team_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff, status: OutboxStatus | None = None
) -> list[DeliveryOut]:
    """Webhook deliveries to the team's system; `status=dead` is the dead-letter list."""
    async with ctx.uow_factory() as uow:
        items = await svc.webhook_deliveries(uow, staff, team_id, status)
    return [_delivery(m) for m in items]


@router.post(
    "/teams/{team_id}/webhook-deliveries/{delivery_id}/retry",
    status_code=202,
    responses={**AUTH, **NOT_FOUND, 422: {}},
)
async def retry_delivery(
    team_id: uuid.UUID, delivery_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff
) -> dict[str, str]:
    """Try a dead delivery again (for another 24 hours, same X-WZT-Delivery id)."""
    async with ctx.uow_factory() as uow:
        await svc.retry_delivery(uow, ctx.clock, staff, team_id, delivery_id)
        await uow.commit()
    return {"status": "pending"}


@router.put("/staff/me", responses=AUTH)
async def set_me(body: StaffAway, ctx: Ctx, staff: CurrentStaff) -> dict[str, Any]:
    """Mark yourself away (your flags go to the back-up contact) or back."""
    async with ctx.uow_factory() as uow:
        updated = await svc.set_availability(
            uow, ctx.clock, staff, away=body.away, function=body.function, tz=ctx.tz
        )
        await uow.commit()
    return {
        "id": str(updated.id),
        "away": updated.away,
        "function": updated.function.value if updated.function else None,
    }


@router.put(
    "/networks/{network_id}/checkin-settings",
    response_model=CheckinOverrides,
    responses={**AUTH, 404: {"model": Problem}, 422: {}},
)
async def put_network_checkins(
    network_id: uuid.UUID, body: CheckinOverrides, ctx: Ctx, staff: CurrentStaff
) -> CheckinOverrides:
    """Check-in rhythm and quiet hours for a whole network (admin); a team's settings and a
    participant's own choices come on top."""
    async with ctx.uow_factory() as uow:
        await svc.set_network_checkins(
            uow, ctx.clock, staff, network_id, body.model_dump(exclude_none=True)
        )
        await uow.commit()
    return body
