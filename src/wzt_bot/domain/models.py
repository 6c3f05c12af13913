"""Entities of the participant-facing domain. Standard library only."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime


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
    CONTACT_REQUEST = "contact_request"  # "Neem contact met mij op"
    CRISIS = "crisis"  # a risk message: always urgent, whatever the consent settings
    CONCERN = "concern"  # "Ik wil iets vragen of zeggen", relayed with the participant's consent
    CHECKIN_LOW = "checkin_low"  # a low score or a worrying topic, and the participant said yes
    NO_CONTACT = "no_contact"  # check-ins unanswered: a reason for a human to reach out
    UNREACHABLE = "unreachable"  # the participant blocked the bot
    PLAN_DISAGREEMENT = "plan_disagreement"  # "Ik heb eerst vragen" / "Ik ben het niet eens"
    APPOINTMENT = "appointment"  # "Ik kan niet komen"
    PLAN_HELP = "plan_help"  # "Dit lukt niet, ik wil hulp" or a question about a plan step
    EVALUATION = "evaluation"  # the participant's own view before an evaluation
    TRAJECTORY_END = "trajectory_end"  # an activeringstraject nears its 18 months
    RIGHTS = "rights"  # "Waar heb ik recht op?": look at the ticked topics together


class FlagUrgency(enum.StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class StaffFunction(enum.StrEnum):
    """What a team member does, explained to participants in one plain sentence."""

    CASEMANAGER_WERK = "casemanager_werk"
    CASEMANAGER_ZORG = "casemanager_zorg"
    STAGEBEGELEIDER = "stagebegeleider"
    PARTNER = "partner"
    OTHER = "other"


class Topic(enum.StrEnum):
    """What a concern or a check-in is about (also the routing key of a team)."""

    WERK = "werk"  # werk of stage
    ZORG = "zorg"  # zorg of gezondheid
    GELD = "geld"
    WONEN = "wonen"
    GEZIN = "gezin"
    VERVOER = "vervoer"
    BEGELEIDING = "begeleiding"  # mijn begeleiding
    ANDERS = "anders"


class Phase(enum.StrEnum):
    OPSTART = "opstart"
    PLAN = "plan"
    UITVOERING = "uitvoering"
    AFSLUITING = "afsluiting"
    NAZORG = "nazorg"


class CheckinKind(enum.StrEnum):
    REGULAR = "regular"
    PAUSE_CONTACT = "pause_contact"  # during a pause: a gentle "wil je contact?"
    ADHOC = "adhoc"  # the participant chose "Hoe gaat het?" in the menu


class CheckinStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    ANSWERED = "answered"
    MISSED = "missed"  # a newer check-in went out before this one was answered
    CANCELLED = "cancelled"  # consent withdrawn, paused, stopped or unreachable when due


class DayPart(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # taken by a sender, not on the wire yet: safe to take again later
    SENDING = "sending"  # on the wire: after a crash it is uncertain whether it arrived
    SENT = "sent"
    DEAD = "dead"  # gave up: kept for the operator (dead-letter list), can be retried
    CANCELLED = "cancelled"  # the participant is unreachable or stopped messages
    UNCERTAIN = "uncertain"  # the sender died mid-send: never sent again (at most once)


class OutboxChannel(enum.StrEnum):
    TELEGRAM = "telegram"  # a message to a participant or to a team's group chat
    WEBHOOK = "webhook"  # a signed event to a team's own casemanagement system
    EMAIL = "email"  # a complaint to a network's complaints handler (SMTP)


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
    function: StaffFunction | None = None
    away: bool = False  # on leave: flags go to the back-up


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
    checkins_consented: bool = False  # the latest consent record, kept here for the scheduler
    main_contact_id: uuid.UUID | None = None
    backup_contact_id: uuid.UUID | None = None
    phase: Phase | None = None  # None: no trajectory data yet
    paused: bool = False  # the trajectory is paused (gepauzeerd)
    stage_changed_at: datetime | None = None  # a stage started, or its hours or tasks changed
    checkin_weekday: int | None = None  # 0 = Monday; None = any day
    checkin_daypart: DayPart = DayPart.MORNING
    checkin_less_often: bool = False
    checkin_snooze_until: datetime | None = None
    stage_explained_at: datetime | None = None  # "stage" was explained once (hiva.md R22)


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
    assignee_id: uuid.UUID | None = None
    respond_by: datetime | None = None
    topic: Topic | None = None
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    updated_at: datetime | None = None
    notified_at: datetime | None = None  # the team's group chat was told (at once or in a digest)
    helped: bool | None = None  # the participant's answer to "Heeft dit geholpen?"


class Author(enum.StrEnum):
    PARTICIPANT = "participant"
    STAFF = "staff"
    SYSTEM = "system"


@dataclass(slots=True)
class FlagMessage:
    """One message in a flag's thread. The text is encrypted at rest."""

    id: uuid.UUID
    flag_id: uuid.UUID
    author: Author
    author_id: str
    text: str
    created_at: datetime
    language: str | None = None  # detected language of the original
    translation: str | None = None  # Dutch (for the team) or the participant's language (reply)
    media_kind: str | None = None  # "voice" or "photo": the Telegram file id is in `media_ref`
    media_ref: str | None = None
    internal: bool = False  # a team's own note: never shown to the participant


@dataclass(slots=True)
class FlagRisk:
    """One risk message of a crisis flag: its own urgency, and whether the participant took it
    back ("Ik ben oké, dit was verkeerd begrepen" under the answer to it). The button under
    the answer carries this id, so a tap withdraws exactly this message."""

    id: uuid.UUID
    flag_id: uuid.UUID
    urgency: FlagUrgency
    created_at: datetime
    message_id: uuid.UUID | None = None  # its words in the thread; None when they are private
    withdrawn_at: datetime | None = None
    note_id: uuid.UUID | None = None  # the thread's note of the withdrawal
    acknowledged_at: datetime | None = None  # a person acknowledged, answered or resolved


@dataclass(slots=True)
class Checkin:
    id: uuid.UUID
    participant_id: uuid.UUID
    slot: str  # idempotency key: one check-in per participant per local day
    kind: CheckinKind
    due_at: datetime
    created_at: datetime
    status: CheckinStatus = CheckinStatus.SCHEDULED
    wording: int = 0
    sent_at: datetime | None = None
    reminder_at: datetime | None = None
    answered_at: datetime | None = None
    score: int | None = None  # 1..5; None with all_ok = "Alles oké"
    all_ok: bool = False
    topics: tuple[Topic, ...] = ()
    wants_contact: bool | None = None
    note: str | None = None  # free text, encrypted at rest
    went_well: str | None = None  # "Wat lukte er deze week?", encrypted at rest
    voice_ref: str | None = None


@dataclass(slots=True)
class OutboxMessage:
    """Something the bot sends on its own initiative: rendered and sent by one sender."""

    id: uuid.UUID
    key: str  # idempotency key: the same key is never queued twice
    channel: OutboxChannel
    target: str  # a chat id, or a team id for webhooks
    kind: str  # what to render ("checkin", "reminder", "reply", "team_notice", ...)
    payload: dict[str, object]
    created_at: datetime
    not_before: datetime
    participant_id: uuid.UUID | None = None
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None
    give_up_at: datetime | None = None


@dataclass(slots=True)
class AuditEntry:
    id: uuid.UUID
    at: datetime
    actor_kind: str  # "staff", "participant", "system"
    actor_id: str
    action: str
    participant_id: uuid.UUID | None
    detail: str = ""


# --- the trajectory and its plan ---------------------------------------------------------


class TrajectoryType(enum.StrEnum):
    ACTIVERINGSTRAJECT = "activeringstraject"
    AA_WELZIJN = "arbeidsmatige_activiteiten_welzijn"
    AA_SOCIALE_ECONOMIE = "arbeidsmatige_activiteiten_sociale_economie"


class ActionDomain(enum.StrEnum):
    WERK = "werk"
    ZORG = "zorg"
    LEVEN = "leven"


class ActionStatus(enum.StrEnum):
    GEPLAND = "gepland"
    BEZIG = "bezig"
    GEDAAN = "gedaan"
    NIET_MEER_NODIG = "niet_meer_nodig"


class PlanAnswer(enum.StrEnum):
    AKKOORD = "akkoord"
    VRAGEN = "vragen"  # "Ik heb eerst vragen"
    ONEENS = "oneens"  # "Ik ben het niet eens"


class EndAdvice(enum.StrEnum):
    """The eindadvies: a way forward, never a label."""

    BETAALD_WERK = "betaald_werk"  # ready for paid work (regular or social economy)
    WELZIJN = "welzijn"  # care and wellbeing first (never "niet-toeleidbaar")
    ANDER = "ander"  # another next step, in the text


@dataclass(frozen=True, slots=True)
class PlanAction:
    id: str  # stable across versions: the team sends it back to keep an action's identity
    domain: ActionDomain
    title: str
    owner: str = ""  # a team member or a provider, as the participant knows them
    owner_staff_id: uuid.UUID | None = None
    due_date: date | None = None
    status: ActionStatus = ActionStatus.GEPLAND
    details: str = ""


@dataclass(frozen=True, slots=True)
class StageDetails:
    place: str = ""
    days_hours: str = ""
    tasks: str = ""
    mentor: str = ""


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """One version of the trajectplan, as the team wrote it (Dutch)."""

    trajectory_type: TrajectoryType
    objective: str  # in the participant's own words
    start_date: date
    expected_end_date: date
    evaluation_every_weeks: int
    change_note: str = ""
    actions: tuple[PlanAction, ...] = ()
    stage: StageDetails | None = None
    rights_duties: str = ""
    next_evaluation_date: date | None = None


@dataclass(frozen=True, slots=True)
class PlanVersion:
    participant_id: uuid.UUID
    number: int  # 1, 2, 3, ...
    created_at: datetime
    created_by: uuid.UUID | None
    document: PlanDocument


@dataclass(slots=True)
class PlanResponse:
    """The participant's answer to one plan version."""

    id: uuid.UUID
    participant_id: uuid.UUID
    version: int
    answer: PlanAnswer
    answered_at: datetime
    words: str | None = None  # encrypted at rest
    flag_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Pause:
    start: date
    end: date | None = None


@dataclass(slots=True)
class Trajectory:
    participant_id: uuid.UUID
    type: TrajectoryType
    phase: Phase
    start_date: date
    expected_end_date: date
    updated_at: datetime
    pauses: tuple[Pause, ...] = ()
    extended_until: date | None = None
    extension_reason: str | None = None
    stopped_on: date | None = None
    end_advice: EndAdvice | None = None
    end_advice_text: str | None = None  # encrypted at rest
    next_steps: str | None = None  # encrypted at rest
    end_advice_discussed_on: date | None = None
    next_evaluation_date: date | None = None
    end_warning_at: datetime | None = None  # the team was told month 18 is near
    evaluation_noticed: date | None = None  # the evaluation date the participant was told of

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].end is None


class DirectoryRole(enum.StrEnum):
    CASEMANAGER_WERK = "casemanager_werk"
    CASEMANAGER_ZORG = "casemanager_zorg"
    STAGEBEGELEIDER = "stagebegeleider"
    PARTNER = "partner"
    ANDERE = "andere"


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One person in the participant's team directory ("Wie is wie")."""

    name: str
    role: DirectoryRole
    organisation: str = ""
    reach: str = ""  # when and how to reach them, in plain words
    staff_id: uuid.UUID | None = None  # when they are a member of the team in wzt-bot
    main: bool = False
    backup: bool = False


@dataclass(slots=True)
class Appointment:
    id: uuid.UUID
    participant_id: uuid.UUID
    starts_at: datetime
    created_at: datetime
    where: str = ""  # encrypted at rest together with the rest below
    with_whom: str = ""
    bring: str = ""
    created_by: uuid.UUID | None = None
    cancelled_at: datetime | None = None
    cant_come_at: datetime | None = None


# --- complaints --------------------------------------------------------------------------


class ComplaintStatus(enum.StrEnum):
    ONTVANGEN = "ontvangen"
    IN_BEHANDELING = "in_behandeling"
    BEANTWOORD = "beantwoord"


@dataclass(slots=True)
class Complaint:
    """A complaint filed in the bot. Never filtered; about one's own team it goes to the
    independent handler and never to that team (no flag, notice or webhook)."""

    id: uuid.UUID
    receipt: str  # what the participant quotes: "K-7F3A2C"
    network_id: uuid.UUID
    participant_id: uuid.UUID  # to send status updates; never shown when anonymous
    about_team: bool
    anonymous: bool
    created_at: datetime
    handler: str  # "independent" or "organisation"
    text: str = ""  # encrypted at rest
    voice_ref: str | None = None
    status: ComplaintStatus = ComplaintStatus.ONTVANGEN
    updated_at: datetime | None = None
    answer: str | None = None  # the handler's short message with a status change (encrypted)


# --- feedback (issue 5 §3-4) ---------------------------------------------------------------


class SurveyKind(enum.StrEnum):
    START = "start"  # a short pulse after the first plan is acknowledged
    STAGE = "stage"  # a pulse after the first month of a stage
    END = "end"  # at the eindadvies: HIVA's four dimensions and NOOZO's two
    FOLLOW_3 = "follow_3"  # 3, 6 and 12 months after the end
    FOLLOW_6 = "follow_6"
    FOLLOW_12 = "follow_12"
    ANYTIME = "anytime"  # "Ik wil anoniem feedback geven" (Klacht): whenever the person wants


class SurveyStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # to be offered on `offered_on` (the daily tick asks then)
    SKIPPED = "skipped"  # was due while the person gets no messages (/stop, no consent)
    OFFERED = "offered"  # asked, not started
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"  # "Later verder": resumes where it stopped
    DONE = "done"  # every question seen; the answers went to the anonymous tables
    DECLINED = "declined"  # "Nee, dank je": never asked again for this survey
    EXPIRED = "expired"  # left unfinished too long: what was answered went anonymous


@dataclass(slots=True)
class FeedbackResponse:
    """One anonymous sitting of one survey. No participant, team, chat or exact time: only
    network, trajectory type, survey (version) and the month it was answered, so nothing
    links it back to a person. Written once, when the sitting ends (done or expired)."""

    id: uuid.UUID  # random, derived from nothing
    network_id: uuid.UUID
    trajectory_type: str  # a TrajectoryType value, or "onbekend"
    survey: SurveyKind
    survey_version: int
    month: date  # the first day of the month it was answered
    answers: dict[str, str]  # question id -> option code, for the questions answered
    #: question id -> the participant's own words; stored only when `share_text` (else the
    #: words are not kept at all), shown in reports masked (names, phones, e-mail addresses)
    free_text: dict[str, str] = field(default_factory=dict)
    share_text: bool = False
    completed: bool = False
    stopped_after: str | None = None  # the last question answered when not completed


@dataclass(slots=True)
class SurveyProgress:
    """The participant's side of one survey: whether it was offered, where they are, and
    (encrypted, only while unfinished) the answers so far. When the sitting ends the answers
    move to a `FeedbackResponse` and are wiped here, so this row never holds them after."""

    participant_id: uuid.UUID
    survey: SurveyKind
    survey_version: int
    status: SurveyStatus
    offered_on: date  # local date; for the response rate (offers per month) and expiry
    position: int = 0  # index of the next question
    draft: dict[str, str] = field(default_factory=dict)  # answers so far (encrypted)
    draft_text: dict[str, str] = field(default_factory=dict)  # own words so far (encrypted)
    share_text: bool = False
    updated_on: date | None = None
