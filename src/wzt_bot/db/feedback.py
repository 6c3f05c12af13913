"""Surveys: the participant's progress, and the anonymous answers (no key in common).

The progress row holds the answers so far only while a sitting is unfinished (encrypted);
when it ends they are written as a `FeedbackResponse` (network, trajectory type, survey,
version, month: nothing that points at a person) and wiped from the progress row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, select

from wzt_bot.db.outreach import _Encrypted
from wzt_bot.db.tables import (
    FeedbackAnswerRow,
    FeedbackResponseRow,
    ParticipantRow,
    SurveyProgressRow,
    TeamRow,
    TrajectoryRow,
)
from wzt_bot.domain.models import FeedbackResponse, SurveyKind, SurveyProgress, SurveyStatus
from wzt_bot.domain.ports import FeedbackAggregates, FeedbackReportFilter
from wzt_bot.domain.services.surveys import UNKNOWN_TYPE


class SqlFeedbackRepository(_Encrypted):
    def _progress(self, r: SurveyProgressRow) -> SurveyProgress:
        draft = self._open(self._draft_context(r.participant_id, r.survey), r.draft_ct, r.key_id)
        return SurveyProgress(
            participant_id=r.participant_id,
            survey=SurveyKind(r.survey),
            survey_version=r.survey_version,
            status=SurveyStatus(r.status),
            offered_on=r.offered_on,
            position=r.position,
            draft=dict(draft.get("answers") or {}),
            draft_text=dict(draft.get("text") or {}),
            share_text=r.share_text,
            updated_on=r.updated_on,
        )

    @staticmethod
    def _draft_context(participant_id: uuid.UUID, survey: str) -> uuid.UUID:
        """The encryption context of a draft: bound to its participant and survey."""
        return uuid.uuid5(participant_id, survey)

    async def progress(
        self, participant_id: uuid.UUID, survey: SurveyKind
    ) -> SurveyProgress | None:
        row = await self.s.get(
            SurveyProgressRow, (participant_id, survey.value), populate_existing=True
        )
        return self._progress(row) if row else None

    async def progress_for(self, participant_id: uuid.UUID) -> Sequence[SurveyProgress]:
        rows = await self.s.scalars(
            select(SurveyProgressRow).where(SurveyProgressRow.participant_id == participant_id)
        )
        return [self._progress(r) for r in rows]

    async def progress_with(
        self, statuses: Sequence[SurveyStatus], offered_before: date, limit: int
    ) -> Sequence[SurveyProgress]:
        p = SurveyProgressRow
        rows = await self.s.scalars(
            select(p)
            .where(p.status.in_([s.value for s in statuses]), p.offered_on < offered_before)
            .order_by(p.offered_on, p.participant_id, p.survey)
            .limit(limit)
        )
        return [self._progress(r) for r in rows]

    async def save_progress(self, progress: SurveyProgress) -> None:
        ct: bytes | None = None
        key_id: str | None = None
        if progress.draft or progress.draft_text:
            ct, key_id = self._seal(
                self._draft_context(progress.participant_id, progress.survey.value),
                {"answers": progress.draft, "text": progress.draft_text},
            )
        row = await self.s.get(SurveyProgressRow, (progress.participant_id, progress.survey.value))
        if row is None:
            row = SurveyProgressRow(participant_id=progress.participant_id, survey=progress.survey)
            self.s.add(row)
        row.survey = progress.survey.value
        row.survey_version = progress.survey_version
        row.status = progress.status.value
        row.offered_on = progress.offered_on
        row.updated_on = progress.updated_on
        row.position = progress.position
        row.share_text = progress.share_text
        row.draft_ct, row.key_id = ct, key_id
        await self.s.flush()

    async def add_response(self, response: FeedbackResponse) -> None:
        self.s.add(
            FeedbackResponseRow(
                id=response.id,
                network_id=response.network_id,
                trajectory_type=response.trajectory_type,
                survey=response.survey.value,
                survey_version=response.survey_version,
                month=response.month.replace(day=1),
                completed=response.completed,
                stopped_after=response.stopped_after,
                share_text=response.share_text,
            )
        )
        await self.s.flush()  # the answers refer to it
        words = response.free_text if response.share_text else {}
        for question_id in sorted(set(response.answers) | set(words)):
            text = words.get(question_id)
            ct, key_id = (
                self._seal(uuid.uuid5(response.id, question_id), {"text": text})
                if text
                else (None, None)
            )
            self.s.add(
                FeedbackAnswerRow(
                    response_id=response.id,
                    question_id=question_id,
                    value=response.answers.get(question_id),
                    text_ct=ct,
                    key_id=key_id,
                )
            )
        await self.s.flush()

    async def delete_response(self, response_id: uuid.UUID) -> None:
        """For tests and the operator: a response and its answers."""
        await self.s.execute(
            delete(FeedbackAnswerRow).where(FeedbackAnswerRow.response_id == response_id)
        )
        await self.s.execute(
            delete(FeedbackResponseRow).where(FeedbackResponseRow.id == response_id)
        )

    async def aggregates(self, where: FeedbackReportFilter) -> FeedbackAggregates:
        r, a = FeedbackResponseRow, FeedbackAnswerRow
        conds = [
            r.network_id == where.network_id,
            r.month >= where.first_month,
            r.month <= where.last_month,
        ]
        if where.survey is not None:
            conds.append(r.survey == where.survey.value)
        if where.trajectory_type is not None:
            conds.append(r.trajectory_type == where.trajectory_type)
        n = func.count()
        answers: dict[tuple[str, int, str, str], int] = {}
        respondents: dict[tuple[str, int, str], int] = {}
        rows = await self.s.execute(
            select(r.survey, r.survey_version, a.question_id, a.value, n)
            .join(a, a.response_id == r.id)
            .where(*conds)
            .group_by(r.survey, r.survey_version, a.question_id, a.value)
        )
        for survey, version_, question, value, count in rows:
            key = (survey, version_, question)
            respondents[key] = respondents.get(key, 0) + count
            if value is not None:
                answers[(survey, version_, question, value)] = count
        months = {
            (survey, version_, month): count
            for survey, version_, month, count in await self.s.execute(
                select(r.survey, r.survey_version, r.month, n)
                .where(*conds)
                .group_by(r.survey, r.survey_version, r.month)
            )
        }
        stopped = {
            (survey, version_, question): count
            for survey, version_, question, count in await self.s.execute(
                select(r.survey, r.survey_version, r.stopped_after, n)
                .where(*conds, r.completed.is_(False), r.stopped_after.is_not(None))
                .group_by(r.survey, r.survey_version, r.stopped_after)
            )
        }
        p = SurveyProgressRow
        offer_conds = [
            TeamRow.network_id == where.network_id,
            # offered for real: not the ones still to come, nor those never sent
            p.status.not_in([SurveyStatus.SCHEDULED.value, SurveyStatus.SKIPPED.value]),
            p.offered_on >= where.first_month,
            p.offered_on < _next_month(where.last_month),
        ]
        if where.survey is not None:
            offer_conds.append(p.survey == where.survey.value)
        offered = (
            select(p.survey, n)
            .join(ParticipantRow, ParticipantRow.id == p.participant_id)
            .join(TeamRow, TeamRow.id == ParticipantRow.team_id)
        )
        if where.trajectory_type is not None:
            # the same filter as the answers: the trajectory type now, "onbekend" without one
            offered = offered.outerjoin(
                TrajectoryRow, TrajectoryRow.participant_id == p.participant_id
            )
            offer_conds.append(
                func.coalesce(TrajectoryRow.type, UNKNOWN_TYPE) == where.trajectory_type
            )
        offer_rows = await self.s.execute(offered.where(*offer_conds).group_by(p.survey))
        offers: dict[str, int] = {}
        for survey, count in offer_rows:
            offers[survey] = count
        texts: dict[tuple[str, int, str], list[str]] = {}
        for rid, survey, version_, question, ct, key_id in await self.s.execute(
            select(r.id, r.survey, r.survey_version, a.question_id, a.text_ct, a.key_id)
            .join(a, a.response_id == r.id)
            .where(*conds, r.share_text.is_(True), a.text_ct.is_not(None))
            .order_by(a.question_id, r.id)
        ):
            if key_id is None:
                continue
            words = self.open_text(rid, question, ct, key_id)
            if words:
                texts.setdefault((survey, version_, question), []).append(words)
        return FeedbackAggregates(answers, respondents, months, stopped, offers, texts)

    def open_text(self, response_id: uuid.UUID, question_id: str, ct: bytes, key_id: str) -> str:
        """Decrypt one shared free-text answer (for reports)."""
        return str(self._open(uuid.uuid5(response_id, question_id), ct, key_id).get("text") or "")


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)
