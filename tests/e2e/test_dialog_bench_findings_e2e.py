"""What the dialog benchmark (bench/dialogs.py) found, over the wire.

- A tap on a face of "Hoe gaat het?" removed the faces twice: the handler itself, then
  aiogram-dialog when it sent the first window of the check-in (it removes the inline
  keyboard of the message tapped). The second edit is refused by Telegram ("message is not
  modified") and costs a message of the 30 per second all the same.
- The language detector loaded its models at the first concern of the process, holding the
  GIL: the whole bot stood still for a second or more (the first "✅ Versturen" answers took
  1.3 s to 3.3 s in the benchmark). The bot now loads them before it takes its first update,
  and loads all of them (``warm_up`` existed, was never called, and loaded only part).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.e2e.conftest import (
    Harness,
    buttons,
    onboard,
    running_bot,
    wait_button,
)
from wzt_bot.bot.outreach_texts import TAP_A_FACE
from wzt_bot.bot.pipeline import UpdatePipeline
from wzt_bot.bot.texts import MenuItem, menu_label
from wzt_bot.clients.language import LinguaLanguageTools


@pytest.mark.parametrize(
    ("face", "window"),
    [("🙂", "Waar denk je nu vooral aan?"), ("👍 Alles oké", "Wat lukte er deze week?")],
)
async def test_a_face_removes_the_faces_once(harness: Harness, face: str, window: str) -> None:
    h, user = harness, 7401
    t = h.container.i18n.get("nl")
    await onboard(h, user, consent=True)
    await h.sandbox.press(user, menu_label(t, MenuItem.CHECKIN))
    await h.wait_text(user, t(TAP_A_FACE))
    await wait_button(h, user, "🙂")
    faces = (await h.sandbox.bot_messages(user))[-1]
    before = len(await h.sandbox.requests("editMessageReplyMarkup"))

    await h.sandbox.press(user, face if face == "🙂" else "👍 " + t("Alles oké"))
    await h.wait_text(user, window)

    edits = (await h.sandbox.requests("editMessageReplyMarkup"))[before:]
    assert [(int(e["params"]["message_id"]), e["status_code"]) for e in edits] == [
        (faces["message_id"], 200)
    ], edits
    messages = {m["message_id"]: m for m in await h.sandbox.bot_messages(user)}
    assert buttons(messages[faces["message_id"]]) == [], "the faces are gone"


async def test_the_bot_loads_the_language_models_before_it_polls(
    database_url: str, fast_fake: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    polling = asyncio.Event()
    poll = UpdatePipeline.poll

    async def warm_up(self: LinguaLanguageTools) -> None:
        await asyncio.sleep(0.2)  # as if loading: polling must wait for it
        events.append("warm")

    async def first_poll(self: UpdatePipeline, *args: Any, **kwargs: Any) -> Any:
        events.append("poll")
        polling.set()
        return await poll(self, *args, **kwargs)

    monkeypatch.setattr(LinguaLanguageTools, "warm_up", warm_up)
    monkeypatch.setattr(UpdatePipeline, "poll", first_poll)
    async with running_bot(database_url, fake_kwargs=fast_fake):
        await asyncio.wait_for(polling.wait(), timeout=10)
    assert events == ["warm", "poll"], "the models are loaded before the first update"
