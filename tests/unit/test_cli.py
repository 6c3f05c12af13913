"""The command line as an operator uses it: a real SQLite file; a real subprocess for the
happy path, the refusals in this process (typer's runner: the same commands, the same exit
codes and messages, without a Python start-up of two seconds each)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import TEST_SECRET
from wzt_bot import cli


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        "WZT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
        "WZT_SECRET_KEY": TEST_SECRET,
        "WZT_LOG_LEVEL": "WARNING",
        **overrides,
    }


def _cli(tmp_path: Path, *args: str, **env_overrides: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_env(tmp_path, **env_overrides)}
    return subprocess.run(
        [sys.executable, "-m", "wzt_bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """`wzt-bot ARGS` in this process, in `tmp_path`, with the test's environment."""
    # The commands set up logging for a process of their own; here it would point the
    # test session's logging at the runner's stream, which is closed after each call.
    monkeypatch.setattr(cli, "configure_logging", lambda *args, **kwargs: None)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, **env_overrides: str) -> Ran:
        result = runner.invoke(cli.app, list(args), env=_env(tmp_path, **env_overrides))
        return Ran(result.exit_code, result.stdout, result.stderr)

    return invoke


def test_team_and_staff_create(tmp_path: Path, run: Callable[..., Ran]) -> None:
    migrated = run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    # One command as a real process, as an operator starts it (`python -m wzt_bot`).
    team = _cli(tmp_path, "team", "create", "--name", "Team Gent", "--network", "Oost")
    assert team.returncode == 0, team.stderr
    team_id = team.stdout.strip().splitlines()[-1]
    uuid.UUID(team_id)
    staff = run("staff", "create", "--name", "An", "--role", "casemanager", "--team", team_id)
    assert staff.returncode == 0, staff.stderr
    assert staff.stdout.strip().splitlines()[-1].startswith("wzt_")
    admin = run("staff", "create", "--name", "Root", "--role", "admin")
    assert admin.returncode == 0 and admin.stdout.strip().splitlines()[-1].startswith("wzt_")


def test_bad_input_is_refused_with_a_reason(run: Callable[..., Ran]) -> None:
    role = run("staff", "create", "--name", "X", "--role", "boss")
    assert role.returncode == 2 and "unknown role" in role.stderr
    no_team = run("staff", "create", "--name", "X", "--role", "casemanager")
    assert no_team.returncode == 2 and "team" in no_team.stderr
    bad_team = run("staff", "create", "--name", "X", "--role", "teamlead", "--team", "1")
    assert bad_team.returncode == 2 and "UUID" in bad_team.stderr
    unknown = run(
        "staff",
        "create",
        "--name",
        "X",
        "--role",
        "teamlead",
        "--team",
        str(uuid.uuid4()),
    )
    assert unknown.returncode == 2 and "unknown_team" in unknown.stderr


def test_placeholder_secret_is_refused(run: Callable[..., Ran]) -> None:
    result = run("migrate", WZT_SECRET_KEY="changeme")
    assert result.returncode == 2
    assert "WZT_SECRET_KEY" in result.stderr or "placeholder" in result.stderr


def test_jobs_and_scheduler_need_a_token_and_a_clear_time(run: Callable[..., Ran]) -> None:
    env = {"WZT_BOT_TOKEN": ""}
    for args in (("scheduler",), ("jobs", "run-once")):
        result = run(*args, **env)
        assert result.returncode == 2 and "WZT_BOT_TOKEN" in result.stderr, args
    for bad in ("tomorrow", "2026-11-30T10:00:00"):
        result = run("jobs", "run-once", "--now", bad, WZT_BOT_TOKEN="1:x")
        assert result.returncode == 2, bad
        assert "ISO 8601" in result.stderr or "offset" in result.stderr
