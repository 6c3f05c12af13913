"""No word is dropped (issue 16, part 4), over the wire: words, a photo or a voice note sent
outside any flow are offered to the team with a preview; an answer to a team reply within 7
days goes into that reply's thread; 4,090 characters reach the team whole, the preview over
two messages; a second tap on an old button raises nothing new; a complaint that reaches no
handler is never called "verstuurd"; a resolve note stays in the team."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.e2e.conftest import (
    Harness,
    buttons,
    callbacks_all_answered,
    eventually,
    onboard,
    wait_button,
)
from wzt_bot.bot.notifier import TelegramNotifier
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import Author, Flag, FlagKind, FlagStatus
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import flags
from wzt_bot.domain.services import plan as plan_svc
from wzt_bot.domain.services.delivery import Sender
from wzt_bot.domain.services.onboarding import participant_for_user

BRU = ZoneInfo("Europe/Brussels")


def _sender(h: Harness, clock: FrozenClock | None = None) -> Sender:
    return Sender(
        h.container.uow_factory,
        clock or FrozenClock(datetime.now(BRU)),
        TelegramNotifier(h.container.telegram_bot(), h.container.i18n, h.container.limiter),
    )


@contextlib.asynccontextmanager
async def _api(h: Harness) -> AsyncIterator[httpx.AsyncClient]:
    app = h.container.build_api(with_webhook=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://api.test",
        headers={"Authorization": f"Bearer {h.staff.token}"},
    ) as client:
        yield client


async def _flags(h: Harness, user: int, kind: FlagKind | None = None) -> list[Flag]:
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        found, _ = await uow.flags.search(
            FlagFilter(participant_id=participant.id, kind=kind), offset=0, limit=20
        )
    return list(found)


async def _one_flag(h: Harness, user: int, kind: FlagKind | None = None) -> Flag:
    async def one() -> Flag:
        found = await _flags(h, user, kind)
        assert len(found) == 1, found
        return found[0]

    flag: Flag = await eventually(one)
    return flag


async def _bot_texts(h: Harness, user: int) -> list[str]:
    return [str(m.get("text") or "") for m in await h.sandbox.bot_messages(user)]


async def test_free_text_at_the_menu_is_offered_and_sent_with_the_exact_words(
    harness: Harness,
) -> None:
    h, user = harness, 7601
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    words = "Ik heb een brief van het OCMW gekregen. Ik snap hem niet goed."
    await h.sandbox.send_text(user, words)
    await h.wait_text(user, t("Wil je dit naar je team sturen?"))
    preview = await h.last_bot_text(user)
    assert words in preview and t("Dit stuur ik naar {who}:", who=t("je team")) in preview
    assert t("Dank je voor je bericht. Dit kan ik nog niet lezen.") not in await _bot_texts(h, user)
    assert await _flags(h, user) == [], "nothing leaves the bot before Versturen"
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, t("✅ Verstuurd naar {who}.", who=t("je team")))
    flag = await _one_flag(h, user)
    assert flag.kind is FlagKind.CONCERN and flag.source == "message" and flag.topic is None
    async with h.container.uow_factory() as uow:
        [message] = await uow.flags.messages(flag.id)
    assert message.text == words and message.author is Author.PARTICIPANT

    # "Niet versturen" sends nothing.
    await h.sandbox.send_text(user, "Laat maar, dit hoeft niet.")
    await wait_button(h, user, t("✖️ Niet versturen"))
    await h.sandbox.press(user, t("✖️ Niet versturen"))
    await h.wait_text(user, t("Oké, ik heb niets verstuurd."))
    assert len(await _flags(h, user)) == 1
    await callbacks_all_answered(h)


async def test_a_photo_outside_a_flow_is_sent_with_its_reference(harness: Harness) -> None:
    h, user = harness, 7602
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_kind(user, "photo", caption="Is dit de juiste brief?")
    await h.wait_text(user, t("Wil je dit naar je team sturen?"))
    preview = await h.last_bot_text(user)
    assert "📷 " + t("(je foto)") in preview and "Is dit de juiste brief?" in preview
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")
    flag = await _one_flag(h, user)
    async with h.container.uow_factory() as uow:
        [message] = await uow.flags.messages(flag.id)
    assert message.media_kind == "photo" and message.media_ref
    assert message.text == "Is dit de juiste brief?"
    async with _api(h) as api:
        detail = (await api.get(f"/api/v1/flags/{flag.id}")).json()
        assert detail["messages"][0]["media_kind"] == "photo"
        media = await api.get(f"/api/v1/flags/{flag.id}/messages/{message.id}/media")
        assert media.status_code == 200 and media.headers["content-type"].startswith("image/")

    # A voice note the same way: said in the preview, its reference stored.
    await h.sandbox.send_kind(user, "voice")
    await h.wait_text(user, "🎤 " + t("(je spraakbericht)"))
    await h.sandbox.press(user, t("✅ Versturen"))

    async def voice() -> None:
        found = await _flags(h, user)
        assert len(found) == 2
        async with h.container.uow_factory() as uow:
            kinds = [m.media_kind for f in found for m in await uow.flags.messages(f.id)]
        assert sorted(k or "" for k in kinds) == ["photo", "voice"]

    await eventually(voice)
    await callbacks_all_answered(h)


async def test_an_answer_to_a_team_reply_goes_into_its_thread_within_7_days(
    harness: Harness,
) -> None:
    h, user = harness, 7603
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "Moet ik iets meebrengen naar het gesprek?")
    await h.wait_text(user, t("Wil je dit naar je team sturen?"))
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")
    flag = await _one_flag(h, user)
    async with h.container.uow_factory() as uow:
        await flags.reply(uow, h.container.clock, h.staff.staff, flag.id, "Breng je bewijs mee.")
        await uow.commit()
    await _sender(h).drain()
    await h.wait_text(user, "Breng je bewijs mee.")

    await h.sandbox.send_text(user, "Welk bewijs bedoel je?")
    await h.wait_text(user, "Welk bewijs bedoel je?")
    preview = await h.last_bot_text(user)
    assert t("Wil je dit naar je team sturen?") in preview
    assert t("Dit stuur ik naar {who}:", who="Casemanager") in preview
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, t("✅ Verstuurd naar {who}.", who="Casemanager"))

    async def threaded() -> None:
        found = await _flags(h, user)
        assert [f.id for f in found] == [flag.id], "no new flag: the same thread"
        async with h.container.uow_factory() as uow:
            texts = [m.text for m in await uow.flags.messages(flag.id)]
        assert texts == [
            "Moet ik iets meebrengen naar het gesprek?",
            "Breng je bewijs mee.",
            "Welk bewijs bedoel je?",
        ]

    await eventually(threaded)
    await callbacks_all_answered(h)


async def test_after_7_days_a_message_is_a_new_question(harness: Harness) -> None:
    h, user = harness, 7604
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "Wanneer is mijn volgende gesprek?")
    await h.wait_text(user, t("Wil je dit naar je team sturen?"))
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")
    flag = await _one_flag(h, user)
    eight_days_ago = FrozenClock(datetime.now(BRU) - timedelta(days=8))
    async with h.container.uow_factory() as uow:
        await flags.reply(uow, eight_days_ago, h.staff.staff, flag.id, "Op maandag om 10 uur.")
        await uow.commit()

    await h.sandbox.send_text(user, "Mag ik iemand meebrengen?")
    await h.wait_text(user, "Mag ik iemand meebrengen?")
    assert t("Dit stuur ik naar {who}:", who=t("je team")) in await h.last_bot_text(user)
    await h.sandbox.press(user, t("✅ Versturen"))

    async def new_question() -> None:
        found = await _flags(h, user)
        assert len(found) == 2
        newest = found[0]
        assert newest.id != flag.id and newest.kind is FlagKind.CONCERN
        async with h.container.uow_factory() as uow:
            [message] = await uow.flags.messages(newest.id)
        assert message.text == "Mag ik iemand meebrengen?"

    await eventually(new_question)


async def test_4090_characters_reach_the_team_whole_and_the_preview_is_split(
    harness: Harness,
) -> None:
    h, user = harness, 7605
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    words = [f"woord{i}" for i in range(1000)]
    text = ""
    for word in words:
        if len(text) + len(word) + 1 > 4090:
            break
        text = f"{text} {word}" if text else word
    text = text.ljust(4090, "!")  # exactly 4,090 characters; the last word ends in "!!"
    assert len(text) == 4090
    used = text.split()
    before = len(await h.sandbox.bot_messages(user))
    await h.sandbox.press(user, "💬 Ik wil iets vragen of zeggen")
    await h.wait_text(user, t("Waarover gaat het?"))
    await h.sandbox.press(user, t("Geld"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_text(user, text)
    await wait_button(h, user, t("✅ Versturen"))
    bot = (await h.sandbox.bot_messages(user))[before:]
    start = next(i for i, m in enumerate(bot) if "Dit stuur ik naar" in str(m.get("text")))
    parts = [str(m.get("text")) for m in bot[start:]]
    assert len(parts) == 2, "the preview over two messages"
    assert all(len(p) <= 4096 for p in parts)
    assert t("✅ Versturen") in buttons(bot[-1])
    shown = " ".join(parts).split()
    body = shown[shown.index(used[0]) :]
    assert body == used, "every word whole, none cut, none left out"
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")
    flag = await _one_flag(h, user)
    async with h.container.uow_factory() as uow:
        [message] = await uow.flags.messages(flag.id)
    assert message.text == text, "4,090 characters stored whole"
    await callbacks_all_answered(h)


async def test_a_second_tap_on_an_old_contact_button_raises_no_second_flag(
    harness: Harness,
) -> None:
    h, user = harness, 7606
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "🔒 Mijn gegevens")
    await wait_button(h, user, t("Contact met mijn team"))
    mydata = [m for m in await h.sandbox.bot_messages(user) if buttons(m)][-1]
    await h.sandbox.press(user, t("Contact met mijn team"))
    await h.wait_text(user, t("Goed. Ik heb aan je team gevraagd om contact met je op te nemen."))
    data = next(
        b["callback_data"]
        for row in mydata["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == t("Contact met mijn team")
    )
    await h.sandbox.callback(user, int(mydata["message_id"]), data)  # the old message again
    await h.wait_text(user, t("Dit heb ik al doorgegeven aan je team."))
    assert "al doorgegeven" in await h.last_bot_text(user)
    flag = await _one_flag(h, user, FlagKind.CONTACT_REQUEST)
    assert flag.status is FlagStatus.OPEN
    await callbacks_all_answered(h)


async def test_a_second_tap_on_i_cannot_come_raises_no_second_flag(harness: Harness) -> None:
    h, user = harness, 7607
    t = h.container.i18n.get("nl")
    await onboard(h, user, consent=True)  # reminders only for who agreed to messages
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        day = datetime.now(BRU).date() + timedelta(days=3)
        while day.weekday() == 6:
            day += timedelta(days=1)
        starts = datetime(day.year, day.month, day.day, 14, 0, tzinfo=BRU)
        await plan_svc.add_appointment(
            uow,
            h.container.clock,
            BRU,
            h.staff.staff,
            participant.id,
            starts_at=starts,
            where="VDAB Gent",
            with_whom="An",
            bring="",
        )
        await uow.commit()
    await _sender(h, FrozenClock(starts - timedelta(hours=4))).drain()
    await h.wait_text(user, "VDAB Gent")
    await h.sandbox.press(user, "🙁 " + t("Ik kan niet komen"))
    await h.wait_text(user, t("Dank je om het te laten weten. Dat is helemaal oké."))
    await h.sandbox.press(user, "🙁 " + t("Ik kan niet komen"))  # the same old button
    await h.wait_text(user, t("Dit heb ik al doorgegeven aan je team."))
    await _one_flag(h, user, FlagKind.APPOINTMENT)
    await callbacks_all_answered(h)


async def test_a_complaint_that_reaches_no_handler_is_not_called_sent(harness: Harness) -> None:
    h, user = harness, 7608
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "📣 Klacht")
    await wait_button(h, user, t("📣 Ik wil een klacht indienen"))
    await h.sandbox.press(user, t("📣 Ik wil een klacht indienen"))
    await h.wait_text(user, t("Gaat je klacht over iemand van je team?"))
    await h.sandbox.press(user, t("Nee"))
    await h.wait_text(user, t("Zo gaat een klacht:"))
    steps = await h.last_bot_text(user)
    assert t("Ik kan je klacht nu nog niet zelf doorsturen. Ik bewaar ze wel, met een nummer.") in (
        steps
    ), "told before writing"
    await h.sandbox.press(user, t("✍️ Mijn klacht schrijven"))
    await h.wait_text(user, t("Vertel wat er gebeurde."))
    await h.sandbox.send_text(user, "Mijn vervoerskosten zijn al drie maanden niet betaald.")
    await wait_button(h, user, t("✅ Versturen"))
    await h.sandbox.send_text(user, "Niemand antwoordt op mijn mails.")  # added, not dropped
    await h.wait_text(user, "Niemand antwoordt op mijn mails.")
    await wait_button(h, user, t("✅ Versturen"))
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "K-")
    answer = await h.last_bot_text(user)
    assert t("Ik heb je klacht bewaard. Ze is nog niet verstuurd.") in answer
    assert "verstuurd naar" not in answer
    # the next step for this kind of handler (the Ombudsdienst only for Flemish public ones)
    assert t("Vraag de dienst waar je daarna terecht kan. Je team zoekt mee.") in answer

    async def stored_whole() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found = await uow.complaints.for_participant(participant.id)
        assert [c.text for c in found] == [
            "Mijn vervoerskosten zijn al drie maanden niet betaald.\n\n"
            "Niemand antwoordt op mijn mails."
        ]

    await eventually(stored_whole)
    async with _api(h) as api:
        ready = await api.get("/readyz")
    assert ready.status_code == 200
    details = ready.json()["details"]
    assert any("Netwerk E2E" in d and "organisation" in d for d in details), details
    await callbacks_all_answered(h)


async def test_resolve_sends_only_the_message_not_the_internal_note(harness: Harness) -> None:
    h, user = harness, 7609
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "Is mijn onkostennota al betaald?")
    await h.wait_text(user, t("Wil je dit naar je team sturen?"))
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")
    flag = await _one_flag(h, user)
    note = "Intern: boekhouding had de nota twee keer geboekt."
    message = "Ja, je onkosten zijn betaald op 24 november."
    async with _api(h) as api:
        resolved = await api.post(
            f"/api/v1/flags/{flag.id}/resolve",
            json={"note": note, "message_to_participant": message},
        )
        assert resolved.status_code == 200, resolved.text
        thread = (await api.get(f"/api/v1/flags/{flag.id}")).json()["messages"]
    internal = {m["text"]: m["internal"] for m in thread if m["author"] == "staff"}
    assert internal == {note: True, message: False}
    await _sender(h).drain()
    await h.wait_text(user, message)
    everything = "\n".join(await _bot_texts(h, user))
    assert note not in everything and "boekhouding" not in everything
    assert t("{sender} heeft je vraag opgevolgd.", sender="Casemanager") in everything


async def test_a_long_team_reply_is_split_never_cut(harness: Harness) -> None:
    """The other way: a reply of 4,000 characters reaches the participant over two messages,
    every word whole (no "…" cut)."""
    h, user = harness, 7610
    await onboard(h, user)
    await h.sandbox.send_text(user, "Kan je alles uitleggen?")
    await wait_button(h, user, h.container.i18n.get("nl")("✅ Versturen"))
    await h.sandbox.press(user, h.container.i18n.get("nl")("✅ Versturen"))
    flag = await _one_flag(h, user)
    reply = " ".join(f"uitleg{i}" for i in range(500))[:4000].rsplit(" ", 1)[0]
    async with h.container.uow_factory() as uow:
        await flags.reply(uow, h.container.clock, h.staff.staff, flag.id, reply)
        await uow.commit()
    await _sender(h).drain()
    last_word = reply.split()[-1]
    await h.wait_text(user, last_word)
    texts = await _bot_texts(h, user)
    start = next(i for i, x in enumerate(texts) if "uitleg0 " in x)
    shown = " ".join(texts[start:]).split()
    assert [w for w in shown if re.fullmatch(r"uitleg\d+", w)] == reply.split()
    assert not any("…" in x for x in texts[start:])


async def test_two_messages_in_a_row_both_reach_the_team(harness: Harness) -> None:
    """A second message while the preview is open is added to it, never dropped; a second
    photo goes into the same thread."""
    h, user = harness, 7611
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "Ik heb een vraag over mijn stage.")
    await h.wait_text(user, t("Wil je dit naar je team sturen?"))
    await h.sandbox.send_text(user, "Mag ik later beginnen op maandag?")
    await h.wait_text(user, "Mag ik later beginnen op maandag?")
    preview = await h.last_bot_text(user)
    assert "Ik heb een vraag over mijn stage." in preview
    await h.sandbox.send_kind(user, "photo")
    await h.sandbox.send_kind(user, "photo")

    def two_photos(history: dict[str, Any]) -> bool:
        bot = [m for m in history["messages"] if m["from"] == "bot"]
        return str(bot[-1].get("text")).count("📷") == 2

    await h.sandbox.wait_for(user, two_photos)
    history = await h.sandbox.bot_messages(user)
    assert sum(t("Wil je dit naar je team sturen?") in str(m.get("text")) for m in history) == 4, (
        "the preview once per message: never twice"
    )
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "Verstuurd naar")
    flag = await _one_flag(h, user)

    async def everything() -> None:
        async with h.container.uow_factory() as uow:
            thread = await uow.flags.messages(flag.id)
        assert [m.text for m in thread if m.text] == [
            "Ik heb een vraag over mijn stage.\n\nMag ik later beginnen op maandag?"
        ]
        assert sorted(m.media_kind or "" for m in thread) == ["photo", "photo"]

    await eventually(everything)
    await callbacks_all_answered(h)


async def test_a_long_message_at_the_menu_is_previewed_whole(harness: Harness) -> None:
    h, user = harness, 7612
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    text = " ".join(f"zin{i}" for i in range(1000))[:4096].rsplit(" ", 1)[0]
    before = len(await h.sandbox.bot_messages(user))
    await h.sandbox.send_text(user, text)
    await wait_button(h, user, t("✅ Versturen"))
    parts = [str(m.get("text")) for m in (await h.sandbox.bot_messages(user))[before:]]
    assert len(parts) == 2 and parts[0].startswith(t("Wil je dit naar je team sturen?"))
    shown = " ".join(parts).split()
    assert shown[shown.index("zin0") :] == text.split()
    await h.sandbox.press(user, t("✅ Versturen"))
    flag = await _one_flag(h, user)
    async with h.container.uow_factory() as uow:
        [message] = await uow.flags.messages(flag.id)
    assert message.text == text


async def test_a_complaint_that_reaches_its_handler_is_called_sent(
    database_url: str, fast_fake: dict[str, object]
) -> None:
    """With an SMTP server and a handler's e-mail address the participant hears "verstuurd",
    and /readyz has nothing to say about that handler."""
    from tests.e2e.conftest import running_bot
    from tests.e2e.test_complaints_e2e import _setup_network

    async with running_bot(
        database_url, fake_kwargs=fast_fake, smtp_url="smtp://127.0.0.1:2525"
    ) as h:
        user = 7613
        t = h.container.i18n.get("nl")
        await _setup_network(h)  # an independent handler with an e-mail address
        await onboard(h, user)
        await h.sandbox.press(user, "📣 Klacht")
        await wait_button(h, user, t("📣 Ik wil een klacht indienen"))
        await h.sandbox.press(user, t("📣 Ik wil een klacht indienen"))
        await h.wait_text(user, t("Gaat je klacht over iemand van je team?"))
        await h.sandbox.press(user, t("Ja"))
        await h.wait_text(user, t("Zo gaat een klacht:"))
        steps = await h.last_bot_text(user)
        assert t(
            "Ik kan je klacht nu nog niet zelf doorsturen. Ik bewaar ze wel, met een nummer."
        ) not in (steps)
        await h.sandbox.press(user, t("✍️ Mijn klacht schrijven"))
        await h.wait_text(user, t("Wil je je naam meesturen?"))
        await h.sandbox.press(user, t("Ja, met mijn naam"))
        await h.wait_text(user, t("Vertel wat er gebeurde."))
        await h.sandbox.send_text(user, "Mijn begeleider luistert niet naar mij.")
        await wait_button(h, user, t("✅ Versturen"))
        await h.sandbox.press(user, t("✅ Versturen"))
        await h.wait_text(user, "K-")
        answer = await h.last_bot_text(user)
        assert t("✅ Je klacht is verstuurd naar {handler}.", handler="Klachtenpunt Oost") in answer
        async with _api(h) as api:
            details = (await api.get("/readyz")).json()["details"]
        assert not any("independent" in d for d in details), details
        assert any("organisation" in d for d in details), "the network's own handler has none"
