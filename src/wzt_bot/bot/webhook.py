"""The webhook endpoint Telegram posts to. Mounted on the API app by the composition root."""

from __future__ import annotations

import hmac
import json

import structlog
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from wzt_bot.bot.pipeline import UpdatePipeline

log = structlog.get_logger(__name__)
MAX_UPDATE_BYTES = 1_000_000
WEBHOOK_PATH = "/telegram/webhook"


def build_webhook_router(pipeline: UpdatePipeline, secret: str) -> APIRouter:
    router = APIRouter()

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook.bad_secret", client=request.client.host if request.client else "")
            return JSONResponse({"detail": "wrong or missing secret token"}, status_code=401)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return JSONResponse({"detail": "update too large"}, status_code=413)
        try:
            update = json.loads(body)
        except ValueError:
            return JSONResponse({"detail": "body is not JSON"}, status_code=400)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return JSONResponse({"detail": "not a Telegram update"}, status_code=400)
        # 200 only after the update is committed; a repeat is acknowledged, not handled again.
        await pipeline.accept(update)
        return Response(status_code=200)

    return router
