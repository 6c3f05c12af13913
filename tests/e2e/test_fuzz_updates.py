"""Property-based fuzzing of incoming updates through the whole bot (hypothesis).

The real dispatcher, handlers, dialogs, pipeline and database (SQLite); the Bot API replaced
by a recorder that checks what a real Bot API would refuse (text over 4,096 characters,
callback data over 64 bytes, a message to a chat that never wrote). Two linked participants:
A is the one who sends the random updates; B has a plan, and the callback data of B's own
buttons is fed to A as forged presses (and mutated), so a press that points at B's plan item
or flag is tried from A's account.

Each generated sequence must: never leave an update unhandled or recorded as failed (an
unhandled exception is recorded as failed by the pipeline), answer every callback query, send
only to A's chat, never show B's name or plan to A, and never change B's data.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import Chat, InlineKeyboardMarkup, Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import make_settings
from tests.e2e.test_plan_e2e import plan_body
from tests.fakes.outreach import FrozenClock, linked_participant
from wzt_bot.bot.outreach_texts import FlagCb
from wzt_bot.bot.plan_texts import AppointmentCb
from wzt_bot.bot.texts import MenuItem, menu_label
from wzt_bot.db.migrate import upgrade_head_async
from wzt_bot.db.tables import FlagRow, ParticipantRow, PlanResponseRow, TelegramUpdateRow
from wzt_bot.domain.models import FlagKind, FlagUrgency, Role
from wzt_bot.domain.services import admin, flags
from wzt_bot.i18n import I18n
from wzt_bot.wiring import Container

A, B = 9901, 9902
B_NAME = "Brecht Vandenbroucke"
B_OBJECTIVE = "Geheim doel van Brecht"
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
_ids = itertools.count(10_000)
NL = I18n(default_locale="nl").get("nl")


@dataclass
class Recorder(BaseSession):
    """A Bot API that answers everything and remembers what it was asked."""

    calls: list[TelegramMethod[Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self.calls.append(method)
        text = getattr(method, "text", None)
        if isinstance(text, str) and len(text) > 4096:
            self.problems.append(f"{type(method).__name__}: text of {len(text)} characters")
        markup = getattr(method, "reply_markup", None)
        for row in getattr(markup, "inline_keyboard", None) or []:
            for button in row:
                data = button.callback_data or ""
                if len(data.encode()) > 64:
                    self.problems.append(f"callback_data of {len(data.encode())} bytes")
        chat_id = getattr(method, "chat_id", None)
        if chat_id is not None and int(chat_id) not in (A, B):
            self.problems.append(f"{type(method).__name__} to chat {chat_id}")
        if isinstance(method, SendMessage | EditMessageText):
            return Message(
                message_id=next(_ids),
                date=NOW,
                chat=Chat(id=int(method.chat_id or A), type="private"),
                text=method.text,
                reply_markup=method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None,
            )
        if isinstance(method, EditMessageReplyMarkup):
            return True
        if isinstance(method, AnswerCallbackQuery):
            return True
        return True

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


@dataclass
class Bench:
    runner: asyncio.Runner
    container: Container
    recorder: Recorder
    b_buttons: list[str]
    b_flag: uuid.UUID
    b_state: tuple[tuple[str, ...], int]

    def run(self, coro: Any) -> Any:
        return self.runner.run(coro)


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "X", "language_code": "nl"}


def _message(user_id: int, **content: Any) -> dict[str, Any]:
    return {
        "message_id": next(_ids),
        "date": int(NOW.timestamp()),
        "chat": {"id": user_id, "type": "private"},
        "from": _user(user_id),
        **content,
    }


def text_update(user_id: int, text: str) -> dict[str, Any]:
    return {"update_id": next(_ids), "message": _message(user_id, text=text)}


def press_update(user_id: int, data: str) -> dict[str, Any]:
    message = _message(user_id, text="…")
    message["from"] = {"id": 1, "is_bot": True, "first_name": "bot"}
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": str(next(_ids)),
            "from": _user(user_id),
            "chat_instance": "ci",
            "message": message,
            "data": data,
        },
    }


FILE = {"file_id": "F1", "file_unique_id": "U1"}
OTHER_KINDS: list[dict[str, Any]] = [
    {
        "sticker": {
            **FILE,
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        }
    },
    {"photo": [{**FILE, "width": 1, "height": 1}], "caption": "foto"},
    {"voice": {**FILE, "duration": 3}},
    {"document": {**FILE, "file_name": "brief.pdf"}},
    {"video_note": {**FILE, "length": 1, "duration": 1}},
    {"location": {"latitude": 51.05, "longitude": 3.72}},
    {"contact": {"phone_number": "+32 470 00 00 00", "first_name": "Iemand"}},
]

texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4097, max_size=5000),
    st.sampled_from(
        [
            "مرحبا، أريد أن أتكلم مع أحد",  # Arabic, right to left
            "שלום \u202eטקסט הפוך\u202c",  # bidi override characters
            "😀" * 50 + "👩‍👩‍👧‍👦",
            "\x00\x01\x07\x1b[31m",  # control characters
            "/start",
            "/start AAAAAAAAAAAAAAAA",
            "/onbekend",
            "/menu",
            "/stop",
            "/taal",
            "/rechten",
            "/help",
            *(menu_label(NL, item) for item in MenuItem),
        ]
    ),
)


def _updates(b_buttons: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    forged = st.sampled_from(b_buttons) if b_buttons else st.just("x")
    mutated = st.builds(
        lambda d, i, c: d[:i] + c + d[i + 1 :],
        forged,
        st.integers(0, 63),
        st.sampled_from(["0", "f", ":", "\x1d", "ÿ", ""]),
    )
    data = st.one_of(
        forged,
        mutated,
        st.text(max_size=80),
        st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
    )
    return st.one_of(
        texts.map(lambda t: text_update(A, t)),
        data.map(lambda d: press_update(A, d)),
        st.sampled_from(OTHER_KINDS).map(
            lambda c: {"update_id": next(_ids), "message": _message(A, **c)}
        ),
        texts.map(
            lambda t: {
                "update_id": next(_ids),
                "edited_message": _message(A, text=t or ".", edit_date=int(NOW.timestamp())),
            }
        ),
    )


async def _b_state(container: Container) -> tuple[tuple[str, ...], int]:
    """B's flags (with their status) and B's plan answers: nothing A does may change them."""
    async with container.engine.connect() as conn:
        b_id = await conn.scalar(
            select(ParticipantRow.id).where(ParticipantRow.display_name == B_NAME)
        )
        statuses = await conn.scalars(
            select(FlagRow.status).where(FlagRow.participant_id == b_id).order_by(FlagRow.id)
        )
        responses = await conn.scalar(
            select(func.count())
            .select_from(PlanResponseRow)
            .where(PlanResponseRow.participant_id == b_id)
        )
    return tuple(statuses), int(responses or 0)


async def _setup(container: Container, recorder: Recorder) -> tuple[list[str], uuid.UUID]:
    clock = FrozenClock(NOW)
    a = await linked_participant(container, clock, name="Sam", user_id=A)
    b = await linked_participant(container, clock, name=B_NAME, user_id=B, team_id=a.team_id)
    async with container.uow_factory() as uow:
        staff = await admin.create_staff(uow, name="Beheer", role=Role.ADMIN, team_ids=frozenset())
        flag = await flags.raise_flag(
            uow,
            clock,
            b.participant,
            kind=FlagKind.CONCERN,
            urgency=FlagUrgency.NORMAL,
            source="concern",
            words=flags.Words(text="Iets van Brecht.", language="nl"),
        )
        await uow.commit()
    app = container.build_api(with_webhook=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://api.test",
        headers={"Authorization": f"Bearer {staff.token}"},
    ) as client:
        body = plan_body() | {"objective": B_OBJECTIVE}
        put = await client.put(f"/api/v1/participants/{b.participant.id}/plan", json=body)
        assert put.status_code == 200, put.text
        appointment = await client.post(
            f"/api/v1/participants/{b.participant.id}/appointments",
            json={"starts_at": "2027-01-05T09:00:00+00:00", "where": "VDAB", "with_whom": "An"},
        )
        assert appointment.status_code == 201, appointment.text
        b_appointment = uuid.UUID(appointment.json()["id"]).hex
    pipeline = container.build_bot()
    t = container.i18n.get("nl")
    for text in (menu_label(t, MenuItem.PLAN), menu_label(t, MenuItem.MYDATA)):
        update = text_update(B, text)
        assert await pipeline.handle(update["update_id"], update, json.dumps(update), "claim")
    buttons = sorted(
        {
            button.callback_data
            for call in recorder.calls
            for row in getattr(getattr(call, "reply_markup", None), "inline_keyboard", None) or []
            for button in row
            if button.callback_data
        }
    )
    # B's flag and appointment as A's presses would name them (a reply's "it helped", a
    # crisis answer's "misunderstood", "I can (not) come")
    forged = [FlagCb(id=flag.id.hex, a=a).pack() for a in ("y", "n", "ok")] + [
        AppointmentCb(id=b_appointment, come=come).pack() for come in (True, False)
    ]
    return buttons + forged, flag.id


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    with asyncio.Runner() as runner:
        runner.run(upgrade_head_async(url))
        opened = Container.open(make_settings(url))
        container = runner.run(opened.__aenter__())
        recorder = Recorder()
        container.telegram_bot().session = recorder
        try:
            buttons, flag_id = runner.run(_setup(container, recorder))
            assert buttons, "B's plan hub has buttons"
            state = runner.run(_b_state(container))
            yield Bench(runner, container, recorder, buttons, flag_id, state)
        finally:
            runner.run(opened.__aexit__(None, None, None))


def _sent_to_a(calls: list[TelegramMethod[Any]]) -> list[str]:
    return [str(getattr(c, "text", "") or "") for c in calls if getattr(c, "chat_id", A) == A]


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_updates_are_handled_kindly_and_stay_with_their_sender(
    bench: Bench, data: st.DataObject
) -> None:
    sequence = data.draw(st.lists(_updates(bench.b_buttons), min_size=1, max_size=6))
    pipeline = bench.container.build_bot()
    before = len(bench.recorder.calls)
    for update in sequence:
        recorded = bench.run(
            pipeline.handle(update["update_id"], update, json.dumps(update), "claim")
        )
        assert recorded, update
    calls = bench.recorder.calls[before:]
    assert not bench.recorder.problems, bench.recorder.problems
    presses = [u for u in sequence if "callback_query" in u]
    answered = [c for c in calls if isinstance(c, AnswerCallbackQuery)]
    assert len(answered) >= len(presses), "every callback query is answered"
    for call in calls:
        chat_id = getattr(call, "chat_id", None)
        assert chat_id in (None, A), f"{type(call).__name__} went to chat {chat_id}"
    for text in _sent_to_a(calls):
        assert B_NAME not in text and B_OBJECTIVE not in text and "Brecht" not in text
    ids = [u["update_id"] for u in sequence]

    async def outcome() -> dict[str, int]:
        async with bench.container.engine.connect() as conn:
            rows = await conn.execute(
                select(TelegramUpdateRow.status, func.count())
                .where(TelegramUpdateRow.update_id.in_(ids))
                .group_by(TelegramUpdateRow.status)
            )
            return {str(status): int(n) for status, n in rows.all()}

    statuses = bench.run(outcome())
    assert statuses == {"done": len(ids)}, statuses  # none failed (no unhandled exception)
    assert bench.run(_b_state(bench.container)) == bench.b_state, "A's updates changed B's data"
