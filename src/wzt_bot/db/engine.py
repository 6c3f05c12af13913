"""Engine and session factory for PostgreSQL (asyncpg) and SQLite (aiosqlite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState

from wzt_bot.db.postgres_driver import lazy_begin_dbapi
from wzt_bot.db.sqlite_driver import one_hop_dbapi

SQLITE_POOL_SIZE = 4
CONNECT_TIMEOUT = 5.0  # seconds, PostgreSQL


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)


def build_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    ensure_sqlite_dir(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        # SQLite has one writer at a time: a few steady connections (no overflow connections
        # opened and closed under load) keep lock waits short.
        # The pool's rollback-on-return is done by `_sqlite_reset` below, only when needed.
        kwargs |= {
            "connect_args": {"timeout": 30, "check_same_thread": False},
            "pool_size": SQLITE_POOL_SIZE,
            "max_overflow": 0,
            "pool_reset_on_return": None,
            "module": one_hop_dbapi(),  # reads on the loop; a write: one trip to the thread
        }
    else:
        # No pre-ping (a round trip per checkout): a dropped connection raises once, SQLAlchemy
        # then discards the pool, and the next unit of work reconnects. Recycle idle ones.
        kwargs |= {
            "pool_size": 20,
            "max_overflow": 10,
            "pool_timeout": 10,
            "pool_recycle": 1800,
            "module": lazy_begin_dbapi(),  # no BEGIN round trip for reads before the first write
            # asyncpg waits 60 s for a server that does not answer: fail (503) sooner.
            "connect_args": {"timeout": CONNECT_TIMEOUT},
        }
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine.sync_engine, "reset")
        def _sqlite_reset(dbapi_conn: Any, _record: Any, state: PoolResetState) -> None:
            # A connection back in the pool must not keep a transaction open (nor a statement
            # queued for a commit that never came). Every unit of work ends its own (commit, or
            # rollback when closed); the pool's own unconditional rollback would cost a trip
            # through aiosqlite's thread per unit of work: the one-hop connection's rollback
            # makes that trip only when SQLite says a transaction is still open.
            if state.asyncio_safe and not state.terminate_only:
                dbapi_conn.rollback()

    return engine


def build_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
