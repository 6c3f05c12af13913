"""Entities of the participant-facing domain. Standard library only."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime


class Role(enum.StrEnum):
    CASEMANAGER = "casemanager"
    TEAMLEAD = "teamlead"
    NETWORK_ANALYST = "network_analyst"
    ADMIN = "admin"


class ParticipantStatus(enum.StrEnum):
    INVITED = "invited"  # created by the team, not linked to Telegram yet
    ACTIVE = "active"  # linked and onboarded


class ConsentKind(enum.StrEnum):
    CHECKIN_MESSAGES = "checkin_messages"


class FlagKind(enum.StrEnum):
    CONTACT_REQUEST = "contact_request"


class FlagUrgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


#: The languages the bot speaks. Dutch is the source language of every text.
SUPPORTED_LOCALES: tuple[str, ...] = ("nl", "en", "fr", "ar", "tr", "pl", "ro", "uk")

#: Each language's own name, shown on the language buttons.
LOCALE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "ro": "Română",
    "uk": "Українська",
}

#: Version of the consent text shown in onboarding; stored with every consent record.
CONSENT_TEXT_VERSION = "2026-11-onboarding-v1"


def new_id() -> uuid.UUID:
    return uuid.uuid4()


@dataclass(slots=True)
class Network:
    id: uuid.UUID
    name: str


@dataclass(slots=True)
class Team:
    id: uuid.UUID
    network_id: uuid.UUID
    name: str


@dataclass(slots=True)
class Staff:
    id: uuid.UUID
    name: str
    role: Role
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    active: bool = True


@dataclass(slots=True)
class Participant:
    id: uuid.UUID
    team_id: uuid.UUID
    display_name: str
    created_at: datetime
    status: ParticipantStatus = ParticipantStatus.INVITED
    locale: str | None = None
    proactive_paused: bool = False
    unreachable: bool = False
    onboarded_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class Invite:
    id: uuid.UUID
    participant_id: uuid.UUID
    code_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


@dataclass(slots=True)
class TelegramLink:
    id: uuid.UUID
    participant_id: uuid.UUID
    telegram_user_id: int
    chat_id: int
    linked_at: datetime
    unlinked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.unlinked_at is None


@dataclass(slots=True)
class Consent:
    id: uuid.UUID
    participant_id: uuid.UUID
    kind: ConsentKind
    granted: bool
    text_version: str
    locale: str
    recorded_at: datetime


@dataclass(slots=True)
class Flag:
    """Something a human in the team should look at. Never deleted, only resolved."""

    id: uuid.UUID
    participant_id: uuid.UUID
    team_id: uuid.UUID
    kind: FlagKind
    urgency: FlagUrgency
    source: str
    created_at: datetime
    status: FlagStatus = FlagStatus.OPEN


@dataclass(slots=True)
class AuditEntry:
    id: uuid.UUID
    at: datetime
    actor_kind: str  # "staff", "participant", "system"
    actor_id: str
    action: str
    participant_id: uuid.UUID | None
    detail: str = ""
