from typing import Any

from aiogram_dialog import DialogManager

from wzt_bot.domain.models import Participant


async def get_participant_name(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    participant: Participant | None = dialog_manager.middleware_data.get("participant")
    return {"name": participant.display_name.split(" ")[0] if participant else ""}
