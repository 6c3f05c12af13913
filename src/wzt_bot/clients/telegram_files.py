"""Downloads of files participants sent (voice notes, photos), straight from the Bot API."""

from __future__ import annotations

import httpx

from wzt_bot.domain.errors import DomainError, ErrorCode

#: The Bot API serves downloads up to 20 MB.
MAX_BYTES = 20 * 1024 * 1024
_TYPES = {"oga": "audio/ogg", "ogg": "audio/ogg", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


class HttpxTelegramFiles:
    def __init__(self, api_url: str, token: str, *, timeout: float = 20.0) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._client = httpx.AsyncClient(timeout=timeout)

    async def fetch(self, file_id: str) -> tuple[bytes, str]:
        try:
            info = await self._client.get(
                f"{self.api_url}/bot{self._token}/getFile", params={"file_id": file_id}
            )
            body = info.json()
            if not info.is_success or not body.get("ok"):
                raise DomainError(ErrorCode.NOT_FOUND, entity="file")
            path = str(body["result"]["file_path"])
            download = await self._client.get(f"{self.api_url}/file/bot{self._token}/{path}")
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise DomainError(ErrorCode.NOT_FOUND, entity="file") from exc
        if not download.is_success or len(download.content) > MAX_BYTES:
            raise DomainError(ErrorCode.NOT_FOUND, entity="file")
        media_type = _TYPES.get(path.rsplit(".", 1)[-1].lower()) or download.headers.get(
            "content-type", "application/octet-stream"
        )
        return download.content, media_type

    async def aclose(self) -> None:
        await self._client.aclose()
