"""Outbox messages rendered in every language: within Telegram's limits, helplines intact."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from wzt_bot.bot.notifier import render
from wzt_bot.bot.outreach_texts import CHECKIN_WORDINGS, crisis_text
from wzt_bot.domain.errors import RejectedError
from wzt_bot.domain.models import SUPPORTED_LOCALES, OutboxChannel, OutboxMessage
from wzt_bot.domain.policies.team import TeamReach
from wzt_bot.i18n import LRI, I18n

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
I18N = I18n()


def _message(kind: str, **payload: object) -> OutboxMessage:
    return OutboxMessage(
        id=uuid.uuid4(),
        key=kind,
        channel=OutboxChannel.TELEGRAM,
        target="1001",
        kind=kind,
        payload={"name": "Samira", "checkin_id": str(uuid.uuid4()), "flag_id": str(uuid.uuid4())}
        | payload,
        created_at=NOW,
        not_before=NOW,
    )


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize(
    "message",
    [
        _message("regular", wording=3),
        _message("adhoc", wording=0),
        _message("reminder"),
        _message("pause_contact"),
        _message("reply", **{"from": "An", "text": "x" * 3500, "translation": "y" * 3500}),
        _message("resolved", **{"from": "An", "text": None}),
    ],
    ids=lambda m: m.kind if isinstance(m, OutboxMessage) else str(m),
)
def test_every_kind_renders_within_bot_api_limits(locale: str, message: OutboxMessage) -> None:
    text, markup = render(message, I18N.get(locale))
    assert text.strip()
    assert markup is not None
    for row in markup.inline_keyboard:  # type: ignore[union-attr]
        for button in row:
            assert button.callback_data is not None
            assert 1 <= len(button.callback_data.encode()) <= 64


def test_five_wordings_each_greeting_by_name() -> None:
    assert len(CHECKIN_WORDINGS) >= 5
    for locale in SUPPORTED_LOCALES:
        t = I18N.get(locale)
        rendered = {t(w, name="Samira") for w in CHECKIN_WORDINGS}
        assert len(rendered) == len(CHECKIN_WORDINGS) and all("Samira" in r for r in rendered)


def test_team_notice_and_unknown_kind() -> None:
    notice = _message("team_notice", flags=[{"alias": "P-1A2B3C", "kind": "crisis"}])
    notice.payload.pop("name")
    text, markup = render(notice, I18N.get("nl"))
    assert "P-1A2B3C" in text and "crisis" in text and markup is None
    with pytest.raises(RejectedError):
        render(_message("nonsense"), I18N.get("nl"))


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_crisis_answer_has_every_helpline(locale: str) -> None:
    t = I18N.get(locale)
    for online in (True, False):
        team = TeamReach(channel=True, online=online)
        text = crisis_text(t, team=team).replace(LRI, "")
        for number in ("1813", "106", "1712", "112"):
            assert number in text, (locale, number)
    french = crisis_text(I18N.get("fr"), team=None)
    assert "107" in french and "0800 32 123" in french
    assert "107" not in crisis_text(I18N.get("nl"), team=None)
