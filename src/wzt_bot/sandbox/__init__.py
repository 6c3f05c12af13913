"""Local sandbox: a fake Telegram Bot API server, its control client and a phone page."""

from wzt_bot.sandbox.client import SandboxClient, SandboxClientError, format_transcript
from wzt_bot.sandbox.fake_telegram import FakeTelegram, SandboxError

__all__ = [
    "FakeTelegram",
    "SandboxClient",
    "SandboxClientError",
    "SandboxError",
    "format_transcript",
]
