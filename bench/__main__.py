"""Every benchmark, one after the other: `.venv/bin/python -m bench [--record] [--quick]`.

Each one runs as its own process (so one's memory or event loop never touches the next),
with `--record` passed on so each appends its figures to bench/RESULTS.md. `--quick` runs
the smaller variants (a smoke test of the benchmarks themselves, not figures to record).
The exit code is non-zero when a benchmark failed or missed its target; the others still run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

FULL: list[list[str]] = [
    ["bench.pipeline", "--repeat", "3"],
    ["bench.checkin_wave"],
    ["bench.api_flags"],
    ["bench.memory"],
    ["bench.feedback_report"],
    ["bench.dialogs"],
    ["bench.faults"],
    ["bench.crisis", "--split", "test"],
]
QUICK: list[list[str]] = [
    ["bench.pipeline", "--quick"],
    ["bench.checkin_wave", "--participants", "1000"],
    ["bench.api_flags", "--flags", "10000", "--requests", "30"],
    ["bench.memory", "--participants", "10000"],
    ["bench.feedback_report", "--answers", "10000"],
    ["bench.dialogs", "--quick"],
    ["bench.faults", "--quick"],
    ["bench.crisis", "--split", "test"],
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--record", action="store_true", help="each appends to RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="small variants, not recorded")
    args = parser.parse_args(argv)
    if args.record and args.quick:
        parser.error("--quick figures are not for the record")
    outcome: list[tuple[str, int, float]] = []
    for command in QUICK if args.quick else FULL:
        extra = ["--record"] if args.record else []
        print(f"\n=== python -m {' '.join(command + extra)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", *command, *extra])  # noqa: S603 - our own modules
        outcome.append((command[0], code, time.perf_counter() - started))
    print("\n=== summary")
    for name, code, seconds in outcome:
        print(f"{name:24} {'ok' if code == 0 else f'exit {code}':8} {seconds:7.0f} s")
    return 0 if all(code == 0 for _, code, _ in outcome) else 1


if __name__ == "__main__":
    sys.exit(main())
