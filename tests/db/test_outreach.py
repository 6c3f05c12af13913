"""Check-ins, flags, the outbox and its sender against the real databases."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fakes.outreach import FakeNotifier, FakeRelay, World, at, linked_participant
from wzt_bot.clock import FrozenClock, SystemClock
from wzt_bot.domain.errors import DomainError
from wzt_bot.domain.models import (
    Author,
    CheckinStatus,
    FlagKind,
    FlagRisk,
    FlagStatus,
    FlagUrgency,
    OutboxStatus,
    Topic,
)
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import checkins, flags, onboarding
from wzt_bot.domain.services.delivery import CLAIM_LEASE, SENDING_LEASE, Sender
from wzt_bot.scheduler.jobs import outreach_tick
from wzt_bot.wiring import Container

BRU = ZoneInfo("Europe/Brussels")
START = datetime(2026, 11, 23, 10, 0, tzinfo=BRU)  # Monday morning


async def _tick(container: Container, clock: FrozenClock) -> None:
    await outreach_tick(container.uow_factory, clock, BRU)


async def test_checkin_is_planned_sent_once_and_answered(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    await _tick(container, clock)
    async with container.uow_factory() as uow:
        [planned] = await uow.checkins.latest_for(world.participant.id, 5)
    assert planned.status is CheckinStatus.SCHEDULED
    assert planned.due_at.astimezone(BRU) == datetime(2026, 12, 7, 10, 0, tzinfo=BRU)

    notifier = FakeNotifier()
    sender = Sender(container.uow_factory, clock, notifier)
    at(clock, planned.due_at + timedelta(minutes=1))
    for _ in range(2):  # a second run for the same time sends nothing twice
        await _tick(container, clock)
        await sender.drain()
    assert [m.kind for m in notifier.sent] == ["regular"]
    assert notifier.sent[0].payload["name"] == "Sam"
    async with container.uow_factory() as uow:
        answered = await checkins.answer(uow, clock, world.participant, planned.id, score=2)
        assert checkins.asks_for_contact(answered)
        flag = await checkins.want_contact(uow, clock, world.participant, planned.id, yes=True)
        await uow.commit()
    assert flag is not None and flag.kind is FlagKind.CHECKIN_LOW


async def test_quiet_hours_are_never_broken(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    await _tick(container, clock)
    async with container.uow_factory() as uow:
        [planned] = await uow.checkins.latest_for(world.participant.id, 5)
    # The scheduler was down: it runs again on Saturday at 22:30.
    at(clock, datetime(2026, 12, 12, 22, 30, tzinfo=BRU))
    notifier = FakeNotifier()
    await _tick(container, clock)
    await Sender(container.uow_factory, clock, notifier).drain()
    assert notifier.sent == []
    at(clock, datetime(2026, 12, 14, 9, 0, tzinfo=BRU))  # Monday 09:00
    await _tick(container, clock)
    await Sender(container.uow_factory, clock, notifier).drain()
    assert len(notifier.sent) == 1
    assert planned.id.hex in str(notifier.sent[0].payload["checkin_id"]).replace("-", "")


async def test_queued_in_the_evening_waits_for_the_morning(container: Container) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 19, 59, tzinfo=BRU))
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        await checkins.replan(uow, clock, BRU, world.participant)
        [planned] = await uow.checkins.latest_for(world.participant.id, 1)
        planned.due_at = clock.now()
        await uow.checkins.update(planned)
        await uow.commit()
    await _tick(container, clock)  # queued at 19:59 ...
    at(clock, datetime(2026, 11, 23, 20, 5, tzinfo=BRU))  # ... but the sender ran at 20:05
    notifier = FakeNotifier()
    report = await Sender(container.uow_factory, clock, notifier).drain()
    assert notifier.sent == [] and report.deferred == 1
    at(clock, datetime(2026, 11, 24, 9, 0, tzinfo=BRU))
    await Sender(container.uow_factory, clock, notifier).drain()
    assert len(notifier.sent) == 1


async def test_silence_gives_one_reminder_then_a_no_contact_flag(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    notifier = FakeNotifier()
    sender = Sender(container.uow_factory, clock, notifier)
    for _ in range(3):
        await _tick(container, clock)
        async with container.uow_factory() as uow:
            [nxt] = [
                c
                for c in await uow.checkins.latest_for(world.participant.id, 5)
                if c.status is CheckinStatus.SCHEDULED
            ]
        at(clock, nxt.due_at)
        await _tick(container, clock)
        await sender.drain()
        clock.advance(timedelta(hours=49))
        await _tick(container, clock)
        await sender.drain()
    kinds = [m.kind for m in notifier.sent]
    assert kinds == ["regular", "reminder"] * 3
    async with container.uow_factory() as uow:
        open_flags = await uow.flags.open_for(world.participant.id)
    no_contact = [f for f in open_flags if f.kind is FlagKind.NO_CONTACT]
    assert len(no_contact) == 1  # raised once, after 2 unanswered in a row


async def test_nothing_without_consent_or_after_stop(container: Container) -> None:
    clock = FrozenClock(START)
    no = await linked_participant(container, clock, consent=False, user_id=5002)
    yes = await linked_participant(container, clock, user_id=5003)
    async with container.uow_factory() as uow:
        await onboarding.set_proactive_paused(uow, clock, yes.participant, paused=True)
        await uow.commit()
    await _tick(container, clock)
    async with container.uow_factory() as uow:
        assert await uow.checkins.latest_for(no.participant.id, 5) == []
        assert await uow.checkins.latest_for(yes.participant.id, 5) == []


async def test_blocked_participant_is_marked_and_flagged(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        await onboarding.mark_unreachable(uow, clock, world.chat_id)
        await uow.commit()
    async with container.uow_factory() as uow:
        participant = await uow.participants.get(world.participant.id)
        kinds = [f.kind for f in await uow.flags.open_for(world.participant.id)]
    assert participant is not None and participant.unreachable
    assert kinds == [FlagKind.UNREACHABLE]


async def _one_reply(container: Container, clock: FrozenClock) -> None:
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        await flags.reply(uow, clock, world.staff, (await _flag(uow, clock, world)).id, "Hallo!")
        await uow.commit()


async def test_a_claim_that_never_left_is_sent_once_after_its_lease(container: Container) -> None:
    clock = FrozenClock(START)
    await _one_reply(container, clock)
    # A sender claims the message and dies before the rate limiter let it go.
    async with container.uow_factory() as uow:
        claimed = await uow.outbox.claim(clock.now(), 10, "dead-sender", at=clock.now())
        await uow.commit()
    assert len(claimed) == 1
    notifier = FakeNotifier()
    sender = Sender(container.uow_factory, clock, notifier)
    assert (await sender.drain()).claimed == 0
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))
    assert await sender.expire_claims() == (1, 0)
    await sender.drain()
    assert len(notifier.sent) == 1


async def test_settle_delivers_a_dead_senders_claims_once_their_lease_ends(
    container: Container,
) -> None:
    """`jobs run-once` after a kill: the dead sender's claims are released after the lease
    and then delivered in the same run, not left pending (the check-in wave bench once
    ended with 50 such messages undelivered)."""
    clock = FrozenClock(START)
    for _ in range(3):
        await _one_reply(container, clock)
    async with container.uow_factory() as uow:
        claimed = await uow.outbox.claim(clock.now(), 2, "dead-sender", at=datetime.now(BRU))
        await uow.commit()
    assert len(claimed) == 2
    notifier = FakeNotifier()
    sender = Sender(
        container.uow_factory,
        clock,
        notifier,
        lease_clock=SystemClock(),
        claim_lease=timedelta(seconds=1),
    )
    report = await asyncio.wait_for(sender.settle(poll=0.2), timeout=10)
    assert len(notifier.sent) == 3 and report.sent == 3
    async with container.uow_factory() as uow:
        assert await uow.outbox.counts() == {OutboxStatus.SENT.value: 3}


async def test_the_leases_can_be_shortened(container: Container) -> None:
    """WZT_OUTBOX_CLAIM_LEASE / WZT_OUTBOX_SENDING_LEASE: a dead sender's work is settled
    that soon (a bench or a small deployment need not wait 30 s / 2 min)."""
    clock = FrozenClock(START)
    await _one_reply(container, clock)
    await _one_reply(container, clock)
    async with container.uow_factory() as uow:
        first, _second = await uow.outbox.claim(clock.now(), 10, "dead-sender", at=clock.now())
        assert await uow.outbox.mark_sending(first.id, "dead-sender", clock.now())
        await uow.commit()
    sender = Sender(
        container.uow_factory,
        clock,
        FakeNotifier(),
        claim_lease=timedelta(seconds=3),
        sending_lease=timedelta(seconds=6),
    )
    clock.advance(timedelta(seconds=4))
    assert await sender.expire_claims() == (1, 0)  # the claim; not yet the one on the wire
    clock.advance(timedelta(seconds=3))
    assert await sender.expire_claims() == (0, 1)


async def test_on_the_wire_when_the_sender_died_is_never_sent_twice(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    await _one_reply(container, clock)
    async with container.uow_factory() as uow:
        [claimed] = await uow.outbox.claim(clock.now(), 10, "dead-sender", at=clock.now())
        assert await uow.outbox.mark_sending(claimed.id, "dead-sender", clock.now())
        assert not await uow.outbox.mark_sending(claimed.id, "other-sender", clock.now())
        await uow.commit()
    notifier = FakeNotifier()
    sender = Sender(container.uow_factory, clock, notifier)
    clock.advance(SENDING_LEASE + timedelta(seconds=1))
    assert await sender.expire_claims() == (0, 1)
    await sender.drain()
    assert notifier.sent == []
    async with container.uow_factory() as uow:
        assert (await uow.outbox.counts()).get("uncertain") == 1


async def test_a_claim_taken_over_is_not_sent_by_its_first_sender(container: Container) -> None:
    clock = FrozenClock(START)
    await _one_reply(container, clock)
    async with container.uow_factory() as uow:
        [claimed] = await uow.outbox.claim(clock.now(), 10, "slow-sender", at=clock.now())
        await uow.commit()
    clock.advance(CLAIM_LEASE + timedelta(seconds=1))
    notifier = FakeNotifier()
    sender = Sender(container.uow_factory, clock, notifier)
    await sender.expire_claims()
    await sender.drain()  # the second sender sends it
    async with container.uow_factory() as uow:  # the first one wakes up: its claim is gone
        assert not await uow.outbox.mark_sending(claimed.id, "slow-sender", clock.now())
    assert len(notifier.sent) == 1


async def _flag(uow, clock, world):  # type: ignore[no-untyped-def]
    return await flags.raise_flag(
        uow,
        clock,
        world.participant,
        kind=FlagKind.CONCERN,
        urgency=FlagUrgency.NORMAL,
        source="test",
        topic=Topic.GELD,
        words=flags.Words(text="Ik heb een vraag over mijn vergoeding."),
    )


async def test_transient_errors_back_off_and_blocked_cancels(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        flag = await _flag(uow, clock, world)
        await flags.reply(uow, clock, world.staff, flag.id, "Eerste antwoord")
        await uow.commit()
    notifier = FakeNotifier(flaky=1)
    sender = Sender(container.uow_factory, clock, notifier)
    report = await sender.drain()
    assert report.retried == 1 and notifier.sent == []
    clock.advance(timedelta(seconds=31))
    await sender.drain()
    assert len(notifier.sent) == 1
    async with container.uow_factory() as uow:
        await flags.reply(uow, clock, world.staff, flag.id, "Tweede antwoord")
        await uow.commit()
    notifier.blocked.add(str(world.chat_id))
    assert (await sender.drain()).cancelled == 1


async def test_flags_are_scoped_routed_and_never_deleted(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    other = await linked_participant(container, clock, user_id=5009)
    async with container.uow_factory() as uow:
        settings = TeamSettings(routing={Topic.GELD: world.staff.id})
        await uow.teams.save_settings(world.team_id, settings)
        flag = await _flag(uow, clock, world)
        await uow.commit()
    assert flag.assignee_id == world.staff.id
    assert flag.respond_by == flag.created_at + timedelta(hours=72)
    async with container.uow_factory() as uow:
        mine, total = await flags.search_flags(
            uow, clock, world.staff, FlagFilter(), offset=0, limit=50
        )
        assert [f.id for f in mine] == [flag.id] and total == 1
        with pytest.raises(DomainError):
            await flags.view_flag(uow, clock, other.staff, flag.id)
        view = await flags.view_flag(uow, clock, world.staff, flag.id)
        assert view.messages[0].text == "Ik heb een vraag over mijn vergoeding."
        await flags.acknowledge(uow, clock, world.staff, flag.id)
        resolved = await flags.resolve(uow, clock, world.staff, flag.id, "Geregeld.")
        await uow.commit()
    assert resolved.status is FlagStatus.RESOLVED


async def _risk(
    container: Container,
    clock: FrozenClock,
    world: World,
    text: str,
    urgency: FlagUrgency = FlagUrgency.URGENT,
) -> FlagRisk:
    async with container.uow_factory() as uow:
        _, risk = await flags.raise_crisis(
            uow,
            clock,
            world.participant,
            urgency=urgency,
            source="crisis:suicide",
            words=flags.Words(text=text) if text else None,
        )
        await uow.commit()
    return risk


async def _withdraw(
    container: Container, clock: FrozenClock, world: World, risk: FlagRisk
) -> flags.Withdrawal:
    async with container.uow_factory() as uow:
        done = await flags.withdraw_risk(uow, clock, world.participant, risk.id)
        await uow.commit()
    return done


async def _view(container: Container, clock: FrozenClock, world: World) -> flags.FlagView:
    async with container.uow_factory() as uow:
        [flag] = await uow.flags.open_for(world.participant.id)
        view = await flags.view_flag(uow, clock, world.staff, flag.id)
        await uow.commit()
    return view


async def test_ik_ben_oke_withdraws_only_the_message_it_stands_under(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    mild = await _risk(container, clock, world, "het gaat echt niet meer")
    clock.advance(timedelta(minutes=5))
    explicit = await _risk(container, clock, world, "ik wil er niet meer zijn")
    assert mild.flag_id == explicit.flag_id  # one crisis flag, two messages in it
    first = (await _view(container, clock, world)).flag

    clock.advance(timedelta(minutes=1))
    done = await _withdraw(container, clock, world, mild)
    assert done.new and done.flag.urgency is FlagUrgency.URGENT
    view = await _view(container, clock, world)
    assert view.flag.urgency is FlagUrgency.URGENT and view.flag.respond_by == first.respond_by
    assert [m.text for m in view.messages][:2] == [
        "het gaat echt niet meer",
        "ik wil er niet meer zijn",
    ]
    note = view.messages[2]
    assert note.author is Author.SYSTEM
    assert note.text.startswith("De deelnemer zegt bij dit bericht: ik ben oké")
    assert "het gaat echt niet meer" in note.text and "Dringendheid: dringend" in note.text
    by_id = {r.id: r for r in view.risks}
    assert by_id[mild.id].withdrawn_at == clock.now() and by_id[mild.id].note_id == note.id
    assert by_id[mild.id].message_id == view.messages[0].id
    assert by_id[explicit.id].withdrawn_at is None

    clock.advance(timedelta(minutes=1))
    again = await _withdraw(container, clock, world, mild)  # a second tap: nothing new
    assert not again.new
    view = await _view(container, clock, world)
    assert len(view.messages) == 3 and view.flag.urgency is FlagUrgency.URGENT
    assert {r.id: r for r in view.risks}[mild.id].withdrawn_at == START + timedelta(minutes=6)


async def test_the_flag_has_the_urgency_of_the_highest_message_not_withdrawn(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    high = await _risk(container, clock, world, "ik kan niet meer", FlagUrgency.HIGH)
    urgent = await _risk(container, clock, world, "ik wil er niet meer zijn")
    assert (await _view(container, clock, world)).flag.urgency is FlagUrgency.URGENT
    done = await _withdraw(container, clock, world, urgent)
    assert done.flag.urgency is FlagUrgency.HIGH
    assert done.flag.respond_by == START + timedelta(hours=24)
    await _withdraw(container, clock, world, high)
    assert (await _view(container, clock, world)).flag.urgency is FlagUrgency.HIGH


async def test_all_withdrawn_stays_high_until_a_person_acknowledges(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    first = await _risk(container, clock, world, "het gaat echt niet meer")
    second = await _risk(container, clock, world, "")  # words kept private (a complaint)
    await _withdraw(container, clock, world, first)
    clock.advance(timedelta(minutes=1))  # the thread is in time order
    done = await _withdraw(container, clock, world, second)
    assert done.flag.urgency is FlagUrgency.HIGH and done.flag.status is FlagStatus.OPEN
    assert done.flag.respond_by == START + timedelta(hours=24)
    view = await _view(container, clock, world)
    assert view.messages[-1].text.startswith(
        "De deelnemer zegt bij een bericht waarvan de woorden privé blijven"
    )
    assert "minstens hoog tot iemand van het team ze bevestigt" in view.messages[-1].text

    clock.advance(timedelta(hours=1))
    async with container.uow_factory() as uow:
        acknowledged = await flags.acknowledge(uow, clock, world.staff, done.flag.id)
        await uow.commit()
    # After a person's acknowledgement the normal downgrade applies.
    assert acknowledged.urgency is FlagUrgency.NORMAL
    assert acknowledged.respond_by == START + timedelta(hours=72)
    view = await _view(container, clock, world)
    assert view.flag.urgency is FlagUrgency.NORMAL
    assert all(r.acknowledged_at == clock.now() for r in view.risks)

    # A new risk message raises it again; withdrawn before anyone saw it: high once more,
    # though the flag was acknowledged earlier. A reply counts as an acknowledgement.
    third = await _risk(container, clock, world, "ik wil er niet meer zijn")
    assert (await _view(container, clock, world)).flag.urgency is FlagUrgency.URGENT
    done = await _withdraw(container, clock, world, third)
    assert done.flag.urgency is FlagUrgency.HIGH
    async with container.uow_factory() as uow:
        await flags.reply(uow, clock, world.staff, done.flag.id, "Ik bel je straks even.")
        await uow.commit()
    assert (await _view(container, clock, world)).flag.urgency is FlagUrgency.NORMAL


async def test_withdrawn_after_acknowledgement_goes_to_normal_at_once(
    container: Container,
) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    risk = await _risk(container, clock, world, "het gaat echt niet meer")
    async with container.uow_factory() as uow:
        await flags.acknowledge(uow, clock, world.staff, risk.flag_id)
        await uow.commit()
    clock.advance(timedelta(minutes=1))
    done = await _withdraw(container, clock, world, risk)
    assert done.flag.urgency is FlagUrgency.NORMAL
    assert "Alle berichten zijn ingetrokken. Dringendheid: normaal." in (
        (await _view(container, clock, world)).messages[-1].text
    )


async def test_old_buttons_and_foreign_taps_lower_nothing(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    other = await linked_participant(container, clock, user_id=5009)
    risk = await _risk(container, clock, world, "het gaat echt niet meer")
    clock.advance(timedelta(minutes=1))
    async with container.uow_factory() as uow:
        with pytest.raises(DomainError):
            await flags.withdraw_risk(uow, clock, other.participant, risk.id)
        with pytest.raises(DomainError):
            await flags.withdraw_risk(uow, clock, world.participant, uuid.uuid4())
        # An old button carries only the flag: a note for the team, once; nothing lowered.
        for new in (True, False):
            done = await flags.crisis_was_misunderstood(uow, clock, world.participant, risk.flag_id)
            assert done.new is new and done.flag.urgency is FlagUrgency.URGENT
        await uow.commit()
    view = await _view(container, clock, world)
    assert view.flag.urgency is FlagUrgency.URGENT
    assert [m.text for m in view.messages] == ["het gaat echt niet meer", flags.OLD_BUTTON_NOTE]
    assert all(r.withdrawn_at is None for r in view.risks)


async def test_webhooks_are_retried_then_dead_lettered(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        await uow.teams.save_settings(
            world.team_id, TeamSettings(webhook_url="https://cms.example/hook")
        )
        await uow.teams.set_webhook_secret(world.team_id, "s3cret-s3cret-s3cret")
        await _flag(uow, clock, world)
        await uow.commit()
    relay = FakeRelay(failing=True)
    sender = Sender(container.uow_factory, clock, FakeNotifier(), relay)
    for _ in range(12):
        await sender.drain()
        clock.advance(timedelta(hours=3))
    async with container.uow_factory() as uow:
        [dead] = await uow.outbox.list(
            status=OutboxStatus.DEAD, channel="webhook", target=None, limit=5
        )
        assert await uow.outbox.retry(dead.id, clock.now(), clock.now() + timedelta(hours=24))
        await uow.commit()
    relay.failing = False
    await sender.drain()
    [(message, url, secret)] = relay.posted
    assert url == "https://cms.example/hook" and secret == "s3cret-s3cret-s3cret"
    assert message.payload["event"] == "flag.created"
    assert message.payload["data"]["message"]["text"] == "Ik heb een vraag over mijn vergoeding."  # type: ignore[index]


@pytest.mark.postgres
async def test_two_schedulers_never_claim_the_same_checkin(postgres_url: str) -> None:
    from tests.conftest import make_settings, wipe

    async with Container.open(make_settings(postgres_url)) as container:
        await wipe(container)
        clock = FrozenClock(START)
        for i in range(20):
            await linked_participant(container, clock, user_id=6000 + i)
        await _tick(container, clock)
        at(clock, START + timedelta(weeks=3))
        await asyncio.gather(*(_tick(container, clock) for _ in range(4)))
        async with container.uow_factory() as uow:
            counts = await uow.outbox.counts()
        assert counts == {"pending": 20}


async def test_team_chat_gets_urgent_at_once_and_the_rest_in_a_daily_digest(
    container: Container,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 23, 6, 0, tzinfo=BRU))
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        await uow.teams.save_settings(
            world.team_id, TeamSettings(notify_chat_id=-100777, digest_hour=8)
        )
        await _flag(uow, clock, world)  # normal: waits for the digest
        await flags.raise_flag(
            uow,
            clock,
            world.participant,
            kind=FlagKind.CRISIS,
            urgency=FlagUrgency.URGENT,
            source="crisis:suicide",
            words=flags.Words(text="geheim"),
        )
        await uow.commit()
    notifier = FakeNotifier()
    sender = Sender(container.uow_factory, clock, notifier)
    await _tick(container, clock)  # 06:00: before the digest hour
    await sender.drain()
    [urgent] = notifier.sent
    assert urgent.target == "-100777" and urgent.payload["digest"] is False
    assert "geheim" not in str(urgent.payload) and "Sam" not in str(urgent.payload)
    at(clock, datetime(2026, 11, 23, 8, 5, tzinfo=BRU))
    for _ in range(2):  # the digest goes once a day
        await _tick(container, clock)
        await sender.drain()
    digest = notifier.sent[1:]
    assert len(digest) == 1 and digest[0].payload["digest"] is True
    assert [f["kind"] for f in digest[0].payload["flags"]] == ["concern"]  # type: ignore[index]


async def test_network_and_team_settings_set_the_rhythm(container: Container) -> None:
    clock = FrozenClock(START)
    world = await linked_participant(container, clock)
    async with container.uow_factory() as uow:
        team = await uow.teams.get(world.team_id)
        assert team is not None
        await uow.networks.save_checkin_settings(team.network_id, {"default_every": 3})
        await checkins.replan(uow, clock, BRU, world.participant)
        [planned] = await uow.checkins.latest_for(world.participant.id, 1)
        await uow.teams.save_settings(world.team_id, TeamSettings(checkins={"default_every": 1}))
        await checkins.replan(uow, clock, BRU, world.participant)
        [replanned] = [
            c
            for c in await uow.checkins.latest_for(world.participant.id, 5)
            if c.status is CheckinStatus.SCHEDULED
        ]
        await uow.commit()
    assert planned.due_at.astimezone(BRU).date() == (START + timedelta(weeks=3)).date()
    assert replanned.due_at.astimezone(BRU).date() == (START + timedelta(weeks=1)).date()


async def test_finished_outbox_messages_are_purged_after_30_days(container: Container) -> None:
    from wzt_bot.scheduler.jobs import purge_handled_updates

    clock = FrozenClock(START)
    await _one_reply(container, clock)
    await Sender(container.uow_factory, clock, FakeNotifier()).drain()
    clock.advance(timedelta(days=31))
    await purge_handled_updates(container.uow_factory, clock)
    async with container.uow_factory() as uow:
        assert await uow.outbox.counts() == {}


@pytest.mark.postgres
async def test_two_senders_never_send_one_message_twice(postgres_url: str) -> None:
    from tests.conftest import make_settings, wipe

    async with Container.open(make_settings(postgres_url)) as container:
        await wipe(container)
        clock = FrozenClock(START)
        for i in range(30):
            await linked_participant(container, clock, user_id=6100 + i)
        await _tick(container, clock)
        at(clock, START + timedelta(weeks=3))
        await _tick(container, clock)
        notifier = FakeNotifier()
        senders = [Sender(container.uow_factory, clock, notifier, batch=7) for _ in range(3)]
        await asyncio.gather(*(s.drain() for s in senders))
        keys = [m.key for m in notifier.sent]
        assert len(keys) == 30 and len(set(keys)) == 30
