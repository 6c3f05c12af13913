"""Issue 16 §6: the words say what is true (who reads, Telegram, translation, retention)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from wzt_bot.bot.handlers.menu import my_data_text
from wzt_bot.bot.outreach_texts import resolved_text
from wzt_bot.domain.models import Participant, StaffFunction
from wzt_bot.domain.services.readers import Reader
from wzt_bot.i18n import I18n

NL = I18n().get("nl")
SAM = Participant(
    id=uuid.uuid4(), team_id=uuid.uuid4(), display_name="Sam", created_at=datetime.now(UTC)
)


def test_my_data_names_the_readers_and_promises_nothing_untrue() -> None:
    readers = [Reader(uuid.uuid4(), "An Claes", StaffFunction.CASEMANAGER_WERK, "")]
    text = my_data_text(NL, SAM, allowed=True, readers=readers, translates=False)
    assert "Dit weten we over jou" not in text
    assert "VDAB ziet deze chat niet" not in text and "Alleen jouw team" not in text
    assert "zolang je begeleiding loopt" not in text
    assert "• An Claes, begeleider voor werk" in text
    assert "De begeleider voor werk werkt vaak bij VDAB of voor VDAB." in text
    assert "Telegram versleutelt ze niet van begin tot eind." in text
    assert "vertaaldienst" not in text
    with_server = my_data_text(NL, SAM, allowed=True, readers=readers, translates=True)
    assert "vertaaldienst" in with_server


def test_a_resolved_question_is_not_a_closed_file() -> None:
    assert "afgerond" not in resolved_text(NL, "An", None)


def test_the_eindadvies_is_framed_as_the_teams_advice_without_an_appeal() -> None:
    """Decree Art. 23: talk about it, add one's view or complain; no heroverweging."""
    from wzt_bot.bot.plan_texts import end_advice_text
    from wzt_bot.domain.models import EndAdvice

    text = end_advice_text(NL, EndAdvice.WELZIJN, "Eerst rust.", None, "", None)
    assert "Dit is het advies van je team." in text
    assert "heroverweging" not in text and "VDAB" not in text
