"""The hot path on the driver (db/fast.py, SqlUnitOfWork.fast_row / at_commit), on SQLite and
PostgreSQL: the same rows as through SQLAlchemy, the same transaction semantics."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from tests.db.test_plan_services import BRU, document
from tests.fakes.outreach import linked_participant
from wzt_bot.clock import FrozenClock
from wzt_bot.db import plan as plan_db
from wzt_bot.db import repositories as repos
from wzt_bot.db.fast import FastStatement
from wzt_bot.db.uow import SqlUnitOfWork
from wzt_bot.domain.models import Participant
from wzt_bot.domain.services import plan as svc
from wzt_bot.wiring import Container

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FAST: tuple[tuple[FastStatement, str], ...] = (
    (repos._FAST_PARTICIPANT, "user_id"),
    (repos._FAST_CONSENTS, "participant_id"),
    (plan_db._FAST_LATEST_VERSION, "participant_id"),
    (plan_db._FAST_TRAJECTORY, "participant_id"),
)


async def _world(container: Container) -> tuple[Participant, int]:
    clock = FrozenClock(START)
    sam = await linked_participant(container, clock, name="Sam", user_id=8801)
    async with container.uow_factory() as uow:
        await svc.put_plan(
            uow, clock, BRU, sam.staff, sam.participant.id, document(date(2026, 11, 2))
        )
        await uow.commit()
    return sam.participant, 8801


def _params(name: str, participant: Participant, user_id: int) -> dict[str, Any]:
    return {"user_id": user_id} if name == "user_id" else {"participant_id": participant.id}


async def test_rows_read_on_the_driver_equal_sqlalchemys(container: Container) -> None:
    participant, user_id = await _world(container)
    async with container.uow_factory() as uow:
        assert isinstance(uow, SqlUnitOfWork)
        for statement, name in FAST:
            params = _params(name, participant, user_id)
            direct = await uow.fast_rows(statement, params)
            through = list(await uow.connection.execute(statement.statement, params))
            assert direct, statement.statement
            assert [tuple(r) for r in direct] == [tuple(r) for r in through]
            # Same Python types too (aware datetimes, UUIDs, booleans), not only equal values.
            assert [type(v) for v in direct[0]] == [type(v) for v in through[0]]
            assert direct[0]._fields == tuple(through[0]._fields)
            first = await uow.fast_row(statement, params)
            assert first is not None and tuple(first) == tuple(through[0])
        found = await uow.participants.get_by_telegram_user(user_id)
        assert found is not None and found == await uow.participants.get(participant.id)
        assert await uow.participants.get_by_telegram_user(999_999) is None
        assert await uow.fast_rows(repos._FAST_CONSENTS, {"participant_id": uuid.uuid4()}) == []


async def test_a_failing_direct_read_falls_back_to_sqlalchemy(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    participant, user_id = await _world(container)

    def broken(self: SqlUnitOfWork) -> Any:
        raise RuntimeError("driver gone")

    async with container.uow_factory() as uow:
        expected = await uow.participants.get(participant.id)
    monkeypatch.setattr(SqlUnitOfWork, "_driver", broken)
    async with container.uow_factory() as uow:
        assert await uow.participants.get_by_telegram_user(user_id) == expected
        assert await uow.plans.latest_version(participant.id) is not None
        await uow.updates.claim(77, START)
        await uow.commit()
    async with container.uow_factory() as uow:
        assert await uow.updates.recorded([77]) == {77}


async def test_the_claim_goes_with_the_transaction(container: Container) -> None:
    participant, user_id = await _world(container)
    async with container.uow_factory() as uow:
        current = await uow.participants.get(participant.id)
    assert current is not None
    participant = current
    # Read-only update: alone, committed.
    async with container.uow_factory() as uow:
        assert await uow.participants.get_by_telegram_user(user_id) is not None
        await uow.updates.claim(1, START)
        await uow.commit()
    # Rolled back, or closed without a commit: not recorded.
    async with container.uow_factory() as uow:
        await uow.updates.claim(2, START)
        await uow.rollback()
        await uow.commit()
    async with container.uow_factory() as uow:
        await uow.updates.claim(3, START)
    # With the handler's own change: both, or neither.
    later = START + timedelta(hours=1)
    async with container.uow_factory() as uow:
        await uow.participants.update(replace(participant, display_name="Sam P", updated_at=later))
        await uow.updates.claim(4, START)
        await uow.commit()
    async with container.uow_factory() as uow:
        await uow.participants.update(replace(participant, display_name="Niet", updated_at=later))
        await uow.updates.claim(5, START)
        await uow.rollback()
    async with container.uow_factory() as uow:
        assert await uow.updates.recorded([1, 2, 3, 4, 5]) == {1, 4}
        after = await uow.participants.get_by_telegram_user(user_id)
    assert after is not None and after.display_name == "Sam P"


async def test_a_read_only_update_needs_no_begin_or_commit(container: Container) -> None:
    """The claim after a read-only update is one statement of its own on the driver (one
    round trip on PostgreSQL, one trip to aiosqlite's thread on SQLite): nothing goes
    through SQLAlchemy, so no BEGIN and no COMMIT of its own."""
    participant, user_id = await _world(container)
    seen: list[str] = []

    def on_execute(*args: Any) -> None:
        seen.append(str(args[2]).split(None, 1)[0])

    def on_begin(*args: Any) -> None:
        seen.append("BEGIN")

    engine = container.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "begin", on_begin)
    try:
        async with container.uow_factory() as uow:
            assert await uow.participants.get_by_telegram_user(user_id) is not None
            assert await uow.plans.trajectory(participant.id) is not None
            await uow.updates.claim(10, START)
            await uow.commit()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "begin", on_begin)
    assert seen == []
    async with container.uow_factory() as uow:
        assert await uow.updates.recorded([10]) == {10}
