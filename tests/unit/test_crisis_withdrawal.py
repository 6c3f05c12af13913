"""'Ik ben oké, dit was verkeerd begrepen': the button names one message; the urgency rule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from wzt_bot.bot.outreach_texts import FlagCb, RiskCb, crisis_keyboard
from wzt_bot.domain.models import FlagRisk, FlagUrgency
from wzt_bot.domain.services.flags import crisis_urgency
from wzt_bot.i18n import I18n

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
U, H, N = FlagUrgency.URGENT, FlagUrgency.HIGH, FlagUrgency.NORMAL


def _risk(urgency: FlagUrgency, *, withdrawn: bool = False, seen: bool = False) -> FlagRisk:
    return FlagRisk(
        id=uuid.uuid4(),
        flag_id=uuid.UUID(int=1),
        urgency=urgency,
        created_at=AT,
        withdrawn_at=AT if withdrawn else None,
        acknowledged_at=AT if seen else None,
    )


def test_the_button_names_one_risk_message_within_64_bytes() -> None:
    t = I18n().get("nl")
    risk_id = uuid.uuid4()
    [[button]] = crisis_keyboard(t, risk_id.hex).inline_keyboard
    assert button.text == t("Ik ben oké, dit was verkeerd begrepen")
    assert button.callback_data is not None and len(button.callback_data.encode()) <= 64
    assert RiskCb.unpack(button.callback_data).id == risk_id.hex
    # An old button (the flag only) is still understood by its own handler.
    old = FlagCb(id=uuid.uuid4().hex, a="ok").pack()
    assert FlagCb.unpack(old).a == "ok" and not old.startswith(RiskCb.__prefix__ + ":")


def test_urgency_is_the_highest_among_messages_not_withdrawn() -> None:
    assert crisis_urgency([]) is None  # nothing known: leave the flag as it is
    assert crisis_urgency([_risk(U, withdrawn=True), _risk(U)]) is U
    assert crisis_urgency([_risk(H), _risk(U, withdrawn=True)]) is H
    assert crisis_urgency([_risk(N), _risk(H), _risk(U)]) is U


def test_all_withdrawn_is_high_until_every_message_is_acknowledged() -> None:
    assert crisis_urgency([_risk(U, withdrawn=True), _risk(U, withdrawn=True)]) is H
    assert crisis_urgency([_risk(U, withdrawn=True, seen=True), _risk(U, withdrawn=True)]) is H
    both_seen = [_risk(U, withdrawn=True, seen=True), _risk(H, withdrawn=True, seen=True)]
    assert crisis_urgency(both_seen) is N
