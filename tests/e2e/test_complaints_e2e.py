"""Klacht over the wire: a complaint about one's own team reaches the independent handler
(e-mail over a real SMTP conversation on loopback) and none of that team's flags, notices or
webhooks; the participant gets a receipt number and hears when the status moves on."""

from __future__ import annotations

import asyncio
import socket
import threading

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.e2e.conftest import Harness, callbacks_all_answered, eventually, onboard, wait_button
from wzt_bot.bot.notifier import TelegramNotifier
from wzt_bot.clients.mailer import SmtpMailer
from wzt_bot.domain.models import Author, OutboxMessage, Role
from wzt_bot.domain.policies.complaints import ComplaintSettings, Contact, Handler
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import admin
from wzt_bot.domain.services import complaints as complaint_svc
from wzt_bot.domain.services.delivery import Sender
from wzt_bot.domain.services.onboarding import participant_for_user

WORDS = "Mijn begeleider lachte me uit in het gesprek van dinsdag."
INDEPENDENT = "klachten@onafhankelijk.example"


class Inbox:
    """An SMTP server's handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        content = envelope.content
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), text))
        return "250 OK"


class RecordingRelay:
    """Stands in for the team's casemanagement system: records every webhook post."""

    def __init__(self) -> None:
        self.posts: list[OutboxMessage] = []

    async def post(self, message: OutboxMessage, url: str, secret: str) -> None:
        self.posts.append(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _setup_network(h: Harness) -> str:
    """The team has a group chat and its own system; the network an independent handler."""
    async with h.container.uow_factory() as uow:
        await uow.teams.save_settings(
            h.team_id,
            TeamSettings(notify_chat_id=-100777, webhook_url="https://cms.example/hook"),
        )
        await uow.teams.set_webhook_secret(h.team_id, "s3cret-s3cret-s3cret")
        team = await uow.teams.get(h.team_id)
        assert team is not None
        created = await admin.create_staff(
            uow, name="Beheer", role=Role.ADMIN, team_ids=frozenset()
        )
        settings = ComplaintSettings(
            independent=Handler(
                Contact(name="Klachtenpunt Oost", phone="09 123 45 67", email=INDEPENDENT),
                email=INDEPENDENT,
                anonymous_allowed=True,
            )
        )
        await complaint_svc.save_settings(
            uow, h.container.clock, created.staff, team.network_id, settings
        )
        await uow.commit()
    return created.token


async def test_a_complaint_about_the_own_team_never_reaches_that_team(harness: Harness) -> None:
    h, user = harness, 7401
    t = h.container.i18n.get("nl")
    admin_token = await _setup_network(h)
    await onboard(h, user)
    await h.sandbox.press(user, "📣 Klacht")
    await wait_button(h, user, t("📣 Ik wil een klacht indienen"))
    await h.sandbox.press(user, t("📣 Ik wil een klacht indienen"))
    await h.wait_text(user, t("Gaat je klacht over iemand van je team?"))
    await h.sandbox.press(user, t("Ja"))
    await h.wait_text(user, t("Zo gaat een klacht:"))
    steps = await h.last_bot_text(user)
    assert "Vlaamse Ombudsdienst" in steps and "1700" in steps
    assert "Klachtenpunt Oost" in steps
    assert t("Niet naar je team. Je team ziet je klacht niet.") in steps
    await h.sandbox.press(user, t("✍️ Mijn klacht schrijven"))
    await h.wait_text(user, t("Wil je je naam meesturen?"))
    await h.sandbox.press(user, t("Ja, met mijn naam"))
    await h.wait_text(user, t("Vertel wat er gebeurde."))
    await h.sandbox.send_text(user, WORDS)
    await h.wait_text(user, WORDS)
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "K-")
    receipt_text = await h.last_bot_text(user)
    receipt = next(w for w in receipt_text.split() if w.startswith("K-")).rstrip(".")

    # Deliver everything that is due: e-mail over SMTP, webhooks and team notices.
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    relay = RecordingRelay()
    try:
        sender = Sender(
            h.container.uow_factory,
            h.container.clock,
            TelegramNotifier(h.container.telegram_bot(), h.container.i18n, h.container.limiter),
            relay,
            mailer=SmtpMailer(f"smtp://127.0.0.1:{port}", "wzt-bot@test.example"),
        )

        async def mailed() -> None:
            await sender.drain()
            assert len(inbox.messages) == 1

        await eventually(mailed, timeout=10)
    finally:
        controller.stop()
    rcpt, mail = inbox.messages[0]
    assert rcpt == [INDEPENDENT]
    assert receipt in mail and "lachte me uit" in mail and "Sam" in mail

    # Nothing of it reaches the team: no flag, no group-chat notice, no webhook.
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        found, total = await uow.flags.search(
            FlagFilter(participant_id=participant.id), offset=0, limit=20
        )
        assert total == 0 and not found
        audit = await uow.audit.for_participant(participant.id)
        assert not [a for a in audit if "complaint" in a.action]
    assert relay.posts == []
    team_chat = [m for m in await h.sandbox.requests("sendMessage") if m.get("chat_id") == -100777]
    assert team_chat == []

    app = h.container.build_api(with_webhook=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as client:
        team_view = {"Authorization": f"Bearer {h.staff.token}"}
        flags_seen = await client.get("/api/v1/flags", headers=team_view)
        assert flags_seen.status_code == 200 and WORDS not in flags_seen.text
        assert (await client.get("/api/v1/complaints", headers=team_view)).status_code == 403
        detail = await client.get(f"/api/v1/participants/{participant.id}", headers=team_view)
        assert detail.status_code == 200 and receipt not in detail.text and WORDS not in detail.text
        # The handler's operator moves it on; the participant hears of it in the bot.
        handler = {"Authorization": f"Bearer {admin_token}"}
        listed = await client.get("/api/v1/complaints", headers=handler)
        assert listed.status_code == 200, listed.text
        (row,) = [c for c in listed.json() if c["receipt"] == receipt]
        assert row["about_team"] is True
        moved = await client.put(
            f"/api/v1/complaints/{row['id']}/status",
            json={"status": "in_behandeling", "answer": "We bellen je deze week."},
            headers=handler,
        )
        assert moved.status_code == 200, moved.text
    notifier = TelegramNotifier(h.container.telegram_bot(), h.container.i18n, h.container.limiter)
    await Sender(h.container.uow_factory, h.container.clock, notifier).drain()
    await h.wait_text(user, receipt)
    assert "We bellen je deze week." in await h.last_bot_text(user)
    await callbacks_all_answered(h)


async def test_a_decision_route_explains_reconsideration_and_offers_help(
    harness: Harness,
) -> None:
    h, user = harness, 7402
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "/klacht")
    await wait_button(h, user, t("⚖️ Ik ben het niet eens met een beslissing"))
    await h.sandbox.press(user, t("⚖️ Ik ben het niet eens met een beslissing"))
    await h.wait_text(user, t("Over welke beslissing gaat het?"))
    # decree Art. 10: reconsideration only for VDAB's "no" to taking part
    assert "heroverweging" not in await h.last_bot_text(user)
    await h.sandbox.press(user, t("🚪 VDAB zei nee op mijn vraag om te starten"))
    await h.wait_text(user, t("Dat heet een heroverweging.").split(".")[0])
    assert "VDAB klachtendienst" in await h.last_bot_text(user)
    await h.sandbox.press(user, t("🤝 Ja, help me daarbij"))
    await h.wait_text(user, t("Goed. Ik heb aan je team gevraagd om contact met je op te nemen."))

    async def flagged() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found, _ = await uow.flags.search(
                FlagFilter(participant_id=participant.id), offset=0, limit=5
            )
        assert [f.source for f in found] == ["complaint:decision"]

    await eventually(flagged)
    await callbacks_all_answered(h)


async def test_the_eindadvies_is_the_teams_advice_not_a_decision_to_appeal(
    harness: Harness,
) -> None:
    """Decree Art. 23: talk about it, give one's own view, or complain; no heroverweging."""
    h, user = harness, 7406
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "/klacht")
    await wait_button(h, user, t("⚖️ Ik ben het niet eens met een beslissing"))
    await h.sandbox.press(user, t("⚖️ Ik ben het niet eens met een beslissing"))
    await wait_button(h, user, t("🧭 Het advies op het einde van mijn traject"))
    await h.sandbox.press(user, t("🧭 Het advies op het einde van mijn traject"))
    await h.wait_text(user, t("Ben je het er niet mee eens? Dat mag. Je kan:"))
    text = await h.last_bot_text(user)
    assert "heroverweging" not in text and "VDAB klachtendienst" not in text
    assert "Het is geen beslissing van VDAB." in text
    await h.sandbox.press(user, t("🤝 Ik wil erover praten met mijn team"))
    await h.wait_text(user, t("Goed. Ik heb aan je team gevraagd om contact met je op te nemen."))

    async def flagged() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found, _ = await uow.flags.search(
                FlagFilter(participant_id=participant.id), offset=0, limit=5
            )
        assert [f.source for f in found] == ["complaint:end_advice"]

    await eventually(flagged)
    await callbacks_all_answered(h)


async def test_a_complaint_not_about_the_team_can_be_stopped_without_sending(
    harness: Harness,
) -> None:
    h, user = harness, 7403
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "/klacht")
    await wait_button(h, user, t("📣 Ik wil een klacht indienen"))
    await h.sandbox.press(user, t("📣 Ik wil een klacht indienen"))
    await h.wait_text(user, t("Gaat je klacht over iemand van je team?"))
    await h.sandbox.press(user, t("Nee"))
    await h.wait_text(user, t("Zo gaat een klacht:"))
    assert t("Niet naar je team. Je team ziet je klacht niet.") not in await h.last_bot_text(user)
    await h.sandbox.press(user, t("✍️ Mijn klacht schrijven"))
    await h.wait_text(user, t("Vertel wat er gebeurde."))
    await h.sandbox.send_text(user, "De bus naar de stage komt nooit op tijd.")
    await h.wait_text(user, t("Dit stuur ik naar {handler}:").split("{")[0])
    await h.sandbox.press(user, t("✖️ Niet versturen"))
    await h.wait_text(user, t("Oké, ik heb niets verstuurd."))
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        assert list(await uow.complaints.for_participant(participant.id)) == []
    await callbacks_all_answered(h)
    await asyncio.sleep(0)


async def test_a_risk_message_inside_a_complaint_gets_helplines_but_keeps_its_words(
    harness: Harness,
) -> None:
    """Safety first: helplines and an urgent flag at once. The flag carries no words (they may
    be about the team), and the complaint still gets them: nothing is lost."""
    h, user = harness, 7404
    t = h.container.i18n.get("nl")
    await _setup_network(h)
    await onboard(h, user)
    await h.sandbox.send_text(user, "/klacht")
    await wait_button(h, user, t("📣 Ik wil een klacht indienen"))
    await h.sandbox.press(user, t("📣 Ik wil een klacht indienen"))
    await h.wait_text(user, t("Gaat je klacht over iemand van je team?"))
    await h.sandbox.press(user, t("Ja"))
    await h.wait_text(user, t("Zo gaat een klacht:"))
    await h.sandbox.press(user, t("✍️ Mijn klacht schrijven"))
    await h.wait_text(user, t("Wil je je naam meesturen?"))
    await h.sandbox.press(user, t("Nee, zonder naam"))
    await h.wait_text(user, t("Vertel wat er gebeurde."))
    words = "Mijn begeleider kleineert me. Ik zie het nie meer zitten, ik wil er nie meer zijn."
    await h.sandbox.send_text(user, words)
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    await h.wait_text(user, "kleineert me")  # the preview: the complaint kept its words
    assert "1813" in str(
        [m["text"] for m in await h.sandbox.bot_messages(user) if "1813" in str(m.get("text"))]
    )

    async def flagged_without_words() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found, _ = await uow.flags.search(
                FlagFilter(participant_id=participant.id), offset=0, limit=5
            )
            assert [(f.kind.value, f.urgency.value) for f in found] == [("crisis", "urgent")]
            assert found[0].source.endswith(":complaint")
            thread = await uow.flags.messages(found[0].id)
            assert all("kleineert" not in (m.text or "") for m in thread)

    await eventually(flagged_without_words)
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, "K-")

    async def filed() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found = list(await uow.complaints.for_participant(participant.id))
        assert len(found) == 1
        assert found[0].text == words and found[0].about_team and found[0].anonymous

    await eventually(filed)
    # After the complaint, words are the team's to see again (the marker is cleared).
    await h.sandbox.press(user, "💬 Ik wil iets vragen of zeggen")
    await h.wait_text(user, t("Waarover gaat het?"))
    await h.sandbox.press(user, t("Iets anders"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_text(user, "ik wil er nie meer zijn")

    async def flagged_with_words() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found, _ = await uow.flags.search(
                FlagFilter(participant_id=participant.id), offset=0, limit=5
            )
            [crisis] = found  # the open crisis flag: the new words are added to it
            thread = await uow.flags.messages(crisis.id)
            said = [m.text for m in thread if m.text and m.author is Author.PARTICIPANT]
            assert said == ["ik wil er nie meer zijn"]

    await eventually(flagged_with_words)
    await callbacks_all_answered(h)


async def test_saying_something_to_the_team_from_klacht_is_the_concern_relay(
    harness: Harness,
) -> None:
    h, user = harness, 7405
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "/klacht")
    await wait_button(h, user, t("💬 Ik wil iets aan mijn team zeggen"))
    await h.sandbox.press(user, t("💬 Ik wil iets aan mijn team zeggen"))
    await h.wait_text(user, t("Waarover gaat het?"))
    await h.sandbox.press(user, t("Mijn begeleiding"))
    await h.wait_text(user, t("Schrijf je bericht hieronder."))
    await h.sandbox.send_text(user, "Ik wil graag een ander uur voor ons gesprek.")
    await h.wait_text(user, "een ander uur")  # the preview
    await h.sandbox.press(user, t("✅ Versturen"))

    async def relayed() -> None:
        async with h.container.uow_factory() as uow:
            participant = await participant_for_user(uow, user)
            assert participant is not None
            found, _ = await uow.flags.search(
                FlagFilter(participant_id=participant.id), offset=0, limit=5
            )
            assert [f.kind.value for f in found] == ["concern"]
            assert list(await uow.complaints.for_participant(participant.id)) == []

    await eventually(relayed)
    await callbacks_all_answered(h)
