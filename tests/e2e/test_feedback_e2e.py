"""Feedback surveys over the wire: the start pulse offered the day after the first plan is
acknowledged, answered with buttons and a few words, paused and resumed; anonymous feedback
from Klacht in English; and what ends up in the database: totals without a person."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from tests.e2e.conftest import FAST_FAKE, Harness, buttons, eventually, onboard, running_bot
from tests.e2e.test_plan_e2e import _participant_id, api, office_hours, plan_body, sender
from wzt_bot.clock import FrozenClock
from wzt_bot.db.tables import FeedbackAnswerRow, FeedbackResponseRow, SurveyProgressRow
from wzt_bot.domain import surveys as catalog
from wzt_bot.domain.models import SurveyKind, SurveyStatus
from wzt_bot.domain.ports import FeedbackReportFilter, FlagFilter
from wzt_bot.domain.services import surveys
from wzt_bot.domain.services.onboarding import participant_for_user

WHY_WORDS = "An luistert echt naar mij. Bel me op 0470 12 34 56."


async def _responses(h: Harness) -> list[tuple[Any, dict[str, str | None]]]:
    """The anonymous rows, read straight from the database."""
    async with h.container.engine.connect() as connection:
        rows = list(await connection.execute(select(FeedbackResponseRow.__table__)))
        out = []
        for r in rows:
            answers = await connection.execute(
                select(FeedbackAnswerRow.question_id, FeedbackAnswerRow.value).where(
                    FeedbackAnswerRow.response_id == r.id
                )
            )
            out.append((r, {str(q): v for q, v in answers.tuples()}))
        return out


async def _progress(h: Harness) -> list[Any]:
    async with h.container.engine.connect() as connection:
        return list(await connection.execute(select(SurveyProgressRow.__table__)))


async def _press_last(h: Harness, user: int, label: str) -> None:
    """Wait until the newest message with buttons offers `label`, then press it."""

    def offered(history: dict[str, Any]) -> bool:
        with_buttons = [m for m in history["messages"] if m["from"] == "bot" and buttons(m)]
        return bool(with_buttons) and label in buttons(with_buttons[-1])

    offered.__name__ = f"button {label!r}"
    await h.sandbox.wait_for(user, offered, timeout=10)
    await h.sandbox.press(user, label)


async def test_start_pulse_after_the_first_akkoord_paused_resumed_anonymous(
    database_url: str,
) -> None:
    async with running_bot(database_url, fake_kwargs=dict(FAST_FAKE)) as h:
        user = 7601
        t = h.container.i18n.get("nl")
        await onboard(h, user, consent=True)
        pid = await _participant_id(h, user)
        business = FrozenClock(office_hours())
        async with api(h) as client:
            put = await client.put(f"/api/v1/participants/{pid}/plan", json=plan_body())
            assert put.status_code == 200, put.text
        await sender(h, business).drain()
        await _press_last(h, user, t("👍 Akkoord"))

        async def scheduled() -> None:
            rows = await _progress(h)
            assert [(r.survey, r.status) for r in rows] == [("start", "scheduled")]

        await eventually(scheduled)
        # Nothing is asked on the day itself (the day the bot's own clock says, a Sunday
        # too); the daily tick offers it on a later day.
        async with h.container.uow_factory() as uow:
            today = await surveys.tick(
                uow, FrozenClock(h.container.clock.now()), h.container.settings.tz
            )
            await uow.commit()
        assert today.offered == 0
        tomorrow = FrozenClock(office_hours(2))
        async with h.container.uow_factory() as uow:
            tick = await surveys.tick(uow, tomorrow, h.container.settings.tz)
            await uow.commit()
        assert tick.offered == 1
        await sender(h, tomorrow).drain()
        await h.wait_text(user, t("Je traject is goed begonnen. Hoe vond je de start?"))
        await _press_last(h, user, t("👀 Toon de vragen"))
        intro = await h.wait_text(user, t("Je antwoorden veranderen niets aan je traject."))
        assert intro
        text = await h.last_bot_text(user)
        assert t("Ze zijn anoniem. Je team ziet niet wat jij antwoordt.") in text
        await _press_last(h, user, t("▶️ Starten"))

        survey = catalog.current(SurveyKind.START)
        await h.wait_text(user, t(survey.questions[0].text))
        assert t("Vraag {number} van {total}", number=1, total=3) in await h.last_bot_text(user)
        await _press_last(h, user, t("🙂 Goed"))
        await h.wait_text(user, t(survey.questions[1].text))
        # A pause: the chat goes on with something else, the survey waits.
        await _press_last(h, user, t("⏸️ Later verder"))
        await h.wait_text(user, t("Goed. Je kan later verder doen met /feedback."))

        async def paused() -> None:
            (row,) = await _progress(h)
            assert (row.status, row.position) == ("paused", 1)
            assert row.draft_ct is not None  # the answer so far, encrypted

        await eventually(paused)
        assert await _responses(h) == []

        await h.sandbox.send_text(user, "/feedback")
        await h.wait_text(user, t("Je was al begonnen. Je gaat verder waar je stopte."))
        await _press_last(h, user, t("▶️ Verder doen"))
        await _press_last(h, user, t("Een beetje"))
        await h.wait_text(user, t(survey.questions[2].text))
        await _press_last(h, user, t("Ja"))
        await h.wait_text(user, t(catalog.WHY))
        await h.sandbox.send_text(user, WHY_WORDS)
        await h.wait_text(user, t("Mag ik je eigen woorden bewaren, zonder je naam?"))
        await _press_last(h, user, t("✅ Ja, dat mag"))
        await h.wait_text(user, t("Dank je wel! Je antwoorden zijn bewaard, zonder je naam."))

        async def stored() -> None:
            found = await _responses(h)
            assert len(found) == 1, found
            ((response, answers),) = found
            assert answers == {
                "start_overall": "4",
                "plan_understood": "partly",
                "felt_heard": "yes",
            }
            assert response.survey == "start" and response.completed and response.share_text
            assert response.trajectory_type == "activeringstraject"
            assert response.month.day == 1
            (row,) = await _progress(h)
            assert row.status == "done" and row.draft_ct is None and row.updated_on is None

        await eventually(stored)

        # The words were shared: they are kept (encrypted) for the network's report.
        month = tomorrow.now().astimezone(h.container.settings.tz).date().replace(day=1)
        async with h.container.uow_factory() as uow:
            team = await uow.teams.get(h.team_id)
            assert team is not None
            found = await uow.feedback.aggregates(
                FeedbackReportFilter(
                    network_id=team.network_id, first_month=month, last_month=month
                )
            )
        assert list(found.texts.values()) == [[WHY_WORDS]]

        # The start pulse is not offered again, not even after a second Akkoord.
        async with h.container.uow_factory() as uow:
            participant = await uow.participants.get(uuid.UUID(pid))
            assert participant is not None
            again = await surveys.plan_acknowledged(
                uow, tomorrow, h.container.settings.tz, participant
            )
            later = await surveys.tick(uow, FrozenClock(office_hours(5)), h.container.settings.tz)
            await uow.commit()
        assert again is False and later.offered == 0


async def test_anonymous_feedback_from_klacht_in_english(database_url: str) -> None:
    async with running_bot(database_url, fake_kwargs=dict(FAST_FAKE)) as h:
        user = 7602
        t = h.container.i18n.get("en")
        await onboard(h, user, lang="en")
        await h.sandbox.press(user, "📣 " + t("Klacht"))
        await _press_last(h, user, t("📝 Ik wil anoniem feedback geven"))
        intro = t("Je antwoorden veranderen niets aan je traject.")
        assert intro != "Je antwoorden veranderen niets aan je traject."  # translated
        await h.wait_text(user, intro)
        await _press_last(h, user, t("▶️ Starten"))
        survey = catalog.current(SurveyKind.ANYTIME)
        await h.wait_text(user, t(survey.questions[0].text))
        await _press_last(h, user, t("😄 Heel goed"))
        await h.wait_text(user, t(survey.questions[1].text))
        # A sticker instead of words: a kind hint, the question stays.
        await h.sandbox.send_kind(user, "sticker", language_code="en")
        await h.wait_text(user, t("Schrijf het in een bericht. Of kies ⏭️ Overslaan."))
        await h.sandbox.send_text(user, "Keep calling me on Fridays, that helps.")
        await h.wait_text(user, t("Mag ik je eigen woorden bewaren, zonder je naam?"))
        await _press_last(h, user, t("✖️ Nee, liever niet"))
        await h.wait_text(user, t("Dank je wel! Je antwoorden zijn bewaard, zonder je naam."))

        async def stored() -> None:
            found = await _responses(h)
            assert len(found) == 1, found
            ((response, answers),) = found
            assert answers == {"support_now": "5"}  # the words were not kept at all
            assert response.survey == "anytime" and not response.share_text

        await eventually(stored)
        (row,) = await _progress(h)
        assert row.status == SurveyStatus.DONE.value and row.draft_ct is None


async def test_a_risk_message_in_survey_words_gets_helplines_and_a_flag_without_the_words(
    database_url: str,
) -> None:
    async with running_bot(database_url, fake_kwargs=dict(FAST_FAKE)) as h:
        user = 7603
        t = h.container.i18n.get("nl")
        await onboard(h, user)
        await h.sandbox.send_text(user, "/feedback")
        await _press_last(h, user, t("▶️ Starten"))
        survey = catalog.current(SurveyKind.ANYTIME)
        await _press_last(h, user, t("🙁 Niet zo goed"))
        await h.wait_text(user, t(survey.questions[1].text))
        words = "Niemand luistert. Ik zie het nie meer zitten, ik wil er nie meer zijn."
        await h.sandbox.send_text(user, words)
        await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
        assert any("1813" in str(m.get("text")) for m in await h.sandbox.bot_messages(user))

        async def flagged_without_words() -> None:
            async with h.container.uow_factory() as uow:
                participant = await participant_for_user(uow, user)
                assert participant is not None
                found, _ = await uow.flags.search(
                    FlagFilter(participant_id=participant.id), offset=0, limit=5
                )
                assert [(f.kind.value, f.urgency.value) for f in found] == [("crisis", "urgent")]
                assert found[0].source.endswith(":feedback")
                thread = await uow.flags.messages(found[0].id)
                assert all("luistert" not in (m.text or "") for m in thread)

        await eventually(flagged_without_words)
        # The survey still gets its words (never lost): the next step asks about sharing.
        await h.wait_text(user, t("Mag ik je eigen woorden bewaren, zonder je naam?"))
