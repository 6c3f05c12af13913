from typing import Any

from aiogram_dialog import DialogManager

from wzt_bot.bot.context import BotContext
from wzt_bot.bot.texts import readers_text, transport_text
from wzt_bot.dialogs.widgets import translator
from wzt_bot.domain.models import Participant
from wzt_bot.domain.ports import UnitOfWork
from wzt_bot.domain.services.readers import readers


async def get_participant_name(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    participant: Participant | None = dialog_manager.middleware_data.get("participant")
    return {"name": participant.display_name.split(" ")[0] if participant else ""}


async def get_privacy(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """Who reads what the participant sends, from the team's data; how messages travel."""
    data = dialog_manager.middleware_data
    participant: Participant | None = data.get("participant")
    uow: UnitOfWork = data["uow"]
    ctx: BotContext = data["ctx"]
    t = translator(dialog_manager)
    found = await readers(uow, participant) if participant is not None else []
    return {
        "readers": readers_text(t, found),
        "transport": transport_text(t, translates=ctx.translates),
    }
