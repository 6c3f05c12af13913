"""aiosqlite for SQLAlchemy, with one trip to aiosqlite's thread per statement.

SQLAlchemy's aiosqlite adapter runs each statement as four queued calls to the connection's
worker thread (make a cursor, execute, fetch all, close the cursor), each one a hand-over to
the thread and back through the event loop. Under load those hand-overs were the largest
single cost of an update on SQLite. This adapter does the same four steps in one call, in the
worker thread; everything else (transactions, errors, server-side cursors) is SQLAlchemy's.
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

_Outcome = tuple[Any, list[Any] | None, Any, int]


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


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        driver: Any = self._connection
        try:
            outcome: _Outcome = self.await_(
                driver._execute(_run, driver._conn, operation, parameters)
            )
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
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return OneHopCursor(self)


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        if type(adapted) is AsyncAdapt_aiosqlite_connection:  # not the sync fallback
            return OneHopConnection(self, adapted._connection)
        return adapted


def one_hop_dbapi() -> OneHopDbapi:
    return OneHopDbapi(aiosqlite, sqlite3)
