"""Onboarding use cases against the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import InviteRow, StaffRow, TelegramUpdateRow
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.models import ConsentKind, ParticipantStatus, Role
from wzt_bot.domain.services import admin, onboarding, participants
from wzt_bot.wiring import Container

START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


async def _setup(container: Container) -> tuple[uuid.UUID, admin.CreatedStaff]:
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team Gent", network_name="Netwerk Oost")
        staff = await admin.create_staff(
            uow, name="An", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        await uow.commit()
    return team.id, staff


async def _participant(container: Container, clock: FrozenClock) -> participants.IssuedInvite:
    team_id, created = await _setup(container)
    async with container.uow_factory() as uow:
        issued = await participants.create_participant(
            uow, clock, created.staff, display_name="  Sam   Peeters ", team_id=team_id
        )
        await uow.commit()
    return issued


async def test_tokens_and_codes_are_stored_only_as_hashes(container: Container) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)
    assert issued.participant.display_name == "Sam Peeters"
    async with container.uow_factory() as uow:
        session = uow.session  # type: ignore[attr-defined]
        codes = (await session.scalars(select(InviteRow.code_hash))).all()
        tokens = (await session.scalars(select(StaffRow.token_hash))).all()
    assert issued.code not in codes and len(codes) == 1 and len(codes[0]) == 64
    assert all(not t.startswith("wzt_") for t in tokens)


async def test_redeem_links_once_and_only_once(container: Container) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)
    async with container.uow_factory() as uow:
        linked = await onboarding.redeem_invite(
            uow, clock, telegram_user_id=1001, chat_id=1001, code=issued.code
        )
        await uow.commit()
    assert linked.participant.id == issued.participant.id
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError) as used:
            await onboarding.redeem_invite(
                uow, clock, telegram_user_id=2002, chat_id=2002, code=issued.code
            )
        await uow.commit()
    assert used.value.code is ErrorCode.INVITE_INVALID
    async with container.uow_factory() as uow:
        found = await onboarding.participant_for_user(uow, 1001)
        assert found is not None and found.id == issued.participant.id
        assert await onboarding.participant_for_user(uow, 2002) is None


async def test_new_code_revokes_old_and_relinks(container: Container) -> None:
    clock = FrozenClock(START)
    team_id, created = await _setup(container)
    async with container.uow_factory() as uow:
        first = await participants.create_participant(
            uow, clock, created.staff, display_name="Sam", team_id=team_id
        )
        second = await participants.reissue_invite(uow, clock, created.staff, first.participant.id)
        await uow.commit()
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError):
            await onboarding.redeem_invite(
                uow, clock, telegram_user_id=5, chat_id=5, code=first.code
            )
        await uow.commit()
    async with container.uow_factory() as uow:
        await onboarding.redeem_invite(uow, clock, telegram_user_id=5, chat_id=5, code=second.code)
        await uow.commit()
    # A third code, used from another phone: the old link ends, one active link remains.
    async with container.uow_factory() as uow:
        third = await participants.reissue_invite(uow, clock, created.staff, first.participant.id)
        await onboarding.redeem_invite(uow, clock, telegram_user_id=6, chat_id=6, code=third.code)
        await uow.commit()
    async with container.uow_factory() as uow:
        link = await uow.links.active_for_participant(first.participant.id)
        assert link is not None and link.telegram_user_id == 6
        assert await uow.links.active_for_user(5) is None


async def test_expired_code_is_refused(container: Container) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)
    clock.advance(timedelta(days=14, seconds=1))
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError) as error:
            await onboarding.redeem_invite(
                uow, clock, telegram_user_id=9, chat_id=9, code=issued.code
            )
    assert error.value.code is ErrorCode.INVITE_INVALID


async def test_five_failures_lock_the_account_for_the_hour(container: Container) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)
    for attempt in range(5):
        async with container.uow_factory() as uow:
            with pytest.raises(DomainError) as error:
                await onboarding.redeem_invite(
                    uow, clock, telegram_user_id=66, chat_id=66, code=f"wrong-code-{attempt:04d}"
                )
            await uow.commit()
        assert error.value.code is ErrorCode.INVITE_INVALID
    # The sixth try is refused, even with the valid code, and the code is not consumed.
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError) as error:
            await onboarding.redeem_invite(
                uow, clock, telegram_user_id=66, chat_id=66, code=issued.code
            )
        await uow.commit()
    assert error.value.code is ErrorCode.INVITE_THROTTLED
    # Its owner (another account) can still use it.
    async with container.uow_factory() as uow:
        linked = await onboarding.redeem_invite(
            uow, clock, telegram_user_id=77, chat_id=77, code=issued.code
        )
        await uow.commit()
    assert linked.participant.id == issued.participant.id
    # After the hour the first account may try again (and gets the ordinary answer).
    clock.advance(timedelta(hours=1, seconds=1))
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError) as error:
            await onboarding.redeem_invite(
                uow, clock, telegram_user_id=66, chat_id=66, code="still-wrong-0000"
            )
    assert error.value.code is ErrorCode.INVITE_INVALID


async def test_locale_consent_stop_and_contact(container: Container) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)
    async with container.uow_factory() as uow:
        linked = await onboarding.redeem_invite(
            uow, clock, telegram_user_id=3, chat_id=3, code=issued.code
        )
        p = await onboarding.set_locale(uow, clock, linked.participant, "ar")
        await onboarding.record_consent(
            uow, clock, p, kind=ConsentKind.CHECKIN_MESSAGES, granted=True
        )
        await onboarding.set_proactive_paused(uow, clock, p, paused=True)
        flag1 = await onboarding.request_contact(uow, clock, p, source="menu:plan")
        flag2 = await onboarding.request_contact(uow, clock, p, source="menu:checkin")
        with pytest.raises(DomainError):
            await onboarding.set_locale(uow, clock, p, "xx")
        await uow.commit()
    assert flag1.id == flag2.id  # one open contact request, not a pile
    async with container.uow_factory() as uow:
        stored = await uow.participants.get(issued.participant.id)
        consents = await uow.consents.latest_for(issued.participant.id)
        audit = await uow.audit.for_participant(issued.participant.id)
    assert stored is not None and stored.locale == "ar" and stored.proactive_paused
    assert stored.status is ParticipantStatus.ACTIVE and stored.onboarded_at == START
    assert consents[0].granted and consents[0].text_version
    actions = [a.action for a in audit]
    assert "participant.create" in actions and "telegram.link" in actions
    assert "consent.checkin_messages.yes" in actions and "flag.contact_request" in actions


async def test_other_team_is_invisible_and_analyst_sees_no_participants(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)
    async with container.uow_factory() as uow:
        other_team = await admin.create_team(uow, name="Team Brugge", network_name="Netwerk West")
        outsider = await admin.create_staff(
            uow, name="Bo", role=Role.TEAMLEAD, team_ids=frozenset({other_team.id})
        )
        analyst = await admin.create_staff(
            uow, name="Cas", role=Role.NETWORK_ANALYST, team_ids=frozenset({other_team.id})
        )
        boss = await admin.create_staff(uow, name="Dee", role=Role.ADMIN, team_ids=frozenset())
        await uow.commit()
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError) as hidden:
            await participants.view_participant(uow, clock, outsider.staff, issued.participant.id)
        assert hidden.value.code is ErrorCode.NOT_FOUND
        with pytest.raises(DomainError) as forbidden:
            await participants.list_participants(uow, clock, analyst.staff, offset=0, limit=10)
        assert forbidden.value.code is ErrorCode.FORBIDDEN
        view = await participants.view_participant(uow, clock, boss.staff, issued.participant.id)
        assert view.invite is not None
        with pytest.raises(DomainError):
            await admin.create_staff(uow, name="X", role=Role.CASEMANAGER, team_ids=frozenset())
        with pytest.raises(DomainError):
            await admin.create_staff(
                uow, name="X", role=Role.CASEMANAGER, team_ids=frozenset({uuid.uuid4()})
            )


async def test_update_inbox_stores_encrypted_and_once(container: Container) -> None:
    clock = FrozenClock(START)
    payload = '{"update_id": 5, "message": {"text": "Ik zie het niet meer zitten"}}'
    async with container.uow_factory() as uow:
        assert await uow.updates.store(5, payload, clock.now())
        assert not await uow.updates.store(5, payload, clock.now())
        await uow.commit()
    async with container.uow_factory() as uow:
        row = await uow.session.get(TelegramUpdateRow, 5)  # type: ignore[attr-defined]
        assert row is not None and row.payload_ct is not None
        assert b"zitten" not in row.payload_ct
        assert await uow.updates.stale(clock.now(), 10) == []
        later = clock.now() + timedelta(minutes=5)
        stale = await uow.updates.stale(later, 10)
        assert stale == [(5, payload)]
        assert await uow.updates.claim_stale(5, stale_before=later, now=later)
        assert not await uow.updates.claim_stale(5, stale_before=later, now=later)
        await uow.updates.mark_done(5, later)
        await uow.commit()
    async with container.uow_factory() as uow:
        row = await uow.session.get(TelegramUpdateRow, 5)  # type: ignore[attr-defined]
        assert row is not None and row.status == "done" and row.payload_ct is None
        assert await uow.updates.purge_before(later + timedelta(days=8)) == 1
        await uow.commit()


async def test_polling_claims_and_failures_are_recorded(container: Container) -> None:
    clock = FrozenClock(START)
    async with container.uow_factory() as uow:
        assert await uow.updates.recorded([10, 11, 12]) == set()
        await uow.updates.claim(10, clock.now())
        await uow.updates.claim(10, clock.now())  # a repeat: no error, one row
        await uow.updates.record_failed(11, '{"update_id": 11, "text": "geheim"}', clock.now())
        await uow.updates.record_failed(11, '{"update_id": 11, "text": "geheim"}', clock.now())
        await uow.commit()
    async with container.uow_factory() as uow:
        assert await uow.updates.recorded([10, 11, 12]) == {10, 11}
        failed = await uow.session.get(TelegramUpdateRow, 11)  # type: ignore[attr-defined]
        claimed = await uow.session.get(TelegramUpdateRow, 10)  # type: ignore[attr-defined]
    assert failed is not None and failed.status == "failed"
    assert failed.payload_ct is not None and b"geheim" not in failed.payload_ct
    assert claimed is not None and claimed.status == "done" and claimed.payload_ct is None
    async with container.uow_factory() as uow:
        await uow.updates.claim(12, clock.now())
        await uow.rollback()  # the claim goes with the transaction (also when written late)
        await uow.commit()
    async with container.uow_factory() as uow:
        await uow.updates.claim(13, clock.now())  # closed without a commit: not recorded
    async with container.uow_factory() as uow:
        assert await uow.updates.recorded([10, 11, 12, 13]) == {10, 11}


async def test_two_accounts_racing_for_one_code_link_once(container: Container) -> None:
    clock = FrozenClock(START)
    issued = await _participant(container, clock)

    async def redeem(user: int) -> bool:
        async with container.uow_factory() as uow:
            try:
                await onboarding.redeem_invite(
                    uow, clock, telegram_user_id=user, chat_id=user, code=issued.code
                )
                await uow.commit()
            except DomainError:
                await uow.commit()
                return False
            except IntegrityError:
                return False  # the unique index caught the race
        return True

    results = await asyncio.gather(redeem(501), redeem(502))
    assert sorted(results) == [False, True]
    async with container.uow_factory() as uow:
        link = await uow.links.active_for_participant(issued.participant.id)
    assert link is not None and link.telegram_user_id in (501, 502)


async def test_an_unreadable_stored_update_is_set_aside_not_retried(container: Container) -> None:
    clock = FrozenClock(START)
    async with container.uow_factory() as uow:
        await uow.updates.store(77, '{"update_id": 77}', clock.now())
        await uow.updates.store(78, '{"update_id": 78}', clock.now())
        row = await uow.session.get(TelegramUpdateRow, 77)  # type: ignore[attr-defined]
        assert row is not None
        row.key_id = "gone-key"  # as if WZT_SECRET_KEY was rotated without keeping the old one
        await uow.commit()
    later = clock.now() + timedelta(minutes=30)
    async with container.uow_factory() as uow:
        assert [u for u, _ in await uow.updates.stale(later, 10)] == [78]
        await uow.commit()
    async with container.uow_factory() as uow:
        row = await uow.session.get(TelegramUpdateRow, 77)  # type: ignore[attr-defined]
        assert row is not None and row.status == "failed"
        assert [u for u, _ in await uow.updates.stale(later, 10)] == [78]
