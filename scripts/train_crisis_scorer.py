#!/usr/bin/env python3
"""Train the crisis scorer on the DEVELOPMENT split and write the package's scorer.json.

    .venv/bin/python scripts/train_crisis_scorer.py            # train, pick thresholds, write
    .venv/bin/python scripts/train_crisis_scorer.py --check    # exit 1 if the file is stale

Never reads the frozen test split (corpus/crisis/test): that one only measures.

The model: logistic regressions over the features of ``wzt_bot.domain.safety.scorer.features``:
"risk" (any kind against none: it decides) and one per kind (one against the rest: it names
the flag), fitted by AdaGrad with L2 in a fixed order, so the same corpus gives the same file
byte for byte. Thresholds come from 5-fold cross-validation of the "risk" model on the
development split, together with the patterns: ``alarm`` is the lowest threshold at which the
near misses flagged (by a pattern or the score) stay within ``ALARM_FALSE_ALARMS``, ``ask`` the
lowest at which those flagged or asked stay within ``ASK_FALSE_ALARMS``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wzt_bot.domain.safety.corpus import Example, load_split, split_digest  # noqa: E402
from wzt_bot.domain.safety.crisis import CrisisDetector  # noqa: E402
from wzt_bot.domain.safety.scorer import (  # noqa: E402
    BUCKETS,
    MODEL_FILE,
    MODELS,
    TABLE_FILE,
    RiskScorer,
    sigmoid,
    train_features,
)

OUT = ROOT / "src" / "wzt_bot" / "domain" / "safety" / MODEL_FILE
EPOCHS = 20
RATE = 0.5
L2 = 1e-3
FOLDS = 5
PRUNE = 0.02  # weights smaller than this are left out of the file
ALARM_FALSE_ALARMS = 0.05
ASK_FALSE_ALARMS = 0.12
EVERYDAY_WORDS = 8
EVERYDAY_WEIGHT = 0.3
VERSION = "1"


def fit(
    rows: Sequence[frozenset[int]],
    labels: Sequence[int],
    weights_of_rows: Sequence[float] | None = None,
) -> tuple[float, dict[int, float]]:
    """Logistic regression by AdaGrad, deterministic (fixed order, no randomness)."""
    weights: dict[int, float] = {}
    squares: dict[int, float] = {}
    bias = 0.0
    bias_square = 0.0
    order = list(range(len(rows)))
    for epoch in range(EPOCHS):
        # a fixed shuffle per epoch: a stride through the rows, the same on every run
        stride = 7 + 2 * epoch
        while math.gcd(stride, len(order)) != 1:
            stride += 1
        for step in range(len(order)):
            i = (step * stride) % len(order)
            row = rows[i]
            scale = 1.0 / math.sqrt(len(row)) if row else 0.0
            z = bias + scale * sum(weights.get(f, 0.0) for f in row)
            p = sigmoid(z)
            error = (p - labels[i]) * (weights_of_rows[i] if weights_of_rows else 1.0)
            bias_square += error * error
            bias -= RATE * error / math.sqrt(bias_square + 1e-9)
            for f in row:
                w = weights.get(f, 0.0)
                grad = error * scale + L2 * w
                squares[f] = squares.get(f, 0.0) + grad * grad
                weights[f] = w - RATE * grad / math.sqrt(squares[f] + 1e-9)
    return bias, weights


def label(example: Example, model: str) -> int:
    if model == "risk":
        return int(example.risk)
    kind = example.risk_kind
    return int(kind is not None and kind.value == model)


Models = dict[str, tuple[float, dict[int, float]]]


def train(
    examples: Sequence[Example], rows: Sequence[frozenset[int]], extra: Sequence[frozenset[int]]
) -> Models:
    weights = [1.0] * len(rows) + [EVERYDAY_WEIGHT] * len(extra)
    return {
        model: fit(
            list(rows) + list(extra),
            [label(e, model) for e in examples] + [0] * len(extra),
            weights,
        )
        for model in MODELS
    }


def probability(model: tuple[float, dict[int, float]], row: frozenset[int]) -> float:
    bias, weights = model
    scale = 1.0 / math.sqrt(len(row)) if row else 0.0
    z = bias + scale * sum(weights.get(f, 0.0) for f in row)
    return sigmoid(z)


def cross_validated(
    examples: Sequence[Example], rows: Sequence[frozenset[int]], extra: Sequence[frozenset[int]]
) -> list[float]:
    """For each example, the "risk" probability from a model that never saw it. Folds are
    fixed (every FOLDS-th example), so each fold holds every language; the everyday texts
    (`extra`, all negatives) are in every training fold."""
    scores = [0.0] * len(examples)
    for fold in range(FOLDS):
        kept = [i for i in range(len(examples)) if i % FOLDS != fold]
        model = fit(
            [rows[i] for i in kept] + list(extra),
            [int(examples[i].risk) for i in kept] + [0] * len(extra),
            [1.0] * len(kept) + [EVERYDAY_WEIGHT] * len(extra),
        )
        for i in range(fold, len(examples), FOLDS):
            scores[i] = probability(model, rows[i])
    return scores


def everyday_texts(detector: CrisisDetector) -> list[str]:
    """Short texts of the bot's own catalogs in every language (buttons, menu items, short
    answers): what participants tap and type all day, so never a risk. Those a pattern
    matches (the helplines' names) are left out."""
    texts: set[str] = set()
    for path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            for text in (message.id, message.string):
                if isinstance(text, str) and text and len(text.split()) <= EVERYDAY_WORDS:
                    plain = re.sub(r"\{\w+\}", "", text).strip()
                    if plain and detector.detect(plain) is None:
                        texts.add(plain)
    return sorted(texts)


def rates(
    examples: Sequence[Example], ruled: Sequence[bool], scores: Sequence[float], threshold: float
) -> tuple[float, float]:
    """Recall and false-alarm rate of "a pattern matched or the score reached `threshold`"."""
    hit = [r or s >= threshold for r, s in zip(ruled, scores, strict=True)]
    risk = [h for h, e in zip(hit, examples, strict=True) if e.risk]
    near = [h for h, e in zip(hit, examples, strict=True) if not e.risk]
    return sum(risk) / max(len(risk), 1), sum(near) / max(len(near), 1)


def lowest_threshold(
    examples: Sequence[Example], ruled: Sequence[bool], scores: Sequence[float], budget: float
) -> float:
    """The lowest threshold (two decimals) at which the near misses flagged, by a pattern or
    the score, stay within `budget`."""
    for hundredths in range(5, 100):
        if rates(examples, ruled, scores, hundredths / 100)[1] <= budget:
            return hundredths / 100
    return 0.99


def build() -> tuple[dict[str, object], bytes, str]:
    examples = sorted(load_split(ROOT / "corpus" / "crisis" / "dev"), key=lambda e: e.key)
    rows = train_features(example.text for example in examples)
    detector = CrisisDetector.load()
    ruled = [detector.detect(e.text) is not None for e in examples]
    extra = train_features(everyday_texts(detector))
    scores = cross_validated(examples, rows, extra)
    alarm = lowest_threshold(examples, ruled, scores, ALARM_FALSE_ALARMS)
    ask = min(alarm, lowest_threshold(examples, ruled, scores, ASK_FALSE_ALARMS))
    patterns = rates(examples, ruled, [0.0] * len(examples), 1.0)
    at_alarm = rates(examples, ruled, scores, alarm)
    at_ask = rates(examples, ruled, scores, ask)
    report = (
        f"dev {len(examples)} messages, {FOLDS}-fold cross-validated: patterns alone recall "
        f"{patterns[0]:.2f} / false alarms {patterns[1]:.2f}; with the scorer's alarm "
        f">= {alarm:.2f}: {at_alarm[0]:.2f} / {at_alarm[1]:.2f}; counting the gentle question "
        f"(>= {ask:.2f}): {at_ask[0]:.2f} / {at_ask[1]:.2f}; {len(extra)} everyday texts "
        f"of the catalogs as negatives (weight {EVERYDAY_WEIGHT})"
    )
    models = train(examples, rows, extra)
    rows = sorted(
        {f for _, weights in models.values() for f, w in weights.items() if abs(w) >= PRUNE}
    )
    bias = [round(models[m][0], 4) for m in MODELS]
    scorer = RiskScorer.from_rows(
        bias,
        {row: [models[m][1].get(row, 0.0) for m in MODELS] for row in rows},
        ask=ask,
        alarm=alarm,
    )
    table = scorer.table_bytes()
    data: dict[str, object] = {
        "version": VERSION,
        "trained_on": "corpus/crisis/dev",
        "dev_sha256": split_digest(ROOT / "corpus" / "crisis" / "dev"),
        "thresholds": {"ask": ask, "alarm": alarm},
        "models": list(MODELS),
        "buckets": BUCKETS,
        "bias": bias,
        "table": TABLE_FILE,
        "table_sha256": hashlib.sha256(table).hexdigest(),
    }
    return data, table, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if scorer.json is stale")
    args = parser.parse_args()
    data, table, report = build()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    table_path = OUT.with_name(TABLE_FILE)
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.relative_to(ROOT)} is stale: run scripts/train_crisis_scorer.py")
        print("scorer.json is up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    table_path.write_bytes(table)
    print(report)
    print(f"wrote {OUT.relative_to(ROOT)} and {table_path.name} ({len(table) // 1024} KiB)")


if __name__ == "__main__":
    main()
