"""Plan services on both databases: answers, marks, evaluation notices, the month-18 warning,
and what is encrypted at rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import OutboxRow, PlanResponseRow, PlanVersionRow, TrajectoryRow
from wzt_bot.domain.errors import DomainError
from wzt_bot.domain.models import (
    ActionDomain,
    DirectoryEntry,
    DirectoryRole,
    FlagKind,
    PlanAction,
    PlanAnswer,
    PlanDocument,
    TrajectoryType,
)
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import flags
from wzt_bot.domain.services import plan as svc
from wzt_bot.scheduler.jobs import outreach_tick
from wzt_bot.wiring import Container

BRU = ZoneInfo("Europe/Brussels")
SECRET_OBJECTIVE = "Ik wil graag bij de bakker op de hoek werken"


def document(start: date, **changes: object) -> PlanDocument:
    values: dict[str, object] = {
        "trajectory_type": TrajectoryType.ACTIVERINGSTRAJECT,
        "objective": SECRET_OBJECTIVE,
        "start_date": start,
        "expected_end_date": start + timedelta(days=300),
        "evaluation_every_weeks": 6,
        "actions": (
            PlanAction(id="", domain=ActionDomain.WERK, title="Stage zoeken"),
            PlanAction(id="", domain=ActionDomain.ZORG, title="Huisarts bellen"),
        ),
    }
    values.update(changes)
    return PlanDocument(**values)  # type: ignore[arg-type]


async def test_answers_marks_and_no_access_across_participants(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=8101)
    kim = await linked_participant(container, clock, name="Kim", user_id=8102, team_id=sam.team_id)
    async with container.uow_factory() as uow:
        v1 = await svc.put_plan(
            uow, clock, BRU, sam.staff, sam.participant.id, document(date(2026, 11, 2))
        )
        await svc.put_plan(
            uow, clock, BRU, sam.staff, kim.participant.id, document(date(2026, 11, 2))
        )
        await uow.commit()
    sam_action = v1.document.actions[0].id
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError):  # Kim cannot mark Sam's step
            await svc.mark_done(uow, clock, kim.participant, sam_action)
        with pytest.raises(DomainError):
            await svc.answer_version(uow, clock, BRU, sam.participant, 7, PlanAnswer.AKKOORD)
        assert await svc.mark_done(uow, clock, sam.participant, sam_action)
        response = await svc.answer_version(
            uow,
            clock,
            BRU,
            sam.participant,
            1,
            PlanAnswer.VRAGEN,
            flags.Words(text="Wat als de stage te zwaar is voor mij?"),
        )
        await uow.commit()
    assert response.flag_id is not None
    async with container.uow_factory() as uow:
        mine = await svc.my_plan(uow, sam.participant)
        theirs = await svc.my_plan(uow, kim.participant)
        found, _ = await uow.flags.search(
            FlagFilter(kind=FlagKind.PLAN_DISAGREEMENT), offset=0, limit=10
        )
        [message] = await uow.flags.messages(found[0].id)
    assert mine.answer is PlanAnswer.VRAGEN and set(mine.marks) == {sam_action}
    assert theirs.answer is None and theirs.marks == {}
    assert [f.participant_id for f in found] == [sam.participant.id]
    assert "te zwaar" in message.text
    # Plan documents and the participant's words are ciphertext in the database.
    async with container.engine.connect() as connection:
        blobs = (await connection.execute(select(PlanVersionRow.document_ct))).scalars().all()
        words = (await connection.execute(select(PlanResponseRow.words_ct))).scalars().all()
    assert blobs and all(SECRET_OBJECTIVE.encode() not in b for b in blobs)
    assert words and all(b is not None and b"te zwaar" not in b for b in words)


async def test_evaluation_notice_once_then_the_date_moves_on(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=8103)
    async with container.uow_factory() as uow:
        version = await svc.put_plan(
            uow,
            clock,
            BRU,
            sam.staff,
            sam.participant.id,
            document(date(2026, 11, 2), next_evaluation_date=date(2026, 11, 26)),
        )
        await uow.commit()
    assert version.document.next_evaluation_date == date(2026, 11, 26)
    first = await outreach_tick(container.uow_factory, clock, BRU)
    again = await outreach_tick(container.uow_factory, clock, BRU)
    assert (first.evaluation_notices, again.evaluation_notices) == (1, 0)
    async with container.engine.connect() as connection:
        kinds = (await connection.execute(select(OutboxRow.kind))).scalars().all()
    assert kinds.count("evaluation") == 1
    clock.advance(timedelta(days=4))  # 27 November: the evaluation has passed
    await outreach_tick(container.uow_factory, clock, BRU)
    async with container.uow_factory() as uow:
        trajectory = await uow.plans.trajectory(sam.participant.id)
    assert trajectory is not None
    # On the plan's 6-week rhythm from the start (2 November): 14 December.
    assert trajectory.next_evaluation_date == date(2026, 12, 14)


async def test_end_warning_once_and_again_before_an_extension_ends(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=8104)
    kim = await linked_participant(container, clock, name="Kim", user_id=8105, team_id=sam.team_id)
    start = date(2025, 7, 1)  # month 18 on 1 January 2027: the warning is due since 6 November
    for who in (sam, kim):
        async with container.uow_factory() as uow:
            await svc.update_trajectory(
                uow,
                clock,
                BRU,
                who.staff,
                who.participant.id,
                svc.TrajectoryChange(
                    trajectory_type=TrajectoryType.ACTIVERINGSTRAJECT,
                    start_date=start,
                    expected_end_date=date(2026, 12, 31),
                    given=frozenset({"trajectory_type", "start_date", "expected_end_date"}),
                ),
            )
            await uow.commit()
    async with container.uow_factory() as uow:
        await svc.update_trajectory(
            uow,
            clock,
            BRU,
            kim.staff,
            kim.participant.id,
            svc.TrajectoryChange(
                extended_until=date(2027, 6, 30),
                extension_reason="Stage loopt nog tot juni.",
                given=frozenset({"extended_until", "extension_reason"}),
            ),
        )
        await uow.commit()
    first = await outreach_tick(container.uow_factory, clock, BRU)
    again = await outreach_tick(container.uow_factory, clock, BRU)
    assert (first.end_warnings, again.end_warnings) == (1, 0)
    async with container.uow_factory() as uow:
        found, _ = await uow.flags.search(
            FlagFilter(kind=FlagKind.TRAJECTORY_END), offset=0, limit=10
        )
    assert [f.participant_id for f in found] == [sam.participant.id]
    async with container.engine.connect() as connection:
        warned = (
            await connection.execute(
                select(TrajectoryRow.end_warning_at).where(
                    TrajectoryRow.participant_id == sam.participant.id
                )
            )
        ).scalar_one()
    assert warned is not None
    # The extension (after a pause, at most month 24: NOOZO §7.4) gets its own warning,
    # 8 weeks before it ends on 30 June 2027: due from 5 May.
    clock.advance(datetime(2027, 5, 4, 10, 0, tzinfo=UTC) - clock.now())
    assert (await outreach_tick(container.uow_factory, clock, BRU)).end_warnings == 0
    clock.advance(timedelta(days=1))
    assert (await outreach_tick(container.uow_factory, clock, BRU)).end_warnings == 1
    assert (await outreach_tick(container.uow_factory, clock, BRU)).end_warnings == 0
    async with container.uow_factory() as uow:
        found, _ = await uow.flags.search(
            FlagFilter(kind=FlagKind.TRAJECTORY_END, participant_id=kim.participant.id),
            offset=0,
            limit=10,
        )
        words = await uow.flags.messages(found[0].id) if found else []
    assert len(found) == 1
    assert any("2027-06-30" in m.text for m in words)


async def test_contact_from_who_is_who_goes_to_that_person(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=8106)
    async with container.uow_factory() as uow:
        entries = await svc.put_directory(
            uow,
            clock,
            BRU,
            sam.staff,
            sam.participant.id,
            [
                DirectoryEntry(
                    name="An Claes",
                    role=DirectoryRole.CASEMANAGER_WERK,
                    staff_id=sam.staff.id,
                    main=True,
                )
            ],
        )
        flag, entry = await svc.contact_person(uow, clock, sam.participant, 0, source="test")
        fallback, none = await svc.contact_person(uow, clock, sam.participant, 9, source="test")
        await uow.commit()
    assert entries[0].main
    assert entry is not None and entry.name == "An Claes"
    assert flag.assignee_id == sam.staff.id
    assert none is None and fallback.id == flag.id  # one open contact request is enough


async def test_a_contact_request_for_another_person_reaches_that_person(
    container: Container,
) -> None:
    """ "Neem contact met mij op" for a second person while a request is open: no second
    flag, the request goes into the open flag's thread and the flag to that person; the same
    person twice is "already asked" (the bot says so and raises nothing)."""
    from wzt_bot.domain.models import Role
    from wzt_bot.domain.services import admin

    clock = FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    sam = await linked_participant(container, clock, name="Sam", user_id=8131)
    async with container.uow_factory() as uow:
        lies = await admin.create_staff(
            uow, name="Lies Peeters", role=Role.CASEMANAGER, team_ids=frozenset({sam.team_id})
        )
        await svc.put_directory(
            uow,
            clock,
            BRU,
            sam.staff,
            sam.participant.id,
            [
                DirectoryEntry(
                    name="An Claes",
                    role=DirectoryRole.CASEMANAGER_WERK,
                    staff_id=sam.staff.id,
                    main=True,
                ),
                DirectoryEntry(
                    name="Lies Peeters",
                    role=DirectoryRole.CASEMANAGER_ZORG,
                    staff_id=lies.staff.id,
                ),
            ],
        )
        assert not await svc.contact_already_asked(uow, sam.participant, 0)
        first, _ = await svc.contact_person(uow, clock, sam.participant, 0, source="plan:call")
        assert await svc.contact_already_asked(uow, sam.participant, 0)
        assert not await svc.contact_already_asked(uow, sam.participant, 1)
        second, entry = await svc.contact_person(uow, clock, sam.participant, 1, source="plan:call")
        assert await svc.contact_already_asked(uow, sam.participant, 1)
        found, total = await uow.flags.search(
            FlagFilter(participant_id=sam.participant.id), offset=0, limit=10
        )
        texts = [m.text for m in await uow.flags.messages(first.id)]
        await uow.commit()
    assert total == 1 and second.id == first.id
    assert entry is not None and entry.name == "Lies Peeters"
    assert found[0].assignee_id == lies.staff.id, "the flag reaches the person asked for"
    assert sorted(texts) == [  # one clock: the same moment
        "Neem contact met mij op. Gevraagd aan: An Claes.",
        "Neem contact met mij op. Gevraagd aan: Lies Peeters.",
    ]
