"""Request and response bodies of the casemanager API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParticipantCreate(Strict):
    display_name: str = Field(
        min_length=1, max_length=80, description="How the bot greets the participant."
    )
    team_id: uuid.UUID


class InviteOut(BaseModel):
    invite_code: str = Field(description="Shown once. Only its hash is stored.")
    invite_link: str
    invite_qr_url: str = Field(description="PNG with the QR code of the invite link.")
    invite_expires_at: datetime


class ParticipantCreated(InviteOut):
    id: uuid.UUID
    display_name: str
    team_id: uuid.UUID


class ConsentOut(BaseModel):
    kind: str
    granted: bool
    text_version: str
    locale: str
    recorded_at: datetime


class TelegramOut(BaseModel):
    linked: bool
    linked_at: datetime | None
    unreachable: bool


class InviteStatus(BaseModel):
    active: bool
    expires_at: datetime | None


class ParticipantSummary(BaseModel):
    id: uuid.UUID
    display_name: str
    team_id: uuid.UUID
    status: str
    locale: str | None
    created_at: datetime


class ParticipantDetail(ParticipantSummary):
    onboarded_at: datetime | None
    updated_at: datetime | None
    proactive_paused: bool
    telegram: TelegramOut
    consents: list[ConsentOut]
    invite: InviteStatus


class ParticipantPage(BaseModel):
    items: list[ParticipantSummary]
    total: int
    offset: int
    limit: int


class Problem(BaseModel):
    detail: str


class Health(BaseModel):
    status: str
