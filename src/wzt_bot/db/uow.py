"""The unit of work: one connection and one transaction, owned by the edge that opens it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from wzt_bot.crypto import Keyring
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

    async def commit(self) -> None:
        if self._session is not None:
            # Flushes; commits the transaction when the session began it, else leaves it to
            # the connection below (a session joining a begun transaction never commits it).
            await self._session.commit()
        await self.connection.commit()

    async def rollback(self) -> None:
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
