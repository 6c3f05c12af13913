"""Parsing of Bot API request parameters (query string, JSON, urlencoded, multipart)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["ApiError", "Params", "UploadedFile", "parse_body", "parse_multipart"]


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def _header_param(header_value: str, param: str) -> str | None:
    msg = Message()
    msg["content-disposition"] = header_value
    value = msg.get_param(param, header="content-disposition")
    if value is None or isinstance(value, str):
        return value
    # RFC 2231 encoded tuple (charset, language, value)
    return str(value[2])


def parse_multipart(
    body: bytes, content_type: str
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    """Parse a ``multipart/form-data`` body into text fields and uploaded files."""
    msg = Message()
    msg["content-type"] = content_type
    boundary = msg.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise bad_request("invalid multipart/form-data: no boundary")
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    chunks = (b"\r\n" + body).split(delimiter)
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        # skip transport padding and the CRLF that ends the delimiter line
        head_end = chunk.find(b"\r\n")
        if head_end < 0:
            continue
        part = chunk[head_end + 2 :]
        sep = part.find(b"\r\n\r\n")
        if sep < 0:
            raw_headers, content = part, b""
        else:
            raw_headers, content = part[:sep], part[sep + 4 :]
        headers: dict[str, str] = {}
        for line in raw_headers.decode("utf-8", "replace").split("\r\n"):
            if ":" in line:
                key, _, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = _header_param(disposition, "name")
        if not name:
            continue
        filename = _header_param(disposition, "filename")
        if filename is not None:
            files[name] = UploadedFile(
                field=name,
                filename=filename,
                content_type=headers.get("content-type", "application/octet-stream"),
                data=content,
            )
        else:
            fields[name] = content.decode("utf-8", "replace")
    return fields, files


def parse_body(
    body: bytes, content_type: str, query: list[tuple[str, str]]
) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Merge query string parameters with the body (JSON, urlencoded or multipart)."""
    values: dict[str, Any] = dict(query)
    files: dict[str, UploadedFile] = {}
    ctype = content_type.split(";", 1)[0].strip().lower()
    if not body.strip():
        return values, files
    if ctype == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError as exc:
            raise bad_request("can't parse JSON encoded request") from exc
        if not isinstance(decoded, dict):
            raise bad_request("can't parse JSON encoded request")
        values.update(decoded)
    elif ctype == "multipart/form-data":
        fields, files = parse_multipart(body, content_type)
        values.update(fields)
    else:
        values.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return values, files


class Params:
    """Typed access to request parameters as Telegram coerces them."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        return value is not None and value != ""

    def str_or_none(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        return json.dumps(value)

    def int_or_none(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise bad_request(f"wrong parameter {name} in request")

    def float_or_none(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise bad_request(f"wrong parameter {name} in request")

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value != 0
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes", "on")
        return bool(value)

    def json_or_none(self, name: str, error: str | None = None) -> Any:
        """A JSON-serialized parameter: accepts an already decoded value or a JSON string."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(error or f"can't parse {name} JSON object") from exc
        return value

    def loggable(self) -> dict[str, Any]:
        """Parameters for the request log: JSON strings decoded, files summarized."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, str) and value[:1] in ("{", "["):
                try:
                    out[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            out[key] = value
        for key, upload in self.files.items():
            out[key] = {"filename": upload.filename, "size": upload.size}
        return out
