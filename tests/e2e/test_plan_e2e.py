"""Mijn plan over the wire: the plan pushed through the API, the participant's answer, a
disagreement reaching the flags API, the steps, who is who, and an appointment reminder that
waits for the end of quiet hours. In Dutch, and in English with machine translation."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from aiohttp import web

from tests.conftest import free_port
from tests.e2e.conftest import (
    FAST_FAKE,
    Harness,
    buttons,
    callbacks_all_answered,
    eventually,
    onboard,
    running_bot,
    wait_button,
)
from wzt_bot.bot.notifier import TelegramNotifier
from wzt_bot.clock import FrozenClock
from wzt_bot.domain.models import FlagKind
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import plan as plan_svc
from wzt_bot.domain.services.delivery import Sender
from wzt_bot.domain.services.onboarding import participant_for_user

BRU = ZoneInfo("Europe/Brussels")


def office_hours(days_ahead: int = 1, hour: int = 10) -> datetime:
    """A weekday (Monday to Saturday) at `hour` local, `days_ahead` days from now or later."""
    day = datetime.now(BRU).date() + timedelta(days=days_ahead)
    while day.weekday() == 6:  # Sunday: quiet all day
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BRU)


def sender(h: Harness, clock: FrozenClock) -> Sender:
    return Sender(
        h.container.uow_factory,
        clock,
        TelegramNotifier(h.container.telegram_bot(), h.container.i18n, h.container.limiter),
    )


@contextlib.asynccontextmanager
async def api(h: Harness) -> AsyncIterator[httpx.AsyncClient]:
    app = h.container.build_api(with_webhook=False)
    headers = {"Authorization": f"Bearer {h.staff.token}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://api.test", headers=headers
    ) as client:
        yield client


async def _participant_id(h: Harness, user: int) -> str:
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
    assert participant is not None
    return str(participant.id)


def plan_body(note: str = "Eerste versie, samen opgemaakt.") -> dict[str, Any]:
    return {
        "trajectory_type": "activeringstraject",
        "objective": "Ik wil in een keuken werken.",
        "start_date": "2026-11-02",
        "expected_end_date": "2027-08-01",
        "evaluation_every_weeks": 6,
        "change_note": note,
        "actions": [
            {"domain": "werk", "title": "Stage zoeken in een grootkeuken", "owner": "An"},
            {"domain": "zorg", "title": "Afspraak bij de huisarts", "owner": "Lies"},
        ],
    }


async def test_plan_walkthrough_in_dutch(database_url: str) -> None:
    async with running_bot(database_url, fake_kwargs=dict(FAST_FAKE)) as h:
        user = 7301
        t = h.container.i18n.get("nl")
        await onboard(h, user, consent=True)
        pid = await _participant_id(h, user)
        base = f"/api/v1/participants/{pid}"
        business = FrozenClock(office_hours())
        async with api(h) as client:
            team = await client.put(
                f"{base}/team",
                json={
                    "entries": [
                        {
                            "name": "An Claes",
                            "role": "casemanager_werk",
                            "reach": "ma-do 9-17 u",
                            "staff_id": str(h.staff.staff.id),
                            "main": True,
                        },
                        {"name": "Lies", "role": "casemanager_zorg", "organisation": "CAW"},
                    ]
                },
            )
            assert team.status_code == 200, team.text
            first = await client.put(f"{base}/plan", json=plan_body())
            assert first.status_code == 200, first.text
            await sender(h, business).drain()
            await h.wait_text(
                user, t("Hallo {name}! Je plan staat klaar in de chatbot.", name="Sam")
            )
            await wait_button(h, user, t("✋ Ik ben het niet eens"))

            # Not agreeing: in the participant's own words, to a person (a flag).
            await h.sandbox.press(user, t("✋ Ik ben het niet eens"))
            await h.wait_text(
                user, t("Waarmee ben je het niet eens? Schrijf het in je eigen woorden.")
            )
            await h.sandbox.send_text(user, "Ik wil eerst de huisarts zien, dan pas een stage.")
            await h.wait_text(
                user, t("✅ Verstuurd naar {who}.", who="Casemanager, " + t("iemand van je team"))
            )

            async def disagreement() -> dict[str, Any]:
                found = await client.get("/api/v1/flags", params={"kind": "plan_disagreement"})
                assert found.status_code == 200
                assert found.json()["total"] == 1, found.json()
                item: dict[str, Any] = found.json()["items"][0]
                return item

            flag = await eventually(disagreement)
            thread = await client.get(f"/api/v1/flags/{flag['id']}")
            texts = " ".join(m["text"] for m in thread.json()["messages"])
            assert "eerst de huisarts zien" in texts
            answers = (await client.get(f"{base}/plan")).json()["answers"]
            assert [a["answer"] for a in answers] == ["oneens"]

            # A new version: what changed and why, and this time Akkoord.
            second = await client.put(
                f"{base}/plan", json=plan_body("De huisarts eerst, zoals Sam vroeg.")
            )
            assert second.json()["version"] == 2
            await sender(h, business).drain()
            await h.wait_text(user, "De huisarts eerst, zoals Sam vroeg.")
            assert t("Hallo {name}! Je plan is aangepast.", name="Sam") in await h.last_bot_text(
                user
            )
            await h.sandbox.press(user, t("👍 Akkoord"))
            await h.wait_text(
                user, t("👍 Dank je! Ik heb aan je team laten weten dat je akkoord bent.")
            )

            # Mijn plan: where am I, the goal, the steps one by one.
            await h.sandbox.press(user, "📋 " + t("Mijn plan"))
            await h.wait_text(user, "Ik wil in een keuken werken.")
            await h.sandbox.press(user, "📍 " + t("Waar sta ik?"))
            await h.wait_text(user, "▶️ " + t("Je plan maken"))
            where = await h.last_bot_text(user)
            assert "Stage zoeken in een grootkeuken" in where  # the next step
            assert "An Claes" in where  # who to ask
            await h.sandbox.press(user, "📋 " + t("Terug naar mijn plan"))
            await wait_button(h, user, "🎯 " + t("Mijn doel en stappen"))
            await h.sandbox.press(user, "🎯 " + t("Mijn doel en stappen"))
            await wait_button(h, user, t("Bekijk de stappen") + " ▶️")
            await h.sandbox.press(user, t("Bekijk de stappen") + " ▶️")
            await h.wait_text(user, t("Stap {i} van {n}", i=1, n=2))
            await h.sandbox.press(user, t("Volgende") + " ▶️")
            await h.wait_text(user, t("Stap {i} van {n}", i=2, n=2))
            await h.sandbox.press(user, "✅ " + t("Gedaan"))
            done = "✅ Weer een stap gezet. Ik heb aan je team laten weten dat deze stap gedaan is."
            await h.wait_text(user, t(done))

            async def marked() -> None:
                actions = (await client.get(f"{base}/plan")).json()["actions"]
                assert actions[1]["participant_marked_done_at"] is not None
                assert actions[0]["participant_marked_done_at"] is None

            await eventually(marked)

            # Wie is wie: roles in one plain sentence, and "Neem contact met mij op".
            await h.sandbox.press(user, "📋 " + t("Terug naar mijn plan"))
            await wait_button(h, user, "👥 " + t("Wie is wie"))
            await h.sandbox.press(user, "👥 " + t("Wie is wie"))
            await h.wait_text(
                user, t("Helpt je met je gezondheid, hoe je je voelt en hoe je leeft.")
            )
            await h.sandbox.press(
                user, "📞 " + t("Neem contact met mij op: {name}", name="An Claes")
            )
            await h.wait_text(
                user, t("Goed. Ik heb gevraagd dat {who} contact met je opneemt.", who="An Claes")
            )

            async def contact() -> None:
                found = await client.get("/api/v1/flags", params={"kind": "contact_request"})
                assert found.json()["total"] == 1
                assert found.json()["items"][0]["assignee_id"] == str(h.staff.staff.id)

            await eventually(contact)

        # An appointment made late in the evening: its reminder waits for the morning.
        late = office_hours(hour=21)
        while (late + timedelta(days=1)).weekday() == 6:  # the next morning must not be Sunday
            late = office_hours(
                days_ahead=(late.date() - datetime.now(BRU).date()).days + 2, hour=21
            )
        evening = FrozenClock(late)
        starts = (evening.now() + timedelta(hours=17)).astimezone(BRU)  # 14:00 the next day
        async with h.container.uow_factory() as uow:
            appointment = await plan_svc.add_appointment(
                uow,
                evening,
                BRU,
                h.staff.staff,
                uuid.UUID(pid),
                starts_at=starts,
                where="VDAB Gent",
                with_whom="An",
                bring="Je identiteitskaart",
            )
            await uow.commit()
        report = await sender(h, evening).drain()
        assert report.sent == 0, "never in quiet hours"
        assert not any(
            "VDAB Gent" in str(m.get("text")) for m in await h.sandbox.bot_messages(user)
        )
        morning = FrozenClock(evening.now() + timedelta(hours=12, minutes=5))  # 09:05
        await sender(h, morning).drain()
        await h.wait_text(user, "VDAB Gent")
        assert t("🎒 Neem mee: {what}", what="Je identiteitskaart") in await h.last_bot_text(user)
        await h.sandbox.press(user, "🙁 " + t("Ik kan niet komen"))
        await h.wait_text(user, t("Dank je om het te laten weten. Dat is helemaal oké."))

        async def cant_come() -> None:
            async with h.container.uow_factory() as uow:
                again = await uow.plans.appointment(appointment.id)
                found, _ = await uow.flags.search(
                    FlagFilter(participant_id=uuid.UUID(pid), kind=FlagKind.APPOINTMENT),
                    offset=0,
                    limit=5,
                )
            assert again is not None and again.cant_come_at is not None
            assert len(found) == 1

        await eventually(cant_come)
        await callbacks_all_answered(h)


@contextlib.asynccontextmanager
async def fake_translator() -> AsyncIterator[str]:
    """A LibreTranslate-compatible server on loopback: "[en] <text>"."""

    async def translate(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"translatedText": f"[{body['target']}] {body['q']}"})

    app = web.Application()
    app.router.add_post("/translate", translate)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port, reuse_address=True)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_plan_in_english_with_machine_translation(database_url: str) -> None:
    async with (
        fake_translator() as url,
        running_bot(database_url, fake_kwargs=dict(FAST_FAKE), translate_url=url) as h,
    ):
        user = 7302
        t = h.container.i18n.get("en")
        await onboard(h, user, lang="en", consent=True)
        pid = await _participant_id(h, user)
        async with api(h) as client:
            put = await client.put(f"/api/v1/participants/{pid}/plan", json=plan_body())
            assert put.status_code == 200, put.text
            await sender(h, FrozenClock(office_hours())).drain()
            await h.wait_text(user, "[en] Eerste versie, samen opgemaakt.")
            text = await h.last_bot_text(user)
            assert "Eerste versie, samen opgemaakt." in text  # the Dutch original
            assert t("automatisch vertaald") != "automatisch vertaald"  # the bot's own words
            assert t("automatisch vertaald") in text
            await h.sandbox.press(user, t("👍 Akkoord"))
            await h.wait_text(
                user, t("👍 Dank je! Ik heb aan je team laten weten dat je akkoord bent.")
            )
            await h.sandbox.press(user, "📋 " + t("Mijn plan"))
            await h.wait_text(user, "[en] Ik wil in een keuken werken.")
            await wait_button(h, user, "🎯 " + t("Mijn doel en stappen"))
            await h.sandbox.press(user, "🎯 " + t("Mijn doel en stappen"))
            await wait_button(h, user, t("Bekijk de stappen") + " ▶️")
            await h.sandbox.press(user, t("Bekijk de stappen") + " ▶️")
            await h.wait_text(user, "[en] Stage zoeken in een grootkeuken")
            step = await h.sandbox.bot_messages(user)
            assert "✅ " + t("Gedaan") in buttons(step[-1])
            answers = (await client.get(f"/api/v1/participants/{pid}/plan")).json()["answers"]
            assert [a["answer"] for a in answers] == ["akkoord"]
        await callbacks_all_answered(h)
