"""SQLAlchemy 2 tables. Portable types only: they run on PostgreSQL and on SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite (which forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class NetworkRow(Base):
    __tablename__ = "networks"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class TeamRow(Base):
    __tablename__ = "teams"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    network_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("networks.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The key that signs webhooks to the team's own system, encrypted at rest.
    webhook_secret_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    webhook_secret_key_id: Mapped[str | None] = mapped_column(String(16))


class StaffRow(Base):
    __tablename__ = "staff"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    function: Mapped[str | None] = mapped_column(String(32))
    away: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StaffTeamRow(Base):
    __tablename__ = "staff_teams"
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), primary_key=True)


class ParticipantRow(Base):
    __tablename__ = "participants"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    proactive_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    onboarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checkins_consented: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    main_contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    backup_contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    phase: Mapped[str | None] = mapped_column(String(16))
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    stage_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checkin_weekday: Mapped[int | None] = mapped_column(Integer)
    checkin_daypart: Mapped[str] = mapped_column(
        String(16), default="morning", server_default="morning"
    )
    checkin_less_often: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    checkin_snooze_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    stage_explained_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (
        # The participant list, newest first (the API pages through it).
        Index("ix_participants_created", "created_at", "id"),
    )


class InviteRow(Base):
    __tablename__ = "invites"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class InviteAttemptRow(Base):
    __tablename__ = "invite_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    success: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (Index("ix_invite_attempts_user_at", "telegram_user_id", "at"),)


def _unique_while_active(name: str, column: str) -> Index:
    active = text("unlinked_at IS NULL")
    return Index(name, column, unique=True, sqlite_where=active, postgresql_where=active)


class TelegramLinkRow(Base):
    __tablename__ = "telegram_links"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    unlinked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # One active link per participant and per Telegram account, also under races.
    __table_args__ = (
        _unique_while_active("uq_telegram_links_active_participant", "participant_id"),
        _unique_while_active("uq_telegram_links_active_user", "telegram_user_id"),
    )


class ConsentRow(Base):
    __tablename__ = "consents"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FlagRow(Base):
    __tablename__ = "flags"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("teams.id"))
    kind: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    respond_by: Mapped[datetime | None] = mapped_column(UtcDateTime)
    topic: Mapped[str | None] = mapped_column(String(16))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    helped: Mapped[bool | None] = mapped_column(Boolean)
    __table_args__ = (
        # The team's inbox: newest first per team, filtered by status.
        Index("ix_flags_team_status_created", "team_id", "status", "created_at"),
        Index("ix_flags_status_created", "status", "created_at"),
    )


class FlagMessageRow(Base):
    __tablename__ = "flag_messages"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    flag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flags.id"), index=True)
    author: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    language: Mapped[str | None] = mapped_column(String(8))
    media_kind: Mapped[str | None] = mapped_column(String(16))
    # Text, translation and media reference: encrypted at rest, as one JSON document.
    body_ct: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))


class FlagRiskRow(Base):
    """One risk message of a crisis flag (see `domain.models.FlagRisk`)."""

    __tablename__ = "flag_risks"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    flag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("flags.id"), index=True)
    urgency: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("flag_messages.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("flag_messages.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CheckinRow(Base):
    __tablename__ = "checkins"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    slot: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    wording: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminder_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    all_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    topics: Mapped[str] = mapped_column(String(200), default="")
    wants_contact: Mapped[bool | None] = mapped_column(Boolean)
    # Free text ("iets vertellen", "wat lukte er") and a voice note reference, encrypted.
    body_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str | None] = mapped_column(String(16))
    __table_args__ = (
        # Due rows among millions: a range scan on (status, due_at).
        Index("ix_checkins_status_due", "status", "due_at"),
        Index("ix_checkins_participant_due", "participant_id", "due_at"),
        # "Has this participant a check-in scheduled?" (planning reads it for everyone).
        Index("ix_checkins_participant_status", "participant_id", "status"),
    )


class OutboxRow(Base):
    __tablename__ = "outbox"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    give_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # What to render and send: may hold a team's reply or a participant's words, encrypted.
    payload_ct: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)


class AuditRow(Base):
    __tablename__ = "audit_log"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class TelegramUpdateRow(Base):
    __tablename__ = "telegram_updates"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The raw update holds participants' words: encrypted at rest.
    # Cleared once handled: only the update_id stays, to recognise repeats.
    payload_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="processing", index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TelegramAnswerRow(Base):
    """Answers Telegram accepted per update, so an update handled again after a crash does
    not send them twice (see `wzt_bot.bot.sent_ledger`). No text: a keyed digest of it.
    On SQLite the ledger lives in a file of its own; this table is PostgreSQL's."""

    __tablename__ = "telegram_answers"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    method: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    chat_type: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class TrajectoryRow(Base):
    """The trajectory's frame. Dates in the clear (the scheduler needs them); the eindadvies
    text and next steps encrypted."""

    __tablename__ = "trajectories"
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True
    )
    type: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(16))
    start_date: Mapped[date] = mapped_column(Date)
    expected_end_date: Mapped[date] = mapped_column(Date)
    pauses: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extended_until: Mapped[date | None] = mapped_column(Date)
    stopped_on: Mapped[date | None] = mapped_column(Date)
    end_advice: Mapped[str | None] = mapped_column(String(32))
    end_advice_discussed_on: Mapped[date | None] = mapped_column(Date)
    next_evaluation_date: Mapped[date | None] = mapped_column(Date, index=True)
    end_warning_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    evaluation_noticed: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # extension reason, eindadvies text, next steps
    body_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str | None] = mapped_column(String(16))


class PlanVersionRow(Base):
    """Each accepted plan document: never changed afterwards. The document is encrypted."""

    __tablename__ = "plan_versions"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    document_ct: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    __table_args__ = (
        UniqueConstraint("participant_id", "number", name="uq_plan_versions_participant_number"),
    )


class PlanResponseRow(Base):
    """The participant's answers to a plan version (Akkoord, questions, disagreement)."""

    __tablename__ = "plan_responses"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    flag_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    words_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str | None] = mapped_column(String(16))


class PlanActionMarkRow(Base):
    """A plan step the participant marked "Gedaan" (until a newer plan version says otherwise)."""

    __tablename__ = "plan_action_marks"
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True
    )
    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DirectoryRow(Base):
    """Who is who for one participant: names, roles, organisations (no participant data)."""

    __tablename__ = "participant_directory"
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True
    )
    entries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AppointmentRow(Base):
    __tablename__ = "appointments"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cant_come_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # where, with whom, what to bring
    body_ct: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))
    __table_args__ = (Index("ix_appointments_participant_starts", "participant_id", "starts_at"),)


class ComplaintRow(Base):
    __tablename__ = "complaints"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    receipt: Mapped[str] = mapped_column(String(16), unique=True)
    network_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("networks.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participants.id"), index=True)
    about_team: Mapped[bool] = mapped_column(Boolean)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    handler: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # what happened (text, voice note reference) and the handler's answer
    body_ct: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(16))


# --- feedback: the participant's side and the anonymous side share no key ---------------


class SurveyProgressRow(Base):
    __tablename__ = "survey_progress"
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participants.id"), primary_key=True
    )
    survey: Mapped[str] = mapped_column(String(16), primary_key=True)
    survey_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    offered_on: Mapped[date] = mapped_column(Date, index=True)
    updated_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    share_text: Mapped[bool] = mapped_column(Boolean, default=False)
    # answers so far, only while unfinished (wiped when the sitting ends)
    draft_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str | None] = mapped_column(String(16))


class FeedbackResponseRow(Base):
    """Anonymous: no participant, team, chat or timestamp (see `FeedbackResponse`)."""

    __tablename__ = "feedback_responses"
    __table_args__ = (Index("ix_feedback_responses_network_month", "network_id", "month"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    network_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("networks.id"))
    trajectory_type: Mapped[str] = mapped_column(String(48))
    survey: Mapped[str] = mapped_column(String(16))
    survey_version: Mapped[int] = mapped_column(Integer)
    month: Mapped[date] = mapped_column(Date)
    completed: Mapped[bool] = mapped_column(Boolean)
    stopped_after: Mapped[str | None] = mapped_column(String(48))
    share_text: Mapped[bool] = mapped_column(Boolean)


class FeedbackAnswerRow(Base):
    __tablename__ = "feedback_answers"
    response_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[str | None] = mapped_column(String(32))  # option code; None: words only
    # the participant's own words, only when they agreed to share them (encrypted)
    text_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_id: Mapped[str | None] = mapped_column(String(16))


# --- rights: a network's own explanations of "Waar heb ik recht op?" -------------------


class NetworkRightsRow(Base):
    __tablename__ = "network_rights"
    network_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("networks.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(24), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    last_verified: Mapped[date | None] = mapped_column(Date)
