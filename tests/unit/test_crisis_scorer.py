"""The learned scorer beside the patterns, and the combined check."""

from __future__ import annotations

import hashlib
import json
import math
import zlib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wzt_bot.domain.safety.check import CrisisCheck, Verdict
from wzt_bot.domain.safety.crisis import CrisisDetector, RiskKind, normalise
from wzt_bot.domain.safety.scorer import MODEL_FILE, MODELS, TABLE_FILE, RiskScorer, features

CHECK = CrisisCheck.load()  # shared: Hypothesis tests cannot take function fixtures


def _tiny(weight_for: dict[str, float], *, ask: float = 0.3, alarm: float = 0.9) -> RiskScorer:
    return RiskScorer.from_features(
        [-4.0] * len(MODELS),
        {f"w:{word}": [w, w, 0.0, 0.0] for word, w in weight_for.items()},
        ask=ask,
        alarm=alarm,
    )


def test_features_are_ngrams_words_and_pairs_within_a_clause() -> None:
    found = features(normalise("Ik sta aan het spoor. Echt"))
    assert "w:spoor" in found and found["w:spoor"] == "spoor"
    assert " sp" in found and "oor " in found and "spoo" in found
    assert found["b:aan het"] == "aan het"
    assert "b:spoor echt" not in found  # a pair never crosses a clause break
    assert features("") == {}


def test_the_shipped_scorer_loads_and_is_deterministic() -> None:
    first, second = RiskScorer.load(), RiskScorer.load()
    text = normalise("ik sta aan het spoor en ik weet niet meer wat ik moet doen")
    assert first.score_normalised(text) == second.score_normalised(text)
    ask, alarm = first.thresholds
    assert 0 < ask <= alarm <= 1


def test_the_shipped_file_was_trained_on_the_current_development_split() -> None:
    from pathlib import Path

    from wzt_bot.domain.safety.corpus import split_digest

    package = "wzt_bot.domain.safety"
    data = json.loads(resources.files(package).joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    dev = Path(__file__).resolve().parents[2] / "corpus" / "crisis" / "dev"
    assert data["dev_sha256"] == split_digest(dev), (
        "the development split changed: run scripts/train_crisis_scorer.py"
    )
    assert data["models"] == list(MODELS)


def test_verdict_bands_and_the_words_that_weighed_most() -> None:
    scorer = _tiny({"spoor": 60.0, "trein": 25.0, "sta": 3.0})
    sure = scorer.score_normalised(normalise("ik sta aan het spoor"))
    assert sure.verdict is Verdict.ALARM
    assert sure.words[0] == "spoor" and "sta" in sure.words
    assert sure.kind is RiskKind.SUICIDE
    assert scorer.score_normalised(normalise("de trein")).verdict is Verdict.ASK
    assert scorer.score_normalised(normalise("de bus")).verdict is Verdict.NONE
    assert scorer.score("") is None


def _meta(**changes: object) -> dict[str, object]:
    package = "wzt_bot.domain.safety"
    meta = json.loads(resources.files(package).joinpath(MODEL_FILE).read_text(encoding="utf-8"))
    meta.update(changes)
    return meta


SMALL = zlib.compress(b"\0" * 16)


def _table() -> bytes:
    return resources.files("wzt_bot.domain.safety").joinpath(TABLE_FILE).read_bytes()


@pytest.mark.parametrize(
    ("meta", "table"),
    [
        ({"models": ["risk"]}, None),
        ({"buckets": 16}, None),
        ({"bias": None}, None),
        ({"thresholds": None}, None),
        ({"thresholds": {"ask": 0.9, "alarm": 0.5}}, None),
        ({}, SMALL),  # another table than the one the file names
        ({"table_sha256": hashlib.sha256(SMALL).hexdigest()}, SMALL),  # named, wrong size
    ],
)
def test_a_malformed_scorer_file_is_refused(meta: dict[str, object], table: bytes | None) -> None:
    data = _meta(**meta)
    with pytest.raises(ValueError, match=r"."):
        RiskScorer.from_files(data, table if table is not None else _table())


def test_the_table_round_trips() -> None:
    scorer = RiskScorer.load()
    meta = _meta()
    assert hashlib.sha256(scorer.table_bytes()).hexdigest() == meta["table_sha256"]


def test_a_pattern_match_wins_and_names_its_rule() -> None:
    check = CrisisCheck(CrisisDetector.load(), _tiny({"dood": -100.0}))
    found = check.assess("ik wil dood")
    assert found.verdict is Verdict.ALARM and found.match is not None
    assert found.reason.startswith("regel (nl): ")


def test_the_scorer_decides_only_where_no_pattern_matched() -> None:
    check = CrisisCheck(CrisisDetector.load(), _tiny({"spoor": 60.0, "trein": 25.0}))
    sure = check.assess("ik kijk naar het spoor")  # no pattern: "aan het spoor" now is one
    assert sure.verdict is Verdict.ALARM and sure.match is None
    assert "«spoor»" in sure.reason and sure.reason.startswith("lerend model")
    assert check.assess("de trein").verdict is Verdict.ASK
    assert check.assess("   ").verdict is Verdict.NONE
    assert CrisisCheck(CrisisDetector.load()).assess("de trein").verdict is Verdict.NONE


def test_the_menu_buttons_never_worry_the_bot() -> None:
    """The menu's own texts, in every language, are neither alarm nor question."""
    from wzt_bot.bot.texts import menu_lookup
    from wzt_bot.i18n import I18n

    i18n = I18n()
    for text in menu_lookup(i18n):
        assert CHECK.assess(text).verdict is Verdict.NONE, text


@given(st.text(max_size=300))
def test_any_text_is_assessed_without_error(text: str) -> None:
    found = CHECK.assess(text)
    assert found.verdict in set(Verdict)
    if found.score is not None:
        assert 0.0 <= found.score.probability <= 1.0
        assert not math.isnan(found.score.probability)


def test_short_messages_and_commands_never_get_the_alarm_from_the_scorer_alone() -> None:
    check = CrisisCheck(CrisisDetector.load(), _tiny({"spoor": 60.0}))
    assert check.assess("ik kijk naar het spoor").verdict is Verdict.ALARM
    assert check.assess("spoor").verdict is Verdict.ASK  # too few words to be sure
    assert check.assess("het spoor").verdict is Verdict.ASK
    assert check.assess("/spoor").verdict is Verdict.NONE  # a command
    assert check.assess("/start ik wil dood").verdict is Verdict.ALARM  # patterns still run
