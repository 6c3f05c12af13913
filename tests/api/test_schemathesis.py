"""schemathesis against /openapi.json, every operation, over real HTTP on loopback.

The API runs as `wzt-bot api` runs it (uvicorn, its own event loop, here in a thread) on a
fresh SQLite database with a team, a participant and one token per role. For every
operation schemathesis generates requests (valid and invalid, derandomised so a CI run is
repeatable) and each response must not be a server error and must match the schema
documented for its status (and its content type). Requests go out as the admin (sees
everything) and, for a second pass, as a casemanager of the team (sees less).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.conftest import make_settings
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.domain.models import Role
from wzt_bot.domain.services import admin, participants
from wzt_bot.wiring import Container, serve_api

EXAMPLES = 15  # per operation and token: about 1,000 requests in all
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@dataclass
class Api:
    base_url: str
    tokens: dict[str, str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_api(database: Path) -> Iterator[Api]:
    url = f"sqlite+aiosqlite:///{database}"
    port = _free_port()
    ready = threading.Event()
    tokens: dict[str, str] = {}
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failure: list[BaseException] = []

    async def main() -> None:
        await upgrade_head_async(url)
        async with Container.open(make_settings(url)) as container:
            async with container.uow_factory() as uow:
                team = await admin.create_team(uow, name="Team Gent", network_name="Oost")
                for who, role, teams in (
                    ("admin", Role.ADMIN, frozenset()),
                    ("cm", Role.CASEMANAGER, frozenset({team.id})),
                ):
                    staff = await admin.create_staff(uow, name=who, role=role, team_ids=teams)
                    tokens[who] = staff.token
                    if who == "cm":
                        await participants.create_participant(
                            uow, container.clock, staff.staff, display_name="Sam", team_id=team.id
                        )
                await uow.commit()
            app = container.build_api(with_webhook=False)
            server = asyncio.create_task(serve_api(app, "127.0.0.1", port, stop))
            for _ in range(200):
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                    break
                await asyncio.sleep(0.05)
            ready.set()
            await server

    def thread() -> None:
        try:
            loop.run_until_complete(main())
        except BaseException as error:  # reported by the test
            failure.append(error)
            ready.set()

    worker = threading.Thread(target=thread, daemon=True)
    worker.start()
    assert ready.wait(60), "the API did not start"
    if failure:
        raise failure[0]
    try:
        yield Api(f"http://127.0.0.1:{port}", tokens)
    finally:
        loop.call_soon_threadsafe(stop.set)
        worker.join(30)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(tmp_path_factory.mktemp("schemathesis") / "api.sqlite3") as running:
        yield running


def _operations(api: Api) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{api.base_url}/openapi.json")
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 20, [op.label for op in found]  # every route is in the schema
    return found


@pytest.mark.parametrize("who", ["admin", "cm"])
def test_every_operation_answers_within_its_schema(api: Api, who: str) -> None:
    headers = {"Authorization": f"Bearer {api.tokens[who]}"}
    failures: list[str] = []
    calls: dict[str, int] = {}
    operations = _operations(api)
    for operation in operations:
        strategy = operation.as_strategy()

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            calls[case.operation.label] = calls.get(case.operation.label, 0) + 1
            case.call_and_validate(base_url=api.base_url, headers=headers, checks=CHECKS)

        try:
            check()
        except Exception as error:  # collect them all, then fail once with every finding
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)
    assert set(calls) == {op.label for op in operations}  # every operation was called
    assert sum(calls.values()) >= 5 * len(operations)
