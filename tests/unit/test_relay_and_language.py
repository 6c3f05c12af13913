"""Signed webhooks and machine translation, against in-process HTTP servers (httpx mocks)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from wzt_bot.clients.language import LinguaLanguageTools
from wzt_bot.clients.relay import HttpxWebhookRelay, sign
from wzt_bot.domain.errors import RejectedError, TryLaterError
from wzt_bot.domain.models import OutboxChannel, OutboxMessage

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _event() -> OutboxMessage:
    delivery = uuid.uuid4()
    return OutboxMessage(
        id=delivery,
        key=f"webhook:{delivery.hex}",
        channel=OutboxChannel.WEBHOOK,
        target=str(uuid.uuid4()),
        kind="flag.created",
        payload={"event": "flag.created", "delivery": str(delivery), "data": {"kind": "crisis"}},
        created_at=NOW,
        not_before=NOW,
    )


async def test_webhook_is_signed_and_carries_its_delivery_id() -> None:
    seen: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    relay = HttpxWebhookRelay(client=httpx.AsyncClient(transport=httpx.MockTransport(receiver)))
    event = _event()
    await relay.post(event, "https://cms.example/hook", "team-secret-0123456789")
    [request] = seen
    expected = hmac.new(b"team-secret-0123456789", request.content, hashlib.sha256).hexdigest()
    assert request.headers["X-WZT-Signature"] == f"sha256={expected}"
    assert request.headers["X-WZT-Delivery"] == event.payload["delivery"]
    assert request.headers["X-WZT-Event"] == "flag.created"
    assert json.loads(request.content)["data"] == {"kind": "crisis"}
    assert sign(request.content, "other") != request.headers["X-WZT-Signature"]
    await relay.aclose()


@pytest.mark.parametrize("status", [500, 503, 404, 401])
async def test_any_failure_is_retried_later(status: int) -> None:
    relay = HttpxWebhookRelay(
        client=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(status)))
    )
    with pytest.raises(TryLaterError):
        await relay.post(_event(), "https://cms.example/hook", "s")
    await relay.aclose()


async def test_unreachable_receiver_is_retried_and_a_bad_url_is_rejected() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    relay = HttpxWebhookRelay(client=httpx.AsyncClient(transport=httpx.MockTransport(down)))
    with pytest.raises(TryLaterError):
        await relay.post(_event(), "https://cms.example/hook", "s")
    with pytest.raises(RejectedError):
        await relay.post(_event(), "ftp://cms.example/hook", "s")
    await relay.aclose()


async def test_language_is_detected_for_every_shipped_language() -> None:
    tools = LinguaLanguageTools()
    samples = {
        "nl": "Ik heb een vraag over mijn stage en de uren.",
        "en": "I have a question about my placement and the hours.",
        "fr": "J'ai une question sur mon stage et les heures.",
        "ar": "لدي سؤال عن التدريب والساعات.",
        "tr": "Stajım ve çalışma saatlerim hakkında bir sorum var.",
        "pl": "Mam pytanie o moją praktykę i godziny pracy.",
        "ro": "Am o întrebare despre stagiul meu și orele de lucru.",
        "uk": "У мене є питання про мою практику і години роботи.",
    }
    for language, text in samples.items():
        assert await tools.detect(text) == language, text
    assert await tools.detect("ok") is None  # too short to tell
    # Short chat messages too (the detector runs in lingua's low accuracy mode).
    short = {
        "nl": "Mijn bus was te laat",
        "en": "My bus was late",
        "fr": "Mon bus était en retard",
        "tr": "Otobüsüm geç kaldı",
        "pl": "Mój autobus się spóźnił",
        "ro": "Autobuzul meu a întârziat",
        "uk": "Мій автобус запізнився",
        "ar": "تأخرت الحافلة",
    }
    for language, text in short.items():
        assert await tools.detect(text) == language, text


async def test_translation_through_a_libretranslate_server() -> None:
    calls: list[dict[str, str]] = []

    def server(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(body)
        return httpx.Response(200, json={"translatedText": "Ik heb een vraag."})

    tools = LinguaLanguageTools("http://translate.local", api_key="k")
    tools._client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    assert await tools.translate("I have a question.", "en", "nl") == "Ik heb een vraag."
    assert calls == [
        {
            "q": "I have a question.",
            "source": "en",
            "target": "nl",
            "format": "text",
            "api_key": "k",
        }
    ]
    assert await tools.translate("Zelfde taal", "nl", "nl") is None
    await tools.aclose()


async def test_translation_failure_is_no_translation() -> None:
    tools = LinguaLanguageTools("http://translate.local")
    tools._client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: httpx.Response(502, text="bad gateway"))
    )
    assert await tools.translate("hello", "en", "nl") is None
    await tools.aclose()
    assert await LinguaLanguageTools(None).translate("hello", "en", "nl") is None


async def test_warm_up_loads_every_model_detect_needs() -> None:
    # A locale set of its own: a detector no other test has loaded yet.
    tools = LinguaLanguageTools(locales=("nl", "en", "fr", "de"))
    await tools.warm_up()
    started = time.perf_counter()
    assert await tools.detect("Kan ik volgende week een dag vrij nemen voor de stage?") == "nl"
    assert time.perf_counter() - started < 0.25, "models were still loading"
