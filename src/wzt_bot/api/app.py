"""The FastAPI application for casemanagers, operators and (in webhook mode) Telegram."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wzt_bot.api.context import ApiContext
from wzt_bot.api.routes import complaints, flags, participants, plan, reports, rights, teams
from wzt_bot.api.schemas import Health, Ready
from wzt_bot.domain.errors import DomainError, ErrorCode
from wzt_bot.domain.services import complaints as complaints_svc

log = structlog.get_logger(__name__)

STATUS_FOR = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.INVALID: 422,
    ErrorCode.CONFLICT: 409,
    ErrorCode.UNKNOWN_TEAM: 422,
    ErrorCode.UNSUPPORTED_LOCALE: 422,
}


class BodySizeLimit:
    """413 for bodies over the limit, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_large = JSONResponse({"detail": f"body larger than {self.max_bytes} bytes"}, 413)
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await too_large(scope, receive, send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLargeError
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLargeError:
            await too_large(scope, receive, send)


class _TooLargeError(Exception):
    pass


class DatabaseUnavailable:
    """503 with a reason and Retry-After (not a 500, and no traceback) while the database
    cannot be reached: a restart, a failover, a lost connection. Other errors pass on."""

    RETRY_AFTER = "5"

    def __init__(self, app: ASGIApp, classify: Callable[[BaseException], str | None]) -> None:
        self.app, self.classify = app, classify

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            reason = self.classify(exc)
            if reason is None or started:
                raise
            log.warning(
                "api.database_unavailable",
                path=scope.get("path", ""),
                reason=reason,
                error=f"{type(exc).__name__}: {exc}"[:300],
            )
            response = JSONResponse(
                {"detail": f"service temporarily unavailable: {reason}"},
                status_code=503,
                headers={"Retry-After": self.RETRY_AFTER},
            )
            await response(scope, receive, send)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(part) for part in error.get("loc", ()) if part != "body"),
            "reason": error.get("msg", "invalid"),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]


def create_app(ctx: ApiContext, extra_routers: Iterable[APIRouter] = ()) -> FastAPI:
    app = FastAPI(
        title="wzt-bot API",
        version="1.0",
        description=(
            "Backend of wzt-bot for casemanagement teams. Every read or change of participant "
            "data is written to the audit log. Authenticate with `Authorization: Bearer <token>`."
        ),
    )
    app.state.ctx = ctx
    app.add_middleware(BodySizeLimit, max_bytes=ctx.max_body_bytes)
    if ctx.database_unavailable is not None:
        app.add_middleware(DatabaseUnavailable, classify=ctx.database_unavailable)

    @app.exception_handler(DomainError)
    async def on_domain_error(request: Request, exc: DomainError) -> JSONResponse:
        status = STATUS_FOR.get(exc.code, 400)
        detail: Any = str(exc)
        if status == 422 and isinstance(exc.params.get("errors"), list):
            detail = exc.params["errors"]  # every problem, field by field
        elif status == 422:
            detail = [{"field": exc.params.get("field", ""), "reason": str(exc)}]
        if status == 404:
            detail = "not found"
        return JSONResponse({"detail": detail}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _field_errors(exc)}, status_code=422)

    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz() -> Health:
        """The process is up."""
        return Health(status="ok")

    @app.get(
        "/readyz",
        response_model=Ready,
        tags=["operations"],
        responses={503: {"model": Health}},
    )
    async def readyz() -> Response:
        """The database answers. `details`: warnings for the operator (a network whose
        complaints reach no handler), which do not make the service unready."""
        try:
            await ctx.ping_database()
        except Exception as exc:
            log.warning("readyz.database_unavailable", error=str(exc))
            return JSONResponse({"status": "database unavailable"}, status_code=503)
        try:
            async with ctx.uow_factory() as uow:
                details = await complaints_svc.unreachable_handlers(
                    uow, email_works=ctx.complaint_email
                )
        except Exception as exc:
            log.warning("readyz.complaints_check_failed", error=type(exc).__name__)
            details = ["complaints: the check of the complaints handlers failed"]
        return JSONResponse({"status": "ok", "details": details})

    @app.get("/metrics", tags=["operations"], response_class=Response)
    async def metrics() -> Response:
        """Prometheus metrics."""
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(participants.router)
    app.include_router(flags.router)
    app.include_router(teams.router)
    app.include_router(plan.router)
    app.include_router(complaints.router)
    app.include_router(reports.router)
    app.include_router(rights.router)
    for router in extra_routers:
        app.include_router(router)
    return app
