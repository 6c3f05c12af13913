"""Request and response bodies of the casemanager API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from wzt_bot.domain.models import (
    FlagKind,
    FlagStatus,
    FlagUrgency,
    StaffFunction,
    Topic,
)


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
    next_checkin_at: datetime | None = Field(
        description="When the bot next reaches out with a check-in; null when none is planned"
    )
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


class Ready(Health):
    details: list[str] = Field(
        default_factory=list,
        description="Warnings for the operator that do not make the service unready, e.g. a "
        "network whose complaints reach no handler",
    )


# --- flags -------------------------------------------------------------------------------


class FlagOut(BaseModel):
    id: uuid.UUID
    participant_id: uuid.UUID
    team_id: uuid.UUID
    kind: FlagKind
    urgency: FlagUrgency
    status: FlagStatus
    topic: Topic | None
    source: str
    assignee_id: uuid.UUID | None
    respond_by: datetime | None
    created_at: datetime
    updated_at: datetime | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    helped: bool | None = Field(description="The participant's answer to 'Heeft dit geholpen?'")


class FlagMessageOut(BaseModel):
    id: uuid.UUID
    author: str = Field(description="participant, staff or system")
    author_id: str
    text: str
    language: str | None = Field(description="Detected language of the original text")
    translation: str | None = Field(description="Machine translation (Dutch for the team)")
    machine_translation: bool
    media_kind: str | None = Field(description="voice or photo (a Telegram file)")
    internal: bool = Field(
        default=False,
        description="A team's own note (e.g. at resolve): the participant did not see it",
    )
    created_at: datetime
    refers_to: uuid.UUID | None = Field(
        None,
        description="For a note: the message it is about (the participant withdrew that risk"
        " message with 'Ik ben oké, dit was verkeerd begrepen')",
    )
    withdrawn_at: datetime | None = Field(
        None, description="For a risk message: when the participant withdrew it"
    )


class FlagRiskOut(BaseModel):
    """One risk message of a crisis flag. The flag's urgency is the highest among those not
    withdrawn; with all withdrawn it stays at least high until a person acknowledges."""

    id: uuid.UUID
    urgency: FlagUrgency
    created_at: datetime
    message_id: uuid.UUID | None = Field(
        description="Its words in the thread; null when they stay private (a complaint, a survey)"
    )
    withdrawn_at: datetime | None
    note_id: uuid.UUID | None = Field(description="The thread's note of the withdrawal")
    acknowledged_at: datetime | None = Field(
        description="A person acknowledged, answered or resolved the flag after this message"
    )


class FlagDetail(FlagOut):
    messages: list[FlagMessageOut]
    risks: list[FlagRiskOut] = Field(
        default_factory=list, description="Crisis flags: each risk message, oldest first"
    )


class FlagPage(BaseModel):
    items: list[FlagOut]
    total: int
    offset: int
    limit: int


class ResolveIn(Strict):
    note: str | None = Field(
        None,
        max_length=4096,
        description="The team's own note: kept in the thread (internal), never sent to the "
        "participant.",
    )
    message_to_participant: str | None = Field(
        None,
        max_length=4096,
        description="Sent to the participant with 'Heeft dit geholpen?' (translated like a "
        "reply). Without it a question or a request is closed with a short message only.",
    )


class ReplyIn(Strict):
    text: str = Field(min_length=1, max_length=4096, description="Delivered through the bot.")


class ReplyOut(BaseModel):
    message_id: uuid.UUID
    queued: bool = Field(description="False when the participant cannot be reached on Telegram")


# --- check-ins ---------------------------------------------------------------------------


class CheckinOut(BaseModel):
    id: uuid.UUID
    kind: str
    status: str
    due_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    score: int | None = Field(description="1 (bad) .. 5 (good); null with all_ok")
    all_ok: bool
    topics: list[str]
    wants_contact: bool | None
    note: str | None
    went_well: str | None
    voice_note: bool


# --- team settings -----------------------------------------------------------------------


class ResponseHours(Strict):
    urgent: int = Field(4, ge=1, le=24 * 14)
    high: int = Field(24, ge=1, le=24 * 14)
    normal: int = Field(72, ge=1, le=24 * 30)


class CheckinOverrides(Strict):
    stage_weeks: int | None = Field(None, ge=1, le=26)
    weekly_every: int | None = Field(None, ge=1, le=12)
    default_every: int | None = Field(None, ge=1, le=12)
    aftercare_every: int | None = Field(None, ge=1, le=26)
    pause_every: int | None = Field(None, ge=1, le=26)
    missed_before_flag: int | None = Field(None, ge=1, le=10)
    quiet_start: str | None = Field(None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    quiet_end: str | None = Field(None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    quiet_weekdays: list[int] | None = Field(None, max_length=6)


class TeamSettingsBody(Strict):
    office_days: list[int] = Field([0, 1, 2, 3, 4], description="0 = Monday", max_length=7)
    office_start: str = Field("09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    office_end: str = Field("17:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    response_hours: ResponseHours = Field(default_factory=ResponseHours)
    answer_within_days: int = Field(2, ge=1, le=30)
    routing: dict[Topic, uuid.UUID] = Field(
        default_factory=dict, description="Topic → staff member who receives it"
    )
    main_contact_id: uuid.UUID | None = None
    backup_contact_id: uuid.UUID | None = None
    notify_chat_id: int | None = Field(None, description="The team's Telegram group chat id")
    digest_hour: int = Field(8, ge=0, le=23)
    webhook_url: str | None = Field(None, max_length=500, pattern=r"^https?://\S+$")
    checkins: CheckinOverrides = Field(default_factory=CheckinOverrides)


class TeamSettingsIn(TeamSettingsBody):
    webhook_secret: str | None = Field(
        None,
        min_length=16,
        max_length=200,
        description="HMAC key for X-WZT-Signature; stored encrypted; omit to keep the current",
    )


class TeamSettingsOut(TeamSettingsBody):
    webhook_secret_set: bool


class StaffAway(Strict):
    away: bool
    function: StaffFunction | None = None


class ContactsIn(Strict):
    main_contact_id: uuid.UUID | None = None
    backup_contact_id: uuid.UUID | None = None


class DeliveryOut(BaseModel):
    id: uuid.UUID
    event: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    give_up_at: datetime | None
