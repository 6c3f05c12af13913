"""Bearer tokens of staff members, checked against their stored hashes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from wzt_bot.api.context import ApiContext
from wzt_bot.domain.models import Staff
from wzt_bot.domain.services.admin import authenticate

_bearer = HTTPBearer(auto_error=False, description="API token from `wzt-bot staff create`")


def api_context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.ctx
    return ctx


Ctx = Annotated[ApiContext, Depends(api_context)]


async def current_staff(
    ctx: Ctx,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Staff:
    unauthorized = HTTPException(
        status_code=401,
        detail="missing or invalid API token",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized
    token = credentials.credentials.strip()
    if not token or len(token) > 200:
        raise unauthorized
    async with ctx.uow_factory() as uow:
        staff = await authenticate(uow, token)
    if staff is None:
        raise unauthorized
    return staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]
