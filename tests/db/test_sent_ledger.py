"""The sent ledger's stores, SQLite (a file of its own) and PostgreSQL (a table)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET
from wzt_bot.db.engine import is_sqlite
from wzt_bot.db.sent_ledger import (
    LEDGER_POOL_SIZE,
    PostgresSentLedger,
    SqliteSentLedger,
    build_sent_ledger,
    sqlite_ledger_path,
)
from wzt_bot.domain.ports import SentAnswer


@pytest.fixture
async def ledger(database_url: str) -> AsyncIterator[SqliteSentLedger | PostgresSentLedger]:
    store = build_sent_ledger(database_url, TEST_SECRET)
    await store.purge_before(datetime(9999, 1, 1, tzinfo=UTC))
    yield store
    await store.purge_before(datetime(9999, 1, 1, tzinfo=UTC))
    await store.close()


def answer(update_id: int, seq: int, message_id: int = 10) -> SentAnswer:
    return SentAnswer(
        update_id=update_id,
        seq=seq,
        method="sendMessage",
        chat_id=-1001234567890123,  # a big chat id (a group's) fits
        chat_type="private",
        message_id=message_id,
        sent_at=1_764_900_000,
        digest="ab" * 12,
    )


async def test_answers_come_back_per_update_in_order(
    ledger: SqliteSentLedger | PostgresSentLedger,
) -> None:
    await ledger.record(answer(5, 1, 12))
    await ledger.record(answer(5, 0, 11))
    await ledger.record(answer(6, 0, 13))
    assert await ledger.answers(5) == [answer(5, 0, 11), answer(5, 1, 12)]
    assert await ledger.answers(6) == [answer(6, 0, 13)]
    assert await ledger.answers(7) == []


async def test_recording_the_same_answer_twice_keeps_the_first(
    ledger: SqliteSentLedger | PostgresSentLedger,
) -> None:
    await ledger.record(answer(5, 0, 11))
    await ledger.record(answer(5, 0, 99))
    assert await ledger.answers(5) == [answer(5, 0, 11)]


async def test_answers_recorded_at_once_are_all_kept_the_first_of_a_repeat_wins(
    ledger: SqliteSentLedger | PostgresSentLedger,
) -> None:
    # On PostgreSQL these share writes (one statement for the answers waiting together).
    many = [answer(100 + i, seq, 1000 + i * 10 + seq) for i in range(40) for seq in (0, 1)]
    await asyncio.gather(*(ledger.record(a) for a in [*many[:30], answer(100, 0, 1), *many[30:]]))
    for i in range(40):
        assert await ledger.answers(100 + i) == [
            answer(100 + i, 0, 1000 + i * 10),
            answer(100 + i, 1, 1000 + i * 10 + 1),
        ]


async def test_a_failed_write_fails_every_answer_that_waited_for_it(database_url: str) -> None:
    store = build_sent_ledger(database_url, TEST_SECRET)
    real_write = store._write

    async def failing(rows: list[tuple[object, ...]]) -> None:
        raise OSError("disk I/O error")

    store._write = failing  # type: ignore[method-assign]
    try:
        results = await asyncio.gather(
            *(store.record(answer(900, seq)) for seq in range(3)), return_exceptions=True
        )
        assert [type(r) for r in results] == [OSError, OSError, OSError]
        store._write = real_write  # type: ignore[method-assign]
        await store.record(answer(901, 0))  # the next write goes through again
        assert await store.answers(901) == [answer(901, 0)]
        assert await store.answers(900) == []
    finally:
        await store.purge_before(datetime(9999, 1, 1, tzinfo=UTC))
        await store.close()


async def test_purge_removes_what_was_recorded_before_the_moment(
    ledger: SqliteSentLedger | PostgresSentLedger,
) -> None:
    await ledger.record(answer(5, 0))
    assert await ledger.purge_before(datetime.now(UTC) - timedelta(days=2)) == 0
    assert await ledger.answers(5) == [answer(5, 0)]
    assert await ledger.purge_before(datetime.now(UTC) + timedelta(seconds=5)) == 1
    assert await ledger.answers(5) == []


async def test_the_digest_is_keyed_and_stable(database_url: str) -> None:
    one = build_sent_ledger(database_url, "secret-one")
    same = build_sent_ledger(database_url, "secret-one")
    other = build_sent_ledger(database_url, "secret-two")
    try:
        assert one.digest("Dag Amina") == same.digest("Dag Amina")
        assert one.digest("Dag Amina") != other.digest("Dag Amina")
        assert one.digest("Dag Amina") != one.digest("Dag Amina!")
        assert "Amina" not in one.digest("Dag Amina")
    finally:
        for store in (one, same, other):
            await store.close()


def test_the_sqlite_ledger_lives_next_to_the_database() -> None:
    assert sqlite_ledger_path("sqlite+aiosqlite:///./var/wzt-bot.sqlite3") == str(
        Path("./var/wzt-bot.answers.sqlite3")
    )
    assert sqlite_ledger_path("sqlite+aiosqlite:///:memory:") == ":memory:"
    assert sqlite_ledger_path("sqlite+aiosqlite://") == ":memory:"


def _raw(folder: Path) -> bytes:
    """The ledger's file and its write-ahead log, as bytes."""
    files = sorted(folder.glob("wzt.answers.sqlite3*"))
    assert files
    return b"".join(p.read_bytes() for p in files)


async def test_the_sqlite_ledger_file_holds_no_text(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'wzt.sqlite3'}"
    assert is_sqlite(url)
    store = build_sent_ledger(url, TEST_SECRET)
    digest = store.digest("1:2:3\nIk voel me vandaag niet goed")
    await store.record(SentAnswer(1, 0, "sendMessage", 5, "private", 7, 1_764_900_000, digest))
    await store.close()
    raw = _raw(tmp_path)
    assert digest.encode() in raw
    assert b"niet goed" not in raw


async def test_warm_up_opens_the_whole_pool_before_the_first_answer(
    ledger: SqliteSentLedger | PostgresSentLedger,
) -> None:
    await ledger.warm_up()
    if isinstance(ledger, PostgresSentLedger):
        assert ledger.idle_connections == LEDGER_POOL_SIZE
    await ledger.record(answer(8, 0, 21))  # still writes afterwards
    assert await ledger.answers(8) == [answer(8, 0, 21)]
