"""The crisis layer through the real bot: the scorer's two bands (the gentle question and the
alarm), why a flag was raised, captions, edited messages and open dialogs.

The scorer here is a tiny one made for the test (its words are known), so these tests check
the bot's behaviour, not the shipped model's figures (those are in tests/unit and bench/).
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import wzt_bot.wiring
from tests.e2e.conftest import (
    FAST_FAKE,
    Harness,
    callbacks_all_answered,
    eventually,
    onboard,
    running_bot,
)
from wzt_bot.domain.models import Author, FlagKind, FlagUrgency
from wzt_bot.domain.ports import FlagFilter
from wzt_bot.domain.safety.check import CrisisCheck, Verdict
from wzt_bot.domain.safety.corpus import Example, load_split
from wzt_bot.domain.safety.crisis import CrisisDetector, normalise
from wzt_bot.domain.safety.scorer import MODELS, RiskScorer, features
from wzt_bot.domain.services.onboarding import participant_for_user

UNSURE = "wolkje"  # the test scorer is unsure about this word alone
SURE = "onweer"  # and sure about this one
BIAS = -10.0


def _weight(word: str, z: float) -> float:
    """A weight for `word` that gives a one-word message the logit `z`."""
    return (z - BIAS) * math.sqrt(len(features(normalise(word))))


def _scorer() -> RiskScorer:
    weights = {
        f"w:{UNSURE}": [_weight(UNSURE, 0.0), 0.0, 0.0, 1.0],  # p = 0.5: ask
        f"w:{SURE}": [_weight(SURE, 10.0), 0.0, 1.0, 0.0],  # p ~ 1: alarm, violence
    }
    return RiskScorer.from_features([BIAS] * len(MODELS), weights, ask=0.3, alarm=0.9)


@pytest.fixture
async def harness(database_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Harness]:
    check = CrisisCheck(CrisisDetector.load(), _scorer())
    monkeypatch.setattr(wzt_bot.wiring.CrisisCheck, "load", classmethod(lambda cls: check))
    async with running_bot(database_url, fake_kwargs=dict(FAST_FAKE)) as built:
        yield built


async def _flags(h: Harness, user: int) -> list[Any]:
    async with h.container.uow_factory() as uow:
        participant = await participant_for_user(uow, user)
        assert participant is not None
        found, _ = await uow.flags.search(
            FlagFilter(participant_id=participant.id), offset=0, limit=20
        )
    return list(found)


async def _thread(h: Harness, flag_id: Any) -> list[Any]:
    async with h.container.uow_factory() as uow:
        return list(await uow.flags.messages(flag_id))


async def _one_crisis_flag(h: Harness, user: int) -> Any:
    async def found() -> Any:
        flags = await _flags(h, user)
        assert len(flags) == 1
        assert flags[0].kind is FlagKind.CRISIS
        assert flags[0].urgency is FlagUrgency.URGENT
        return flags[0]

    return await eventually(found)


async def test_unsure_message_gets_a_gentle_question_and_yes_raises_the_urgent_flag(
    harness: Harness,
) -> None:
    h, user = harness, 7301
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    sent = await h.sandbox.send_text(user, UNSURE)
    await h.wait_text(user, t("Wil je met iemand praten?"))
    history = await h.sandbox.history(user)
    question = next(
        m for m in reversed(history["messages"]) if m["from"] == "bot" and "praten" in m["text"]
    )
    assert question["reply_to_message_id"] == sent["message_id"]  # it answers that message
    assert "106" in question["text"] and "1813" in question["text"]
    assert await _flags(h, user) == []  # no alarm yet

    await h.sandbox.press(user, t("Ja, ik wil praten"))
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    flag = await _one_crisis_flag(h, user)
    thread = await _thread(h, flag.id)
    assert any(m.text == UNSURE for m in thread)  # the words
    notes = [m.text for m in thread if m.author is Author.SYSTEM]
    assert any("de deelnemer wil praten" in note for note in notes)
    await callbacks_all_answered(h)


async def test_no_thanks_closes_the_question_without_a_flag(harness: Harness) -> None:
    h, user = harness, 7302
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, UNSURE)
    await h.wait_text(user, t("Wil je met iemand praten?"))
    await h.sandbox.press(user, t("Nee, het gaat"))
    await h.wait_text(user, t("Fijn dat het gaat. Je mag altijd terugkomen, ook later."))
    assert await _flags(h, user) == []
    # the buttons are gone: a second tap cannot raise anything
    history = await h.sandbox.history(user)
    question = next(m for m in history["messages"] if "praten?" in str(m.get("text")))
    assert not question.get("reply_markup")


async def test_a_second_unsure_message_while_asked_raises_the_alarm(harness: Harness) -> None:
    h, user = harness, 7303
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, UNSURE)
    await h.wait_text(user, t("Wil je met iemand praten?"))
    await h.sandbox.send_text(user, UNSURE.upper())  # the same word, so the same score
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    flag = await _one_crisis_flag(h, user)
    notes = [m.text for m in await _thread(h, flag.id) if m.author is Author.SYSTEM]
    assert any("lerend model" in note and UNSURE in note for note in notes)


async def test_the_team_sees_which_rule_fired(harness: Harness) -> None:
    h, user = harness, 7304
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    await h.sandbox.send_text(user, "ik wil dood")
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    flag = await _one_crisis_flag(h, user)
    notes = [m.text for m in await _thread(h, flag.id) if m.author is Author.SYSTEM]
    assert any(note.startswith("Waarom gemarkeerd: regel (nl)") for note in notes)


async def test_sure_scorer_caption_and_edit_all_raise_the_alarm(harness: Harness) -> None:
    h, user = harness, 7305
    t = h.container.i18n.get("nl")
    thanks = t("Dank je dat je dit vertelt. Je staat er niet alleen voor.")
    await onboard(h, user)
    # a photo whose caption the scorer is sure of (three words: one or two would only get
    # the gentle question)
    await h.sandbox.send_kind(user, "photo", caption=f"{SURE} {SURE} {SURE}")
    await h.wait_text(user, thanks)
    flag = await _one_crisis_flag(h, user)
    notes = [m.text for m in await _thread(h, flag.id) if m.author is Author.SYSTEM]
    assert any(SURE in note for note in notes)


async def test_an_edited_message_is_checked_too(harness: Harness) -> None:
    h, user = harness, 7306
    t = h.container.i18n.get("nl")
    await onboard(h, user)
    sent = await h.sandbox.send_text(user, "alles goed")
    await h.sandbox.edit_text(user, sent["message_id"], "ik wil er niet meer zijn")
    await h.wait_text(user, t("Dank je dat je dit vertelt. Je staat er niet alleen voor."))
    await _one_crisis_flag(h, user)


def _corpus_sample() -> list[Example]:
    """Per language, the first risk message and the first near miss of the frozen split."""
    corpus = Path(__file__).resolve().parents[2] / "corpus" / "crisis" / "test"
    examples = load_split(corpus)
    chosen: list[Example] = []
    for language in ("nl", "en", "fr", "ar", "tr", "pl", "ro", "uk"):
        mine = [e for e in examples if e.language == language]
        chosen += [next(e for e in mine if e.risk), next(e for e in mine if not e.risk)]
    return chosen


async def test_corpus_messages_typed_through_the_bot_get_the_layers_answer(
    database_url: str,
) -> None:
    """The shipped layer, through the real bot: from the frozen test split, per language the
    first risk message and the first near miss, each typed by a participant of their own.
    What the bot answers (helplines, the gentle question or the menu's own answer) is what
    the check says, so bench.crisis measures what participants get."""
    check = CrisisCheck.load()
    chosen = _corpus_sample()
    async with running_bot(database_url, fake_kwargs=dict(FAST_FAKE)) as h:
        t = h.container.i18n.get("nl")
        thanks = t("Dank je dat je dit vertelt. Je staat er niet alleen voor.")
        for number, example in enumerate(chosen):
            user = 7400 + number
            await onboard(h, user)
            before = len(await h.sandbox.bot_messages(user))
            await h.sandbox.send_text(user, example.text)
            expected = check.assess(example.text).verdict

            async def answered(user: int = user, before: int = before) -> list[str]:
                texts = [str(m.get("text")) for m in await h.sandbox.bot_messages(user)]
                assert len(texts) > before
                return texts[before:]

            new = await eventually(answered)
            if expected is Verdict.ALARM:
                await h.wait_text(user, thanks)
            elif expected is Verdict.ASK:
                await h.wait_text(user, t("Wil je met iemand praten?"))
            else:
                assert not any(thanks in text or "praten?" in text for text in new), example.key
