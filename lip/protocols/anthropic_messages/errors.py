"""Anthropic error bodies <-> the canonical taxonomy, both directions.

Body shape: ``{"type": "error", "error": {"type", "message"}, "request_id"}``
(https://docs.anthropic.com/en/api/errors); in a stream the same object is
an ``event: error``. 5xx replies never carry upstream text; 4xx upstream
messages are passed on because they are about the client's own request.
"""

from __future__ import annotations

import json

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
from lip.protocols.base import WireReply, error_reply
from lip_wire.anthropic.error_response import ErrorResponse

# kind -> (HTTP status, Anthropic error type)
STATUS: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.INVALID_REQUEST: (400, "invalid_request_error"),
    ErrorKind.AUTHENTICATION: (401, "authentication_error"),
    ErrorKind.PERMISSION: (403, "permission_error"),
    ErrorKind.NOT_FOUND: (404, "not_found_error"),
    ErrorKind.REQUEST_TOO_LARGE: (413, "request_too_large"),
    ErrorKind.RATE_LIMITED: (429, "rate_limit_error"),
    ErrorKind.OVERLOADED: (529, "overloaded_error"),
    ErrorKind.TIMEOUT: (504, "timeout_error"),
    ErrorKind.UPSTREAM_ERROR: (502, "api_error"),
    ErrorKind.CANCELLED: (499, "api_error"),
    ErrorKind.INTERNAL: (500, "api_error"),
}
assert set(STATUS) == set(ErrorKind)


def error_json(error: LipError | ErrorEvent, request_id: str | None = None) -> dict[str, object]:
    _, kind_type = STATUS[error.kind]
    body: dict[str, object] = {
        "type": "error",
        "error": {"type": kind_type, "message": error.message},
    }
    if request_id is not None:
        body["request_id"] = request_id
    return body


def encode_error(error: LipError) -> WireReply:
    status, _ = STATUS[error.kind]
    return error_reply(status, to_json(error_json(error)), error)


def invalid_body(exc: ValidationError) -> InvalidRequestError:
    """The first validation problem, worded the way the API words it (``field: message``)."""
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    if first["type"] == "json_invalid":
        return InvalidRequestError("There was an error parsing the body of your request.")
    if first["type"] == "missing":
        return InvalidRequestError(f"{where}: Field required", param=where or None)
    return InvalidRequestError(f"{where}: {first['msg']}", param=where or None)


_BY_TYPE: dict[str, type[LipError]] = {
    "invalid_request_error": InvalidRequestError,
    "authentication_error": UpstreamError,  # the gateway's credentials, not the client's
    "billing_error": UpstreamError,
    "permission_error": PermissionDeniedError,
    "not_found_error": NotFoundError,
    "request_too_large": RequestTooLargeError,
    "rate_limit_error": RateLimitedError,
    "timeout_error": UpstreamTimeoutError,
    "api_error": UpstreamError,
    "overloaded_error": OverloadedError,
}
_BY_STATUS: dict[int, type[LipError]] = {
    400: InvalidRequestError,
    401: UpstreamError,
    403: PermissionDeniedError,
    404: NotFoundError,
    413: RequestTooLargeError,
    429: RateLimitedError,
    504: UpstreamTimeoutError,
    529: OverloadedError,
    503: OverloadedError,
}
_CLIENT_VISIBLE = (InvalidRequestError, PermissionDeniedError, NotFoundError, RequestTooLargeError)
"""Errors about the client's own request: the upstream's message is passed on."""


def _fields(body: bytes) -> tuple[str | None, str | None]:
    try:
        parsed = ErrorResponse.model_validate_json(body)
    except ValidationError:
        return None, None
    return parsed.error.type, parsed.error.message


def decode_error(status: int, body: bytes, retry_after: float | None) -> LipError:
    """An upstream's HTTP error reply as the most specific taxonomy error."""
    kind_type, message = _fields(body)
    cls = _BY_STATUS.get(status) or (_BY_TYPE.get(kind_type or "") if kind_type else None)
    if cls is None:
        cls = UpstreamError
    if status == 401 or kind_type == "authentication_error":
        return UpstreamError("the upstream rejected the gateway's credentials")
    if cls in _CLIENT_VISIBLE:
        return cls(message or f"the upstream refused the request ({status})")
    if cls is RateLimitedError:
        return RateLimitedError(
            message or "the upstream is rate limiting requests", retry_after=retry_after
        )
    if cls is OverloadedError:
        return OverloadedError("the upstream is overloaded", retry_after=retry_after)
    if cls is UpstreamTimeoutError:
        return UpstreamTimeoutError("the upstream timed out")
    return UpstreamError(f"the upstream failed ({status})")


def decode_stream_error(data: str) -> ErrorEvent | None:
    """An in-stream ``error`` event as a terminal canonical error, else ``None``."""
    try:
        raw = json.loads(data)
    except ValueError:
        return None
    if not isinstance(raw, dict) or raw.get("type") != "error":
        return None
    inner = raw.get("error")
    kind_type = inner.get("type") if isinstance(inner, dict) else None
    message = inner.get("message") if isinstance(inner, dict) else None
    cls = _BY_TYPE.get(kind_type or "", UpstreamError)
    if cls in _CLIENT_VISIBLE or cls is RateLimitedError:
        text = message if isinstance(message, str) and message else "the upstream failed"
    else:
        text = {
            OverloadedError: "the upstream is overloaded",
            UpstreamTimeoutError: "the upstream timed out",
        }.get(cls, "the upstream failed mid-stream")
    return ErrorEvent(kind=cls.kind, message=text)


__all__ = [
    "STATUS",
    "decode_error",
    "decode_stream_error",
    "encode_error",
    "error_json",
    "invalid_body",
]
