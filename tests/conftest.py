"""Shared fixtures: databases (SQLite always, PostgreSQL when available), settings, containers.

PostgreSQL and Redis tests run under CI=true and fail loudly when the service is missing there;
on a laptop without them they are skipped with the reason.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url

from wzt_bot.config import Settings
from wzt_bot.db.engine import is_sqlite
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.sent_ledger import SqliteSentLedger, sqlite_ledger_path
from wzt_bot.db.tables import Base
from wzt_bot.wiring import Container

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_ADMIN_URL = os.environ.get(
    "WZT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("WZT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_SECRET = "test-" + secrets.token_urlsafe(40)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_service(name: str, ok: bool) -> None:
    if ok:
        return
    message = f"{name} is not reachable"
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it (start it, see .ci/run)", pytrace=False)
    pytest.skip(f"{message}; these tests run in CI (CI=true) where it is required")


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Debian's chromium for Playwright: skipped with a reason locally, required under CI."""
    require_service(f"{CHROMIUM} (apt-get install chromium)", CHROMIUM.exists())


def postgres_available() -> bool:
    url = make_url(POSTGRES_ADMIN_URL)
    return reachable(url.host or "127.0.0.1", url.port or 5432)


def redis_available() -> bool:
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    return reachable(host, int(port or 6379))


async def _pg_admin(statement: str) -> None:
    """Run one statement on the PostgreSQL server's maintenance database."""
    url = make_url(POSTGRES_ADMIN_URL)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "wzt-test.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    asyncio.run(upgrade_head_async(url))
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    require_service("PostgreSQL", postgres_available())
    name = f"wzt_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(upgrade_head_async(url))
    yield url
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "secret_key": TEST_SECRET,
        "bot_token": "123456:TEST-token",
        "bot_username": "wzt_test_bot",
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


async def wipe(container: Container) -> None:
    async with container.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))
    url = container.settings.database_url
    if is_sqlite(url):  # the sent ledger's own file (on PostgreSQL a table of the database)
        ledger = SqliteSentLedger(sqlite_ledger_path(url), "wipe")
        await ledger.purge_before(datetime(9999, 1, 1, tzinfo=UTC))
        await ledger.close()


@pytest.fixture
async def container(database_url: str) -> AsyncIterator[Container]:
    async with Container.open(make_settings(database_url)) as built:
        await wipe(built)
        yield built
