# mypy: disable-error-code="no-untyped-call"
# (SQLAlchemy's asyncpg adapter, which this extends, has no type annotations)
"""asyncpg for SQLAlchemy, with fewer round trips per unit of work.

SQLAlchemy's asyncpg adapter sends BEGIN (a round trip of its own) before the first statement
of every transaction, reads included. This adapter:

- runs plain reads (a SELECT without FOR UPDATE/SHARE) that come before the first write of a
  unit of work without a transaction, as SQLite does (sqlite3 begins at the first write):
  under READ COMMITTED (the only level it does this for) every statement sees its own
  snapshot anyway, in a transaction or not. The first write, a locking read, or any other
  statement begins the transaction as before;
- runs a statement marked `AT_COMMIT` (see `wzt_bot.db.at_commit`) just before the COMMIT;
  when no transaction was begun (only reads so far) and it is the only one, it runs alone,
  atomic by itself: one round trip instead of three (BEGIN, INSERT, COMMIT).

Everything else is SQLAlchemy's. Used through `create_async_engine(..., module=lazy_begin_dbapi())`.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from sqlalchemy import util
from sqlalchemy.dialects.postgresql.asyncpg import (
    AsyncAdapt_asyncpg_connection,
    AsyncAdapt_asyncpg_cursor,
    AsyncAdapt_asyncpg_dbapi,
)
from sqlalchemy.util.concurrency import await_only

from wzt_bot.db.at_commit import AT_COMMIT_INSERT, queued

_LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?(?:UPDATE|SHARE|KEY\s+SHARE)\b", re.IGNORECASE)
#: Isolation levels under which a read needs no transaction (None: the server's default).
_PER_STATEMENT_SNAPSHOT = (None, "read_committed")
_Statements = list[tuple[Any, Any]]


def plain_read(operation: str) -> bool:
    """A SELECT that takes no row locks: nothing it does needs the transaction."""
    return operation[:6].upper() == "SELECT" and _LOCKING.search(operation) is None


class LazyBeginCursor(AsyncAdapt_asyncpg_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        connection: Any = self._adapt_connection
        if operation.startswith(AT_COMMIT_INSERT):
            connection._at_commit.append((operation, parameters))
            self.description = None
            self.rowcount = -1
            self._adapt_connection.await_(queued())
            return
        connection._may_defer_begin = plain_read(operation)
        try:
            super().execute(operation, parameters)
        finally:
            connection._may_defer_begin = False


class LazyBeginConnection(AsyncAdapt_asyncpg_connection):
    __slots__ = ("_at_commit", "_may_defer_begin")

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._at_commit: _Statements = []
        self._may_defer_begin = False

    async def _start_transaction(self) -> None:
        if self._may_defer_begin and self.isolation_level in _PER_STATEMENT_SNAPSHOT:
            return  # a plain read before any write: no BEGIN (yet)
        await super()._start_transaction()

    def cursor(self, server_side: bool = False) -> Any:
        if server_side:
            return super().cursor(server_side=True)
        return LazyBeginCursor(self)

    def commit(self) -> None:
        statements = self._at_commit
        if statements:
            self._at_commit = []
            cursor = AsyncAdapt_asyncpg_cursor(self)
            alone = len(statements) == 1 and not self._started
            self._may_defer_begin = alone  # one statement is atomic by itself
            try:
                for operation, parameters in statements:
                    cursor.execute(operation, parameters)
            finally:
                self._may_defer_begin = False
        super().commit()

    def rollback(self) -> None:
        self._at_commit = []
        super().rollback()


class LazyBeginDbapi(AsyncAdapt_asyncpg_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> Any:
        if util.asbool(kw.get("async_fallback", False)):
            return super().connect(*arg, **kw)
        kw.pop("async_fallback", None)
        creator_fn = kw.pop("async_creator_fn", self.asyncpg.connect)
        cache_size = kw.pop("prepared_statement_cache_size", 100)
        name_func = kw.pop("prepared_statement_name_func", None)
        return LazyBeginConnection(
            self,
            await_only(creator_fn(*arg, **kw)),
            prepared_statement_cache_size=cache_size,
            prepared_statement_name_func=name_func,
        )


def lazy_begin_dbapi() -> LazyBeginDbapi:
    return LazyBeginDbapi(importlib.import_module("asyncpg"))
