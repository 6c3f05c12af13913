"""A network's own explanations of "Waar heb ik recht op?", one row per topic."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, select

from wzt_bot.db.repositories import _Repo
from wzt_bot.db.tables import NetworkRightsRow


class SqlRightsRepository(_Repo):
    async def for_network(self, network_id: uuid.UUID) -> dict[str, tuple[str, date | None]]:
        rows = await self.s.scalars(
            select(NetworkRightsRow).where(NetworkRightsRow.network_id == network_id)
        )
        return {r.topic: (r.text, r.last_verified) for r in rows}

    async def replace(
        self, network_id: uuid.UUID, texts: dict[str, tuple[str, date | None]]
    ) -> None:
        await self.s.execute(
            delete(NetworkRightsRow).where(NetworkRightsRow.network_id == network_id)
        )
        for topic, (text, verified) in texts.items():
            self.s.add(
                NetworkRightsRow(
                    network_id=network_id, topic=topic, text=text, last_verified=verified
                )
            )
        await self.s.flush()
