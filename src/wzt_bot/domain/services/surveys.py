"""Feedback surveys, the participant's side: offers, answers, pause and resume, the end.

A survey is offered at a moment in the trajectory (the start pulse after the first plan is
acknowledged, the stage pulse a month into the first stage, the end survey at the eindadvies,
follow-ups 3, 6 and 12 months after it) and any time the participant wants ("Ik wil anoniem
feedback geven"). Every survey is optional and can be paused.

While a sitting runs, the answers so far sit encrypted on the participant's progress row.
When it ends (done, or left unfinished for `EXPIRE_AFTER`) they are written as one anonymous
`FeedbackResponse` (network, trajectory type, survey, version, month) and wiped from the
progress row: from then on nothing links them to the person. Nothing here writes the
answers to the audit log, the flags or the logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from wzt_bot.domain import surveys as catalog
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import (
    FeedbackResponse,
    Participant,
    SurveyKind,
    SurveyProgress,
    SurveyStatus,
    new_id,
)
from wzt_bot.domain.policies import trajectory as rules
from wzt_bot.domain.ports import Clock, UnitOfWork
from wzt_bot.domain.services import checkins, outbox

#: An unfinished sitting ends this long after the offer; what was answered goes anonymous.
EXPIRE_AFTER = timedelta(days=30)
#: The stage pulse comes a month after the first stage started.
STAGE_AFTER = timedelta(days=30)
FOLLOW_UPS = ((SurveyKind.FOLLOW_3, 3), (SurveyKind.FOLLOW_6, 6), (SurveyKind.FOLLOW_12, 12))
MAX_WORDS = 4096  # Telegram's own limit: a participant's words are never cut
UNKNOWN_TYPE = "onbekend"

#: A sitting the participant can take up (again).
OPEN = (SurveyStatus.OFFERED, SurveyStatus.IN_PROGRESS, SurveyStatus.PAUSED)
#: The order /feedback picks an open survey in: the one already begun first.
_PICK = {SurveyStatus.IN_PROGRESS: 0, SurveyStatus.PAUSED: 1, SurveyStatus.OFFERED: 2}


def _today(clock: Clock, tz: tzinfo) -> date:
    return clock.now().astimezone(tz).date()


# --- offers -------------------------------------------------------------------------------


async def schedule(uow: UnitOfWork, participant: Participant, kind: SurveyKind, due: date) -> bool:
    """Offer `kind` on `due` (the daily tick sends it). Once per participant and survey:
    False when it was scheduled, offered or answered before."""
    if await uow.feedback.progress(participant.id, kind) is not None:
        return False
    await uow.feedback.save_progress(
        SurveyProgress(
            participant_id=participant.id,
            survey=kind,
            survey_version=catalog.current(kind).version,
            status=SurveyStatus.SCHEDULED,
            offered_on=due,
        )
    )
    return True


async def plan_acknowledged(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, participant: Participant
) -> bool:
    """The first plan answered with Akkoord: the start pulse, the (local) day after."""
    due = _today(clock, tz) + timedelta(days=1)
    return await schedule(uow, participant, SurveyKind.START, due)


async def stage_started(uow: UnitOfWork, participant: Participant, on: date) -> bool:
    """A stage started on `on`: the stage pulse a month later (the first stage only)."""
    return await schedule(uow, participant, SurveyKind.STAGE, on + STAGE_AFTER)


async def trajectory_ended(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, participant: Participant
) -> int:
    """The eindadvies was discussed: the end survey the next day (after the advice itself),
    then the follow-ups 3, 6 and 12 months later."""
    today = _today(clock, tz)
    planned = int(await schedule(uow, participant, SurveyKind.END, today + timedelta(days=1)))
    for kind, months in FOLLOW_UPS:
        planned += await schedule(uow, participant, kind, rules.add_months(today, months))
    return planned


@dataclass(slots=True)
class SurveyTickReport:
    offered: int = 0
    skipped: int = 0
    expired: int = 0
    looked_at: int = 0  # the most rows one lookup returned (batching)


async def tick(uow: UnitOfWork, clock: Clock, tz: tzinfo, *, limit: int = 500) -> SurveyTickReport:
    """Send the offers that are due; end the sittings left unfinished for `EXPIRE_AFTER`."""
    report = SurveyTickReport()
    today = _today(clock, tz)
    due = await uow.feedback.progress_with(
        [SurveyStatus.SCHEDULED], today + timedelta(days=1), limit
    )
    report.looked_at = len(due)
    rules_ = checkins.RulesCache(uow)
    for progress in due:
        participant = await uow.participants.get(progress.participant_id)
        if participant is None or not checkins.may_receive(participant):
            # After /stop or without consent for messages: not asked, never chased.
            progress.status = SurveyStatus.SKIPPED
            await uow.feedback.save_progress(progress)
            report.skipped += 1
            continue
        quiet = checkins.quiet_payload(await rules_.for_team(participant.team_id), tz)
        await outbox.to_participant(
            uow,
            clock,
            participant,
            key=f"survey:{progress.survey.value}:{participant.id.hex}",
            kind="survey_offer",
            payload={"survey": progress.survey.value} | quiet,
        )
        progress.status = SurveyStatus.OFFERED
        progress.offered_on = today
        progress.survey_version = catalog.current(progress.survey).version
        await uow.feedback.save_progress(progress)
        report.offered += 1
    stale = await uow.feedback.progress_with(list(OPEN), today - EXPIRE_AFTER + timedelta(1), limit)
    report.looked_at = max(report.looked_at, len(stale))
    for progress in stale:
        await _end(uow, clock, tz, progress, SurveyStatus.EXPIRED)
        report.expired += 1
    return report


# --- the sitting --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sitting:
    """Where the participant is in one survey (what the dialog shows)."""

    progress: SurveyProgress
    survey: catalog.Survey

    @property
    def question(self) -> catalog.Question | None:
        """The next question, None when every question was seen."""
        questions = self.survey.questions
        return (
            questions[self.progress.position] if self.progress.position < len(questions) else None
        )

    @property
    def number(self) -> int:
        return min(self.progress.position + 1, len(self.survey.questions))

    @property
    def total(self) -> int:
        return len(self.survey.questions)

    @property
    def has_words(self) -> bool:
        return bool(self.progress.draft_text)


def _sitting(progress: SurveyProgress) -> Sitting:
    survey = catalog.version(progress.survey, progress.survey_version) or catalog.current(
        progress.survey
    )
    return Sitting(progress, survey)


async def pick(uow: UnitOfWork, participant: Participant) -> SurveyKind:
    """For /feedback: the open survey begun or offered most recently, else anytime."""
    rows = [p for p in await uow.feedback.progress_for(participant.id) if p.status in OPEN]
    if not rows:
        return SurveyKind.ANYTIME
    rows.sort(key=lambda p: (_PICK[p.status], -p.offered_on.toordinal()))
    return rows[0].survey


async def current(uow: UnitOfWork, participant: Participant, kind: SurveyKind) -> Sitting:
    """The sitting as it stands; NOT_FOUND when it is not open (done, declined, expired)."""
    progress = await uow.feedback.progress(participant.id, kind)
    if progress is None or progress.status not in OPEN:
        raise DomainError(ErrorCode.NOT_FOUND, entity="survey")
    return _sitting(progress)


async def begin(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, participant: Participant, kind: SurveyKind
) -> Sitting:
    """Start or resume. The anytime survey can be taken again and again; the others once
    (an offered survey not taken up closes after `EXPIRE_AFTER`)."""
    today = _today(clock, tz)
    progress = await uow.feedback.progress(participant.id, kind)
    if progress is None or progress.status not in OPEN:
        if kind is not SurveyKind.ANYTIME:
            raise DomainError(ErrorCode.NOT_FOUND, entity="survey")
        progress = SurveyProgress(
            participant_id=participant.id,
            survey=kind,
            survey_version=catalog.current(kind).version,
            status=SurveyStatus.IN_PROGRESS,
            offered_on=today,
        )
    progress.status = SurveyStatus.IN_PROGRESS
    progress.updated_on = today
    await uow.feedback.save_progress(progress)
    return _sitting(progress)


async def _running(uow: UnitOfWork, participant: Participant, kind: SurveyKind) -> Sitting:
    progress = await uow.feedback.progress(participant.id, kind)
    if progress is None or progress.status is not SurveyStatus.IN_PROGRESS:
        raise DomainError(ErrorCode.NOT_FOUND, entity="survey")
    return _sitting(progress)


def _at(sitting: Sitting, question_id: str) -> catalog.Question:
    """The question the participant answers must be the one asked now (an old button from an
    earlier question, or a forged one, changes nothing)."""
    question = sitting.question
    if question is None or question.id != question_id:
        raise DomainError(ErrorCode.CONFLICT, entity="survey question")
    return question


async def answer(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    kind: SurveyKind,
    question_id: str,
    code: str,
) -> Sitting:
    """A button answer to the current question; on to the next."""
    sitting = await _running(uow, participant, kind)
    question = _at(sitting, question_id)
    if question.option(code) is None:
        raise DomainError(ErrorCode.INVALID, field="answer", reason="not an option")
    progress = sitting.progress
    progress.draft[question.id] = code
    progress.position += 1
    progress.updated_on = _today(clock, tz)
    await uow.feedback.save_progress(progress)
    return sitting


async def skip(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    kind: SurveyKind,
    question_id: str,
) -> Sitting:
    """No answer to this question: that is fine, on to the next."""
    sitting = await _running(uow, participant, kind)
    _at(sitting, question_id)
    sitting.progress.position += 1
    sitting.progress.updated_on = _today(clock, tz)
    await uow.feedback.save_progress(sitting.progress)
    return sitting


async def words(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    kind: SurveyKind,
    question_id: str,
    text: str,
) -> Sitting:
    """The participant's own words: the answer to an open question (then on to the next),
    or the optional "why" after a button answer (the question just answered)."""
    sitting = await _running(uow, participant, kind)
    progress = sitting.progress
    text = text.strip()[:MAX_WORDS]
    current_q = sitting.question
    if current_q is not None and current_q.id == question_id and current_q.open:
        if text:
            progress.draft_text[question_id] = text
        progress.position += 1
    else:
        answered = sitting.survey.questions[: progress.position]
        target = next((q for q in answered if q.id == question_id), None)
        if target is None or target.follow_up is None:
            raise DomainError(ErrorCode.CONFLICT, entity="survey question")
        if text:
            progress.draft_text[question_id] = text
    progress.updated_on = _today(clock, tz)
    await uow.feedback.save_progress(progress)
    return sitting


async def pause(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, participant: Participant, kind: SurveyKind
) -> None:
    """ "Later verder": resumes where it stopped (until it expires)."""
    progress = await uow.feedback.progress(participant.id, kind)
    if progress is None or progress.status not in OPEN:
        return
    progress.status = SurveyStatus.PAUSED
    progress.updated_on = _today(clock, tz)
    await uow.feedback.save_progress(progress)


async def decline(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, participant: Participant, kind: SurveyKind
) -> None:
    """ "Nee, dank je": not asked again. Anything answered already is kept (anonymously)."""
    progress = await uow.feedback.progress(participant.id, kind)
    if progress is None or progress.status not in (*OPEN, SurveyStatus.SCHEDULED):
        return
    if progress.draft or progress.draft_text:
        await _end(uow, clock, tz, progress, SurveyStatus.DECLINED)
        return
    progress.status = SurveyStatus.DECLINED
    progress.updated_on = None
    await uow.feedback.save_progress(progress)


async def finish(
    uow: UnitOfWork,
    clock: Clock,
    tz: tzinfo,
    participant: Participant,
    kind: SurveyKind,
    *,
    share_words: bool,
) -> None:
    """Every question seen: the answers go to the anonymous tables. The participant's own
    words are kept only when they agreed to share them (masked in reports)."""
    sitting = await _running(uow, participant, kind)
    sitting.progress.share_text = share_words and sitting.has_words
    await _end(uow, clock, tz, sitting.progress, SurveyStatus.DONE)


async def _end(
    uow: UnitOfWork, clock: Clock, tz: tzinfo, progress: SurveyProgress, status: SurveyStatus
) -> None:
    """Write what was answered as one anonymous response, and wipe it from the progress
    row. An expired or declined sitting keeps no words (no one agreed to share them)."""
    sitting = _sitting(progress)
    done = status is SurveyStatus.DONE
    if progress.draft or progress.draft_text:
        participant = await uow.participants.get(progress.participant_id)
        team = await uow.teams.get(participant.team_id) if participant else None
        if team is not None:
            trajectory = await uow.plans.trajectory(progress.participant_id)
            answered = [q.id for q in sitting.survey.questions if q.id in progress.draft]
            share = done and progress.share_text
            await uow.feedback.add_response(
                FeedbackResponse(
                    id=new_id(),
                    network_id=team.network_id,
                    trajectory_type=trajectory.type.value if trajectory else UNKNOWN_TYPE,
                    survey=progress.survey,
                    survey_version=sitting.survey.version,
                    month=_today(clock, tz).replace(day=1),
                    answers=dict(progress.draft),
                    free_text=dict(progress.draft_text) if share else {},
                    share_text=share,
                    completed=done and progress.position >= len(sitting.survey.questions),
                    stopped_after=None if done else (answered[-1] if answered else None),
                )
            )
    progress.status = status
    progress.draft, progress.draft_text = {}, {}
    progress.share_text = False
    progress.position = 0
    progress.updated_on = None  # no date to line up with the month of a response
    await uow.feedback.save_progress(progress)
