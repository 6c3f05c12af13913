"""Stores for the ledger of answers sent per update (see `wzt_bot.bot.sent_ledger`).

Each write is durable on its own, outside the update's transaction, and must not wait for the
database's other commits (the shorter the wait after Telegram accepted an answer, the smaller
the chance that a crash repeats it):

- PostgreSQL: the `telegram_answers` table, through a small pool of its own in autocommit
  (one round trip per answer) with `synchronous_commit` off: the row survives a crash of this
  process at once (what the ledger is for), and a crash of the database server loses at most
  its last fraction of a second, which only means that answer may be sent again.
- SQLite: a file of its own next to the database (`<name>.answers.sqlite3`), so the ledger
  does not queue behind the database's single write lock; written on the event loop (tens of
  microseconds per answer), WAL without fsync: a killed process loses nothing written.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from wzt_bot.db.engine import CONNECT_TIMEOUT, is_sqlite
from wzt_bot.domain.ports import SentAnswer

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


class SqliteSentLedger(_Digest):
    def __init__(self, path: str, secret: str) -> None:
        super().__init__(secret)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: each INSERT is its own transaction. A short busy wait: another process
        # on the same file (bot and api apart) holds the lock for microseconds.
        self._db = sqlite3.connect(path, isolation_level=None, timeout=0.5)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(_SQLITE_SCHEMA)
        self._db.execute(_SQLITE_INDEX)

    async def record(self, answer: SentAnswer) -> None:
        self._db.execute(
            f"INSERT OR IGNORE INTO telegram_answers ({_COLUMNS})"  # noqa: S608 - constants
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                answer.update_id,
                answer.seq,
                answer.method,
                answer.chat_id,
                answer.chat_type,
                answer.message_id,
                answer.sent_at,
                answer.digest,
                time.time(),
            ),
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

    async def close(self) -> None:
        self._db.close()


_PG_INSERT = text(
    f"INSERT INTO telegram_answers ({_COLUMNS})"  # noqa: S608 - constants
    " VALUES (:update_id, :seq, :method, :chat_id, :chat_type, :message_id, :sent_at,"
    " :digest, now()) ON CONFLICT (update_id, seq) DO NOTHING"
)
_PG_SELECT = text(
    f"SELECT {_COLUMNS} FROM telegram_answers"  # noqa: S608 - constants
    " WHERE update_id = :update_id ORDER BY seq"
)
_PG_PURGE = text("DELETE FROM telegram_answers WHERE recorded_at < :before")


class PostgresSentLedger(_Digest):
    def __init__(self, url: str, secret: str) -> None:
        super().__init__(secret)
        self._engine: AsyncEngine = create_async_engine(
            url,
            pool_size=4,
            max_overflow=8,
            pool_timeout=5,
            pool_recycle=1800,
            isolation_level="AUTOCOMMIT",
            connect_args={
                "timeout": CONNECT_TIMEOUT,
                "server_settings": {"synchronous_commit": "off"},
            },
        )

    async def record(self, answer: SentAnswer) -> None:
        async with self._engine.connect() as conn:
            await conn.execute(
                _PG_INSERT,
                {
                    "update_id": answer.update_id,
                    "seq": answer.seq,
                    "method": answer.method,
                    "chat_id": answer.chat_id,
                    "chat_type": answer.chat_type,
                    "message_id": answer.message_id,
                    "sent_at": answer.sent_at,
                    "digest": answer.digest,
                },
            )

    async def answers(self, update_id: int) -> list[SentAnswer]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(_PG_SELECT, {"update_id": update_id})
            return [_answer(r) for r in rows.all()]

    async def purge_before(self, before: datetime) -> int:
        async with self._engine.connect() as conn:
            result = await conn.execute(_PG_PURGE, {"before": before})
            return int(getattr(result, "rowcount", 0) or 0)

    async def close(self) -> None:
        await self._engine.dispose()


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
