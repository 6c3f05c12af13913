"""aiosqlite for SQLAlchemy, with as few trips to aiosqlite's thread as possible.

SQLAlchemy's aiosqlite adapter runs each statement as four queued calls to the connection's
worker thread (make a cursor, execute, fetch all, close the cursor), each one a hand-over to
the thread and back through the event loop. Under load those hand-overs were the largest
single cost of an update on SQLite. This adapter:

- does the same four steps in one call, in the worker thread;
- runs reads (statements that start with SELECT) right here on the event loop, on the
  connection's sqlite3 object: reading a few rows takes microseconds, the hand-over to the
  thread and back much longer. In WAL mode (see `engine.py`) a read does not wait for
  writers, so it does not hold up the loop on a lock; a long read (a big list) does hold it
  up for its own duration. Writes and commits stay in the thread: they can wait for SQLite's
  write lock, held maybe by another connection of this very process, which must never
  block the loop. The loop and the thread never use the connection at the same time (every
  call is awaited before the next), hence `check_same_thread=False`;
- runs a statement marked `AT_COMMIT` (see `wzt_bot.db.at_commit`) and the COMMIT in one
  call;
- skips the trip for a COMMIT or ROLLBACK when SQLite has no transaction open (only reads so
  far: sqlite3 begins a transaction at the first write), where sqlite3 would do nothing.

Everything else (transactions, errors, server-side cursors) is SQLAlchemy's.
Used through `create_async_engine(..., module=one_hop_dbapi())`.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

from wzt_bot.db.at_commit import AT_COMMIT_INSERT, queued

_Outcome = tuple[Any, list[Any] | None, Any, int]
_Statements = list[tuple[Any, Any]]


def _run(connection: sqlite3.Connection, operation: Any, parameters: Any) -> _Outcome:
    """In aiosqlite's thread: the statement, its rows, and the cursor closed again."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, None, cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def _run_then_commit(connection: sqlite3.Connection, statements: _Statements) -> None:
    """In aiosqlite's thread: the statements queued for the commit, then the commit."""
    for operation, parameters in statements:
        connection.execute(operation, () if parameters is None else parameters).close()
    connection.commit()


async def run_alone(driver: Any, sql: str, args: Any) -> bool:
    """One write and its commit in one trip to aiosqlite's thread, when SQLite has no
    transaction open on this connection; False (nothing done) when it has."""
    connection: Any = driver._conn
    if connection is None or connection.in_transaction:
        return False
    await driver._execute(_run_alone, connection, sql, args)
    return True


def _run_alone(connection: sqlite3.Connection, sql: str, args: Any) -> None:
    """In aiosqlite's thread: one statement in autocommit, a transaction of its own (no
    separate BEGIN and COMMIT calls into SQLite)."""
    level = connection.isolation_level
    connection.isolation_level = None
    try:
        connection.execute(sql, args).close()
    finally:
        connection.isolation_level = level


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        if operation.startswith(AT_COMMIT_INSERT):
            self._adapt_connection._at_commit.append((operation, parameters))  # type: ignore[attr-defined]
            self.description = None
            self.lastrowid = self.rowcount = -1
            self.await_(queued())
            return
        driver: Any = self._connection
        try:
            if operation.startswith("SELECT"):
                # A read: here, on the event loop (see the module docstring).
                outcome: _Outcome = _run(driver._conn, operation, parameters)
                self.await_(queued())
            else:
                outcome = self.await_(driver._execute(_run, driver._conn, operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        description, rows, lastrowid, rowcount = outcome
        self.description = description
        if description:
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows or ())
        else:
            self.lastrowid = lastrowid
            self.rowcount = rowcount


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_at_commit",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._at_commit: _Statements = []

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return OneHopCursor(self)

    def _in_transaction(self) -> bool:
        """SQLite's own flag, read without a trip to the thread (True when unreadable)."""
        try:
            return bool(self._connection._conn.in_transaction)
        except Exception:
            return True

    def commit(self) -> None:
        statements = self._at_commit
        if statements:
            self._at_commit = []
            driver: Any = self._connection
            try:
                self.await_(driver._execute(_run_then_commit, driver._conn, statements))
            except Exception as error:
                self._handle_exception(error)
        elif self._in_transaction():
            super().commit()

    def rollback(self) -> None:
        self._at_commit = []
        if self._in_transaction():
            super().rollback()


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        if type(adapted) is AsyncAdapt_aiosqlite_connection:  # not the sync fallback
            return OneHopConnection(self, adapted._connection)
        return adapted


def one_hop_dbapi() -> OneHopDbapi:
    return OneHopDbapi(aiosqlite, sqlite3)
