"""Google API error bodies <-> the canonical taxonomy, both directions.

Body shape: ``{"error": {"code": 400, "message", "status": "INVALID_ARGUMENT",
"details": [...]}}`` (https://ai.google.dev/gemini-api/docs/troubleshooting).
A rate limit carries a ``google.rpc.RetryInfo`` detail (``retryDelay: "7s"``)
besides ``Retry-After``. 5xx bodies never carry upstream text.
"""

from __future__ import annotations

import json
import re

from pydantic import ValidationError
from pydantic_core import to_json

from lip.canonical import (
    ErrorEvent,
    ErrorKind,
    InvalidRequestError,
    LipError,
    NotFoundError,
    OverloadedError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTooLargeError,
    UpstreamError,
    UpstreamTimeoutError,
)
from lip.protocols import wire_checks
from lip.protocols.base import WireReply, error_reply
from lip_wire.gemini.error_response import ErrorResponse

__all__ = ["STATUS", "decode_error", "encode_error", "error_json", "invalid_body", "stream_error"]

# kind -> (HTTP status, Google status)
STATUS: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.INVALID_REQUEST: (400, "INVALID_ARGUMENT"),
    ErrorKind.AUTHENTICATION: (401, "UNAUTHENTICATED"),
    ErrorKind.PERMISSION: (403, "PERMISSION_DENIED"),
    ErrorKind.NOT_FOUND: (404, "NOT_FOUND"),
    ErrorKind.REQUEST_TOO_LARGE: (413, "INVALID_ARGUMENT"),
    ErrorKind.RATE_LIMITED: (429, "RESOURCE_EXHAUSTED"),
    ErrorKind.OVERLOADED: (503, "UNAVAILABLE"),
    ErrorKind.TIMEOUT: (504, "DEADLINE_EXCEEDED"),
    ErrorKind.UPSTREAM_ERROR: (502, "UNAVAILABLE"),
    ErrorKind.CANCELLED: (499, "CANCELLED"),
    ErrorKind.INTERNAL: (500, "INTERNAL"),
}
assert set(STATUS) == set(ErrorKind)
_RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def error_json(
    kind: ErrorKind, message: str, retry_after: float | None = None
) -> dict[str, object]:
    status, name = STATUS[kind]
    error: dict[str, object] = {"code": status, "message": message, "status": name}
    if retry_after is not None:
        error["details"] = [
            {"@type": _RETRY_INFO, "retryDelay": f"{max(int(retry_after + 0.999), 0)}s"}
        ]
    return {"error": error}


def encode_error(error: LipError) -> WireReply:
    status, _ = STATUS[error.kind]
    body = error_json(error.kind, error.message, error.retry_after)
    wire_checks.check(ErrorResponse, body, "error body")
    return error_reply(status, to_json(body), error)


def stream_error(event: ErrorEvent) -> dict[str, object]:
    return error_json(event.kind, event.message, event.retry_after)


def invalid_body(exc: ValidationError) -> InvalidRequestError:
    """The first validation problem, worded like the API's payload errors."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("function-"))
    if first["type"] == "json_invalid":
        return InvalidRequestError("Invalid JSON payload received. " + first["msg"])
    return InvalidRequestError(
        f"Invalid JSON payload received. Invalid value at '{where}': {first['msg']}",
        param=where or None,
    )


def _fields(body: bytes) -> tuple[str | None, str | None, float | None]:
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return None, None, None
    if not isinstance(error, dict):
        return None, None, None
    delay = None
    for detail in error.get("details") or ():
        if isinstance(detail, dict) and detail.get("@type") == _RETRY_INFO:
            found = re.fullmatch(r"(\d+(?:\.\d+)?)s", str(detail.get("retryDelay", "")))
            delay = float(found[1]) if found else None
    message = error.get("message")
    status = error.get("status")
    return (
        message if isinstance(message, str) else None,
        status if isinstance(status, str) else None,
        delay,
    )


def decode_error(status: int, body: bytes, retry_after: float | None) -> LipError:
    """An upstream's HTTP error reply as the most specific taxonomy error."""
    message, _, delay = _fields(body)
    if status in (401,) or (status in (400, 403) and message and "API key" in message):
        return UpstreamError("the upstream rejected the gateway's credentials")
    if status == 400:
        return InvalidRequestError(message or "the upstream rejected the request")
    if status == 403:
        return PermissionDeniedError(message or "the upstream refused the request")
    if status == 404:
        return NotFoundError(message or "the upstream could not find the model")
    if status == 413:
        return RequestTooLargeError(message or "the request is too large for the upstream")
    if status == 429:
        return RateLimitedError(
            message or "the upstream is rate limiting requests",
            code="rate_limit_exceeded",
            retry_after=retry_after if retry_after is not None else delay,
        )
    if status in (408, 504):
        return UpstreamTimeoutError("the upstream timed out")
    if status == 503:
        return OverloadedError("the upstream is overloaded", retry_after=retry_after)
    return UpstreamError(f"the upstream failed with status {status}")


def decode_stream_error(error: object) -> ErrorEvent:
    """An ``{"error": {...}}`` object inside a stream as a terminal event."""
    fields = error if isinstance(error, dict) else {}
    status = fields.get("code")
    kind = {
        429: ErrorKind.RATE_LIMITED,
        503: ErrorKind.OVERLOADED,
        504: ErrorKind.TIMEOUT,
    }.get(status if isinstance(status, int) else 0, ErrorKind.UPSTREAM_ERROR)
    messages = {
        ErrorKind.RATE_LIMITED: "the upstream is rate limiting requests",
        ErrorKind.OVERLOADED: "the upstream is overloaded",
        ErrorKind.TIMEOUT: "the upstream timed out",
    }
    return ErrorEvent(kind=kind, message=messages.get(kind, "the upstream failed mid-stream"))
