"""Ports the domain needs from the outside world. Adapters implement them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self

from wzt_bot.domain.models import (
    Appointment,
    AuditEntry,
    Checkin,
    Complaint,
    ComplaintStatus,
    Consent,
    DirectoryEntry,
    FeedbackResponse,
    Flag,
    FlagKind,
    FlagMessage,
    FlagRisk,
    FlagStatus,
    FlagUrgency,
    Invite,
    Network,
    OutboxMessage,
    OutboxStatus,
    Participant,
    PlanResponse,
    PlanVersion,
    Staff,
    SurveyKind,
    SurveyProgress,
    SurveyStatus,
    Team,
    TelegramLink,
    Trajectory,
)

if TYPE_CHECKING:
    from wzt_bot.domain.policies.team import TeamSettings


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware UTC now."""
        ...


class NetworkRepository(Protocol):
    async def add(self, network: Network) -> None: ...
    async def get_by_name(self, name: str) -> Network | None: ...
    async def get(self, network_id: uuid.UUID) -> Network | None: ...
    async def checkin_settings(self, network_id: uuid.UUID) -> dict[str, Any]: ...
    async def save_checkin_settings(
        self, network_id: uuid.UUID, values: dict[str, Any]
    ) -> None: ...
    async def section(self, network_id: uuid.UUID, key: str) -> dict[str, Any]:
        """One section of the network's settings ("complaints", "rights", ...)."""
        ...

    async def save_section(
        self, network_id: uuid.UUID, key: str, values: dict[str, Any]
    ) -> None: ...
    async def secret(self, network_id: uuid.UUID, name: str) -> str | None:
        """A secret of the network (a complaints handler's webhook key), decrypted."""
        ...

    async def set_secret(self, network_id: uuid.UUID, name: str, secret: str | None) -> None:
        """Store (encrypted) or, with None, remove a secret of the network."""
        ...


class RightsRepository(Protocol):
    """A network's own explanations of "Waar heb ik recht op?" (table network_rights)."""

    async def for_network(self, network_id: uuid.UUID) -> dict[str, tuple[str, date | None]]:
        """topic value -> (text, last verified)."""
        ...

    async def replace(
        self, network_id: uuid.UUID, texts: dict[str, tuple[str, date | None]]
    ) -> None: ...


class TeamRepository(Protocol):
    async def add(self, team: Team) -> None: ...
    async def get(self, team_id: uuid.UUID) -> Team | None: ...
    async def all(self) -> Sequence[Team]: ...
    async def settings(self, team_id: uuid.UUID) -> TeamSettings: ...
    async def save_settings(self, team_id: uuid.UUID, settings: TeamSettings) -> None: ...
    async def webhook_secret(self, team_id: uuid.UUID) -> str | None: ...
    async def set_webhook_secret(self, team_id: uuid.UUID, secret: str | None) -> None: ...


class StaffPresence(Protocol):
    """Whether someone of a team is signed in to the web workspace right now (a later
    issue's web adapter implements this; until then no one is, see BotContext.presence)."""

    async def signed_in(self, team_id: uuid.UUID) -> bool: ...


class StaffRepository(Protocol):
    async def add(self, staff: Staff, token_hash: str) -> None: ...
    async def get(self, staff_id: uuid.UUID) -> Staff | None: ...
    async def get_by_token_hash(self, token_hash: str) -> Staff | None: ...
    async def for_team(self, team_id: uuid.UUID) -> Sequence[Staff]:
        """Active members of a team, by name."""
        ...

    async def update(self, staff: Staff) -> None:
        """Name, function and away (teams and token stay as they are)."""
        ...


class ParticipantRepository(Protocol):
    async def add(self, participant: Participant) -> None: ...
    async def get(self, participant_id: uuid.UUID) -> Participant | None: ...
    async def get_by_telegram_user(self, telegram_user_id: int) -> Participant | None:
        """The participant this Telegram account is linked to now."""
        ...

    async def update(self, participant: Participant) -> None: ...
    async def list_for_teams(
        self, team_ids: frozenset[uuid.UUID] | None, *, offset: int, limit: int
    ) -> tuple[Sequence[Participant], int]:
        """Participants of the given teams (all when None), newest first, and the total."""
        ...


class InviteRepository(Protocol):
    async def add(self, invite: Invite) -> None: ...
    async def get_by_code_hash(self, code_hash: str) -> Invite | None: ...
    async def active_for(self, participant_id: uuid.UUID) -> Sequence[Invite]: ...
    async def mark_used(self, invite_id: uuid.UUID, at: datetime) -> bool:
        """Atomically use an unused, unrevoked invite; False when it was not (any more)."""
        ...

    async def update(self, invite: Invite) -> None: ...


class InviteAttemptRepository(Protocol):
    async def add(self, telegram_user_id: int, at: datetime, success: bool) -> None: ...
    async def failures_since(self, telegram_user_id: int, since: datetime) -> int: ...


class TelegramLinkRepository(Protocol):
    async def add(self, link: TelegramLink) -> None: ...
    async def active_for_participant(self, participant_id: uuid.UUID) -> TelegramLink | None: ...
    async def active_for_user(self, telegram_user_id: int) -> TelegramLink | None: ...
    async def update(self, link: TelegramLink) -> None: ...


class ConsentRepository(Protocol):
    async def add(self, consent: Consent) -> None: ...
    async def latest_for(self, participant_id: uuid.UUID) -> Sequence[Consent]:
        """The most recent record per consent kind."""
        ...


@dataclass(frozen=True, slots=True)
class FlagFilter:
    team_ids: frozenset[uuid.UUID] | None = None  # None: all teams (admin)
    status: FlagStatus | None = None
    urgency: FlagUrgency | None = None
    kind: FlagKind | None = None
    participant_id: uuid.UUID | None = None


class FlagRepository(Protocol):
    async def add(self, flag: Flag) -> None: ...
    async def get(self, flag_id: uuid.UUID) -> Flag | None: ...
    async def update(self, flag: Flag) -> None: ...
    async def open_for(self, participant_id: uuid.UUID) -> Sequence[Flag]:
        """Flags not resolved yet (open or acknowledged)."""
        ...

    async def search(
        self, where: FlagFilter, *, offset: int, limit: int
    ) -> tuple[Sequence[Flag], int]:
        """Newest first, and the total."""
        ...

    async def add_message(self, message: FlagMessage) -> None: ...
    async def messages(self, flag_id: uuid.UUID) -> Sequence[FlagMessage]: ...
    async def team_messages_since(
        self, participant_id: uuid.UUID, since: datetime, limit: int
    ) -> Sequence[FlagMessage]:
        """Messages of the team (author staff) in this participant's flags from `since`,
        newest first."""
        ...

    async def not_notified(self, team_id: uuid.UUID) -> Sequence[Flag]:
        """Flags the team's group chat has not been told about yet."""
        ...

    async def add_risk(self, risk: FlagRisk) -> None: ...
    async def get_risk(self, risk_id: uuid.UUID) -> FlagRisk | None: ...
    async def risks(self, flag_id: uuid.UUID) -> Sequence[FlagRisk]:
        """The risk messages of a crisis flag, oldest first."""
        ...

    async def withdraw_risk(self, risk_id: uuid.UUID, at: datetime) -> bool:
        """Mark it withdrawn unless it is already; False when it was (a second tap)."""
        ...

    async def note_withdrawal(self, risk_id: uuid.UUID, note_id: uuid.UUID) -> None: ...
    async def acknowledge_risks(self, flag_id: uuid.UUID, at: datetime) -> None:
        """A person acknowledged the flag: every risk message in it so far is seen."""
        ...


class CheckinRepository(Protocol):
    async def add(self, checkin: Checkin) -> bool:
        """Insert unless its slot exists already; False for a repeat."""
        ...

    async def get(self, checkin_id: uuid.UUID) -> Checkin | None: ...
    async def update(self, checkin: Checkin) -> None: ...
    async def claim_due(self, now: datetime, limit: int) -> Sequence[Checkin]:
        """Scheduled check-ins due at `now`, marked sent atomically (skip locked rows)."""
        ...

    async def needing_reminder(
        self, sent_before: datetime, now: datetime, limit: int
    ) -> Sequence[Checkin]:
        """Sent before `sent_before`, not answered, no reminder yet; marked reminded."""
        ...

    async def latest_for(self, participant_id: uuid.UUID, limit: int) -> Sequence[Checkin]:
        """Most recent first (scheduled ones included)."""
        ...

    async def participants_to_plan(
        self, limit: int, after: uuid.UUID | None = None
    ) -> Sequence[tuple[Participant, datetime]]:
        """Participants who may get check-ins and have none scheduled, with the anchor of
        their next one; by id, from after `after` on (keyset: one pass over everyone)."""
        ...

    async def last_due(self, participant_id: uuid.UUID) -> datetime | None:
        """When the last regular check-in that was not cancelled was due (the anchor of the
        rhythm); None before the first one."""
        ...

    async def next_scheduled(self, participant_id: uuid.UUID) -> Checkin | None:
        """The check-in planned next (the earliest scheduled one), if any."""
        ...

    async def cancel_scheduled(self, participant_id: uuid.UUID) -> int:
        """Cancel what is planned. A cancelled check-in gives up its slot (its day), so a
        re-plan can take that day again; a slot that went out is never planned again."""
        ...


class Outbox(Protocol):
    async def add(self, message: OutboxMessage) -> bool:
        """Queue unless the key was queued before; False for a repeat."""
        ...

    async def claim(
        self, due: datetime, limit: int, token: str, *, at: datetime
    ) -> Sequence[OutboxMessage]:
        """Pending messages due at `due`, claimed for one sender (FOR UPDATE SKIP LOCKED);
        `at` is the real time of the claim (its lease)."""
        ...

    async def mark_sending(self, message_id: uuid.UUID, token: str, at: datetime) -> bool:
        """Claimed by `token` -> on the wire. False when the claim was lost (taken over)."""
        ...

    async def finish(
        self,
        message_id: uuid.UUID,
        status: OutboxStatus,
        *,
        at: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Sent, dead or cancelled; or back to pending until `retry_at` (an attempt failed,
        or it waits for the end of quiet hours)."""
        ...

    async def expire_claims(
        self, *, claimed_before: datetime, sending_before: datetime
    ) -> tuple[int, int]:
        """After a sender died: claims older than `claimed_before` go back to pending (they
        never left); Telegram messages on the wire before `sending_before` become uncertain
        (never sent twice), webhooks go back to pending (receivers dedupe on X-WZT-Delivery).
        Returns (released, uncertain)."""
        ...

    async def cancel_for_participant(self, participant_id: uuid.UUID, at: datetime) -> int: ...
    async def cancel(self, key: str, reason: str) -> bool:
        """Cancel a pending message by its key (e.g. a reminder no longer needed)."""
        ...

    async def get(self, message_id: uuid.UUID) -> OutboxMessage | None: ...
    async def list(
        self, *, status: OutboxStatus | None, channel: str | None, target: str | None, limit: int
    ) -> Sequence[OutboxMessage]: ...
    async def retry(self, message_id: uuid.UUID, at: datetime, give_up_at: datetime) -> bool:
        """A dead message back to pending; False when it is not dead."""
        ...

    async def counts(self) -> dict[str, int]: ...
    async def purge_before(self, before: datetime) -> int:
        """Delete finished messages (sent, cancelled, uncertain, dead) created before."""
        ...


class PlanRepository(Protocol):
    """A participant's trajectory, plan versions, answers, directory and appointments."""

    async def trajectory(self, participant_id: uuid.UUID) -> Trajectory | None: ...
    async def save_trajectory(self, trajectory: Trajectory) -> None: ...
    async def add_version(self, version: PlanVersion) -> bool:
        """False when that version number exists already (a concurrent PUT)."""
        ...

    async def latest_version(self, participant_id: uuid.UUID) -> PlanVersion | None: ...
    async def version(self, participant_id: uuid.UUID, number: int) -> PlanVersion | None: ...
    async def versions(self, participant_id: uuid.UUID) -> Sequence[PlanVersion]: ...
    async def add_response(self, response: PlanResponse) -> None: ...
    async def responses(self, participant_id: uuid.UUID) -> Sequence[PlanResponse]:
        """Newest first."""
        ...

    async def mark_done(self, participant_id: uuid.UUID, action_id: str, at: datetime) -> bool:
        """False when it was marked before."""
        ...

    async def marks(self, participant_id: uuid.UUID) -> dict[str, datetime]: ...
    async def clear_marks(self, participant_id: uuid.UUID, action_ids: Sequence[str]) -> None: ...
    async def directory(self, participant_id: uuid.UUID) -> Sequence[DirectoryEntry]: ...
    async def save_directory(
        self, participant_id: uuid.UUID, entries: Sequence[DirectoryEntry], at: datetime
    ) -> None: ...
    async def add_appointment(self, appointment: Appointment) -> None: ...
    async def appointment(self, appointment_id: uuid.UUID) -> Appointment | None: ...
    async def update_appointment(self, appointment: Appointment) -> None: ...
    async def appointments(
        self, participant_id: uuid.UUID, *, since: datetime | None, limit: int
    ) -> Sequence[Appointment]:
        """Not cancelled, soonest first, starting at or after `since`."""
        ...

    async def evaluations_between(
        self, first: date, last: date, limit: int, *, not_noticed: bool = False
    ) -> Sequence[Trajectory]:
        """Open trajectories with their next evaluation in [first, last] (`not_noticed`:
        only those whose participant was not told of that date yet)."""
        ...

    async def end_warnings_due(
        self, started_before: date, limit: int, *, extension_ends_by: date
    ) -> Sequence[Trajectory]:
        """Activeringstrajecten without a stop, an eindadvies discussed or a warning sent:
        without an extension started on or before `started_before`, with one ending on or
        before `extension_ends_by`."""
        ...


class ComplaintRepository(Protocol):
    async def add(self, complaint: Complaint) -> bool:
        """False when the receipt number is taken (draw another)."""
        ...

    async def get(self, complaint_id: uuid.UUID) -> Complaint | None: ...
    async def update(self, complaint: Complaint) -> None: ...
    async def for_participant(self, participant_id: uuid.UUID) -> Sequence[Complaint]: ...
    async def for_network(
        self, network_id: uuid.UUID | None, status: ComplaintStatus | None, limit: int
    ) -> Sequence[Complaint]: ...


@dataclass(frozen=True, slots=True)
class FeedbackReportFilter:
    network_id: uuid.UUID
    first_month: date  # first day of a month
    last_month: date  # first day of a month (inclusive)
    survey: SurveyKind | None = None
    trajectory_type: str | None = None


@dataclass(slots=True)
class FeedbackAggregates:
    #: (survey, version, question, option) -> count
    answers: dict[tuple[str, int, str, str], int]
    #: (survey, version, question) -> respondents (an option or words)
    respondents: dict[tuple[str, int, str], int]
    #: (survey, version, month) -> sittings
    months: dict[tuple[str, int, date], int]
    #: (survey, version, question) -> unfinished sittings that stopped after it
    stopped: dict[tuple[str, int, str], int]
    #: survey -> offers in the period (from the participants' progress)
    offers: dict[str, int]
    #: (survey, version, question) -> the shared words (decrypted, not masked yet)
    texts: dict[tuple[str, int, str], list[str]]


class FeedbackRepository(Protocol):
    """Surveys. The participant's progress (`SurveyProgress`) and the anonymous answers
    (`FeedbackResponse`) live in separate tables with no key in common."""

    async def progress(
        self, participant_id: uuid.UUID, survey: SurveyKind
    ) -> SurveyProgress | None: ...
    async def save_progress(self, progress: SurveyProgress) -> None:
        """Insert or replace (participant, survey)."""
        ...

    async def progress_for(self, participant_id: uuid.UUID) -> Sequence[SurveyProgress]: ...
    async def progress_with(
        self, statuses: Sequence[SurveyStatus], offered_before: date, limit: int
    ) -> Sequence[SurveyProgress]:
        """Rows in one of `statuses` offered (or due) before `offered_before`, oldest first:
        scheduled offers that are due, unfinished sittings that are too old."""
        ...

    async def add_response(self, response: FeedbackResponse) -> None: ...
    async def aggregates(self, where: FeedbackReportFilter) -> FeedbackAggregates:
        """Counts for a report, counted in SQL (GROUP BY), and the shared words (decrypted,
        unmasked: the service masks them and drops those of questions under k)."""
        ...


class Mailer(Protocol):
    """E-mail to a complaints handler. Raises TryLaterError (temporary) or RejectedError."""

    async def send(self, to: str, subject: str, body: str) -> None: ...


class AuditRepository(Protocol):
    async def add(self, entry: AuditEntry) -> None: ...
    async def for_participant(self, participant_id: uuid.UUID) -> Sequence[AuditEntry]: ...


OnWire = Callable[[], Awaitable[bool]]


class Notifier(Protocol):
    """Renders and sends a Telegram message of the outbox (participant or team chat).
    Raises RecipientGoneError, TryLaterError or RejectedError from wzt_bot.domain.errors.

    `on_wire` is awaited after the rate limiter let the message go and right before the
    request leaves; when it returns False the message must not be sent (the claim was lost).
    Returns False when nothing was sent for that reason."""

    async def send(self, message: OutboxMessage, on_wire: OnWire) -> bool: ...


class WebhookRelay(Protocol):
    """Posts a signed event of the outbox to a team's own system.
    Raises TryLaterError or RejectedError."""

    async def post(self, message: OutboxMessage, url: str, secret: str) -> None: ...


class TelegramFiles(Protocol):
    """Downloads a file a participant sent (voice note, photo) from the Bot API.
    Raises DomainError(NOT_FOUND) when Telegram no longer has it."""

    async def fetch(self, file_id: str) -> tuple[bytes, str]:
        """(content, media type)"""
        ...


class LanguageTools(Protocol):
    """Which language a participant wrote in, and (optionally) a machine translation."""

    async def detect(self, text: str) -> str | None: ...
    async def translate(self, text: str, source: str | None, target: str) -> str | None:
        """None when no translation service is configured or it failed."""
        ...


class UnitOfWork(Protocol):
    """One transaction per update, request or job. Repositories never commit."""

    @property
    def networks(self) -> NetworkRepository: ...
    @property
    def teams(self) -> TeamRepository: ...
    @property
    def staff(self) -> StaffRepository: ...
    @property
    def participants(self) -> ParticipantRepository: ...
    @property
    def invites(self) -> InviteRepository: ...
    @property
    def invite_attempts(self) -> InviteAttemptRepository: ...
    @property
    def links(self) -> TelegramLinkRepository: ...
    @property
    def consents(self) -> ConsentRepository: ...
    @property
    def flags(self) -> FlagRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def updates(self) -> UpdateInbox: ...
    @property
    def checkins(self) -> CheckinRepository: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def plans(self) -> PlanRepository: ...
    @property
    def complaints(self) -> ComplaintRepository: ...
    @property
    def feedback(self) -> FeedbackRepository: ...
    @property
    def rights(self) -> RightsRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class UpdateInbox(Protocol):
    """Incoming Telegram updates, stored before they are handled, each handled once."""

    async def store(self, update_id: int, payload: str, received_at: datetime) -> bool:
        """Store an update (webhook), claimed by the caller; False for a repeat."""
        ...

    async def claim(self, update_id: int, at: datetime) -> None:
        """Record, inside the handler's transaction, that this update is handled (polling).
        Call it last, just before the commit: it may be written only with the commit (on
        SQLite it is), so a repeat is not reported here (the pipeline skips recorded ones)."""
        ...

    async def record_failed(self, update_id: int, payload: str, at: datetime) -> None:
        """Keep an update whose handling failed (encrypted), so it is not retried in a loop."""
        ...

    async def claim_stale(self, update_id: int, *, stale_before: datetime, now: datetime) -> bool:
        """Take over an update whose handler died (claimed before `stale_before`)."""
        ...

    async def mark_done(self, update_id: int, at: datetime) -> None: ...

    async def recorded(self, update_ids: Sequence[int]) -> set[int]:
        """Which of these updates are handled, failed or stored (accounted for)."""
        ...

    async def stale(self, stale_before: datetime, limit: int) -> Sequence[tuple[int, str]]:
        """Updates stored but not handled, claimed before `stale_before` (a crash), oldest first."""
        ...

    async def purge_before(self, before: datetime) -> int: ...


@dataclass(frozen=True, slots=True)
class SentAnswer:
    """One answer Telegram accepted for an update."""

    update_id: int
    seq: int  # 0, 1, … in the order the handler sent them
    method: str
    chat_id: int
    chat_type: str
    message_id: int
    sent_at: int  # Telegram's message date (unix seconds)
    digest: str


class SentLedger(Protocol):
    """Where answers are recorded; durable across a crash of this process."""

    def digest(self, text: str) -> str:
        """A keyed digest of an answer's text (the text itself is not kept)."""
        ...

    async def record(self, answer: SentAnswer) -> None:
        """Durable once this returns. Raises on failure (the caller logs and goes on)."""
        ...

    async def answers(self, update_id: int) -> list[SentAnswer]:
        """What was sent for this update before, in order."""
        ...

    async def purge_before(self, before: datetime) -> int: ...

    async def warm_up(self) -> None:
        """Open what the first answers need, so their writes do not wait for a connection."""
        ...

    async def close(self) -> None: ...
