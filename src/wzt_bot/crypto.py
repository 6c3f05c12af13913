"""Encryption at rest for participants' own words (AES-256-GCM, keys derived from WZT_SECRET_KEY).

Each ciphertext carries the id of the key that sealed it, so keys can rotate: the current key
encrypts, the current and any previous keys decrypt.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"wzt-bot/at-rest/v1"
_NONCE = 12


class UnknownKeyError(Exception):
    """A ciphertext was sealed with a key this process does not have."""


def _derive(secret: str) -> tuple[str, bytes]:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"wzt-bot", info=_INFO).derive(
        secret.encode("utf-8")
    )
    key_id = hashlib.sha256(b"key-id:" + key).hexdigest()[:12]
    return key_id, key


class Keyring:
    def __init__(self, current_secret: str, previous_secrets: Iterable[str] = ()) -> None:
        self.current_key_id, current = _derive(current_secret)
        self._keys: dict[str, AESGCM] = {self.current_key_id: AESGCM(current)}
        for secret in previous_secrets:
            key_id, key = _derive(secret)
            self._keys.setdefault(key_id, AESGCM(key))

    def encrypt(self, plaintext: str, *, context: bytes = b"") -> tuple[bytes, str]:
        nonce = os.urandom(_NONCE)
        sealed = self._keys[self.current_key_id].encrypt(nonce, plaintext.encode("utf-8"), context)
        return nonce + sealed, self.current_key_id

    def decrypt(self, ciphertext: bytes, key_id: str, *, context: bytes = b"") -> str:
        aead = self._keys.get(key_id)
        if aead is None:
            raise UnknownKeyError(key_id)
        return aead.decrypt(ciphertext[:_NONCE], ciphertext[_NONCE:], context).decode("utf-8")
