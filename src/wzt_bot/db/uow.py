"""The unit of work: one connection and one transaction, owned by the edge that opens it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar, cast

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from wzt_bot.crypto import Keyring
from wzt_bot.db.fast import FastStatement
from wzt_bot.db.feedback import SqlFeedbackRepository
from wzt_bot.db.outreach import SqlCheckinRepository, SqlFlagRepository, SqlOutbox
from wzt_bot.db.plan import SqlComplaintRepository, SqlPlanRepository
from wzt_bot.db.repositories import (
    SqlAuditRepository,
    SqlConsentRepository,
    SqlInviteAttemptRepository,
    SqlInviteRepository,
    SqlNetworkRepository,
    SqlParticipantRepository,
    SqlStaffRepository,
    SqlTeamRepository,
    SqlTelegramLinkRepository,
    SqlUpdateInbox,
)
from wzt_bot.db.rights import SqlRightsRepository
from wzt_bot.db.sqlite_driver import run_alone

log = structlog.get_logger(__name__)
R = TypeVar("R")
_NEEDS_KEYRING: frozenset[type] = frozenset(
    {
        SqlFlagRepository,
        SqlUpdateInbox,
        SqlTeamRepository,
        SqlNetworkRepository,
        SqlCheckinRepository,
        SqlOutbox,
        SqlPlanRepository,
        SqlComplaintRepository,
        SqlFeedbackRepository,
    }
)


class SqlUnitOfWork:
    """A pooled connection, and an ORM session on it only when a repository needs one.

    The per-update hot path (who is this participant, their consents, record the update as
    handled) runs Core statements on the connection; the ORM session (made on first use,
    bound to the same connection) joins the same transaction, so a commit commits both and a
    rollback rolls back both. Repositories are made on first use: most updates touch only one
    or two of them.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        keyring: Keyring,
    ) -> None:
        self._engine = engine
        self._sessionmaker = sessionmaker
        self._keyring = keyring
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._repos: dict[type, Any] = {}
        self._at_commit: list[tuple[FastStatement, dict[str, Any]]] = []

    def _repo(self, cls: type[R]) -> R:
        repo = self._repos.get(cls)
        if repo is None:
            repo = self._repos[cls] = (
                cls(self, self._keyring)  # type: ignore[call-arg]
                if cls in _NEEDS_KEYRING
                else cls(self)  # type: ignore[call-arg]
            )
        return cast("R", repo)

    @property
    def networks(self) -> SqlNetworkRepository:
        return self._repo(SqlNetworkRepository)

    @property
    def teams(self) -> SqlTeamRepository:
        return self._repo(SqlTeamRepository)

    @property
    def staff(self) -> SqlStaffRepository:
        return self._repo(SqlStaffRepository)

    @property
    def participants(self) -> SqlParticipantRepository:
        return self._repo(SqlParticipantRepository)

    @property
    def invites(self) -> SqlInviteRepository:
        return self._repo(SqlInviteRepository)

    @property
    def invite_attempts(self) -> SqlInviteAttemptRepository:
        return self._repo(SqlInviteAttemptRepository)

    @property
    def links(self) -> SqlTelegramLinkRepository:
        return self._repo(SqlTelegramLinkRepository)

    @property
    def consents(self) -> SqlConsentRepository:
        return self._repo(SqlConsentRepository)

    @property
    def flags(self) -> SqlFlagRepository:
        return self._repo(SqlFlagRepository)

    @property
    def audit(self) -> SqlAuditRepository:
        return self._repo(SqlAuditRepository)

    @property
    def updates(self) -> SqlUpdateInbox:
        return self._repo(SqlUpdateInbox)

    @property
    def checkins(self) -> SqlCheckinRepository:
        return self._repo(SqlCheckinRepository)

    @property
    def outbox(self) -> SqlOutbox:
        return self._repo(SqlOutbox)

    @property
    def plans(self) -> SqlPlanRepository:
        return self._repo(SqlPlanRepository)

    @property
    def complaints(self) -> SqlComplaintRepository:
        return self._repo(SqlComplaintRepository)

    @property
    def feedback(self) -> SqlFeedbackRepository:
        return self._repo(SqlFeedbackRepository)

    @property
    def rights(self) -> SqlRightsRepository:
        return self._repo(SqlRightsRepository)

    async def __aenter__(self) -> Self:
        self._connection = await self._engine.connect()
        self._session = None
        self._repos.clear()
        self._at_commit = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self.connection
        try:
            if exc_type is not None:
                await self.rollback()
        finally:
            try:
                if self._session is not None:
                    await self._session.close()
            finally:
                self._session = None
                self._connection = None
                await connection.close()  # anything not committed is rolled back

    @property
    def connection(self) -> AsyncConnection:
        """The unit of work's connection: Core statements in its transaction."""
        assert self._connection is not None, "unit of work is not open"
        return self._connection

    @property
    def session(self) -> AsyncSession:
        """The ORM session, on the same connection and in the same transaction."""
        if self._session is None:
            # Joins the connection's transaction if one is begun (see `commit`).
            self._session = self._sessionmaker(bind=self.connection)
        return self._session

    @property
    def open_session(self) -> AsyncSession | None:
        return self._session

    def _driver(self) -> Any:
        """The driver's own connection (asyncpg's, or aiosqlite's) under this one's."""
        sync = self.connection.sync_connection
        assert sync is not None, "unit of work is not open"
        return sync.connection.driver_connection  # checked out already: no I/O

    async def fast_row(self, statement: FastStatement, params: dict[str, Any]) -> Any | None:
        """The first row of a read, run directly on the driver (see `db.fast`): the same
        values as through SQLAlchemy; through SQLAlchemy when the direct call fails."""
        rows = await self._fast(statement, params, one=True)
        return rows[0] if rows else None

    async def fast_rows(self, statement: FastStatement, params: dict[str, Any]) -> list[Any]:
        """Every row of a read, as `fast_row`."""
        return await self._fast(statement, params, one=False)

    async def _fast(
        self, statement: FastStatement, params: dict[str, Any], *, one: bool
    ) -> list[Any]:
        connection = self.connection
        dialect = connection.dialect
        compiled = statement.compiled(dialect)
        try:
            driver = self._driver()
            if dialect.name == "postgresql":
                args = compiled.args(params)
                if one:
                    first = await driver.fetchrow(compiled.sql, *args)
                    values = [] if first is None else [first]
                else:
                    values = await driver.fetch(compiled.sql, *args)
            elif dialect.name == "sqlite":
                # Here on the event loop, as sqlite_driver runs every read.
                cursor = driver._conn.execute(compiled.sql, compiled.args(params))
                try:
                    values = [cursor.fetchone()] if one else cursor.fetchall()
                finally:
                    cursor.close()
                values = [v for v in values if v is not None]
            else:
                return await self._through_sqlalchemy(statement, params, one=one)
        except Exception as error:
            log.info("db.fast_read_fell_back", error=type(error).__name__)
            return await self._through_sqlalchemy(statement, params, one=one)
        return [compiled.read(v) for v in values]

    async def _through_sqlalchemy(
        self, statement: FastStatement, params: dict[str, Any], *, one: bool
    ) -> list[Any]:
        result = await self.connection.execute(statement.statement, params)
        if one:
            row = result.first()
            return [] if row is None else [row]
        return list(result)

    async def at_commit(self, statement: FastStatement, params: dict[str, Any]) -> None:
        """A write that belongs to this transaction, run when it commits (dropped by a
        rollback, or when the unit of work closes without a commit).

        When nothing else was done through SQLAlchemy by then (no statement, no ORM
        session: a read-only update, most of them), it runs directly on the driver as a
        transaction of its own: on PostgreSQL one round trip instead of BEGIN, the statement
        and COMMIT; on SQLite one trip to aiosqlite's thread. Else it runs in the unit of
        work's transaction, just before its commit."""
        self._at_commit.append((statement, params))

    async def _run_at_commit(self) -> None:
        pending, self._at_commit = self._at_commit, []
        if not pending:
            return
        connection = self.connection
        if len(pending) == 1 and self._session is None and not connection.in_transaction():
            statement, params = pending[0]
            try:
                if await self._alone(statement, params):
                    return
            except Exception as error:  # SQLAlchemy runs it below, and raises what is wrong
                log.info("db.fast_write_fell_back", error=type(error).__name__)
        for statement, params in pending:
            await connection.execute(statement.statement, params)

    async def _alone(self, statement: FastStatement, params: dict[str, Any]) -> bool:
        dialect = self.connection.dialect
        driver = self._driver()
        compiled = statement.compiled(dialect)
        if dialect.name == "postgresql" and not driver.is_in_transaction():
            await driver.execute(compiled.sql, *compiled.args(params))
            return True
        if dialect.name == "sqlite":
            return await run_alone(driver, compiled.sql, compiled.args(params))
        return False

    async def commit(self) -> None:
        await self._run_at_commit()
        if self._session is not None:
            # Flushes; commits the transaction when the session began it, else leaves it to
            # the connection below (a session joining a begun transaction never commits it).
            await self._session.commit()
        await self.connection.commit()

    async def rollback(self) -> None:
        self._at_commit = []
        if self._session is not None:
            await self._session.rollback()
        await self.connection.rollback()


class SqlUnitOfWorkFactory:
    def __init__(
        self,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        keyring: Keyring,
    ) -> None:
        self.engine = engine
        self.sessionmaker = sessionmaker
        self.keyring = keyring

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.sessionmaker, self.keyring)
