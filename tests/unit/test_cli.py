"""The command line as an operator uses it: a real subprocess, a real SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from tests.conftest import TEST_SECRET


def _cli(tmp_path: Path, *args: str, **env_overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WZT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
        "WZT_SECRET_KEY": TEST_SECRET,
        "WZT_LOG_LEVEL": "WARNING",
        **env_overrides,
    }
    return subprocess.run(
        [sys.executable, "-m", "wzt_bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )


def test_team_and_staff_create(tmp_path: Path) -> None:
    migrated = _cli(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    team = _cli(tmp_path, "team", "create", "--name", "Team Gent", "--network", "Oost")
    assert team.returncode == 0, team.stderr
    team_id = team.stdout.strip().splitlines()[-1]
    uuid.UUID(team_id)
    staff = _cli(
        tmp_path, "staff", "create", "--name", "An", "--role", "casemanager", "--team", team_id
    )
    assert staff.returncode == 0, staff.stderr
    assert staff.stdout.strip().splitlines()[-1].startswith("wzt_")
    admin = _cli(tmp_path, "staff", "create", "--name", "Root", "--role", "admin")
    assert admin.returncode == 0 and admin.stdout.strip().splitlines()[-1].startswith("wzt_")


def test_bad_input_is_refused_with_a_reason(tmp_path: Path) -> None:
    role = _cli(tmp_path, "staff", "create", "--name", "X", "--role", "boss")
    assert role.returncode == 2 and "unknown role" in role.stderr
    no_team = _cli(tmp_path, "staff", "create", "--name", "X", "--role", "casemanager")
    assert no_team.returncode == 2 and "team" in no_team.stderr
    bad_team = _cli(tmp_path, "staff", "create", "--name", "X", "--role", "teamlead", "--team", "1")
    assert bad_team.returncode == 2 and "UUID" in bad_team.stderr
    unknown = _cli(
        tmp_path,
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


def test_placeholder_secret_is_refused(tmp_path: Path) -> None:
    result = _cli(tmp_path, "migrate", WZT_SECRET_KEY="changeme")
    assert result.returncode == 2
    assert "WZT_SECRET_KEY" in result.stderr or "placeholder" in result.stderr


def test_jobs_and_scheduler_need_a_token_and_a_clear_time(tmp_path: Path) -> None:
    env = {"WZT_BOT_TOKEN": ""}
    for args in (("scheduler",), ("jobs", "run-once")):
        result = _cli(tmp_path, *args, **env)
        assert result.returncode == 2 and "WZT_BOT_TOKEN" in result.stderr, args
    for bad in ("tomorrow", "2026-11-30T10:00:00"):
        result = _cli(tmp_path, "jobs", "run-once", "--now", bad, WZT_BOT_TOKEN="1:x")
        assert result.returncode == 2, bad
        assert "ISO 8601" in result.stderr or "offset" in result.stderr
