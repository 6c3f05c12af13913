"""Waar heb ik recht op? A network's own explanations per topic, each with a date.

GET: admins and staff of a team in that network. PUT: admins only. A topic without its
own text shows the shipped default (translated in the bot); the bot never decides.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from wzt_bot.api.auth import Ctx, CurrentStaff
from wzt_bot.api.schemas import Problem, Strict
from wzt_bot.domain.policies.rights import MAX_TEXT, OwnText, RightsSettings, RightsTopic
from wzt_bot.domain.services import rights as svc

router = APIRouter(prefix="/api/v1", tags=["rights"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    403: {"model": Problem, "description": "Admins, or staff of this network (GET)"},
    404: {"model": Problem},
}


class TopicIn(Strict):
    topic: RightsTopic
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Shown as written")
    last_verified: date | None = None


class RightsIn(Strict):
    topics: list[TopicIn] = Field(
        default_factory=list, max_length=len(RightsTopic), description="The network's own texts"
    )


class TopicOut(BaseModel):
    topic: RightsTopic
    text: str
    last_verified: date | None
    is_default: bool = Field(description="true: the shipped text (translated in the bot)")


class RightsOut(BaseModel):
    topics: list[TopicOut]


def _out(settings: RightsSettings) -> RightsOut:
    return RightsOut(
        topics=[
            TopicOut(
                topic=e.topic, text=e.text, last_verified=e.last_verified, is_default=e.is_default
            )
            for e in settings.all()
        ]
    )


@router.get("/networks/{network_id}/rights", response_model=RightsOut, responses=ERRORS)
async def read_rights(network_id: uuid.UUID, ctx: Ctx, staff: CurrentStaff) -> RightsOut:
    """Every topic: the network's own text, or the shipped default."""
    async with ctx.uow_factory() as uow:
        settings = await svc.read_settings(uow, ctx.clock, staff, network_id)
        await uow.commit()
    return _out(settings)


@router.put(
    "/networks/{network_id}/rights", response_model=RightsOut, responses={**ERRORS, 422: {}}
)
async def save_rights(
    network_id: uuid.UUID, body: RightsIn, ctx: Ctx, staff: CurrentStaff
) -> RightsOut:
    """Replace the network's own texts; a topic left out goes back to the default."""
    async with ctx.uow_factory() as uow:
        settings = RightsSettings(
            own={t.topic: OwnText(t.text, t.last_verified) for t in body.topics}
        )
        saved = await svc.save_settings(uow, ctx.clock, staff, network_id, settings)
        await uow.commit()
    return _out(saved)
