"""Long texts over several Telegram messages: never a word cut, nothing left out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wzt_bot.bot.split import TELEGRAM_TEXT_LIMIT, split_text, units


def test_a_short_text_is_one_part() -> None:
    assert split_text("Hallo Sam") == ["Hallo Sam"]


def test_4090_characters_with_a_lead_split_at_a_space() -> None:
    words = " ".join(f"woord{i}" for i in range(700))[:4090].rsplit(" ", 1)[0]
    text = "Dit stuur ik naar An Claes:\n\n" + words
    parts = split_text(text)
    assert len(parts) == 2
    assert all(units(p) <= TELEGRAM_TEXT_LIMIT for p in parts)
    assert " ".join(parts).split() == text.split()


def test_one_endless_word_is_broken_but_nothing_is_lost() -> None:
    parts = split_text("x" * 5000)
    assert [len(p) for p in parts] == [4096, 904]


def test_emoji_count_as_two_units() -> None:
    parts = split_text("😀 " * 2000)
    assert all(units(p) <= TELEGRAM_TEXT_LIMIT for p in parts) and len(parts) == 2


@given(st.text(alphabet=st.sampled_from("ab \n😀é"), max_size=12000), st.integers(10, 300))
def test_parts_fit_and_keep_every_word(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(units(p) <= limit for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())
