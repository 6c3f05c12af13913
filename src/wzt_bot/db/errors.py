"""Which exceptions mean "the database is not reachable right now" (retry later), not a bug."""

from __future__ import annotations

import socket
import sqlite3

from asyncpg import exceptions as pg
from sqlalchemy import exc as sa

#: Server shutting down or starting up, connection lost, too many connections.
_PG_UNAVAILABLE = (
    pg.CannotConnectNowError,
    pg.AdminShutdownError,
    pg.CrashShutdownError,
    pg.PostgresConnectionError,
    pg.TooManyConnectionsError,
)
_SQLITE_TRANSIENT = ("database is locked", "unable to open database file", "disk i/o error")


def database_unavailable(exc: BaseException) -> str | None:
    """A short reason when `exc` (or what caused it) says the database cannot be reached;
    None for every other error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        reason = _reason(current)
        if reason is not None:
            return reason
        current = current.__cause__ or current.__context__
    return None


def _reason(exc: BaseException) -> str | None:
    checks: tuple[tuple[bool, str], ...] = (
        (
            isinstance(exc, sa.DBAPIError) and exc.connection_invalidated,
            "the database connection was lost",
        ),
        (isinstance(exc, sa.TimeoutError), "no database connection free in time"),
        (isinstance(exc, _PG_UNAVAILABLE), f"the database is unavailable ({type(exc).__name__})"),
        (
            isinstance(exc, pg.InterfaceError) and "connection is closed" in str(exc),
            "the database connection was lost",
        ),
        (
            isinstance(exc, ConnectionError | socket.gaierror),
            f"the database cannot be reached ({type(exc).__name__})",
        ),
        (
            isinstance(exc, TimeoutError),
            "timed out waiting for the database (or another backend)",
        ),
        (
            isinstance(exc, sqlite3.OperationalError)
            and str(exc).lower().startswith(_SQLITE_TRANSIENT),
            "the database is busy or cannot be opened",
        ),
    )
    return next((reason for matched, reason in checks if matched), None)
