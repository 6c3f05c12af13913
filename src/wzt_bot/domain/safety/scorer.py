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
import hashlib
import itertools
import json
import math
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from wzt_bot.domain.safety.crisis import RiskKind, normalise

__all__ = ["RiskScorer", "ScoreResult", "Verdict", "bucket", "features", "sigmoid"]

BUCKETS = 1 << 18  # rows of the weight table: 4 models x 4 bytes x 262,144 = 4 MiB
N_MIN = 3
N_MAX = 5
MODEL_FILE = "scorer.json"
TABLE_FILE = "scorer.weights"
_CLAUSE = " . "


class Verdict(enum.StrEnum):
    NONE = "none"
    ASK = "ask"  # uncertain: ask gently, with buttons
    ALARM = "alarm"  # as a pattern match: helplines and an urgent flag


@dataclass(frozen=True, slots=True)
class ScoreResult:
    kind: RiskKind  # the most likely risk kind
    probability: float  # that the message signals a risk (of any kind)
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
        for first, second in itertools.pairwise(clause):
            found.setdefault(f"b:{first} {second}", f"{first} {second}")
    return found


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


#: The models in the file, in order: "risk" (any kind: it decides the verdict), then one per
#: kind (the most likely one names the flag).
MODELS = ("risk", *(kind.value for kind in RiskKind))


def bucket(feature: str) -> int:
    """Where a feature's weights live: features are hashed (CRC-32, the same in every process)
    into a fixed table, so the model's size does not grow with the corpus."""
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


class RiskScorer:
    """Immutable after :meth:`load`; safe to share between tasks and threads.

    The weights are one flat table of 32-bit floats, `BUCKETS` rows of one weight per model,
    so a message costs one hash and one row per feature."""

    __slots__ = ("_alarm", "_ask", "_bias", "_table", "version")

    def __init__(
        self,
        bias: Sequence[float],
        table: array[float],
        *,
        ask: float,
        alarm: float,
        version: str = "",
    ) -> None:
        """`table`: `BUCKETS` rows of one weight per model, flat (see :meth:`from_rows`)."""
        if not 0.0 < ask <= alarm <= 1.0:
            raise ValueError("thresholds must satisfy 0 < ask <= alarm <= 1")
        if len(bias) != len(MODELS) or len(table) != BUCKETS * len(MODELS):
            raise ValueError(f"scorer: one bias and one weight per model {MODELS} and bucket")
        self._bias = tuple(bias)
        self._table = table
        self._ask = ask
        self._alarm = alarm
        self.version = version

    @classmethod
    def from_rows(
        cls,
        bias: Sequence[float],
        weights: Mapping[int, Sequence[float]],
        *,
        ask: float,
        alarm: float,
    ) -> RiskScorer:
        """`weights`: bucket -> one weight per model (buckets left out weigh 0)."""
        width = len(MODELS)
        if any(len(w) != width for w in weights.values()):
            raise ValueError(f"scorer: one weight per model {MODELS}")
        if any(not 0 <= row < BUCKETS for row in weights):
            raise ValueError(f"scorer: buckets go from 0 to {BUCKETS - 1}")
        table = array("f", [0.0]) * (BUCKETS * width)
        for row, values in weights.items():
            table[row * width : (row + 1) * width] = array("f", values)
        return cls(bias, table, ask=ask, alarm=alarm)

    @classmethod
    def from_features(
        cls,
        bias: Sequence[float],
        weights: Mapping[str, Sequence[float]],
        *,
        ask: float,
        alarm: float,
    ) -> RiskScorer:
        """A scorer from weights per feature (for tests and experiments)."""
        rows: dict[int, list[float]] = {}
        for feature, values in weights.items():
            row = rows.setdefault(bucket(feature), [0.0] * len(MODELS))
            for i, value in enumerate(values):
                row[i] += value
        return cls.from_rows(bias, rows, ask=ask, alarm=alarm)

    @classmethod
    def from_files(cls, meta: Mapping[str, object], table: bytes) -> RiskScorer:
        """From the metadata (JSON) and the weight table: zlib-compressed float32,
        little-endian, `BUCKETS` rows of one weight per model."""
        models, bias = meta.get("models"), meta.get("bias")
        thresholds = meta.get("thresholds")
        if not isinstance(models, list) or models != list(MODELS):
            raise ValueError(f"scorer file: 'models' must be {list(MODELS)}")
        if meta.get("buckets") != BUCKETS:
            raise ValueError(f"scorer file: made for another table size than {BUCKETS}")
        if not isinstance(bias, list) or not isinstance(thresholds, dict):
            raise ValueError("scorer file: 'bias' and 'thresholds' are required")
        if hashlib.sha256(table).hexdigest() != meta.get("table_sha256"):
            raise ValueError("scorer file: the weight table does not belong to this file")
        raw = zlib.decompress(table)
        if len(raw) != 4 * BUCKETS * len(MODELS):
            raise ValueError("scorer file: the weight table has the wrong size")
        values = array("f")
        values.frombytes(raw)
        if sys.byteorder != "little":
            values.byteswap()
        return cls(
            [float(b) for b in bias],
            values,
            ask=float(thresholds["ask"]),
            alarm=float(thresholds["alarm"]),
            version=str(meta.get("version", "")),
        )

    @classmethod
    def load(cls) -> RiskScorer:
        files = resources.files(__name__.rpartition(".")[0])
        meta = json.loads(files.joinpath(MODEL_FILE).read_text(encoding="utf-8"))
        return cls.from_files(meta, files.joinpath(TABLE_FILE).read_bytes())

    def table_bytes(self) -> bytes:
        """The weight table as :meth:`from_files` reads it (for the training script)."""
        values = array("f", self._table)
        if sys.byteorder != "little":
            values.byteswap()
        return zlib.compress(values.tobytes(), 9)

    @property
    def thresholds(self) -> tuple[float, float]:
        return self._ask, self._alarm

    def _sums(self, found: Mapping[str, str]) -> list[float]:
        width = len(MODELS)
        sums = [0.0] * width
        table = self._table
        for feature in found:
            start = bucket(feature) * width
            for i in range(width):
                sums[i] += table[start + i]
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        return [bias + scale * total for bias, total in zip(self._bias, sums, strict=True)]

    def score(self, text: str) -> ScoreResult | None:
        """The most likely risk kind in ``text`` with its verdict; None for an empty text."""
        normalised = normalise(text)
        if not normalised:
            return None
        return self.score_normalised(normalised)

    def score_normalised(self, normalised: str) -> ScoreResult:
        found = features(normalised)
        sums = self._sums(found)
        risk = sigmoid(sums[0])
        kind_index = max(range(1, len(MODELS)), key=lambda i: (sums[i], -i))
        verdict = (
            Verdict.ALARM
            if risk >= self._alarm
            else Verdict.ASK
            if risk >= self._ask
            else Verdict.NONE
        )
        return ScoreResult(RiskKind(MODELS[kind_index]), risk, verdict, self._heaviest(found))

    def _heaviest(self, found: Mapping[str, str], top: int = 3) -> tuple[str, ...]:
        """The words whose features pushed the "risk" model up most."""
        per_word: dict[str, float] = {}
        for feature, word in found.items():
            weight = self._table[bucket(feature) * len(MODELS)]
            if weight > 0:
                per_word[word] = per_word.get(word, 0.0) + weight
        ranked = sorted(per_word.items(), key=lambda item: (-item[1], item[0]))
        return tuple(word for word, _ in ranked[:top])


def train_features(texts: Iterable[str]) -> list[frozenset[int]]:
    """The buckets of raw texts' features, as the scorer sees them (for the training script)."""
    return [frozenset(map(bucket, features(normalise(text)))) for text in texts]
