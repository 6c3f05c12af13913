"""While the database cannot be reached the API answers 503 with a reason, fast, never 500."""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest
from sqlalchemy import exc as sa

from tests.conftest import free_port, make_settings
from wzt_bot.db.errors import database_unavailable
from wzt_bot.wiring import Container


@pytest.fixture
async def api_without_database() -> httpx.AsyncClient:
    # Nothing listens on this port: every connection attempt is refused.
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/nowhere"
    async with Container.open(make_settings(url)) as container:
        app = container.build_api(with_webhook=False)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            yield client


async def test_requests_get_503_with_a_reason_when_the_database_is_down(
    api_without_database: httpx.AsyncClient,
) -> None:
    started = time.perf_counter()
    response = await api_without_database.get(
        "/api/v1/participants", headers={"Authorization": "Bearer some-token"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "database" in response.json()["detail"]
    assert time.perf_counter() - started < 5


async def test_readyz_is_503_when_the_database_is_down(
    api_without_database: httpx.AsyncClient,
) -> None:
    response = await api_without_database.get("/readyz")
    assert response.status_code == 503


async def test_healthz_stays_200_when_the_database_is_down(
    api_without_database: httpx.AsyncClient,
) -> None:
    assert (await api_without_database.get("/healthz")).status_code == 200


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (ConnectionRefusedError(111, "refused"), True),
        (sa.TimeoutError("QueuePool limit"), True),
        (sqlite3.OperationalError("database is locked"), True),
        (sa.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True), True),
        (sqlite3.OperationalError("no such table: x"), False),
        (ValueError("a bug"), False),
        (sa.IntegrityError("INSERT", {}, Exception("duplicate key")), False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(
    error: BaseException, unavailable: bool
) -> None:
    assert (database_unavailable(error) is not None) is unavailable


def test_the_cause_of_a_wrapped_error_counts() -> None:
    try:
        try:
            raise ConnectionResetError("reset by peer")
        except ConnectionResetError as inner:
            raise RuntimeError("while reading participants") from inner
    except RuntimeError as outer:
        assert database_unavailable(outer) is not None
