"""A learned second opinion beside the crisis patterns: character n-grams and a linear model.

The patterns (:mod:`.crisis`) say exactly which line matched; they miss what nobody wrote a
line for. This scorer reads the same normalised text as a bag of features and gives, per
risk kind, a probability from a logistic model trained on the development split of the
project's own corpus (``corpus/crisis/dev``, see ``scripts/train_crisis_scorer.py``). It is
shipped as one small JSON file in the package; nothing is downloaded, nothing is random.

Features of a normalised message:

* every character n-gram of length 3 to 5 inside a word padded with spaces (`` spoor `` gives
  `` sp``, ``spo``, …, ``oor ``): robust to typos, dialect endings and inflection;
* every word and every pair of neighbouring words in one clause (``w:spoor``,
  ``b:aan het``): word order for the short phrases that carry meaning ("better off").

Each present feature counts once; the sum of weights is divided by the square root of the
number of features, so a long message is not a risk just for being long.

The bot uses the result in two bands (see :class:`Verdict`): from ``alarm`` up it answers as
to a pattern match, between ``ask`` and ``alarm`` it asks gently whether the participant is
OK. The team sees which words weighed most (:attr:`ScoreResult.words`).
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from wzt_bot.domain.safety.crisis import RiskKind, normalise

__all__ = ["RiskScorer", "ScoreResult", "Verdict", "features"]

N_MIN = 3
N_MAX = 5
MODEL_FILE = "scorer.json"
_CLAUSE = " . "


class Verdict(enum.StrEnum):
    NONE = "none"
    ASK = "ask"  # uncertain: ask gently, with buttons
    ALARM = "alarm"  # as a pattern match: helplines and an urgent flag


@dataclass(frozen=True, slots=True)
class ScoreResult:
    kind: RiskKind  # the most likely risk kind
    probability: float  # of that kind
    verdict: Verdict
    #: the words that weighed most towards that kind, heaviest first: for the team
    words: tuple[str, ...]


def _words(normalised: str) -> list[list[str]]:
    """Clauses of the normalised text, each a list of words."""
    return [clause.split() for clause in normalised.split(_CLAUSE) if clause.strip(" .")]


def _word_features(word: str) -> set[str]:
    padded = f" {word} "
    found = {f"w:{word}"}
    for n in range(N_MIN, N_MAX + 1):
        for start in range(len(padded) - n + 1):
            found.add(padded[start : start + n])
    return found


def features(normalised: str) -> dict[str, str]:
    """Each feature of an already normalised text, with the word it came from (a pair of
    words for a bigram): the word is what the team is shown."""
    found: dict[str, str] = {}
    for clause in _words(normalised):
        for word in clause:
            for feature in _word_features(word):
                found.setdefault(feature, word)
        for first, second in zip(clause, clause[1:], strict=False):
            found.setdefault(f"b:{first} {second}", f"{first} {second}")
    return found


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True, slots=True)
class _KindModel:
    bias: float
    weights: Mapping[str, float]


class RiskScorer:
    """Immutable after :meth:`load`; safe to share between tasks and threads."""

    __slots__ = ("_ask", "_alarm", "_models", "version")

    def __init__(
        self,
        models: Mapping[RiskKind, _KindModel],
        *,
        ask: float,
        alarm: float,
        version: str = "",
    ) -> None:
        if not 0.0 < ask <= alarm <= 1.0:
            raise ValueError("thresholds must satisfy 0 < ask <= alarm <= 1")
        self._models = dict(models)
        self._ask = ask
        self._alarm = alarm
        self.version = version

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RiskScorer:
        kinds = data.get("kinds")
        thresholds = data.get("thresholds")
        if not isinstance(kinds, dict) or not isinstance(thresholds, dict):
            raise ValueError("scorer file: 'kinds' and 'thresholds' are required")
        models: dict[RiskKind, _KindModel] = {}
        for kind in RiskKind:
            raw = kinds.get(kind.value)
            if not isinstance(raw, dict):
                raise ValueError(f"scorer file: no model for {kind.value}")
            weights = raw.get("weights")
            if not isinstance(weights, dict):
                raise ValueError(f"scorer file: no weights for {kind.value}")
            models[kind] = _KindModel(
                float(raw.get("bias", 0.0)), {str(k): float(v) for k, v in weights.items()}
            )
        return cls(
            models,
            ask=float(thresholds["ask"]),
            alarm=float(thresholds["alarm"]),
            version=str(data.get("version", "")),
        )

    @classmethod
    def load(cls) -> RiskScorer:
        package = __name__.rpartition(".")[0]
        source = resources.files(package).joinpath(MODEL_FILE).read_text(encoding="utf-8")
        return cls.from_dict(json.loads(source))

    @property
    def thresholds(self) -> tuple[float, float]:
        return self._ask, self._alarm

    def _probabilities(self, found: Mapping[str, str]) -> dict[RiskKind, float]:
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        return {
            kind: _sigmoid(
                model.bias + scale * sum(model.weights.get(feature, 0.0) for feature in found)
            )
            for kind, model in self._models.items()
        }

    def probabilities(self, normalised: str) -> dict[RiskKind, float]:
        """Per kind, the probability that an already normalised text signals it."""
        return self._probabilities(features(normalised))

    def score(self, text: str) -> ScoreResult | None:
        """The most likely risk kind in ``text`` with its verdict; None for an empty text."""
        normalised = normalise(text)
        if not normalised:
            return None
        return self.score_normalised(normalised)

    def score_normalised(self, normalised: str) -> ScoreResult:
        found = features(normalised)
        probabilities = self._probabilities(found)
        best_kind = max(RiskKind, key=lambda kind: (probabilities[kind], -list(RiskKind).index(kind)))
        best = probabilities[best_kind]
        verdict = (
            Verdict.ALARM
            if best >= self._alarm
            else Verdict.ASK
            if best >= self._ask
            else Verdict.NONE
        )
        return ScoreResult(best_kind, best, verdict, self._heaviest(best_kind, found))

    def _heaviest(self, kind: RiskKind, found: Mapping[str, str], top: int = 3) -> tuple[str, ...]:
        weights = self._models[kind].weights
        per_word: dict[str, float] = {}
        for feature, word in found.items():
            weight = weights.get(feature, 0.0)
            if weight > 0:
                per_word[word] = per_word.get(word, 0.0) + weight
        ranked = sorted(per_word.items(), key=lambda item: (-item[1], item[0]))
        return tuple(word for word, _ in ranked[:top])


def train_features(texts: Iterable[str]) -> list[frozenset[str]]:
    """Feature sets of raw texts, as the scorer sees them (for the training script)."""
    return [frozenset(features(normalise(text))) for text in texts]
