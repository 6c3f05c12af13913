"""Domain errors are codes with parameters; adapters turn them into text or HTTP statuses."""

from __future__ import annotations

import enum
from typing import Any


class ErrorCode(enum.StrEnum):
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    INVITE_INVALID = "invite_invalid"
    INVITE_THROTTLED = "invite_throttled"
    UNKNOWN_TEAM = "unknown_team"
    UNSUPPORTED_LOCALE = "unsupported_locale"


class DomainError(Exception):
    def __init__(self, code: ErrorCode, **params: Any) -> None:
        super().__init__(code.value, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        if not self.params:
            return self.code.value
        detail = ", ".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.code.value} ({detail})"
