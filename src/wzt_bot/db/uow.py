"""The unit of work: one session and one transaction, owned by the edge that opens it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wzt_bot.crypto import Keyring
from wzt_bot.db.repositories import (
    SqlAuditRepository,
    SqlConsentRepository,
    SqlFlagRepository,
    SqlInviteAttemptRepository,
    SqlInviteRepository,
    SqlNetworkRepository,
    SqlParticipantRepository,
    SqlStaffRepository,
    SqlTeamRepository,
    SqlTelegramLinkRepository,
    SqlUpdateInbox,
)


class SqlUnitOfWork:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], keyring: Keyring) -> None:
        self._sessionmaker = sessionmaker
        self._keyring = keyring
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        s = self._sessionmaker()
        self._session = s
        self.networks = SqlNetworkRepository(s)
        self.teams = SqlTeamRepository(s)
        self.staff = SqlStaffRepository(s)
        self.participants = SqlParticipantRepository(s)
        self.invites = SqlInviteRepository(s)
        self.invite_attempts = SqlInviteAttemptRepository(s)
        self.links = SqlTelegramLinkRepository(s)
        self.consents = SqlConsentRepository(s)
        self.flags = SqlFlagRepository(s, self._keyring)
        self.audit = SqlAuditRepository(s)
        self.updates = SqlUpdateInbox(s, self._keyring)
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
