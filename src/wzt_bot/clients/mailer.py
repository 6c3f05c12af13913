"""SMTP e-mail to a network's complaints handler (aiosmtplib). Configured by WZT_SMTP_URL:
smtp://user:password@host:587 (STARTTLS when the server offers it), smtps://… for TLS
from the start, smtp://host:25 without login."""

from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib
import structlog

from wzt_bot.domain.errors import RejectedError, TryLaterError

log = structlog.get_logger(__name__)


class SmtpMailer:
    def __init__(self, url: str, sender: str, *, timeout: float = 20.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("WZT_SMTP_URL must look like smtp://user:pass@host:587")
        self.hostname = parts.hostname
        self.use_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.use_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.hostname,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                start_tls=None if not self.use_tls else False,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise RejectedError(f"recipient refused: {exc}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("smtp.failed", error=str(exc), host=self.hostname)
            raise TryLaterError(str(exc) or "smtp failed") from exc
