"""Signed webhooks to a team's own casemanagement system (httpx).

Body: the event as JSON. Headers: `X-WZT-Signature: sha256=<hex HMAC-SHA256 of the body with
the team's secret>`, `X-WZT-Delivery: <id>` (the same on every retry, for idempotency),
`X-WZT-Event: <event>`. A 2xx is delivered; anything else is retried by the outbox.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from wzt_bot.domain.errors import RejectedError, TryLaterError
from wzt_bot.domain.models import OutboxMessage

USER_AGENT = "wzt-bot-webhooks/1"


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class HttpxWebhookRelay:
    def __init__(self, *, timeout: float = 10.0, client: httpx.AsyncClient | None = None) -> None:
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    async def post(self, message: OutboxMessage, url: str, secret: str) -> None:
        body = json.dumps(message.payload, ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-WZT-Signature": sign(body, secret),
            "X-WZT-Delivery": str(message.payload.get("delivery") or message.id),
            "X-WZT-Event": message.kind,
        }
        if not url.startswith(("https://", "http://")):
            raise RejectedError("webhook URL must start with https:// (or http://)")
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise RejectedError(f"invalid webhook URL: {exc}") from exc
        except httpx.HTTPError as exc:
            raise TryLaterError(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise TryLaterError(f"HTTP {response.status_code}")

    async def aclose(self) -> None:
        await self._client.aclose()
