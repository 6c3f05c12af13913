"""`wzt-bot` command line (typer)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
import uuid
from collections.abc import Coroutine
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from wzt_bot.config import Settings
from wzt_bot.logging_setup import configure_logging

app = typer.Typer(
    help="wzt-bot: Telegram assistant for werk- en zorgtrajecten.", no_args_is_help=True
)
team_app = typer.Typer(help="Teams of casemanagers.", no_args_is_help=True)
staff_app = typer.Typer(help="Staff members and their API tokens.", no_args_is_help=True)
i18n_app = typer.Typer(help="Translation catalogs (Babel/gettext).", no_args_is_help=True)
jobs_app = typer.Typer(help="Scheduled jobs (check-ins, reminders, digests).", no_args_is_help=True)
app.add_typer(team_app, name="team")
app.add_typer(jobs_app, name="jobs")
app.add_typer(staff_app, name="staff")
app.add_typer(i18n_app, name="i18n")

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**overrides: Any) -> Settings:
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "settings"
            typer.secho(f"configuration error: {where}: {error['msg']}", err=True, fg="red")
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level, json=settings.log_json)
    return settings


def _run(coro: Coroutine[Any, Any, None]) -> None:
    asyncio.run(coro)


async def _until_signal(main: Any) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await main(stop)


def _serve(parts: set[str]) -> None:
    from wzt_bot.db.engine import is_sqlite
    from wzt_bot.db.migrate import upgrade_head
    from wzt_bot.wiring import Container, run_parts, settle_heap

    settings = load_settings()
    # The scheduler sends the outbox (check-ins, replies, notices) through the Bot API.
    needs_token = bool({"bot", "scheduler"} & parts) or (
        "api" in parts and (settings.webhook_url or not settings.bot_username)
    )
    if needs_token and settings.bot_token is None:
        typer.secho(
            "configuration error: WZT_BOT_TOKEN is not set (get one from @BotFather), "
            "or try everything locally with `wzt-bot demo`",
            err=True,
            fg="red",
        )
        raise typer.Exit(2)
    if is_sqlite(settings.database_url):
        upgrade_head(settings.database_url)  # the embedded default needs no separate step

    async def main(stop: asyncio.Event) -> None:
        async with Container.open(settings) as container:
            # Out of the garbage collector's way; run_bot does it again once built.
            settle_heap()
            await run_parts(container, stop, parts)

    _run(_until_signal(main))


@app.command()
def run() -> None:
    """Bot, API and scheduler in one process."""
    _serve({"bot", "api", "scheduler"})


@app.command()
def bot() -> None:
    """Only the bot (polling; in webhook mode it serves the webhook endpoint)."""
    _serve({"bot"})


@app.command()
def api() -> None:
    """Only the API (and, in webhook mode, the Telegram webhook endpoint)."""
    _serve({"api"})


@app.command()
def scheduler() -> None:
    """Only the scheduler."""
    _serve({"scheduler"})


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic upgrade head)."""
    from wzt_bot.db.migrate import upgrade_head

    settings = load_settings()
    upgrade_head(settings.database_url)
    typer.echo("database is up to date")


@app.command()
def demo(
    api_port: Annotated[int, typer.Option(help="Port of the API.")] = 8080,
    telegram_port: Annotated[int, typer.Option(help="Port of the sandbox Telegram.")] = 8081,
    fresh: Annotated[bool, typer.Option(help="Start from an empty demo database.")] = True,
) -> None:
    """Everything on this machine: SQLite, a sandbox Telegram, bot, API and scheduler."""
    from wzt_bot.demo import run_demo

    configure_logging("INFO")
    _run(_until_signal(lambda stop: run_demo(stop, api_port, telegram_port, fresh=fresh)))


def _with_uow(work: Any) -> Any:
    from wzt_bot.db.engine import is_sqlite
    from wzt_bot.db.migrate import upgrade_head
    from wzt_bot.wiring import Container

    settings = load_settings()
    if is_sqlite(settings.database_url):
        upgrade_head(settings.database_url)

    async def main() -> Any:
        async with Container.open(settings) as container, container.uow_factory() as uow:
            result = await work(uow)
            await uow.commit()
            return result

    return asyncio.run(main())


@team_app.command("create")
def team_create(
    name: Annotated[str, typer.Option(help="Team name.")],
    network: Annotated[str, typer.Option(help="Network the team belongs to (created if new).")],
) -> None:
    """Create a team; prints its id as the last line."""
    from wzt_bot.domain.errors import DomainError
    from wzt_bot.domain.services.admin import create_team

    try:
        team = _with_uow(lambda uow: create_team(uow, name=name, network_name=network))
    except DomainError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    typer.echo(f"team {team.name!r} created in network {network!r}")
    typer.echo(str(team.id))


@staff_app.command("create")
def staff_create(
    name: Annotated[str, typer.Option(help="Staff member's name.")],
    role: Annotated[str, typer.Option(help="casemanager, teamlead, network_analyst or admin.")],
    team: Annotated[
        list[str] | None, typer.Option(help="Team id (repeat for several; admin needs none).")
    ] = None,
) -> None:
    """Create a staff member; prints the API token (shown once) as the last line."""
    from wzt_bot.domain.errors import DomainError
    from wzt_bot.domain.models import Role
    from wzt_bot.domain.services.admin import create_staff

    try:
        parsed_role = Role(role)
    except ValueError as exc:
        roles = ", ".join(r.value for r in Role)
        typer.secho(f"error: unknown role {role!r}; use one of {roles}", err=True, fg="red")
        raise typer.Exit(2) from exc
    try:
        team_ids = frozenset(uuid.UUID(t) for t in team or [])
    except ValueError as exc:
        typer.secho("error: --team must be a team id (a UUID)", err=True, fg="red")
        raise typer.Exit(2) from exc
    try:
        created = _with_uow(
            lambda uow: create_staff(uow, name=name, role=parsed_role, team_ids=team_ids)
        )
    except DomainError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from exc
    typer.echo(f"{parsed_role.value} {created.staff.name!r} created; keep this token secret:")
    typer.echo(created.token)


def _parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter("use ISO 8601, e.g. 2026-11-30T10:00:00+01:00") from exc
    if moment.tzinfo is None:
        raise typer.BadParameter("give a time zone offset, e.g. +01:00 or Z")
    return moment


@jobs_app.command("run-once")
def jobs_run_once(
    now: Annotated[
        str | None,
        typer.Option(help="Run as if it were this ISO 8601 time (with offset). Default: now."),
    ] = None,
) -> None:
    """Run every due job once (check-ins, reminders, digests) and deliver what they queued.
    Running it twice for the same time sends nothing twice."""
    from wzt_bot.clock import FrozenClock, SystemClock
    from wzt_bot.db.engine import is_sqlite
    from wzt_bot.db.migrate import upgrade_head
    from wzt_bot.domain.ports import Clock
    from wzt_bot.wiring import Container, run_jobs_once

    moment = _parse_now(now) if now else None
    settings = load_settings()
    if settings.bot_token is None:
        typer.secho("configuration error: WZT_BOT_TOKEN is not set", err=True, fg="red")
        raise typer.Exit(2)
    if is_sqlite(settings.database_url):
        upgrade_head(settings.database_url)

    async def main() -> None:
        clock: Clock = FrozenClock(moment) if moment else SystemClock()
        async with Container.open(settings, clock=clock) as container:
            typer.echo(f"running every due job as if it were {clock.now().isoformat()}")
            sys.stdout.flush()
            tick, delivered = await run_jobs_once(container)
        typer.echo(
            f"planned {tick.planned}, queued {tick.queued}, reminders {tick.reminders}, "
            f"digests {tick.digests}, no-contact flags {tick.no_contact_flags}; "
            f"sent {delivered.sent}, retried {delivered.retried}, dead {delivered.dead}, "
            f"cancelled {delivered.cancelled}, waiting for the end of quiet hours "
            f"{delivered.deferred}"
        )

    _run(main())


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    result = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 - fixed arguments
    if result.returncode != 0:
        raise typer.Exit(result.returncode)


@i18n_app.command("extract")
def i18n_extract() -> None:
    """Write locales/messages.pot from the source (Dutch msgids)."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "--no-location",
        "--sort-output",
        "-o",
        "locales/messages.pot",
        ".",
    )


@i18n_app.command("update")
def i18n_update() -> None:
    """Extract, then merge the template into every language's .po file."""
    i18n_extract()
    _pybabel(
        "update",
        "-i",
        "locales/messages.pot",
        "-d",
        "locales",
        "-D",
        "messages",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


@i18n_app.command("compile")
def i18n_compile() -> None:
    """Compile every .po into .mo (the Docker image does this; the app also works without)."""
    _pybabel("compile", "-d", "locales", "-D", "messages", "--statistics")


def main() -> None:
    app()
