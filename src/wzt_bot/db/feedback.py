"""Surveys: the participant's progress, and the anonymous answers (no key in common).

The progress row holds the answers so far only while a sitting is unfinished (encrypted);
when it ends they are written as a `FeedbackResponse` (network, trajectory type, survey,
version, month: nothing that points at a person) and wiped from the progress row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select

from wzt_bot.db.outreach import _Encrypted
from wzt_bot.db.tables import FeedbackAnswerRow, FeedbackResponseRow, SurveyProgressRow
from wzt_bot.domain.models import FeedbackResponse, SurveyKind, SurveyProgress, SurveyStatus


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

    def open_text(self, response_id: uuid.UUID, question_id: str, ct: bytes, key_id: str) -> str:
        """Decrypt one shared free-text answer (for reports)."""
        return str(self._open(uuid.uuid5(response_id, question_id), ct, key_id).get("text") or "")
