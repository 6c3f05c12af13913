"""Crisis layer on the evaluation corpus: recall and false alarms per language and kind,
time per message and the memory the layer takes.

    .venv/bin/python -m bench.crisis --misses              # development split, with its misses
    .venv/bin/python -m bench.crisis --split test --record # the frozen test split, recorded

Tune only on `dev`; `test` was written by a hand that never saw the patterns and only
measures (its misses are not listed, so nobody tunes on them by accident).

Recall counts a risk message as caught when the bot raises the alarm (helplines and an urgent
flag); "asked" is the share the bot at least asks about gently. False alarms are near misses
that raise the alarm; "asked" near misses are reported apart.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from wzt_bot.domain.safety.check import CrisisCheck, Verdict
from wzt_bot.domain.safety.corpus import Example, load_split
from wzt_bot.domain.safety.crisis import CrisisDetector

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("RESULTS.md")
TARGET_RECALL = 0.95
TARGET_LANGUAGE_RECALL = 0.90
TARGET_FALSE_ALARMS = 0.10
TARGET_P99_MS = 5.0
TARGET_MEMORY_MIB = 30.0


@dataclass
class Tally:
    risk: int = 0
    caught: int = 0
    asked: int = 0
    near: int = 0
    false_alarms: int = 0
    near_asked: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, example: Example, verdict: Verdict) -> None:
        if example.risk:
            self.risk += 1
            self.caught += verdict is Verdict.ALARM
            self.asked += verdict is Verdict.ASK
        else:
            self.near += 1
            self.false_alarms += verdict is Verdict.ALARM
            self.near_asked += verdict is Verdict.ASK

    @property
    def recall(self) -> float:
        return self.caught / self.risk if self.risk else 1.0

    @property
    def reached(self) -> float:
        """Alarm or at least a gentle question."""
        return (self.caught + self.asked) / self.risk if self.risk else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.near if self.near else 0.0

    @property
    def ask_rate(self) -> float:
        return self.near_asked / self.near if self.near else 0.0


@dataclass
class Evaluation:
    total: Tally
    languages: dict[str, Tally]
    kinds: dict[str, Tally]
    wrong: list[tuple[Example, Verdict, str]]

    def meets_targets(self) -> bool:
        return (
            self.total.recall >= TARGET_RECALL
            and self.total.false_alarm_rate <= TARGET_FALSE_ALARMS
            and all(t.recall >= TARGET_LANGUAGE_RECALL for t in self.languages.values())
        )


def evaluate(check: CrisisCheck, examples: Sequence[Example]) -> Evaluation:
    total = Tally()
    languages: dict[str, Tally] = defaultdict(Tally)
    kinds: dict[str, Tally] = defaultdict(Tally)
    wrong: list[tuple[Example, Verdict, str]] = []
    for example in examples:
        assessment = check.assess(example.text)
        for tally in (total, languages[example.language], kinds[example.kind]):
            tally.add(example, assessment.verdict)
        if example.risk != (assessment.verdict is Verdict.ALARM):
            wrong.append((example, assessment.verdict, assessment.reason))
    return Evaluation(total, dict(languages), dict(kinds), wrong)


def timing(check: CrisisCheck, examples: Sequence[Example], rounds: int = 5) -> list[float]:
    """Seconds per message, each message assessed `rounds` times (warm)."""
    samples: list[float] = []
    for _ in range(rounds):
        for example in examples:
            start = time.perf_counter()
            check.assess(example.text)
            samples.append(time.perf_counter() - start)
    return samples


def _rss_mib() -> float:
    """This process's resident size now (Linux), MiB."""
    pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    return pages * resource.getpagesize() / 2**20


def memory(load: Callable[[], CrisisCheck]) -> tuple[float, float]:
    """MiB the loaded layer holds: Python objects (tracemalloc), and the growth of this
    process's resident size while loading it (run first, in a fresh process)."""
    gc.collect()
    before = _rss_mib()
    tracemalloc.start()
    check = load()
    check.assess("warm")
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    grown = _rss_mib() - before
    del check
    return held / 2**20, grown


def _pct(value: float) -> str:
    return f"{value:.2f}"


def table(title: str, rows: dict[str, Tally]) -> str:
    lines = [
        f"| {title} | risk | recall | asked too | near misses | false alarms | asked |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t in rows.items():
        lines.append(
            f"| {name} | {t.risk} | {_pct(t.recall) if t.risk else '–'} "
            f"| {_pct(t.reached) if t.risk else '–'} | {t.near} "
            f"| {_pct(t.false_alarm_rate) if t.near else '–'} "
            f"| {_pct(t.ask_rate) if t.near else '–'} |"
        )
    return "\n".join(lines)


def report(split: str, evaluation: Evaluation, times: list[float], mem: tuple[float, float]) -> str:
    total = evaluation.total
    quantiles = statistics.quantiles(times, n=100)
    verdict = "met" if evaluation.meets_targets() else "NOT met"
    rows = {"all": total, **dict(sorted(evaluation.languages.items()))}
    return "\n".join(
        (
            f"split `{split}`: {total.risk} risk messages, {total.near} near misses. "
            f"Recall {_pct(total.recall)} (alarm), {_pct(total.reached)} with the gentle "
            f"question; false alarms {_pct(total.false_alarm_rate)}, gentle questions on near "
            f"misses {_pct(total.ask_rate)}. Targets (recall ≥ {TARGET_RECALL}, every "
            f"language ≥ {TARGET_LANGUAGE_RECALL}, false alarms ≤ {TARGET_FALSE_ALARMS}): "
            f"**{verdict}**.",
            "",
            table("language", rows),
            "",
            table("kind", dict(sorted(evaluation.kinds.items()))),
            "",
            f"Time per message (patterns + scorer, warm, {len(times)} assessments): "
            f"p50 {quantiles[49] * 1000:.3f} ms, p99 {quantiles[98] * 1000:.3f} ms, "
            f"max {max(times) * 1000:.3f} ms (target p99 ≤ {TARGET_P99_MS} ms). Memory of the "
            f"loaded layer: {mem[0]:.1f} MiB held (tracemalloc), resident size grew "
            f"{mem[1]:.1f} MiB while loading (target ≤ {TARGET_MEMORY_MIB} MiB).",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "everyday"), default="dev")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    parser.add_argument("--misses", action="store_true", help="list the wrong answers")
    parser.add_argument("--rules-only", action="store_true", help="the patterns without scorer")
    args = parser.parse_args()
    examples = load_split(ROOT / "corpus" / "crisis" / args.split)

    def load() -> CrisisCheck:
        return CrisisCheck(CrisisDetector.load()) if args.rules_only else CrisisCheck.load()

    mem = memory(load)
    check = load()
    evaluation = evaluate(check, examples)
    times = timing(check, examples)
    text = report(args.split, evaluation, times, mem)
    print(text)
    if args.misses and args.split != "dev":
        parser.error("--misses lists the development split only")
    if args.misses:
        for example, verdict, reason in evaluation.wrong:
            print(f"{example.key}\t{example.kind}\t{verdict.value}\t{example.text}\t{reason}")
    if args.record:
        stamp = datetime.now(UTC).strftime("%m-%d %H:%M")
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"\n## Crisis layer, {stamp} UTC (`python -m bench.crisis`)\n\n{text}\n")
        print(f"recorded in {RESULTS}")
    quantiles = statistics.quantiles(times, n=100)
    within = quantiles[98] * 1000 <= TARGET_P99_MS and max(mem) <= TARGET_MEMORY_MIB
    if args.split == "test" and not (evaluation.meets_targets() and within):
        sys.exit(1)  # a target missed: `python -m bench` reports it


if __name__ == "__main__":
    main()
