"""Stores for the ledger of answers sent per update (see `wzt_bot.bot.sent_ledger`).

Each write is durable on its own, outside the update's transaction, and must not wait for the
database's other commits (the shorter the wait after Telegram accepted an answer, the smaller
the chance that a crash repeats it). Answers that come while a write is on its way go
together in the next write (see `_GroupWriter`):

- PostgreSQL: the `telegram_answers` table, through an asyncpg pool of its own (opened at
  start, see `warm_up`), one statement per write (atomic by itself) with
  `synchronous_commit` off: the row survives a crash of this process at once (what the ledger
  is for), and a crash of the database server loses at most its last fraction of a second,
  which only means that answer may be sent again.
- SQLite: a file of its own next to the database (`<name>.answers.sqlite3`), so the ledger
  does not queue behind the database's single write lock; written on the event loop (tens of
  microseconds per answer), WAL without fsync: a killed process loses nothing written.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from wzt_bot.db.engine import CONNECT_TIMEOUT, is_sqlite
from wzt_bot.domain.ports import SentAnswer

#: As many as the pipeline handles updates at once (`UpdatePipeline`'s concurrency): each
#: handler's answer is written without waiting for a connection to be opened.
LEDGER_POOL_SIZE = 16
_COLUMNS = "update_id, seq, method, chat_id, chat_type, message_id, sent_at, digest, recorded_at"
_SQLITE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS telegram_answers ("
    " update_id INTEGER NOT NULL, seq INTEGER NOT NULL, method TEXT NOT NULL,"
    " chat_id INTEGER NOT NULL, chat_type TEXT NOT NULL, message_id INTEGER NOT NULL,"
    " sent_at INTEGER NOT NULL, digest TEXT NOT NULL, recorded_at REAL NOT NULL,"
    " PRIMARY KEY (update_id, seq))"
)
_SQLITE_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_telegram_answers_recorded ON telegram_answers (recorded_at)"
)


class _Digest:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(b"wzt-bot/sent-ledger/v1:" + secret.encode("utf-8")).digest()

    def digest(self, text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8"), key=self._key, digest_size=12).hexdigest()


class _GroupWriter(_Digest):
    """`record` returns once the answer is written. Answers that come while a write is on its
    way are written together in the next one (one transaction for all of them instead of one
    each): under load most answers share a write, and none waits longer than the write
    before it. A failed write fails each answer that waited for it, as it would have alone."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret)
        self._waiting: list[tuple[SentAnswer, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, answer: SentAnswer) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((answer, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting(), name="sent-ledger")
        await done

    async def _write_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                await self._write([_row(answer) for answer, _ in batch])
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    async def _write(self, rows: list[tuple[Any, ...]]) -> None:
        """Write `rows` (in order; the first of a repeated (update_id, seq) is kept)."""
        raise NotImplementedError

    async def _finish_writing(self) -> None:
        if self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer}, timeout=5)


def _row(answer: SentAnswer) -> tuple[Any, ...]:
    return (
        answer.update_id,
        answer.seq,
        answer.method,
        answer.chat_id,
        answer.chat_type,
        answer.message_id,
        answer.sent_at,
        answer.digest,
    )


def _answer(row: Any) -> SentAnswer:
    return SentAnswer(
        update_id=int(row[0]),
        seq=int(row[1]),
        method=str(row[2]),
        chat_id=int(row[3]),
        chat_type=str(row[4]),
        message_id=int(row[5]),
        sent_at=int(row[6]),
        digest=str(row[7]),
    )


_SQLITE_INSERT = f"INSERT OR IGNORE INTO telegram_answers ({_COLUMNS}) VALUES "  # noqa: S608
_SQLITE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
_SQLITE_ROWS_PER_INSERT = 500  # 4,500 variables, well under SQLite's 32,766


class SqliteSentLedger(_GroupWriter):
    def __init__(self, path: str, secret: str) -> None:
        super().__init__(secret)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit unless a batch begins a transaction (`_write`). A short busy wait: another
        # process on the same file (bot and api apart) holds the lock for microseconds.
        self._db = sqlite3.connect(path, isolation_level=None, timeout=0.5)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(_SQLITE_SCHEMA)
        self._db.execute(_SQLITE_INDEX)

    async def _write(self, rows: list[tuple[Any, ...]]) -> None:
        # One statement for the batch, in autocommit: atomic on its own, and one call into
        # SQLite instead of three (BEGIN, INSERT, COMMIT), each of which lets go of the GIL
        # and waits to take it back from aiosqlite's threads.
        now = time.time()
        for start in range(0, len(rows), _SQLITE_ROWS_PER_INSERT):
            chunk = rows[start : start + _SQLITE_ROWS_PER_INSERT]
            self._db.execute(
                _SQLITE_INSERT + ", ".join([_SQLITE_ROW] * len(chunk)),
                [value for row in chunk for value in (*row, now)],
            )

    async def answers(self, update_id: int) -> list[SentAnswer]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM telegram_answers"  # noqa: S608 - constants
            " WHERE update_id = ? ORDER BY seq",
            (update_id,),
        ).fetchall()
        return [_answer(r) for r in rows]

    async def purge_before(self, before: datetime) -> int:
        cursor = self._db.execute(
            "DELETE FROM telegram_answers WHERE recorded_at < ?", (before.timestamp(),)
        )
        return int(cursor.rowcount or 0)

    async def warm_up(self) -> None:
        """Nothing to open: the file is open."""

    async def close(self) -> None:
        await self._finish_writing()
        self._db.close()


_PG_INSERT = (
    f"INSERT INTO telegram_answers ({_COLUMNS})"  # noqa: S608 - constants
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) ON CONFLICT (update_id, seq) DO NOTHING"
)
#: Many answers in one statement (see `PostgresSentLedger.record`); within a batch the first
#: answer per (update_id, seq) is kept, as one by one.
_PG_INSERT_MANY = (
    f"INSERT INTO telegram_answers ({_COLUMNS})"  # noqa: S608 - constants
    " SELECT DISTINCT ON (u, q) u, q, m, c, t, i, s, d, now() FROM unnest("
    "$1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::text[], $6::bigint[],"
    " $7::bigint[], $8::text[]) WITH ORDINALITY AS a(u, q, m, c, t, i, s, d, n)"
    " ORDER BY u, q, n ON CONFLICT (update_id, seq) DO NOTHING"
)
_PG_SELECT = (
    f"SELECT {_COLUMNS} FROM telegram_answers"  # noqa: S608 - constants
    " WHERE update_id = $1 ORDER BY seq"
)
_PG_PURGE = "DELETE FROM telegram_answers WHERE recorded_at < $1"


def asyncpg_dsn(database_url: str) -> str:
    """`postgresql+asyncpg://…` → `postgresql://…` (asyncpg's own form)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """The ledger's connections only run single statements: no SET, LISTEN, cursor or
    advisory lock to undo when one goes back to the pool, so asyncpg's default reset (one more
    round trip per answer: RESET ALL, UNLISTEN *, …) is left out. An open transaction would
    still be rolled back by asyncpg itself."""


class PostgresSentLedger(_GroupWriter):
    """On asyncpg itself, not through SQLAlchemy: about half the CPU per write (measured
    145 µs against 270 µs), which is also half the instant a crash can fall into."""

    def __init__(self, url: str, secret: str) -> None:
        super().__init__(secret)
        self._dsn = asyncpg_dsn(url)
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _connections(self) -> asyncpg.Pool:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(
                        self._dsn,
                        min_size=LEDGER_POOL_SIZE,
                        max_size=LEDGER_POOL_SIZE + 4,
                        timeout=CONNECT_TIMEOUT,
                        command_timeout=10,
                        max_inactive_connection_lifetime=1800,
                        server_settings={"synchronous_commit": "off"},
                        reset=_nothing_to_reset,
                    )
        return self._pool

    async def _write(self, rows: list[tuple[Any, ...]]) -> None:
        pool = await self._connections()
        if len(rows) == 1:
            await pool.execute(_PG_INSERT, *rows[0])
        else:
            columns = zip(*rows, strict=True)
            await pool.execute(_PG_INSERT_MANY, *(list(column) for column in columns))

    async def answers(self, update_id: int) -> list[SentAnswer]:
        pool = await self._connections()
        return [_answer(r) for r in await pool.fetch(_PG_SELECT, update_id)]

    async def purge_before(self, before: datetime) -> int:
        pool = await self._connections()
        status = await pool.execute(_PG_PURGE, before)  # "DELETE <n>"
        return int(status.rsplit(" ", 1)[-1])

    async def warm_up(self) -> None:
        """Every pooled connection opened at start: a write that had to open one (tens of
        milliseconds) would leave a wider instant in which a crash repeats that answer."""
        await self._connections()

    @property
    def idle_connections(self) -> int:
        return 0 if self._pool is None else self._pool.get_idle_size()

    async def close(self) -> None:
        await self._finish_writing()
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


def sqlite_ledger_path(database_url: str) -> str:
    """`./var/wzt-bot.sqlite3` → `./var/wzt-bot.answers.sqlite3`; in memory for a memory db."""
    database = make_url(database_url).database
    if database in (None, "", ":memory:"):
        return ":memory:"
    path = Path(database).expanduser()
    return str(path.with_name(f"{path.stem}.answers.sqlite3"))


def build_sent_ledger(database_url: str, secret: str) -> SqliteSentLedger | PostgresSentLedger:
    if is_sqlite(database_url):
        return SqliteSentLedger(sqlite_ledger_path(database_url), secret)
    return PostgresSentLedger(database_url, secret)
