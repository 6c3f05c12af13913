"""Bodies of the plan, trajectory, directory and appointment endpoints."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import AwareDatetime, BaseModel, Field

from wzt_bot.api.schemas import Strict
from wzt_bot.domain.models import (
    ActionDomain,
    ActionStatus,
    DirectoryRole,
    EndAdvice,
    Phase,
    PlanAnswer,
    TrajectoryType,
)

ACTION_ID = r"^[A-Za-z0-9_-]{1,64}$"


class PlanActionIn(Strict):
    id: str | None = Field(
        None,
        pattern=ACTION_ID,
        description="Send it back to keep an action's identity across versions; new when omitted",
    )
    domain: ActionDomain
    title: str = Field(min_length=1, max_length=300, description="What, in plain Dutch")
    owner: str = Field("", max_length=300, description="Who: a team member or a provider")
    owner_staff_id: uuid.UUID | None = Field(
        None, description="When the owner is a team member in wzt-bot: their help requests"
    )
    due_date: date | None = None
    status: ActionStatus = ActionStatus.GEPLAND
    details: str = Field("", max_length=2000)


class StageIn(Strict):
    place: str = Field("", max_length=600)
    days_hours: str = Field("", max_length=600)
    tasks: str = Field("", max_length=600)
    mentor: str = Field("", max_length=600)


class PlanIn(Strict):
    trajectory_type: TrajectoryType
    objective: str = Field(
        min_length=1, max_length=2000, description="In the participant's own words"
    )
    start_date: date
    expected_end_date: date
    evaluation_every_weeks: int = Field(ge=1, le=52)
    next_evaluation_date: date | None = Field(
        None, description="Default: the next date on the evaluation rhythm from start_date"
    )
    change_note: str = Field("", max_length=2000, description="What changed and why (plain)")
    actions: list[PlanActionIn] = Field(default_factory=list, max_length=100)
    stage: StageIn | None = None
    rights_duties: str = Field("", max_length=4000)


class PlanActionOut(BaseModel):
    id: str
    domain: ActionDomain
    title: str
    owner: str
    owner_staff_id: uuid.UUID | None
    due_date: date | None
    status: ActionStatus
    details: str
    participant_marked_done_at: datetime | None = Field(
        None, description="The participant tapped Gedaan (until a newer version sets a status)"
    )


class AnswerOut(BaseModel):
    version: int
    answer: PlanAnswer
    answered_at: datetime
    words: str | None
    flag_id: uuid.UUID | None


class PlanOut(BaseModel):
    version: int
    created_at: datetime
    created_by: uuid.UUID | None
    trajectory_type: TrajectoryType
    objective: str
    start_date: date
    expected_end_date: date
    evaluation_every_weeks: int
    next_evaluation_date: date | None
    change_note: str
    actions: list[PlanActionOut]
    stage: StageIn | None
    rights_duties: str
    answers: list[AnswerOut] = Field(description="The participant's answers to this version")


class PlanVersionSummary(BaseModel):
    version: int
    created_at: datetime
    created_by: uuid.UUID | None
    change_note: str
    answers: list[AnswerOut]


class ChangeOut(BaseModel):
    what: str
    title: str
    before: str
    after: str


class PlanDiffOut(BaseModel):
    from_version: int
    to_version: int
    changes: list[ChangeOut]


class TrajectoryIn(Strict):
    """Only the fields given change. Start a trajectory with type and dates."""

    trajectory_type: TrajectoryType | None = None
    phase: Phase | None = None
    start_date: date | None = None
    expected_end_date: date | None = None
    paused: bool | None = Field(None, description="true: a pause starts; false: it ends")
    pause_date: date | None = Field(None, description="When the pause starts or ends (today)")
    stage_changed_on: date | None = Field(
        None, description="A stage started, or its hours or tasks changed (weekly check-ins)"
    )
    extended_until: date | None = Field(None, description="Exceptional extension past month 18")
    extension_reason: str | None = Field(None, max_length=2000)
    stopped_on: date | None = None
    end_advice: EndAdvice | None = None
    end_advice_text: str | None = Field(None, max_length=2000)
    next_steps: str | None = Field(None, max_length=2000)
    end_advice_discussed_on: date | None = Field(
        None, description="Discussed with the participant: only then the bot shows it"
    )


class PauseOut(BaseModel):
    start: date
    end: date | None


class TrajectoryOut(BaseModel):
    phase: Phase | None
    paused: bool
    trajectory_type: TrajectoryType | None = None
    start_date: date | None = None
    expected_end_date: date | None = None
    latest_end_date: date | None = Field(None, description="18 months, or the extension")
    pauses: list[PauseOut] = Field(default_factory=list)
    extended_until: date | None = None
    extension_reason: str | None = None
    stopped_on: date | None = None
    end_advice: EndAdvice | None = None
    end_advice_text: str | None = None
    next_steps: str | None = None
    end_advice_discussed_on: date | None = None
    aftercare_until: date | None = None
    next_evaluation_date: date | None = None


class DirectoryEntryIn(Strict):
    name: str = Field(min_length=1, max_length=120)
    role: DirectoryRole
    organisation: str = Field("", max_length=120)
    reach: str = Field("", max_length=300, description="When and how to reach them")
    staff_id: uuid.UUID | None = None
    main: bool = False
    backup: bool = False


class DirectoryIn(Strict):
    entries: list[DirectoryEntryIn] = Field(max_length=30)


class DirectoryOut(BaseModel):
    entries: list[DirectoryEntryIn]


class AppointmentIn(Strict):
    starts_at: AwareDatetime
    where: str = Field("", max_length=300)
    with_whom: str = Field("", max_length=200)
    bring: str = Field("", max_length=500, description="What to bring")


class AppointmentOut(BaseModel):
    id: uuid.UUID
    starts_at: datetime
    where: str
    with_whom: str
    bring: str
    created_at: datetime
    cancelled_at: datetime | None
    cant_come_at: datetime | None
