"""Feedback surveys on both databases: when they are offered, expiry, answers checked against
the question asked, and a look at the raw database: nothing links an answer to a person."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import Base, FeedbackResponseRow, OutboxRow, SurveyProgressRow
from wzt_bot.domain import surveys as catalog
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import EndAdvice, SurveyKind, TrajectoryType
from wzt_bot.domain.ports import FeedbackReportFilter
from wzt_bot.domain.services import plan as plan_svc
from wzt_bot.domain.services import surveys
from wzt_bot.domain.services.onboarding import set_proactive_paused
from wzt_bot.scheduler.jobs import outreach_tick
from wzt_bot.wiring import Container

BRU = ZoneInfo("Europe/Brussels")
WORDS = "Mijn begeleider Jan Peeters belt me te weinig terug"


async def _statuses(container: Container) -> dict[tuple[Any, str], tuple[str, date]]:
    async with container.engine.connect() as connection:
        rows = await connection.execute(
            select(
                SurveyProgressRow.participant_id,
                SurveyProgressRow.survey,
                SurveyProgressRow.status,
                SurveyProgressRow.offered_on,
            )
        )
        return {(pid, survey): (status, on) for pid, survey, status, on in rows}


async def test_the_eindadvies_schedules_the_end_survey_and_the_follow_ups(
    container: Container,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, user_id=9401)
    async with container.uow_factory() as uow:
        for change in (
            plan_svc.TrajectoryChange(
                trajectory_type=TrajectoryType.ACTIVERINGSTRAJECT,
                start_date=date(2026, 1, 5),
                expected_end_date=date(2026, 12, 31),
                given=frozenset({"trajectory_type", "start_date", "expected_end_date"}),
            ),
            plan_svc.TrajectoryChange(
                stage_changed_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
                given=frozenset({"stage_changed_at"}),
            ),
            plan_svc.TrajectoryChange(
                stage_changed_at=datetime(2026, 5, 4, 9, 0, tzinfo=UTC),  # hours changed
                given=frozenset({"stage_changed_at"}),
            ),
            plan_svc.TrajectoryChange(
                end_advice=EndAdvice.BETAALD_WERK,
                end_advice_text="Je bent klaar voor betaald werk in een keuken.",
                end_advice_discussed_on=date(2026, 11, 23),
                given=frozenset({"end_advice", "end_advice_text", "end_advice_discussed_on"}),
            ),
        ):
            await plan_svc.update_trajectory(uow, clock, BRU, sam.staff, sam.participant.id, change)
        await uow.commit()
    pid = sam.participant.id
    assert await _statuses(container) == {
        (pid, "stage"): ("scheduled", date(2026, 4, 1)),  # a month into the first stage
        (pid, "end"): ("scheduled", date(2026, 11, 24)),  # the day after the eindadvies
        (pid, "follow_3"): ("scheduled", date(2027, 2, 23)),
        (pid, "follow_6"): ("scheduled", date(2027, 5, 23)),
        (pid, "follow_12"): ("scheduled", date(2027, 11, 23)),
    }
    # The daily tick offers what is due (the stage pulse is long past; it still goes once).
    clock.advance(timedelta(days=1))
    first = await outreach_tick(container.uow_factory, clock, BRU)
    again = await outreach_tick(container.uow_factory, clock, BRU)
    assert (first.survey_offers, again.survey_offers) == (2, 0)
    async with container.engine.connect() as connection:
        offers = sorted(
            (
                await connection.execute(
                    select(OutboxRow.key).where(OutboxRow.kind == "survey_offer")
                )
            ).scalars()
        )
    assert offers == [f"survey:end:{pid.hex}", f"survey:stage:{pid.hex}"]
    statuses = await _statuses(container)
    assert statuses[(pid, "end")] == ("offered", date(2026, 11, 24))
    assert statuses[(pid, "follow_3")][0] == "scheduled"


async def test_no_offer_after_stop_and_unfinished_sittings_expire(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, user_id=9402)
    kim = await linked_participant(container, clock, user_id=9403, team_id=sam.team_id)
    async with container.uow_factory() as uow:
        for who in (sam, kim):
            await surveys.plan_acknowledged(uow, clock, BRU, who.participant)
        await set_proactive_paused(uow, clock, kim.participant, paused=True)  # /stop
        await uow.commit()
    clock.advance(timedelta(days=1))
    report = await outreach_tick(container.uow_factory, clock, BRU)
    assert report.survey_offers == 1
    statuses = await _statuses(container)
    assert statuses[(kim.participant.id, "start")][0] == "skipped"
    # Sam answers one question and leaves it; a month later it ends, what was said counts.
    async with container.uow_factory() as uow:
        await surveys.begin(uow, clock, BRU, sam.participant, SurveyKind.START)
        await surveys.answer(
            uow, clock, BRU, sam.participant, SurveyKind.START, "start_overall", "2"
        )
        await uow.commit()
    clock.advance(timedelta(days=29))
    assert (await outreach_tick(container.uow_factory, clock, BRU)).surveys_expired == 0
    clock.advance(timedelta(days=1))
    assert (await outreach_tick(container.uow_factory, clock, BRU)).surveys_expired == 1
    async with container.engine.connect() as connection:
        (response,) = list(await connection.execute(select(FeedbackResponseRow.__table__)))
        progress = (
            await connection.execute(
                select(SurveyProgressRow.__table__).where(
                    SurveyProgressRow.participant_id == sam.participant.id
                )
            )
        ).one()
    assert (response.completed, response.stopped_after) == (False, "start_overall")
    assert progress.status == "expired" and progress.draft_ct is None
    # An expired survey cannot be taken up again; anonymous feedback always can.
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError) as gone:
            await surveys.begin(uow, clock, BRU, sam.participant, SurveyKind.START)
        assert gone.value.code is ErrorCode.NOT_FOUND
        assert await surveys.pick(uow, sam.participant) is SurveyKind.ANYTIME


async def test_answers_only_to_the_question_asked_and_only_its_options(
    container: Container,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, user_id=9404)
    end = catalog.current(SurveyKind.END)
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError):  # not begun
            await surveys.answer(uow, clock, BRU, sam.participant, SurveyKind.END, "overall", "5")
        await surveys.trajectory_ended(uow, clock, BRU, sam.participant)
        clock.advance(timedelta(days=1))
        await surveys.tick(uow, clock, BRU)
        assert await surveys.pick(uow, sam.participant) is SurveyKind.END
        sitting = await surveys.begin(uow, clock, BRU, sam.participant, SurveyKind.END)
        assert sitting.question == end.questions[0] and sitting.total == len(end.questions)
        with pytest.raises(DomainError) as later:  # a question further on: an old/forged button
            await surveys.answer(uow, clock, BRU, sam.participant, SurveyKind.END, "overall", "5")
        assert later.value.code is ErrorCode.CONFLICT
        with pytest.raises(DomainError) as bad:
            await surveys.answer(
                uow, clock, BRU, sam.participant, SurveyKind.END, "goal_reached", "5"
            )
        assert bad.value.code is ErrorCode.INVALID
        await surveys.answer(
            uow, clock, BRU, sam.participant, SurveyKind.END, "goal_reached", "largely"
        )
        with pytest.raises(DomainError):  # words for a question without a "why"
            await surveys.words(uow, clock, BRU, sam.participant, SurveyKind.END, "overall", "x")
        await surveys.words(uow, clock, BRU, sam.participant, SurveyKind.END, "goal_reached", WORDS)
        for question in end.questions[1:]:
            if question.open:
                await surveys.words(
                    uow, clock, BRU, sam.participant, SurveyKind.END, question.id, WORDS
                )
            else:
                code = question.options[0].code
                await surveys.answer(
                    uow, clock, BRU, sam.participant, SurveyKind.END, question.id, code
                )
        done = await surveys.current(uow, sam.participant, SurveyKind.END)
        assert done.question is None and done.has_words
        await surveys.finish(uow, clock, BRU, sam.participant, SurveyKind.END, share_words=True)
        await uow.commit()
        with pytest.raises(DomainError):  # once
            await surveys.begin(uow, clock, BRU, sam.participant, SurveyKind.END)


async def _all_values(container: Container) -> dict[str, list[tuple[Any, ...]]]:
    async with container.engine.connect() as connection:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in Base.metadata.sorted_tables:
            out[table.name] = [tuple(r) for r in await connection.execute(select(table))]
        return out


async def test_anonymous_answers_cannot_be_linked_back(container: Container) -> None:
    """Two people answer the end survey differently. Reading every table of the database,
    nothing ties an answer (or the response it belongs to) to either of them."""
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam Janssens", user_id=9405)
    kim = await linked_participant(
        container, clock, name="Kim Peeters", user_id=9406, team_id=sam.team_id
    )
    end = catalog.current(SurveyKind.END)
    async with container.uow_factory() as uow:
        for who in (sam, kim):
            await surveys.trajectory_ended(uow, clock, BRU, who.participant)
        await uow.commit()
    clock.advance(timedelta(days=1))
    async with container.uow_factory() as uow:
        await surveys.tick(uow, clock, BRU)
        await uow.commit()
    for who, pick in ((sam, 0), (kim, 1)):
        clock.advance(timedelta(hours=3))
        async with container.uow_factory() as uow:
            await surveys.begin(uow, clock, BRU, who.participant, SurveyKind.END)
            for question in end.questions:
                if question.open:
                    await surveys.words(
                        uow, clock, BRU, who.participant, SurveyKind.END, question.id, WORDS
                    )
                    continue
                option = question.options[min(pick, len(question.options) - 1)]
                await surveys.answer(
                    uow, clock, BRU, who.participant, SurveyKind.END, question.id, option.code
                )
            await surveys.finish(
                uow, clock, BRU, who.participant, SurveyKind.END, share_words=pick == 0
            )
            await uow.commit()

    tables = await _all_values(container)
    responses = tables["feedback_responses"]
    assert len(responses) == 2
    response_ids = {r[0] for r in responses}
    people = {sam.participant.id, kim.participant.id}
    person_values: set[Any] = set(people) | {sam.chat_id, kim.chat_id, sam.team_id}
    person_values |= {str(p) for p in people} | {p.hex for p in people}
    for name in ("feedback_responses", "feedback_answers"):
        for row in tables[name]:
            assert not person_values & set(row), (name, row)
            assert not any(isinstance(v, datetime) for v in row), (name, row)  # no time
    for name, rows in tables.items():
        if name in ("feedback_responses", "feedback_answers"):
            continue
        for row in rows:
            flat = set(row) | {str(v) for v in row if v is not None}
            assert not {*response_ids, *(str(i) for i in response_ids)} & flat, (name, row)
            text_values = " ".join(str(v) for v in row if isinstance(v, str))
            assert WORDS not in text_values, (name, row)  # words only encrypted
    # The participants' side keeps that they took part, not what they said or when exactly.
    async with container.engine.connect() as connection:
        ends = (
            await connection.execute(
                select(
                    SurveyProgressRow.status,
                    SurveyProgressRow.draft_ct,
                    SurveyProgressRow.updated_on,
                ).where(SurveyProgressRow.survey == "end")
            )
        ).all()
        assert [tuple(r) for r in ends] == [("done", None, None), ("done", None, None)]
        # The answers themselves are not in the audit log, the flags or the outbox.
        audited = (
            await connection.execute(
                text("SELECT count(*) FROM audit_log WHERE action LIKE '%survey%'")
            )
        ).scalar_one()
        assert audited == 0
    # Only Sam agreed to share words: one open answer kept (encrypted), Kim's not at all.
    async with container.engine.connect() as connection:
        shared = (
            await connection.execute(
                text("SELECT count(*) FROM feedback_answers WHERE text_ct IS NOT NULL")
            )
        ).scalar_one()
        by_share = sorted(
            tuple(r)
            for r in await connection.execute(
                select(FeedbackResponseRow.share_text, FeedbackResponseRow.completed)
            )
        )
    assert shared == 1
    assert by_share == [(False, True), (True, True)]


async def test_offers_follow_the_trajectory_filter_of_a_report(container: Container) -> None:
    """The response rate with a trajectory type: offers counted for that type only."""
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, user_id=9407)
    kim = await linked_participant(container, clock, user_id=9408, team_id=sam.team_id)
    noor = await linked_participant(container, clock, user_id=9409, team_id=sam.team_id)
    async with container.uow_factory() as uow:
        for who, kind in (
            (sam, TrajectoryType.ACTIVERINGSTRAJECT),
            (kim, TrajectoryType.AA_WELZIJN),
        ):
            await plan_svc.update_trajectory(
                uow,
                clock,
                BRU,
                who.staff,
                who.participant.id,
                plan_svc.TrajectoryChange(
                    trajectory_type=kind,
                    start_date=date(2026, 11, 2),
                    expected_end_date=date(2027, 6, 30),
                    given=frozenset({"trajectory_type", "start_date", "expected_end_date"}),
                ),
            )
        for who in (sam, kim, noor):
            await surveys.plan_acknowledged(uow, clock, BRU, who.participant)
        await uow.commit()
    clock.advance(timedelta(days=1))
    await outreach_tick(container.uow_factory, clock, BRU)
    async with container.uow_factory() as uow:
        team = await uow.teams.get(sam.team_id)
        assert team is not None
        month = date(2026, 11, 1)

        async def offers(trajectory_type: str | None) -> int:
            found = await uow.feedback.aggregates(
                FeedbackReportFilter(
                    network_id=team.network_id,
                    first_month=month,
                    last_month=month,
                    trajectory_type=trajectory_type,
                )
            )
            return found.offers.get("start", 0)

        assert await offers(None) == 3
        assert await offers(TrajectoryType.ACTIVERINGSTRAJECT.value) == 1
        assert await offers(TrajectoryType.AA_WELZIJN.value) == 1
        assert await offers(surveys.UNKNOWN_TYPE) == 1
