"""Participants' own words are unreadable in the raw database file without the key."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from tests.e2e.conftest import FAST_FAKE, eventually, onboard, running_bot
from wzt_bot.db.tables import TelegramUpdateRow


async def test_free_text_is_not_in_the_database_file(sqlite_url: str) -> None:
    secret_words = "Mijn-geheime-zorg-over-de-schuldbemiddeling-XYZZY"
    async with running_bot(sqlite_url, fake_kwargs=FAST_FAKE) as h:
        user = 7001
        await onboard(h, user)
        await h.sandbox.send_text(user, secret_words)
        await h.wait_text(user, "Wil je dit naar je team sturen?")  # offered, not yet sent

        async def all_handled() -> None:
            async with h.container.uow_factory() as uow:
                statuses = await uow.session.scalars(  # type: ignore[attr-defined]
                    select(TelegramUpdateRow.status)
                )
                assert set(statuses) == {"done"}

        await eventually(all_handled)
    database = Path(make_url(sqlite_url).database or "")
    raw = b"".join(p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists())
    assert raw, "the database file is there"
    assert secret_words.encode() not in raw
    assert b"Sam" in raw  # the display name is plain data the team gave us
