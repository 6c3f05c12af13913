#!/usr/bin/env python3
"""One entry point for people and CI, needing nothing but Python 3.11+.

    python3 dev.py demo    # set up (first time) and start the demo
    python3 dev.py test    # set up (first time) and run every check and test

Set-up means: a virtual environment in .venv with the pinned dependencies (re-installed when
pyproject.toml changes). Extra arguments after `test` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".wzt-installed"


def run(*args: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit("wzt-bot needs Python 3.11 or newer")
    if not PYTHON.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.write_text(wanted)


def test(extra: list[str]) -> None:
    setup()
    run(BIN / "ruff", "check", "src", "tests", "bench", "scripts", "dev.py")
    run(BIN / "ruff", "format", "--check", "src", "tests", "bench", "scripts", "dev.py")
    run(BIN / "mypy")
    run(BIN / "lint-imports")
    # The whole suite runs with the coverage floor; a partial run (extra arguments) without.
    coverage = [] if extra else ["--cov", "--cov-report=term"]
    code = run(PYTHON, "-m", "pytest", *coverage, *extra, check=False)
    if code == 5:
        print("pytest collected no tests: that is a failure here", file=sys.stderr)
        sys.exit(1)
    sys.exit(code)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "setup"}:
        sys.exit(__doc__)
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup()
    elif command == "demo":
        setup()
        sys.exit(run(BIN / "wzt-bot", "demo", *extra, check=False))
    else:
        test(extra)


if __name__ == "__main__":
    main()
