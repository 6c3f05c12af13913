"""Configuration and deployment files stay in step with the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wzt_bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_setting() -> None:
    listed = set(re.findall(r"^#?\s*(WZT_[A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    expected = {f"WZT_{name.upper()}" for name in Settings.model_fields}
    assert expected - listed == set(), "add these to .env.example"
    assert listed - expected == set(), "these in .env.example are not settings"


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    names = [f"WZT_{name.upper()}" for name in Settings.model_fields]
    missing = [name for name in names if name not in readme]
    assert missing == []


def test_docker_compose_config_is_accepted(tmp_path: Path) -> None:
    compose = shutil.which("docker-compose")
    docker = shutil.which("docker")
    command: list[str] | None = None
    if (
        docker
        and subprocess.run(
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        command = [docker, "compose"]
    elif compose:
        command = [compose]
    if command is None:
        reason = "neither `docker compose` nor `docker-compose` is installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    env = (ROOT / ".env.example").read_text().replace("POSTGRES_PASSWORD=", "POSTGRES_PASSWORD=x")
    (tmp_path / ".env").write_text(env)
    result = subprocess.run(
        [*command, "--profile", "migrate", "config", "--services"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"postgres", "redis", "migrate", "api", "bot", "scheduler"}
