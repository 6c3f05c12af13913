"""Outreach over the wire: check-ins, the concern relay, replies, crisis answers, limits."""

from __future__ import annotations

import asyncio
import os
import sys
from asyncio.subprocess import PIPE
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from tests.e2e.conftest import (
    Harness,
    buttons,
    callbacks_all_answered,
    eventually,
    onboard,
    running_bot,
    wait_button,
)
from wzt_bot.bot.notifier import TelegramNotifier
from wzt_bot.bot.outreach_texts import FlagCb
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import CheckinStatus, FlagKind, FlagUrgency
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import flags
from wzt_bot.domain.services.delivery import Sender
from wzt_bot.domain.services.onboarding import participant_for_user
from wzt_bot.i18n import LRI, PDI
from wzt_bot.scheduler.jobs import outreach_tick

BRU = ZoneInfo("Europe/Brussels")


def sender(h: Harness, clock: FrozenClock) -> Sender:
    return Sender(
        h.container.uow_factory,
        clock,
        TelegramNotifier(h.container.telegram_bot(), h.container.i18n, h.container.limiter),
    )


async def _due_clock(h: Harness, user: int) -> FrozenClock:
    """A clock at the participant's next check-in (planned by a tick)."""
    now = FrozenClock(datetime.now(BRU))

    async def planned() -> Any:
        # The consent commits just after the menu is shown: tick until it has.
        await outreach_tick(h.container.uow_factory, now, BRU)
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found = await uow.checkins.latest_for(participant.id, 1)
        assert len(found) == 1 and found[0].status is CheckinStatus.SCHEDULED
        return found[0]

    checkin = await eventually(planned)
    return FrozenClock(checkin.due_at + timedelta(minutes=1))


async def _flags(h: Harness, user: int) -> list[Any]:
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        found, _ = await uow.flags.search(
            FlagFilter(participant_id=participant.id), offset=0, limit=20
        )
    return list(found)


async def test_a_checkin_with_a_low_score_reaches_the_team(harness: Harness) -> None:
    h, user = harness, 7001
    t = h.container.i18n.get("nl")
    await onboard(h, user, consent=True)
    clock = await _due_clock(h, user)
    await outreach_tick(h.container.uow_factory, clock, BRU)
    await outreach_tick(h.container.uow_factory, clock, BRU)  # again: nothing twice
    await sender(h, clock).drain()
    await sender(h, clock).drain()
    await wait_button(h, user, "🙁")
    bot = [m for m in await h.sandbox.bot_messages(user) if "🙁" in buttons(m)]
    assert len(bot) == 1, "one check-in, however often the tick ran"
    assert "Sam" in str(bot[0]["text"])

    await h.sandbox.press(user, "🙁")
    await h.wait_text(user, t("Waar denk je nu vooral aan?"))
    await h.sandbox.press(user, t("Geld"))
    await wait_button(h, user, "✅ " + t("Geld"))
    await h.sandbox.press(user, t("Klaar ▶️"))
    await h.wait_text(user, t("Wil je er iets over vertellen?"))
    await h.sandbox.send_text(user, "De huur is te hoog deze maand.")
    await h.wait_text(user, t("Wil je dat iemand van je team contact met je opneemt?"))
    await h.sandbox.press(user, t("Ja, graag"))
    await h.wait_text(user, t("Ik heb aan je team gevraagd om contact met je op te nemen."))

    async def flagged() -> None:
        kinds = [f.kind for f in await _flags(h, user)]
        assert kinds == [FlagKind.CHECKIN_LOW]

    await eventually(flagged)
    await callbacks_all_answered(h)


async def test_concern_preview_relay_reply_and_feedback(harness: Harness) -> None:
    h, user = harness, 7002
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "💬 Ik wil iets vragen of zeggen")
    await h.wait_text(user, t("Waarover gaat het?"))
    await h.sandbox.press(user, t("Vervoer"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_text(user, "Mijn busabonnement is op. Wie betaalt het nieuwe?")
    await h.wait_text(user, "Dit stuur ik naar")
    assert "Mijn busabonnement is op." in await h.last_bot_text(user)
    await h.sandbox.press(user, t("✏️ Aanpassen"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_text(user, "Mijn busabonnement is bijna op. Wie betaalt het nieuwe?")
    await h.wait_text(user, "bijna op")
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, t("✅ Verstuurd naar {who}.", who=t("je team")))

    async def relayed() -> Any:
        found = await _flags(h, user)
        assert len(found) == 1
        flag = found[0]
        assert flag.kind is FlagKind.CONCERN and flag.topic.value == "vervoer"
        return flag

    flag = await eventually(relayed)
    async with h.container.uow_factory() as uow:
        [message] = await uow.flags.messages(flag.id)
        assert message.text == "Mijn busabonnement is bijna op. Wie betaalt het nieuwe?"
        assert message.language == "nl"
        await flags.reply(
            uow, h.container.clock, h.staff.staff, flag.id, "Wij betalen het. Tot maandag!"
        )
        await uow.commit()
    await sender(h, FrozenClock(datetime.now(BRU))).drain()
    await h.wait_text(user, "Wij betalen het. Tot maandag!")
    assert t("Heeft dit geholpen?") in await h.last_bot_text(user)
    await h.sandbox.press(user, "👍 " + t("Ja"))
    await h.wait_text(user, t("Fijn! Dank je om het te laten weten."))

    async def helped() -> None:
        [again] = await _flags(h, user)
        assert again.helped is True

    await eventually(helped)


async def test_crisis_message_mid_dialog_gets_helplines_and_an_urgent_flag(
    harness: Harness,
) -> None:
    h, user = harness, 7003
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "💬 Ik wil iets vragen of zeggen")
    await h.wait_text(user, t("Waarover gaat het?"))
    await h.sandbox.press(user, t("Iets anders"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_text(user, "ik zie het nie meer zitten, ik wil er nie meer zijn")
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    text = await h.last_bot_text(user)
    for number in ("1813", "106", "112", "1712"):
        assert number in text

    async def urgent() -> Any:
        found = await _flags(h, user)
        assert len(found) == 1
        flag = found[0]
        assert flag.kind is FlagKind.CRISIS and flag.urgency is FlagUrgency.URGENT
        return flag

    await eventually(urgent)
    await h.sandbox.press(user, t("Ik ben oké, dit was verkeerd begrepen"))
    await h.wait_text(user, t("Oké, fijn dat je het laat weten."))

    async def lowered() -> None:
        # Its only message withdrawn: high until someone of the team has acknowledged it.
        [flag] = await _flags(h, user)
        assert flag.kind is FlagKind.CRISIS and flag.urgency is FlagUrgency.HIGH

    await eventually(lowered)


def _ok_data(message: dict[str, Any]) -> str:
    [[button]] = message["reply_markup"]["inline_keyboard"]
    return str(button["callback_data"])


async def test_ik_ben_oke_withdraws_only_its_own_message_until_the_team_acknowledges(
    harness: Harness,
) -> None:
    h, user = harness, 7011
    t = h.container.i18n.get("nl")
    ok, thanks = t("Ik ben oké, dit was verkeerd begrepen"), t("Oké, fijn dat je het laat weten.")
    await onboard(h, user)
    await h.sandbox.send_text(user, "ik kan echt niet meer")  # mild
    await wait_button(h, user, ok)
    await h.sandbox.send_text(user, "ik wil er niet meer zijn")  # explicit

    async def two_answers() -> list[dict[str, Any]]:
        answers = [m for m in await h.sandbox.bot_messages(user) if ok in buttons(m)]
        assert len(answers) == 2
        return answers

    first, second = await eventually(two_answers)
    assert _ok_data(first) != _ok_data(second)  # each button names its own message
    assert all(len(_ok_data(m).encode()) <= 64 for m in (first, second))

    async def said_thanks(times: int) -> None:
        async def check() -> None:
            texts = [str(m.get("text")) for m in await h.sandbox.bot_messages(user)]
            assert sum(thanks in x for x in texts) == times

        await eventually(check)

    await h.sandbox.callback(user, int(first["message_id"]), _ok_data(first))
    await said_thanks(1)
    app = h.container.build_api(with_webhook=False)
    auth = {"Authorization": f"Bearer {h.staff.token}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as api:

        async def thread(urgency: str, notes: int) -> dict[str, Any]:
            [flag] = await _flags(h, user)
            detail: dict[str, Any] = (
                await api.get(f"/api/v1/flags/{flag.id}", headers=auth)
            ).json()
            assert detail["urgency"] == urgency
            assert sum(m["refers_to"] is not None for m in detail["messages"]) == notes
            return detail

        detail = await eventually(lambda: thread("urgent", 1))  # the explicit one still stands
        words = {m["text"]: m for m in detail["messages"]}
        mild, explicit = words["ik kan echt niet meer"], words["ik wil er niet meer zijn"]
        [note] = [m for m in detail["messages"] if m["refers_to"] is not None]
        assert note["refers_to"] == mild["id"] and note["author"] == "system"
        assert note["text"].startswith(
            "De deelnemer zegt bij dit bericht: ik ben oké, dit was verkeerd begrepen."
        )
        assert mild["withdrawn_at"] is not None and explicit["withdrawn_at"] is None
        assert [r["withdrawn_at"] is not None for r in detail["risks"]] == [True, False]
        tapped = {m["message_id"]: m for m in await h.sandbox.bot_messages(user)}
        assert buttons(tapped[first["message_id"]]) == []  # the button went away
        assert ok in buttons(tapped[second["message_id"]])

        # A double tap under the explicit one: both presses reach the bot, one counts.
        for _ in range(2):
            h.fake.inject_callback(user, int(second["message_id"]), _ok_data(second))
        await said_thanks(2)
        await callbacks_all_answered(h)
        await eventually(lambda: thread("high", 2))  # all withdrawn, nobody has seen it yet
        await said_thanks(2)

        [flag] = await _flags(h, user)
        acknowledged = await api.post(f"/api/v1/flags/{flag.id}/acknowledge", headers=auth)
        assert acknowledged.status_code == 200, acknowledged.text
        assert acknowledged.json()["urgency"] == "normal"
        await thread("normal", 2)


async def test_an_old_ik_ben_oke_button_lowers_nothing(harness: Harness) -> None:
    """A crisis answer sent before each message had its own button: its tap is told to the
    team, once, and the urgency stays (which message it stood under is not known)."""
    h, user = harness, 7012
    t = h.container.i18n.get("nl")
    ok, thanks = t("Ik ben oké, dit was verkeerd begrepen"), t("Oké, fijn dat je het laat weten.")
    await onboard(h, user)
    await h.sandbox.send_text(user, "ik wil er niet meer zijn")
    await wait_button(h, user, ok)
    [flag] = await eventually(lambda: _flags(h, user))
    old = FlagCb(id=flag.id.hex, a="ok").pack()
    await h.container.telegram_bot().send_message(
        user,
        "(een antwoord van vroeger)",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=ok, callback_data=old)]]
        ),
    )
    [sent] = [m for m in await h.sandbox.bot_messages(user) if m["text"].startswith("(een")]
    for _ in range(2):  # a double tap
        h.fake.inject_callback(user, int(sent["message_id"]), old)
    await h.wait_text(user, thanks)
    await callbacks_all_answered(h)
    texts = [str(m.get("text")) for m in await h.sandbox.bot_messages(user)]
    assert sum(thanks in x for x in texts) == 1
    async with h.container.uow_factory() as uow:
        [after] = await uow.flags.open_for(flag.participant_id)
        notes = [m.text for m in await uow.flags.messages(flag.id)]
    assert after.urgency is FlagUrgency.URGENT
    assert notes.count(flags.OLD_BUTTON_NOTE) == 1


async def test_figures_of_speech_do_not_fire(harness: Harness) -> None:
    h, user = harness, 7004
    await onboard(h, user)
    await h.sandbox.send_text(user, "Ik ben doodmoe na de stage, maar het ging goed!")
    await h.wait_text(user, h.container.i18n.get("nl")("Wil je dit naar je team sturen?"))
    assert await _flags(h, user) == []


async def test_blocked_participant_is_not_retried_and_flagged(harness: Harness) -> None:
    h, user = harness, 7005
    await onboard(h, user, consent=True)
    clock = await _due_clock(h, user)
    await h.sandbox.block(user, notify=False)  # no my_chat_member: the 403 tells us
    await outreach_tick(h.container.uow_factory, clock, BRU)
    report = await sender(h, clock).drain()
    assert report.cancelled == 1 and report.sent == 0

    async def unreachable() -> None:
        kinds = [f.kind for f in await _flags(h, user)]
        assert FlagKind.UNREACHABLE in kinds

    await eventually(unreachable)


async def test_429_storm_is_waited_out_and_nothing_is_lost(database_url: str) -> None:
    """The fake enforces 1 message/s per chat with a burst of 1; the bot's own limiter is
    opened wide, so only retry_after keeps it in line."""
    fake = {"chat_rate": 1.0, "chat_burst": 1, "global_rate": 300.0, "global_burst": 300}
    async with running_bot(
        database_url,
        fake_kwargs=fake,
        telegram_chat_rate=1000.0,
        telegram_chat_burst=1000,
    ) as h:
        user = 7006
        await onboard(h, user)
        [flag] = [None]  # filled below
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            flag = await flags.raise_flag(
                uow,
                h.container.clock,
                participant,
                kind=FlagKind.CONCERN,
                urgency=FlagUrgency.NORMAL,
                source="test",
            )
            for i in range(4):
                await flags.reply(uow, h.container.clock, h.staff.staff, flag.id, f"Antwoord {i}")
            await uow.commit()
        report = await sender(h, FrozenClock(datetime.now(BRU))).drain()
        assert report.sent == 4
        texts = [str(m.get("text")) for m in await h.sandbox.bot_messages(user)]
        replies = [x for x in texts if "Antwoord" in x]
        assert [r.split("Antwoord ")[1][0] for r in replies] == ["0", "1", "2", "3"]
        stats = await h.sandbox.stats()
        assert stats["rate_limited"] >= 1  # the fake did refuse, and the bot waited


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_cli_run_once_twice_sends_once(harness: Harness, sqlite_url: str) -> None:
    h, user = harness, 7007
    await onboard(h, user, consent=True)
    clock = await _due_clock(h, user)
    env = {
        **os.environ,
        "WZT_DATABASE_URL": sqlite_url,
        "WZT_BOT_TOKEN": h.container.settings.bot_token.get_secret_value(),  # type: ignore[union-attr]
        "WZT_TELEGRAM_API_URL": h.fake.base_url,
        "WZT_SECRET_KEY": h.container.settings.secret(),
        "WZT_BOT_USERNAME": "wzt_e2e_bot",
    }
    command = ["-m", "wzt_bot", "jobs", "run-once", "--now", clock.now().isoformat()]
    stdout = ""
    for _ in range(2):
        process = await asyncio.create_subprocess_exec(
            sys.executable, *command, env=env, stdout=PIPE, stderr=PIPE, cwd=Path.cwd()
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        assert process.returncode == 0, err.decode()
        stdout = out.decode()
    await wait_button(h, user, "🙁")
    faces = [m for m in await h.sandbox.bot_messages(user) if "🙁" in buttons(m)]
    assert len(faces) == 1
    assert "queued 0" in stdout and "sent 0" in stdout


async def test_a_voice_note_reaches_the_team_who_can_listen_to_it(harness: Harness) -> None:
    import httpx

    h, user = harness, 7008
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "💬 Ik wil iets vragen of zeggen")
    await h.wait_text(user, t("Waarover gaat het?"))
    await h.sandbox.press(user, t("Zorg of gezondheid"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_kind(user, "voice")
    await h.wait_text(user, t("(je spraakbericht)"))
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")

    async def relayed() -> Any:
        found = await _flags(h, user)
        assert len(found) == 1
        return found[0]

    flag = await eventually(relayed)
    app = h.container.build_api(with_webhook=False)
    auth = {"Authorization": f"Bearer {h.staff.token}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as api:
        detail = (await api.get(f"/api/v1/flags/{flag.id}", headers=auth)).json()
        [message] = detail["messages"]
        assert message["media_kind"] == "voice"
        media = await api.get(
            f"/api/v1/flags/{flag.id}/messages/{message['id']}/media", headers=auth
        )
        assert media.status_code == 200 and media.headers["content-type"] == "audio/ogg"
        assert media.content.startswith(b"OggS")
        missing = await api.get(f"/api/v1/flags/{flag.id}/messages/{flag.id}/media", headers=auth)
        assert missing.status_code == 404


async def test_quiet_hours_over_the_wire(harness: Harness) -> None:
    """Due on a Saturday evening after downtime: nothing until Monday 09:00, then once."""
    h, user = harness, 7009
    await onboard(h, user, consent=True)
    due = await _due_clock(h, user)
    saturday_night = due.now().astimezone(BRU)
    saturday_night += timedelta(days=(5 - saturday_night.weekday()) % 7 + 7)
    night = FrozenClock(saturday_night.replace(hour=21, minute=30))
    await outreach_tick(h.container.uow_factory, night, BRU)
    await sender(h, night).drain()
    monday = FrozenClock(night.now().astimezone(BRU).replace(hour=9, minute=0) + timedelta(days=2))
    sunday = FrozenClock(monday.now() - timedelta(days=1, hours=-3))  # Sunday 12:00
    for clock in (sunday, monday, monday):
        await outreach_tick(h.container.uow_factory, clock, BRU)
        report = await sender(h, clock).drain()
        if clock is sunday:
            assert report.sent == 0
    await wait_button(h, user, "🙁")
    faces = [m for m in await h.sandbox.bot_messages(user) if "🙁" in buttons(m)]
    assert len(faces) == 1
    requests = [r for r in await h.sandbox.requests("sendMessage") if r.get("ok")]
    assert requests, "sent over the wire"


async def test_the_participant_chooses_when_and_how_often(harness: Harness) -> None:
    h, user = harness, 7010
    t = h.container.i18n.get("nl")
    await onboard(h, user, consent=True)
    await h.sandbox.press(user, "🔒 Mijn gegevens")
    await wait_button(h, user, "⚙️ " + t("Wanneer en hoe vaak"))
    await h.sandbox.press(user, "⚙️ " + t("Wanneer en hoe vaak"))
    await h.wait_text(user, t("Zo stuur ik je berichten:"))
    await h.sandbox.press(user, t("📅 Kies een dag"))
    await wait_button(h, user, t("Dinsdag"))
    await h.sandbox.press(user, t("Dinsdag"))
    await h.wait_text(user, t("• Dag: {day}", day=t("Dinsdag")))
    await wait_button(h, user, t("🕐 Kies een moment"))
    await h.sandbox.press(user, t("🕐 Kies een moment"))
    await wait_button(h, user, t("'s Namiddags"))
    await h.sandbox.press(user, t("'s Namiddags"))
    await h.wait_text(user, t("• Moment: {part}", part=t("'s Namiddags")))
    await wait_button(h, user, t("⏸️ Even niet"))
    await wait_button(h, user, t("Minder vaak"))
    await h.sandbox.press(user, t("Minder vaak"))
    await h.wait_text(user, t("• Minder vaak dan normaal"))

    async def planned() -> Any:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None and participant.checkin_less_often
            found = [
                c
                for c in await uow.checkins.latest_for(participant.id, 5)
                if c.status is CheckinStatus.SCHEDULED
            ]
        assert len(found) == 1
        return found[0]

    checkin = await eventually(planned)
    local = checkin.due_at.astimezone(BRU)
    assert local.weekday() == 1 and local.hour == 14  # Tuesday afternoon
    assert local - datetime.now(BRU) > timedelta(weeks=3)  # every 4 weeks instead of 2

    await wait_button(h, user, t("⏸️ Even niet"))
    await h.sandbox.press(user, t("⏸️ Even niet"))
    await wait_button(h, user, t("4 weken"))
    await h.sandbox.press(user, t("4 weken"))
    await h.wait_text(user, t("Oké. Ik laat je even met rust. Je kan me altijd zelf iets sturen."))
    await wait_button(h, user, t("🛑 Geen berichten meer"))
    await h.sandbox.press(user, t("🛑 Geen berichten meer"))
    await h.wait_text(user, t("Wil je later weer berichten? Stuur dan /start."))

    async def stopped() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None and participant.proactive_paused
            scheduled = [
                c
                for c in await uow.checkins.latest_for(participant.id, 5)
                if c.status is CheckinStatus.SCHEDULED
            ]
        assert scheduled == []

    await eventually(stopped)
    await callbacks_all_answered(h)


async def _set_team(h: Harness, settings: TeamSettings) -> None:
    async with h.container.uow_factory() as uow:
        await uow.teams.save_settings(h.team_id, settings)
        await uow.commit()


async def test_crisis_answer_is_honest_about_when_the_team_sees_it(harness: Harness) -> None:
    """No Telegram group, no webhook, no one signed in: no "meteen een dringend bericht",
    but when the team will see it. With the team's group linked, the urgent message is true."""
    h, user = harness, 7010
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    # The office is open only on tomorrow's weekday: the team opens tomorrow at 9:00.
    tomorrow = (datetime.now(h.container.settings.tz) + timedelta(days=1)).weekday()
    await _set_team(h, TeamSettings(office_days=frozenset({tomorrow})))
    await h.sandbox.send_text(user, "ik wil er nie meer zijn")
    await h.wait_text(user, t("Ik heb je bericht als dringend klaargezet voor je team."))
    text = await h.last_bot_text(user)
    assert t("Je team ziet je bericht morgen vanaf {time}.", time="9:00") in text
    assert t("Ik heb je team meteen een dringend bericht gestuurd.") not in text
    assert "bel 1712, op werkdagen van 9:00 tot 17:00." in text
    assert "• Zelfmoordlijn: bel 1813, dag en nacht. Gratis en anoniem." in text

    await _set_team(h, TeamSettings(office_days=frozenset({tomorrow}), notify_chat_id=-100777))
    await h.sandbox.send_text(user, "ik wil er nie meer zijn")
    await h.wait_text(user, t("Ik heb je team meteen een dringend bericht gestuurd."))
    text = await h.last_bot_text(user)
    assert t("Ik heb je bericht als dringend klaargezet voor je team.") not in text


async def test_arabic_crisis_answer_keeps_links_and_times_intact(harness: Harness) -> None:
    h, user = harness, 7011
    t = h.container.i18n.get("ar")
    await onboard(h, user, lang="ar")
    await h.sandbox.send_text(user, "ik wil er nie meer zijn")
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    text = await h.last_bot_text(user)
    assert " zelfmoord1813.be." in text and " 1712.be." in text
    assert f"{LRI}9:00{PDI}" in text and f"{LRI}17:00{PDI}" in text
    assert f"{LRI}0800 32 123{PDI}" in text and f"{LRI}1813{PDI}" in text
    assert t("Deze hulplijnen spreken Nederlands:") in text
    assert t("Deze hulplijnen spreken Frans:") in text


async def test_changes_over_the_wire_leave_the_next_checkin_where_it_was(
    harness: Harness,
) -> None:
    """Minder vaak and back, a day and back to any day, /stop and /start, Geen berichten and
    Wel berichten: afterwards the one check-in planned is where it was before (issue 16)."""
    h, user = harness, 7011
    t = h.container.i18n.get("nl")
    await onboard(h, user, consent=True)

    async def scheduled() -> list[datetime]:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            rows = await uow.checkins.latest_for(participant.id, 100)
        return [c.due_at for c in rows if c.status is CheckinStatus.SCHEDULED]

    async def one_planned() -> datetime:  # planned at once with the yes, no tick needed
        found = await scheduled()
        assert len(found) == 1
        return found[0]

    first = await eventually(one_planned)

    async def settings() -> None:
        await h.sandbox.press(user, "🔒 Mijn gegevens")
        await wait_button(h, user, "⚙️ " + t("Wanneer en hoe vaak"))
        await h.sandbox.press(user, "⚙️ " + t("Wanneer en hoe vaak"))
        await h.wait_text(user, t("Zo stuur ik je berichten:"))

    await settings()
    await h.sandbox.press(user, t("Minder vaak"))
    await h.wait_text(user, t("• Minder vaak dan normaal"))
    await wait_button(h, user, t("Weer zoals eerst"))
    await h.sandbox.press(user, t("Weer zoals eerst"))
    await wait_button(h, user, t("Minder vaak"))
    other = (first.astimezone(BRU).weekday() + 2) % 6  # another day than the planned one
    day = t(("Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag")[other])
    await h.sandbox.press(user, t("📅 Kies een dag"))
    await wait_button(h, user, day)
    await h.sandbox.press(user, day)
    await h.wait_text(user, t("• Dag: {day}", day=day))

    async def on_that_day() -> None:
        assert (await one_planned()).astimezone(BRU).weekday() == other

    await eventually(on_that_day)
    await h.sandbox.press(user, t("📅 Kies een dag"))
    await wait_button(h, user, t("Maakt niet uit"))
    await h.sandbox.press(user, t("Maakt niet uit"))
    await wait_button(h, user, t("Terug naar het menu"))
    await h.sandbox.press(user, t("Terug naar het menu"))
    await h.wait_text(user, t("Hier is het menu. Kies wat je wil doen."))
    for _ in range(2):
        await h.sandbox.send_text(user, "/stop")
        await h.wait_text(user, t("Wil je later weer berichten? Stuur dan /start."))
        await eventually(lambda: _none_planned(scheduled))
        await h.sandbox.send_text(user, "/start")
        await h.wait_text(user, t("Welkom terug! Ik stuur je weer af en toe een bericht."))
        assert await eventually(one_planned) == first
    await h.sandbox.press(user, "🔒 Mijn gegevens")
    await wait_button(h, user, t("Geen berichten meer"))
    await h.sandbox.press(user, t("Geen berichten meer"))
    await h.wait_text(user, t("Dat is goed. Ik stuur je geen berichten uit mezelf."))
    await eventually(lambda: _none_planned(scheduled))
    await h.sandbox.press(user, "🔒 Mijn gegevens")
    await wait_button(h, user, t("Wel berichten graag"))
    await h.sandbox.press(user, t("Wel berichten graag"))
    await h.wait_text(user, t("Dank je! Ik stuur je af en toe een kort bericht."))
    assert await eventually(one_planned) == first
    await callbacks_all_answered(h)


async def _none_planned(scheduled: Any) -> None:
    assert await scheduled() == []
