"""Survey storage: drafts encrypted and bound to their participant, anonymous answers with
no key in common with the participant's side."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import FeedbackAnswerRow, FeedbackResponseRow, SurveyProgressRow
from wzt_bot.domain.models import FeedbackResponse, SurveyKind, SurveyProgress, SurveyStatus
from wzt_bot.wiring import Container

WORDS = "Mijn begeleider An luisterde echt naar mij"


async def test_progress_and_anonymous_response_round_trip(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=9301)
    async with container.uow_factory() as uow:
        await uow.feedback.save_progress(
            SurveyProgress(
                participant_id=sam.participant.id,
                survey=SurveyKind.END,
                survey_version=1,
                status=SurveyStatus.IN_PROGRESS,
                offered_on=date(2026, 12, 4),
                position=2,
                draft={"goal": "grotendeels"},
                draft_text={"keep_change": WORDS},
            )
        )
        await uow.commit()
    async with container.uow_factory() as uow:
        progress = await uow.feedback.progress(sam.participant.id, SurveyKind.END)
        assert progress is not None and progress.draft == {"goal": "grotendeels"}
        assert progress.draft_text == {"keep_change": WORDS} and progress.position == 2
        row = await uow.session.get(SurveyProgressRow, (sam.participant.id, "end"))
        assert row is not None and row.draft_ct is not None and WORDS.encode() not in row.draft_ct
        # the sitting ends: answers go anonymous, the draft is wiped
        response = FeedbackResponse(
            id=uuid.uuid4(),
            network_id=(await uow.teams.get(sam.team_id)).network_id,  # type: ignore[union-attr]
            trajectory_type="activeringstraject",
            survey=SurveyKind.END,
            survey_version=1,
            month=date(2026, 12, 17),
            answers={"goal": "grotendeels", "overall": "4"},
            free_text={"keep_change": WORDS},
            share_text=True,
            completed=True,
        )
        await uow.feedback.add_response(response)
        progress.status, progress.draft, progress.draft_text = SurveyStatus.DONE, {}, {}
        await uow.feedback.save_progress(progress)
        await uow.commit()
    async with container.uow_factory() as uow:
        row = await uow.session.get(
            SurveyProgressRow, (sam.participant.id, "end"), populate_existing=True
        )
        assert row is not None and row.draft_ct is None and row.status == "done"
        stored = await uow.session.get(FeedbackResponseRow, response.id)
        assert stored is not None and stored.month == date(2026, 12, 1)
        answers = (
            await uow.session.scalars(
                select(FeedbackAnswerRow).where(FeedbackAnswerRow.response_id == response.id)
            )
        ).all()
        assert {a.question_id: a.value for a in answers} == {
            "goal": "grotendeels",
            "overall": "4",
            "keep_change": None,
        }
        shared = next(a for a in answers if a.question_id == "keep_change")
        assert shared.text_ct is not None and WORDS.encode() not in shared.text_ct
        assert shared.key_id is not None
        assert (
            uow.feedback.open_text(response.id, "keep_change", shared.text_ct, shared.key_id)
            == WORDS
        )


def test_anonymous_tables_have_no_column_pointing_at_a_person() -> None:
    for table in (FeedbackResponseRow.__table__, FeedbackAnswerRow.__table__):
        columns = {c.name for c in sa_inspect(table).columns}
        assert not columns & {"participant_id", "team_id", "chat_id", "staff_id", "created_at"}
        targets = {fk.column.table.name for fk in sa_inspect(table).foreign_keys}
        assert targets <= {"networks", "feedback_responses"}


async def test_words_not_shared_are_not_kept(container: Container) -> None:
    network_id = None
    clock = FrozenClock(datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=9302)
    async with container.uow_factory() as uow:
        team = await uow.teams.get(sam.team_id)
        assert team is not None
        network_id = team.network_id
        response = FeedbackResponse(
            id=uuid.uuid4(),
            network_id=network_id,
            trajectory_type="onbekend",
            survey=SurveyKind.START,
            survey_version=1,
            month=date(2026, 12, 1),
            answers={"clear": "ja"},
            free_text={"keep_change": WORDS},
            share_text=False,
            completed=False,
            stopped_after="clear",
        )
        await uow.feedback.add_response(response)
        await uow.commit()
    async with container.uow_factory() as uow:
        answers = (
            await uow.session.scalars(
                select(FeedbackAnswerRow).where(FeedbackAnswerRow.response_id == response.id)
            )
        ).all()
        assert [(a.question_id, a.text_ct) for a in answers] == [("clear", None)]
