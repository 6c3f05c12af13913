"""`wzt-bot demo`: the whole product on this machine, with no configuration at all.

SQLite under ./var, the project's sandbox Telegram on 127.0.0.1, bot, API and scheduler in one
process, a seeded demo team, a casemanager token and a participant with an invite.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlencode

import structlog

from wzt_bot.config import Settings
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.domain.models import (
    ActionDomain,
    ActionStatus,
    DirectoryEntry,
    DirectoryRole,
    Phase,
    PlanAction,
    PlanDocument,
    Role,
    Staff,
    StaffFunction,
    TrajectoryType,
)
from wzt_bot.domain.policies.team import TeamSettings
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services import admin, participants, plan
from wzt_bot.sandbox.fake_telegram import FakeTelegram
from wzt_bot.wiring import SANDBOX_TOKEN, Container, run_parts

log = structlog.get_logger(__name__)
DEMO_DB = Path("var") / "demo.sqlite3"
DEMO_BOT = "wzt_demo_bot"
DEMO_USER_ID = 1001


def _remove_database(db_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


async def seed(container: Container) -> tuple[str, str]:
    """A demo network, team, casemanager and participant. Returns (token, invite code)."""
    async with container.uow_factory() as uow:
        team = await admin.create_team(uow, name="Team Demo", network_name="Netwerk Demo")
        staff = await admin.create_staff(
            uow, name="An (demo)", role=Role.CASEMANAGER, team_ids=frozenset({team.id})
        )
        staff.staff.function = StaffFunction.CASEMANAGER_WERK
        await uow.staff.update(staff.staff)
        # Questions and flags go to An; office hours and answer time as most teams have them.
        await uow.teams.save_settings(team.id, TeamSettings(main_contact_id=staff.staff.id))
        issued = await participants.create_participant(
            uow, container.clock, staff.staff, display_name="Sam", team_id=team.id
        )
        await _seed_plan(container, uow, staff.staff, issued.participant.id)
        await uow.commit()
    return staff.token, issued.code


async def _seed_plan(
    container: Container, uow: UnitOfWork, staff: Staff, participant_id: uuid.UUID
) -> None:
    """Sam's plan, who is who and an appointment, as a team would enter them."""
    tz = container.settings.tz
    today = container.clock.now().astimezone(tz).date()
    start = today - timedelta(weeks=5)
    await plan.put_plan(
        uow,
        container.clock,
        tz,
        staff,
        participant_id,
        PlanDocument(
            trajectory_type=TrajectoryType.ACTIVERINGSTRAJECT,
            objective="Ik wil in een keuken werken, een paar dagen per week.",
            start_date=start,
            expected_end_date=start + timedelta(days=270),
            evaluation_every_weeks=6,
            change_note="Eerste versie, samen opgemaakt op ons gesprek.",
            rights_duties="Je krijgt een vergoeding voor je vervoer. Lukt iets niet? Zeg het ons.",
            actions=(
                PlanAction(
                    id="",
                    domain=ActionDomain.WERK,
                    title="Een stageplaats zoeken in een grootkeuken",
                    owner="An (demo)",
                    owner_staff_id=staff.id,
                    due_date=today + timedelta(days=10),
                    status=ActionStatus.BEZIG,
                ),
                PlanAction(
                    id="",
                    domain=ActionDomain.ZORG,
                    title="Met de huisarts praten over beter slapen",
                    owner="Lies (CAW)",
                    due_date=today + timedelta(days=20),
                ),
                PlanAction(
                    id="",
                    domain=ActionDomain.LEVEN,
                    title="Een busabonnement aanvragen",
                    owner="Sam",
                ),
            ),
        ),
    )
    await plan.update_trajectory(
        uow,
        container.clock,
        tz,
        staff,
        participant_id,
        plan.TrajectoryChange(phase=Phase.UITVOERING, given=frozenset({"phase"})),
    )
    await plan.put_directory(
        uow,
        container.clock,
        tz,
        staff,
        participant_id,
        [
            DirectoryEntry(
                name="An (demo)",
                role=DirectoryRole.CASEMANAGER_WERK,
                organisation="GTB",
                reach="maandag tot donderdag, 9 tot 17 uur",
                staff_id=staff.id,
                main=True,
            ),
            DirectoryEntry(
                name="Lies (CAW)",
                role=DirectoryRole.CASEMANAGER_ZORG,
                organisation="CAW",
                reach="dinsdag en vrijdag",
            ),
        ],
    )
    moment = datetime.combine(today + timedelta(days=2), time(10, 0), tzinfo=tz)
    await plan.add_appointment(
        uow,
        container.clock,
        tz,
        staff,
        participant_id,
        starts_at=moment,
        where="Kantoor van GTB, eerste verdieping",
        with_whom="An (demo)",
        bring="Je identiteitskaart",
    )


async def run_demo(
    stop: asyncio.Event,
    api_port: int = 8080,
    telegram_port: int = 8081,
    *,
    fresh: bool = True,
    ready: asyncio.Event | None = None,
    info: dict[str, str] | None = None,
    db_path: Path = DEMO_DB,
) -> None:
    if fresh:
        await asyncio.to_thread(_remove_database, db_path)
    url = f"sqlite+aiosqlite:///{db_path}"
    await upgrade_head_async(url)
    fake = FakeTelegram(bot_token=SANDBOX_TOKEN, bot_username=DEMO_BOT, port=telegram_port)
    await fake.start()
    try:
        settings = Settings(
            demo=True,
            database_url=url,
            bot_token=SANDBOX_TOKEN,
            telegram_api_url=fake.base_url,
            api_port=api_port,
            bot_username=DEMO_BOT,
            redis_url=None,
            webhook_url=None,
            _env_file=None,
        )
        async with Container.open(settings) as container:
            token, code = await seed(container)
            phone = f"{fake.base_url}/phone?" + urlencode(
                {"user": DEMO_USER_ID, "name": "Sam", "lang": "nl", "start": code}
            )
            api = f"http://{settings.api_host}:{api_port}"
            details = {
                "phone_url": phone,
                "api_docs": f"{api}/docs",
                "api_url": api,
                "token": token,
                "invite_code": code,
                "telegram_url": fake.base_url,
            }
            if info is not None:
                info.update(details)
            print(  # the demo talks to the person who started it
                "\n".join(
                    (
                        "",
                        "wzt-bot demo is running (Ctrl+C stops it)",
                        f"  Participant phone:   {phone}",
                        "                       (opens the invite link: tap Start there)",
                        f"  API docs:            {api}/docs",
                        f"  Casemanager token:   {token}",
                        f"  Invite code of Sam:  {code}",
                        "  Try the API:",
                        f'    curl -H "Authorization: Bearer {token}" {api}/api/v1/participants',
                        f'    curl -H "Authorization: Bearer {token}" {api}/api/v1/flags',
                        "  In the phone: 📋 Mijn plan (Sam's plan, who is who, an appointment),",
                        "  🙂 Hoe gaat het? (a check-in), 💬 Ik wil iets vragen of zeggen",
                        "  (then answer it: POST /api/v1/flags/{id}/reply in the API docs).",
                        "",
                    )
                ),
                flush=True,
            )
            if ready is not None:
                ready.set()
            await run_parts(container, stop, {"bot", "api", "scheduler"})
    finally:
        await fake.stop()
