"""The Alembic migrations build exactly the schema of the models, on both databases."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_ADMIN_URL, _pg_admin, postgres_available, require_service
from wzt_bot.db.engine import build_engine
from wzt_bot.db.migrate import alembic_config
from wzt_bot.db.tables import Base


async def test_migrations_match_models(database_url: str) -> None:
    engine = build_engine(database_url)

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(diff)
    finally:
        await engine.dispose()
    assert differences == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own, empty: migrated step by step by the test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
        return
    require_service("PostgreSQL", postgres_available())
    name = f"wzt_mig_{uuid.uuid4().hex[:8]}"
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _upgrade(url: str, revision: str) -> None:
    engine = build_engine(url)

    def run(connection: Connection) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()


async def test_open_crisis_flags_from_before_keep_their_urgency(empty_url: str) -> None:
    """0010: an open crisis flag from before gets one row for its earlier messages, never
    withdrawn (no button names it), so a later tap cannot lower what nobody withdrew."""
    await _upgrade(empty_url, "0009")
    t = Base.metadata.tables
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    network, team, participant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    crisis, resolved, concern = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    engine = build_engine(empty_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(t["networks"].insert().values(id=network, name="Oost"))
            await connection.execute(
                t["teams"].insert().values(id=team, network_id=network, name="Team")
            )
            await connection.execute(
                t["participants"]
                .insert()
                .values(
                    id=participant, team_id=team, display_name="Sam", status="active", created_at=at
                )
            )
            for flag_id, kind, status, urgency in (
                (crisis, "crisis", "acknowledged", "urgent"),
                (resolved, "crisis", "resolved", "normal"),
                (concern, "concern", "open", "normal"),
            ):
                await connection.execute(
                    t["flags"]
                    .insert()
                    .values(
                        id=flag_id,
                        participant_id=participant,
                        team_id=team,
                        kind=kind,
                        urgency=urgency,
                        status=status,
                        source=kind,
                        created_at=at,
                        acknowledged_at=at if status == "acknowledged" else None,
                    )
                )
        await _upgrade(empty_url, "head")
        async with engine.connect() as connection:
            rows = (await connection.execute(select(t["flag_risks"]))).mappings().all()
    finally:
        await engine.dispose()
    [row] = rows
    assert row["flag_id"] == crisis and row["urgency"] == "urgent"
    assert row["created_at"] == at and row["acknowledged_at"] == at
    assert row["withdrawn_at"] is None and row["message_id"] is None
