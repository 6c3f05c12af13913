"""Settings from the environment (prefix WZT_) and an optional .env file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from wzt_bot.domain.models import SUPPORTED_LOCALES

#: Secret values that are refused: examples from docs, templates and tutorials.
PLACEHOLDER_SECRETS = frozenset(
    {
        "changeme",
        "change-me",
        "change_me",
        "changethis",
        "secret",
        "placeholder",
        "your-secret-key",
        "replace-me",
        "xxx",
        "demo",
        "test",
    }
)
MIN_SECRET_LENGTH = 32
# Refused outside the demo (see Settings._secrets).
DEMO_SECRET = "wzt-demo-only-secret-key-not-for-real-participants-0000"  # noqa: S105


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WZT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    bot_token: SecretStr | None = Field(None, description="Bot token from @BotFather.")
    telegram_api_url: str = Field(
        "https://api.telegram.org", description="Bot API base URL (any compatible server)."
    )
    database_url: str = Field(
        "sqlite+aiosqlite:///./var/wzt-bot.sqlite3",
        description="SQLAlchemy async URL: postgresql+asyncpg://... or sqlite+aiosqlite:///...",
    )
    redis_url: str | None = Field(
        None, description="Redis for dialog state and shared rate limits; memory when unset."
    )
    api_host: str = "127.0.0.1"
    api_port: int = Field(8080, ge=1, le=65535)
    webhook_url: str | None = Field(None, description="Public HTTPS URL: webhook mode when set.")
    webhook_secret: SecretStr | None = None
    secret_key: SecretStr | None = Field(
        None, description="Key material for encryption at rest; required outside the demo."
    )
    previous_secret_keys: list[SecretStr] = Field(
        default_factory=list, description="Old secret keys, still used to decrypt (rotation)."
    )
    default_locale: str = "nl"
    timezone: str = "Europe/Brussels"
    demo: bool = False
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = False
    bot_username: str | None = Field(
        None, description="Bot username for invite links; asked from Telegram (getMe) if unset."
    )
    telegram_global_rate: float = Field(25.0, gt=0, description="Messages per second, all chats.")
    telegram_chat_rate: float = Field(1.0, gt=0, description="Messages per second in one chat.")
    telegram_chat_burst: int = Field(3, ge=1, description="Short burst allowed in one chat.")
    telegram_request_timeout: float = Field(
        20.0,
        ge=1,
        le=300,
        description="Seconds a Bot API call may take before it counts as failed and is retried.",
    )
    translate_url: str | None = Field(
        None, description="LibreTranslate-compatible server: machine translation when set."
    )
    translate_api_key: SecretStr | None = Field(None, description="API key for that server.")
    smtp_url: SecretStr | None = Field(
        None, description="SMTP server for complaints by e-mail: smtp://user:pass@host:587."
    )
    smtp_from: str = Field("wzt-bot@localhost", description="Sender address of those e-mails.")
    evaluation_notice_days: int = Field(
        3, ge=0, le=14, description="Days before an evaluation the participant is told (0: never)."
    )
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Larger API bodies get 413.")
    update_stale_after: float = Field(
        600,
        ge=5,
        le=86_400,
        description=(
            "Seconds after which a webhook update stored but not handled counts as left by a "
            "process that died, and is handled here. Lower it (e.g. 30) for faster recovery "
            "after a crash; keep it above the longest handling time (429 waits included)."
        ),
    )
    outbox_claim_lease: float = Field(
        30, ge=1, le=3600, description="Seconds a dead sender's claimed messages stay claimed."
    )
    outbox_sending_lease: float = Field(
        120,
        ge=5,
        le=86_400,
        description=(
            "Seconds after which a message a dead sender had on the wire is settled: a webhook "
            "is sent again (same X-WZT-Delivery id), a Telegram message becomes uncertain."
        ),
    )
    locales_dir: Path | None = Field(
        None, description="Folder with the translation catalogs; ./locales of the source tree."
    )

    @field_validator(
        "bot_token",
        "webhook_secret",
        "translate_api_key",
        "smtp_url",
        "redis_url",
        "webhook_url",
        "translate_url",
        "bot_username",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`WZT_BOT_TOKEN=` (as in .env.example) means "not set", not an empty token."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _secrets(self) -> Settings:
        if self.demo and self.secret_key is None:
            self.secret_key = SecretStr(DEMO_SECRET)
        key = self.secret_key.get_secret_value() if self.secret_key else ""
        if not key:
            raise ValueError("WZT_SECRET_KEY is required (at least 32 random characters)")
        if not self.demo and (
            key.strip().lower() in PLACEHOLDER_SECRETS
            or key == DEMO_SECRET
            or len(key) < MIN_SECRET_LENGTH
            or len(set(key)) < 8
        ):
            raise ValueError(
                "WZT_SECRET_KEY looks like a placeholder: use at least 32 random characters, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WZT_WEBHOOK_SECRET is required when WZT_WEBHOOK_URL is set")
        if self.webhook_secret is not None:
            secret = self.webhook_secret.get_secret_value()
            if len(secret) < 16 or secret.lower() in PLACEHOLDER_SECRETS:
                raise ValueError("WZT_WEBHOOK_SECRET must be at least 16 random characters")
            if len(secret) > 256 or not re.fullmatch(r"[A-Za-z0-9_-]+", secret):
                raise ValueError("WZT_WEBHOOK_SECRET: only A-Z, a-z, 0-9, _ and -, at most 256")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def secret(self) -> str:
        assert self.secret_key is not None  # guaranteed by the validator
        return self.secret_key.get_secret_value()
