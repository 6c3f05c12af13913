"""The crisis layer on its evaluation corpus (corpus/crisis/).

The test split is frozen: written before any tuning, by a hand that never saw the patterns,
and fixed by corpus/crisis/test.sha256. CI measures the shipped layer on it.

The issue's targets (recall >= 0.95 overall and >= 0.90 per language, false alarms <= 0.10)
are not met yet; `test_the_targets` is a strict xfail so that it turns red the day they are,
and the floors below are what the layer reaches now: CI fails if it ever falls below them.
Per-language and per-kind figures: `python -m bench.crisis --split test` and bench/RESULTS.md.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from bench.crisis import (
    TARGET_FALSE_ALARMS,
    TARGET_LANGUAGE_RECALL,
    TARGET_RECALL,
    Evaluation,
    evaluate,
)

from wzt_bot.domain.models import SUPPORTED_LOCALES
from wzt_bot.domain.safety.check import CrisisCheck
from wzt_bot.domain.safety.corpus import KINDS, RISK_KINDS, load_split

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "crisis"

#: What the shipped layer reaches on the frozen test split today (alarm only, the gentle
#: question not counted); raise these as it improves, never lower them.
FLOOR_RECALL = 0.93
FLOOR_LANGUAGE_RECALL = 0.85
CEILING_FALSE_ALARMS = 0.08
#: Ordinary participant messages (corpus/crisis/everyday, held out from training): the share
#: that may raise the alarm, or get the gentle question.
CEILING_EVERYDAY_ALARMS = 0.03
CEILING_EVERYDAY_QUESTIONS = 0.05


@pytest.fixture(scope="module")
def test_split() -> Evaluation:
    return evaluate(CrisisCheck.load(), load_split(CORPUS / "test"))


def test_the_test_split_is_frozen() -> None:
    recorded = {}
    for line in (CORPUS / "test.sha256").read_text().splitlines():
        digest, name = line.split()
        recorded[name] = digest
    found = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((CORPUS / "test").glob("*.tsv"))
    }
    assert found == recorded, "the frozen test split must not change"


@pytest.mark.parametrize("split", ["test", "dev"])
def test_the_corpus_covers_every_language_and_kind(split: str) -> None:
    examples = load_split(CORPUS / split)
    per_language = Counter(e.language for e in examples)
    assert set(per_language) == set(SUPPORTED_LOCALES)
    kinds = Counter(e.kind for e in examples)
    assert set(kinds) == KINDS
    for language in SUPPORTED_LOCALES:
        mine = [e for e in examples if e.language == language]
        assert {e.kind for e in mine if e.risk} == set(RISK_KINDS), language
        assert sum(not e.risk for e in mine) >= 30, language


def test_the_corpus_is_large_enough() -> None:
    examples = load_split(CORPUS / "test") + load_split(CORPUS / "dev")
    everyday = load_split(CORPUS / "everyday")
    per_language = Counter(e.language for e in examples)
    assert len(examples) >= 1500
    assert per_language["nl"] >= 400
    assert all(per_language[language] >= 100 for language in SUPPORTED_LOCALES)
    texts = [e.text.casefold() for e in examples + everyday]
    assert len(set(texts)) == len(texts), "no message in both splits or twice"


def test_the_floors_hold_on_the_frozen_split(test_split: Evaluation) -> None:
    assert test_split.total.recall >= FLOOR_RECALL
    assert test_split.total.false_alarm_rate <= CEILING_FALSE_ALARMS
    for language, tally in test_split.languages.items():
        assert tally.recall >= FLOOR_LANGUAGE_RECALL, language


def test_ordinary_messages_rarely_worry_the_bot() -> None:
    everyday = evaluate(CrisisCheck.load(), load_split(CORPUS / "everyday"))
    assert everyday.total.risk == 0 and everyday.total.near >= 500
    assert everyday.total.false_alarm_rate <= CEILING_EVERYDAY_ALARMS
    assert everyday.total.ask_rate <= CEILING_EVERYDAY_QUESTIONS


@pytest.mark.xfail(strict=True, reason="issue 16's targets are not met yet (see bench/RESULTS.md)")
def test_the_targets(test_split: Evaluation) -> None:
    assert test_split.total.recall >= TARGET_RECALL
    assert test_split.total.false_alarm_rate <= TARGET_FALSE_ALARMS
    for tally in test_split.languages.values():
        assert tally.recall >= TARGET_LANGUAGE_RECALL
