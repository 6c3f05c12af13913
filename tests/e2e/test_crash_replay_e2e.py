"""A process dies after answering an update but before "handled" committed; another process
handles the update again. The participant gets the answer once (the sent ledger), and the
buttons of that answer work in the new process.

The death is made exact: the handler runs and answers over the wire, then the unit of work
is cancelled where "handled" would be written, so nothing of the handler's work commits and
the update stays stored-but-unhandled, as after a SIGKILL. The first process then stops; a
second one (its own Container, memory and dialog state, same database and ledger) starts on
the same webhook and takes the update over once it is stale (after 1 s here).
bench/faults/webhook_kill.py does the same with a real SIGKILL under load.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import free_port, make_settings, wipe
from tests.e2e.conftest import FAST_FAKE, TOKEN, buttons, eventually
from wzt_bot.bot.middlewares import UnitOfWorkMiddleware
from wzt_bot.bot.sent_ledger import NOT_REPEATED
from wzt_bot.db.tables import TelegramUpdateRow
from wzt_bot.domain.models import Role
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import admin, onboarding, participants
from wzt_bot.sandbox.client import SandboxClient
from wzt_bot.sandbox.fake_telegram import FakeTelegram
from wzt_bot.wiring import Container, run_parts

SECRET = "crash-replay-secret-0123456789ab"


@dataclass
class Crash:
    """Cancels the next update's unit of work just before "handled" is written."""

    armed: bool = False
    crashed: list[int] | None = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = UnitOfWorkMiddleware._handled
        self.crashed = []

        async def handled(uow: UnitOfWork, ctx: Any, inbox_id: int, mode: str | None) -> None:
            if self.armed:
                self.armed = False
                assert self.crashed is not None
                self.crashed.append(inbox_id)
                raise asyncio.CancelledError  # the process is gone: no commit, no "failed"
            await original(uow, ctx, inbox_id, mode)

        monkeypatch.setattr(UnitOfWorkMiddleware, "_handled", staticmethod(handled))


@contextlib.asynccontextmanager
async def process(database_url: str, fake: FakeTelegram, port: int) -> AsyncIterator[Container]:
    settings = make_settings(
        database_url,
        bot_token=TOKEN,
        telegram_api_url=fake.base_url,
        bot_username=None,
        webhook_url=f"http://127.0.0.1:{port}",
        webhook_secret=SECRET,
        api_port=port,
        telegram_chat_rate=20.0,
        telegram_chat_burst=20,
        telegram_global_rate=200.0,
    )
    stop = asyncio.Event()
    async with Container.open(settings) as container:
        # Taken over 1 s after the claim (the setting's floor is 5 s; a test need not wait).
        container.build_bot().stale_after = timedelta(seconds=1)
        task = asyncio.create_task(run_parts(container, stop, {"bot"}))
        try:
            yield container
        finally:
            stop.set()
            await asyncio.wait_for(task, timeout=15)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(bot_token=TOKEN, bot_username="wzt_e2e_bot", **FAST_FAKE)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def _sends(sandbox: SandboxClient, chat: int, method: str = "sendMessage") -> int:
    return sum(
        1 for r in await sandbox.requests(method) if str(r["params"].get("chat_id")) == str(chat)
    )


async def _webhook_set(sandbox: SandboxClient) -> None:
    async def check() -> None:
        assert (await sandbox.stats())["webhook_url"], "webhook not registered yet"

    await eventually(check)


async def _done(container: Container, update_id: int) -> None:
    async def check() -> None:
        async with container.uow_factory() as uow:
            row = await uow.session.scalar(  # type: ignore[attr-defined]
                select(TelegramUpdateRow).where(TelegramUpdateRow.update_id == update_id)
            )
        assert row is not None and row.status == "done"

    await eventually(check, timeout=10)


async def test_an_answer_sent_before_a_crash_is_not_sent_again(
    database_url: str, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    crash = Crash()
    crash.install(monkeypatch)
    port, user = free_port(), 5301
    fake.create_user(user, first_name="Sam", language_code="nl")
    async with SandboxClient(fake.base_url) as sandbox:
        async with process(database_url, fake, port) as first:
            await wipe(first)
            await _webhook_set(sandbox)
            crash.armed = True
            await sandbox.send_text(user, "/start")
            await eventually(lambda: _has_crashed(crash))
            assert await _sends(sandbox, user) == 1  # answered, then "died"
        (update_id,) = crash.crashed or []
        before = NOT_REPEATED._value.get()
        async with process(database_url, fake, port) as second:
            await _done(second, update_id)  # handled again, by the new process
            assert NOT_REPEATED._value.get() == before + 1  # ... and its answer recognised
        assert await _sends(sandbox, user) == 1


async def test_a_dialog_answered_before_a_crash_goes_on_in_the_new_process(
    database_url: str, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/start with an invite code: the language choice went out, then the process died. The
    new process redeems the code again (nothing of it had committed), does not send the
    choice twice, and points its buttons at its own dialog: pressing one works."""
    crash = Crash()
    crash.install(monkeypatch)
    port, user = free_port(), 5302
    fake.create_user(user, first_name="Sam", language_code="nl")
    async with SandboxClient(fake.base_url) as sandbox:
        async with process(database_url, fake, port) as first:
            await wipe(first)
            async with first.uow_factory() as uow:
                team = await admin.create_team(uow, name="Team", network_name="Netwerk")
                staff = await admin.create_staff(
                    uow, name="Cm", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
                )
                issued = await participants.create_participant(
                    uow, first.clock, staff.staff, display_name="Sam", team_id=team.id
                )
                await uow.commit()
            await _webhook_set(sandbox)
            crash.armed = True
            await sandbox.send_text(user, f"/start {issued.code}", language_code="nl")
            await eventually(lambda: _has_crashed(crash))
            sent = await _sends(sandbox, user)
            history = await sandbox.bot_messages(user)
            assert "Nederlands" in buttons(history[-1])
            async with first.uow_factory() as uow:  # the redemption did not commit
                assert await onboarding.participant_for_user(uow, user) is None
        (update_id,) = crash.crashed or []
        async with process(database_url, fake, port) as second:
            await _done(second, update_id)
            assert await _sends(sandbox, user) == sent  # the choice was not sent again
            assert await _sends(sandbox, user, "editMessageReplyMarkup") >= 1
            async with second.uow_factory() as uow:  # redeemed by the new process
                assert await onboarding.participant_for_user(uow, user) is not None
            t = second.i18n.get("nl")
            await sandbox.press(user, "Nederlands")
            await sandbox.wait_for(
                user,
                lambda h: any(
                    t("Dit doe ik:") in str(m.get("text") or "")
                    for m in h["messages"]
                    if m["from"] == "bot"
                ),
                timeout=10,
            )


async def _has_crashed(crash: Crash) -> None:
    assert crash.crashed, "the update has not reached its commit yet"
