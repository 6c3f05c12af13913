"""Pure logic: locale choice, secrets, encryption, bidi isolation, settings, rate limits."""

from __future__ import annotations

import asyncio
import time

import pytest
from pydantic import ValidationError

from wzt_bot.bot.pipeline import chat_key
from wzt_bot.clients.ratelimit import MemoryRateLimiter
from wzt_bot.config import Settings
from wzt_bot.crypto import Keyring, UnknownKeyError
from wzt_bot.domain.models import Invite
from wzt_bot.domain.security import hash_secret, new_api_token, new_invite_code
from wzt_bot.domain.services.onboarding import pick_locale
from wzt_bot.i18n import LRI, PDI, I18n, isolate_numbers

GOOD_KEY = "Zq3-vN8_pW2rT6yU1iO5aS9dF4gH7jK0lX"


def test_locale_choice_then_telegram_then_default() -> None:
    assert pick_locale("ar", "en", "nl") == "ar"
    assert pick_locale(None, "en-GB", "nl") == "en"
    assert pick_locale(None, "de", "nl") == "nl"
    assert pick_locale("xx", None, "fr") == "fr"
    assert pick_locale(None, None, "zz") == "nl"


def test_invite_codes_are_unguessable_and_fit_a_deep_link() -> None:
    codes = {new_invite_code() for _ in range(1000)}
    assert len(codes) == 1000
    for code in codes:
        assert 16 <= len(code) <= 64
        assert all(c.isalnum() or c in "-_" for c in code)
    assert hash_secret("abc") != "abc" and len(hash_secret("abc")) == 64
    assert new_api_token().startswith("wzt_")


def test_invite_usable_window(frozen_now: object = None) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    invite = Invite(
        id=__import__("uuid").uuid4(),
        participant_id=__import__("uuid").uuid4(),
        code_hash="h",
        created_at=now,
        expires_at=now + timedelta(days=14),
    )
    assert invite.usable_at(now + timedelta(days=13, hours=23))
    assert not invite.usable_at(now + timedelta(days=14))
    invite.revoked_at = now
    assert not invite.usable_at(now)


def test_keyring_roundtrip_and_rotation() -> None:
    old = Keyring("o" * 20 + "ld-secret-abcdefghijklmnop")
    sealed, old_id = old.encrypt("Ik voel me niet goed", context=b"x")
    assert b"voel" not in sealed
    rotated = Keyring(
        "n" * 20 + "ew-secret-abcdefghijklmnop", ["o" * 20 + "ld-secret-abcdefghijklmnop"]
    )
    assert rotated.current_key_id != old_id
    assert rotated.decrypt(sealed, old_id, context=b"x") == "Ik voel me niet goed"
    new_sealed, new_id = rotated.encrypt("nieuw")
    assert new_id == rotated.current_key_id
    with pytest.raises(UnknownKeyError):
        old.decrypt(new_sealed, new_id)
    with pytest.raises(Exception):  # noqa: B017 - wrong context must not decrypt
        rotated.decrypt(sealed, old_id, context=b"other")


def test_numbers_are_isolated_for_rtl() -> None:
    text = isolate_numbers("اتصل بـ 112 أو 0800 240 50")
    assert f"{LRI}112{PDI}" in text
    assert f"{LRI}0800 240 50{PDI}" in text


@pytest.mark.parametrize(
    ("written", "isolated"),
    [
        # Whole runs: a phone number, a time, a date, a time span, a code, a number glued to
        # an Arabic prefix.
        ("اتصل بـ 112 أو 0800 240 50", f"اتصل بـ {LRI}112{PDI} أو {LRI}0800 240 50{PDI}"),
        ("قبل الساعة 20:00", f"قبل الساعة {LRI}20:00{PDI}"),
        ("في 07/12/2026 الساعة 9:30", f"في {LRI}07/12/2026{PDI} الساعة {LRI}9:30{PDI}"),
        ("من 09:00-17:00", f"من {LRI}09:00-17:00{PDI}"),
        ("الرمز 4821 اليوم", f"الرمز {LRI}4821{PDI} اليوم"),
        ("بـ1813", f"بـ{LRI}1813{PDI}"),
        ("+32 2 553 11 11", f"{LRI}+32 2 553 11 11{PDI}"),
        ("اتصل بالرقم 106.", f"اتصل بالرقم {LRI}106{PDI}."),
        # Never inside a link, a domain name, an e-mail address or a word.
        ("على zelfmoord1813.be", "على zelfmoord1813.be"),
        ("على 1712.be.", "على 1712.be."),
        ("https://www.vdab.be/klachten?id=123", "https://www.vdab.be/klachten?id=123"),
        ("www.1712.be/chat", "www.1712.be/chat"),
        ("info2@team3.be", "info2@team3.be"),
        ("P-1A2B3C", "P-1A2B3C"),
        ("de 4de week", "de 4de week"),
    ],
)
def test_isolate_whole_runs_never_links_or_words(written: str, isolated: str) -> None:
    assert isolate_numbers(written) == isolated
    assert isolate_numbers(isolated) == isolated  # idempotent: no marks inside marks


def test_arabic_translator_keeps_links_and_times_whole() -> None:
    t = I18n().get("ar")
    text = t("Chatten kan ook op {web}.", web="zelfmoord1813.be")
    assert "zelfmoord1813.be" in text and LRI not in text
    hours = t("op werkdagen van {start} tot {end}", start="9:00", end="17:00")
    assert f"{LRI}9:00{PDI}" in hours and f"{LRI}17:00{PDI}" in hours
    # Nested translations (a translated part inside a translated sentence) isolate once.
    line = t("In gevaar? Bel meteen {phone}, {hours}.", phone="112", hours=hours)
    assert f"{LRI}{LRI}" not in line and line.count(LRI) == 3 == line.count(PDI)


def test_settings_refuse_placeholder_secrets() -> None:
    for bad in ("changeme", "secret", "short", "a" * 40):
        with pytest.raises(ValidationError):
            Settings(secret_key=bad, _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]
    ok = Settings(secret_key=GOOD_KEY, _env_file=None)  # type: ignore[call-arg]
    assert ok.default_locale == "nl" and ok.timezone == "Europe/Brussels"
    assert Settings(demo=True, _env_file=None).secret()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Settings(
            secret_key=GOOD_KEY,
            webhook_url="https://example.org/hook",
            _env_file=None,  # type: ignore[call-arg]
        )
    with pytest.raises(ValidationError):
        Settings(secret_key=GOOD_KEY, timezone="Mars/Olympus", _env_file=None)  # type: ignore[call-arg]


def test_chat_key_finds_the_chat() -> None:
    assert chat_key({"update_id": 1, "message": {"chat": {"id": 42}}}) == 42
    assert (
        chat_key(
            {"update_id": 1, "callback_query": {"from": {"id": 7}, "message": {"chat": {"id": 9}}}}
        )
        == 9
    )
    assert chat_key({"update_id": 1, "callback_query": {"from": {"id": 7}}}) == 7
    assert chat_key({"update_id": 1}) == 0


async def test_memory_rate_limiter_keeps_per_chat_rate() -> None:
    limiter = MemoryRateLimiter(global_rate=1000, chat_rate=10, chat_burst=2)
    started = time.monotonic()
    for _ in range(6):
        await limiter.acquire(1)
    elapsed = time.monotonic() - started
    # 2 in the burst, then 4 more at 10/s: at least ~0.4 s
    assert elapsed >= 0.35
    started = time.monotonic()
    await asyncio.gather(*(limiter.acquire(chat) for chat in range(100, 150)))
    assert time.monotonic() - started < 0.5  # other chats are not held up


def test_logging_lines_for_the_operator(capsys: pytest.CaptureFixture[str]) -> None:
    import json as jsonlib

    import structlog

    from wzt_bot.logging_setup import configure_logging

    configure_logging("INFO", json=True)
    structlog.get_logger("t").info("redis.unavailable", error="refused")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert jsonlib.loads(line)["event"] == "redis.unavailable"
    configure_logging("WARNING")
    structlog.reset_defaults()
