"""Waar heb ik recht op? over the wire: /rechten and the button in Mijn plan open the topics,
an explanation says the team looks at it together (a network's own words as written), and
the ticked checklist becomes a RIGHTS flag with the topic names only, after a preview."""

from __future__ import annotations

from datetime import date

import httpx

from tests.e2e.conftest import (
    Harness,
    buttons,
    callbacks_all_answered,
    eventually,
    onboard,
    wait_button,
)
from wzt_bot.bot.plan_texts import day
from wzt_bot.domain.models import FlagKind, Role
from wzt_bot.domain.policies.rights import (
    DEFAULT_TEXTS,
    DEFAULTS_VERIFIED,
    NOT_DECIDED_HERE,
    TITLES,
    RightsTopic,
    request_text,
)
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.services import admin
from wzt_bot.domain.services.onboarding import participant_for_user
from wzt_bot.i18n import Translator

INTRO = "Hier lees je waar je misschien recht op hebt."
ASK = "📨 Vraag mijn team om dit samen te bekijken"
TICK = "✅ Dit wil ik bekijken met mijn team"
OWN_TEXT = "Bij Netwerk E2E betaalt het OCMW je busabonnement terug. Vraag het aan An."


async def _flags(h: Harness, user: int) -> list[tuple[FlagKind, str, list[str]]]:
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        found, _ = await uow.flags.search(
            FlagFilter(participant_id=participant.id), offset=0, limit=20
        )
        return [(f.kind, f.source, [m.text for m in await uow.flags.messages(f.id)]) for f in found]


async def _newest_buttons(h: Harness, user: int) -> list[str]:
    with_buttons = [m for m in await h.sandbox.bot_messages(user) if buttons(m)]
    return buttons(with_buttons[-1]) if with_buttons else []


async def _tick(h: Harness, user: int, t: Translator, topic: RightsTopic) -> None:
    await h.sandbox.press(user, t(TITLES[topic]))
    await wait_button(h, user, t(TICK))
    await h.sandbox.press(user, t(TICK))
    await wait_button(h, user, f"✅ {t(TITLES[topic])}")


async def test_rights_explained_ticked_previewed_and_sent_to_the_team(harness: Harness) -> None:
    h, user = harness, 7601
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "/rechten")
    await h.wait_text(user, t(INTRO))
    intro = await h.last_bot_text(user)
    assert t(NOT_DECIDED_HERE) in intro
    offered = await _newest_buttons(h, user)
    assert [t(TITLES[topic]) for topic in RightsTopic] == offered[: len(RightsTopic)]
    assert t(ASK) not in offered  # nothing ticked yet
    assert t("✖️ Stoppen") in offered

    # One topic: its explanation, that the team looks at it together, and the date.
    await h.sandbox.press(user, t(TITLES[RightsTopic.VERVOER]))
    await wait_button(h, user, t(TICK))
    explained = await h.last_bot_text(user)
    assert t(DEFAULT_TEXTS[RightsTopic.VERVOER]) in explained
    assert t(NOT_DECIDED_HERE) in explained
    assert t("Nagekeken op {date}.", date=day(DEFAULTS_VERIFIED)) in explained
    await h.sandbox.press(user, "⬅️ " + t("Terug"))
    await wait_button(h, user, t(TITLES[RightsTopic.VERVOER]))
    assert t(ASK) not in await _newest_buttons(h, user)

    # Tick two topics (and untick one that was ticked by mistake).
    await _tick(h, user, t, RightsTopic.HULPMIDDELEN)
    await _tick(h, user, t, RightsTopic.TOLK)
    await _tick(h, user, t, RightsTopic.ONKOSTEN)
    await h.sandbox.press(user, f"✅ {t(TITLES[RightsTopic.ONKOSTEN])}")
    await wait_button(h, user, t("Niet meer aanvinken"))
    assert t("✅ Dit bekijk je met je team.") in await h.last_bot_text(user)
    await h.sandbox.press(user, t("Niet meer aanvinken"))
    await wait_button(h, user, t(TITLES[RightsTopic.ONKOSTEN]))

    # The preview shows exactly the ticked topics; "Aanpassen" goes back to the list.
    await h.sandbox.press(user, t(ASK))
    await h.wait_text(user, t("Dit stuur ik naar je team:"))
    preview = await h.last_bot_text(user)
    assert t(TITLES[RightsTopic.HULPMIDDELEN]) in preview
    assert t(TITLES[RightsTopic.TOLK]) in preview
    assert t(TITLES[RightsTopic.ONKOSTEN]) not in preview
    assert await _flags(h, user) == []
    await h.sandbox.press(user, t("✏️ Aanpassen"))
    await wait_button(h, user, t(ASK))
    await h.sandbox.press(user, t(ASK))
    await wait_button(h, user, t("✅ Versturen"))
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, t("✅ Verstuurd naar je team."))
    sent = await h.last_bot_text(user)
    assert t("Je team antwoordt meestal binnen {days} werkdagen.", days=2) in sent

    async def flagged() -> None:
        expected = request_text([RightsTopic.HULPMIDDELEN, RightsTopic.TOLK])
        assert await _flags(h, user) == [(FlagKind.RIGHTS, "rights:checklist", [expected])]

    await eventually(flagged)
    [(_, _, [words])] = await _flags(h, user)
    assert "hulpmiddelen" in words and "tolk" in words and "onkosten" not in words
    await callbacks_all_answered(h)


async def test_rights_from_mijn_plan_and_stopped_without_sending(harness: Harness) -> None:
    h, user = harness, 7602
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.press(user, "📋 " + t("Mijn plan"))
    await wait_button(h, user, "⚖️ " + t("Waar heb ik recht op?"))
    await h.sandbox.press(user, "⚖️ " + t("Waar heb ik recht op?"))
    await h.wait_text(user, t(INTRO))
    await _tick(h, user, t, RightsTopic.KINDEROPVANG)
    await h.sandbox.press(user, t(ASK))
    await wait_button(h, user, t("✖️ Niet versturen"))
    await h.sandbox.press(user, t("✖️ Niet versturen"))
    await h.wait_text(user, t("Oké, ik heb niets verstuurd."))
    assert "/rechten" in await h.last_bot_text(user)
    assert await _flags(h, user) == []
    # A stranger gets the usual answer, not the topics.
    await h.sandbox.send_text(9601, "/rechten")
    await h.wait_text(9601, t("Hallo! Ik ben de chatbot van je begeleiding."))
    assert t(INTRO) not in await h.last_bot_text(9601)
    await callbacks_all_answered(h)


async def test_rights_in_arabic_are_translated(harness: Harness) -> None:
    h, user = harness, 7603
    t = h.container.i18n.get("ar")
    await onboard(h, user, lang="ar")
    await h.sandbox.send_text(user, "/rechten")
    await h.wait_text(user, t(INTRO))
    offered = await _newest_buttons(h, user)
    assert offered[: len(RightsTopic)] == [t(TITLES[topic]) for topic in RightsTopic]
    assert t(TITLES[RightsTopic.TOLK]) != TITLES[RightsTopic.TOLK]  # really translated
    await _tick(h, user, t, RightsTopic.TOLK)
    await h.sandbox.press(user, f"✅ {t(TITLES[RightsTopic.TOLK])}")
    await wait_button(h, user, t("Niet meer aanvinken"))
    explained = await h.last_bot_text(user)
    assert t(DEFAULT_TEXTS[RightsTopic.TOLK]) in explained
    assert t("Nagekeken op {date}.", date=day(DEFAULTS_VERIFIED)) in explained
    await h.sandbox.press(user, "⬅️ " + t("Terug"))
    await wait_button(h, user, t(ASK))
    await h.sandbox.press(user, t(ASK))
    await h.wait_text(user, t("Dit stuur ik naar je team:"))
    assert t(TITLES[RightsTopic.TOLK]) in await h.last_bot_text(user)
    await h.sandbox.press(user, t("✅ Versturen"))
    await h.wait_text(user, t("✅ Verstuurd naar je team."))

    async def flagged() -> None:
        # The team reads the topic names in Dutch, whatever the participant's language.
        expected = request_text([RightsTopic.TOLK])
        assert await _flags(h, user) == [(FlagKind.RIGHTS, "rights:checklist", [expected])]

    await eventually(flagged)
    await callbacks_all_answered(h)


async def test_a_networks_own_text_is_shown_as_written(harness: Harness) -> None:
    h, user = harness, 7604
    t = h.container.i18n.get("en")
    async with h.container.uow_factory() as uow:
        team = await uow.teams.get(h.team_id)
        assert team is not None
        beheer = await admin.create_staff(uow, name="Beheer", role=Role.ADMIN, team_ids=frozenset())
        await uow.commit()
    app = h.container.build_api(with_webhook=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.test"
    ) as client:
        saved = await client.put(
            f"/api/v1/networks/{team.network_id}/rights",
            json={
                "topics": [{"topic": "vervoer", "text": OWN_TEXT, "last_verified": "2027-01-15"}]
            },
            headers={"Authorization": f"Bearer {beheer.token}"},
        )
        assert saved.status_code == 200, saved.text

    await onboard(h, user, lang="en")
    await h.sandbox.send_text(user, "/rights")
    await h.wait_text(user, t(INTRO))
    await h.sandbox.press(user, t(TITLES[RightsTopic.VERVOER]))
    await wait_button(h, user, t(TICK))
    explained = await h.last_bot_text(user)
    assert OWN_TEXT in explained  # as written: not translated, not replaced by the default
    assert t(DEFAULT_TEXTS[RightsTopic.VERVOER]) not in explained
    assert t("Nagekeken op {date}.", date=day(date(2027, 1, 15))) in explained
    assert t(NOT_DECIDED_HERE) in explained
    # Another topic keeps the shipped default, translated.
    await h.sandbox.press(user, "⬅️ " + t("Terug"))
    await wait_button(h, user, t(TITLES[RightsTopic.TOLK]))
    await h.sandbox.press(user, t(TITLES[RightsTopic.TOLK]))
    await wait_button(h, user, t(TICK))
    assert t(DEFAULT_TEXTS[RightsTopic.TOLK]) in await h.last_bot_text(user)
    assert t(DEFAULT_TEXTS[RightsTopic.TOLK]) != DEFAULT_TEXTS[RightsTopic.TOLK]
    await h.sandbox.press(user, t("✖️ Stoppen"))
    await h.wait_text(user, t("Oké, ik heb niets verstuurd."))
    assert await _flags(h, user) == []
    await callbacks_all_answered(h)
