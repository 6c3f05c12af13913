"""The unit of work: one session and one transaction, owned by the edge that opens it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wzt_bot.crypto import Keyring
from wzt_bot.db.outreach import SqlCheckinRepository, SqlFlagRepository, SqlOutbox
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

R = TypeVar("R")
_NEEDS_KEYRING: frozenset[type] = frozenset(
    {SqlFlagRepository, SqlUpdateInbox, SqlTeamRepository, SqlCheckinRepository, SqlOutbox}
)


class SqlUnitOfWork:
    """Repositories are made on first use: most updates touch only one or two of them."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], keyring: Keyring) -> None:
        self._sessionmaker = sessionmaker
        self._keyring = keyring
        self._session: AsyncSession | None = None
        self._repos: dict[type, Any] = {}

    def _repo(self, cls: type[R]) -> R:
        repo = self._repos.get(cls)
        if repo is None:
            repo = self._repos[cls] = (
                cls(self.session, self._keyring)  # type: ignore[call-arg]
                if cls in _NEEDS_KEYRING
                else cls(self.session)  # type: ignore[call-arg]
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

    async def __aenter__(self) -> Self:
        self._session = self._sessionmaker()
        self._repos.clear()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            if exc_type is not None:
                await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> AsyncSession:
        assert self._session is not None, "unit of work is not open"
        return self._session

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], keyring: Keyring) -> None:
        self.sessionmaker = sessionmaker
        self.keyring = keyring

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessionmaker, self.keyring)
