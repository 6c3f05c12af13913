"""Secrets that are handed out (API tokens, invite codes) and their stored hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

INVITE_CODE_BYTES = 12  # 96 bits, 16 URL-safe characters: fits a /start deep link payload
API_TOKEN_BYTES = 32


def hash_secret(value: str) -> str:
    """SHA-256 of a high-entropy secret. Only this is stored, never the secret itself."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_invite_code() -> str:
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


def new_api_token() -> str:
    return "wzt_" + secrets.token_urlsafe(API_TOKEN_BYTES)


def same_hash(left: str, right: str) -> bool:
    return hmac.compare_digest(left, right)
