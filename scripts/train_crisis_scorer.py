#!/usr/bin/env python3
"""Train the crisis scorer on the DEVELOPMENT split and write the package's scorer.json.

    .venv/bin/python scripts/train_crisis_scorer.py            # train, pick thresholds, write
    .venv/bin/python scripts/train_crisis_scorer.py --check    # exit 1 if the file is stale

Never reads the frozen test split (corpus/crisis/test): that one only measures.

The model: per risk kind a logistic regression (one against the rest) over the features of
``wzt_bot.domain.safety.scorer.features``, fitted by AdaGrad with L2 in a fixed order, so the
same corpus gives the same file byte for byte. Thresholds come from 5-fold cross-validation
on the development split, on the messages the patterns do not catch (the scorer only decides
there): ``alarm`` is the lowest threshold whose false alarms on near misses stay within
``ALARM_FALSE_ALARMS``, ``ask`` the lowest whose gentle questions on near misses stay within
``ASK_FALSE_ALARMS``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wzt_bot.domain.safety.corpus import Example, load_split  # noqa: E402
from wzt_bot.domain.safety.crisis import CrisisDetector, RiskKind  # noqa: E402
from wzt_bot.domain.safety.scorer import MODEL_FILE, train_features  # noqa: E402

OUT = ROOT / "src" / "wzt_bot" / "domain" / "safety" / MODEL_FILE
EPOCHS = 40
RATE = 0.5
L2 = 1e-4
FOLDS = 5
PRUNE = 0.01  # weights smaller than this are left out of the file
ALARM_FALSE_ALARMS = 0.02
ASK_FALSE_ALARMS = 0.10
VERSION = "1"


def fit(rows: Sequence[frozenset[str]], labels: Sequence[int]) -> tuple[float, dict[str, float]]:
    """Logistic regression by AdaGrad, deterministic (fixed order, no randomness)."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
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
            p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
            error = p - labels[i]
            bias_square += error * error
            bias -= RATE * error / math.sqrt(bias_square + 1e-9)
            for f in row:
                w = weights.get(f, 0.0)
                grad = error * scale + L2 * w
                squares[f] = squares.get(f, 0.0) + grad * grad
                weights[f] = w - RATE * grad / math.sqrt(squares[f] + 1e-9)
    return bias, weights


def kind_label(example: Example, kind: RiskKind) -> int:
    return int(example.risk_kind is kind)


def train(examples: Sequence[Example]) -> dict[str, tuple[float, dict[str, float]]]:
    rows = train_features(example.text for example in examples)
    return {
        kind.value: fit(rows, [kind_label(example, kind) for example in examples])
        for kind in RiskKind
    }


def probability(model: tuple[float, dict[str, float]], row: frozenset[str]) -> float:
    bias, weights = model
    scale = 1.0 / math.sqrt(len(row)) if row else 0.0
    z = bias + scale * sum(weights.get(f, 0.0) for f in row)
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def cross_validated(examples: Sequence[Example]) -> list[float]:
    """For each example, the highest kind probability from a model that never saw it."""
    scores = [0.0] * len(examples)
    for fold in range(FOLDS):
        train_set = [e for i, e in enumerate(examples) if i % FOLDS != fold]
        models = train(train_set)
        held = [i for i in range(len(examples)) if i % FOLDS == fold]
        rows = train_features(examples[i].text for i in held)
        for i, row in zip(held, rows, strict=True):
            scores[i] = max(probability(model, row) for model in models.values())
    return scores


def lowest_threshold(
    scores: Sequence[float], negatives: Sequence[bool], total: int, budget: float
) -> float:
    """The lowest threshold (two decimals) at which the negatives at or above it are at most
    `budget` of `total` (all near misses of the split, the patterns' false alarms aside)."""
    total = max(total, 1)
    for hundredths in range(5, 100):
        threshold = hundredths / 100
        hits = sum(1 for s, neg in zip(scores, negatives, strict=True) if neg and s >= threshold)
        if hits / total <= budget:
            return threshold
    return 0.99


def build() -> tuple[dict[str, object], str]:
    examples = sorted(load_split(ROOT / "corpus" / "crisis" / "dev"), key=lambda e: e.key)
    detector = CrisisDetector.load()
    left = [e for e in examples if detector.detect(e.text) is None]  # where the scorer decides
    scores = cross_validated(examples)
    by_key = {e.key: s for e, s in zip(examples, scores, strict=True)}
    left_scores = [by_key[e.key] for e in left]
    negatives = [not e.risk for e in left]
    total = sum(not e.risk for e in examples)
    alarm = lowest_threshold(left_scores, negatives, total, ALARM_FALSE_ALARMS)
    ask = min(alarm, lowest_threshold(left_scores, negatives, total, ASK_FALSE_ALARMS))
    risky_left = [s for s, neg in zip(left_scores, negatives, strict=True) if not neg]
    report = (
        f"dev {len(examples)} messages, {len(left)} not caught by the patterns "
        f"({len(risky_left)} of them risk); cross-validated on those: "
        f"alarm>={alarm:.2f} catches {sum(s >= alarm for s in risky_left)}, "
        f"ask>={ask:.2f} {sum(ask <= s < alarm for s in risky_left)} more"
    )
    models = train(examples)
    kinds = {
        kind: {
            "bias": round(bias, 4),
            "weights": {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= PRUNE},
        }
        for kind, (bias, weights) in models.items()
    }
    data: dict[str, object] = {
        "version": VERSION,
        "trained_on": "corpus/crisis/dev",
        "thresholds": {"ask": ask, "alarm": alarm},
        "kinds": kinds,
    }
    return data, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if scorer.json is stale")
    args = parser.parse_args()
    data, report = build()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT.relative_to(ROOT)} is stale: run scripts/train_crisis_scorer.py")
        print("scorer.json is up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    print(report)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text) // 1024} KiB)")


if __name__ == "__main__":
    main()
