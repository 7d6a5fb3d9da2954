"""OpenAI error bodies <-> the canonical taxonomy, both directions.

Body shape: ``{"error": {"message", "type", "param", "code"}}``
(https://platform.openai.com/docs/guides/error-codes). 5xx replies never
carry upstream text; 4xx upstream messages are passed on because they are
about the client's own request.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails, to_json

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
from lip_wire.openai.error import ErrorResponse

# kind -> (HTTP status, OpenAI error type)
STATUS: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.INVALID_REQUEST: (400, "invalid_request_error"),
    ErrorKind.AUTHENTICATION: (401, "invalid_request_error"),
    ErrorKind.PERMISSION: (403, "invalid_request_error"),
    ErrorKind.NOT_FOUND: (404, "invalid_request_error"),
    ErrorKind.REQUEST_TOO_LARGE: (413, "invalid_request_error"),
    ErrorKind.RATE_LIMITED: (429, "requests"),
    ErrorKind.OVERLOADED: (503, "server_error"),
    ErrorKind.TIMEOUT: (504, "server_error"),
    ErrorKind.UPSTREAM_ERROR: (502, "server_error"),
    ErrorKind.CANCELLED: (499, "server_error"),
    ErrorKind.INTERNAL: (500, "server_error"),
}
assert set(STATUS) == set(ErrorKind)

_DEFAULT_CODE: dict[ErrorKind, str] = {
    ErrorKind.AUTHENTICATION: "invalid_api_key",
    ErrorKind.RATE_LIMITED: "rate_limit_exceeded",
    ErrorKind.REQUEST_TOO_LARGE: "request_too_large",
    ErrorKind.OVERLOADED: "overloaded",
    ErrorKind.TIMEOUT: "timeout",
    ErrorKind.UPSTREAM_ERROR: "upstream_error",
}


def error_body(error: LipError) -> bytes:
    """The ``{"error": {...}}`` JSON for ``error``."""
    _, kind_type = STATUS[error.kind]
    body = {
        "error": {
            "message": error.message,
            "type": kind_type,
            "param": error.param,
            "code": error.code or _DEFAULT_CODE.get(error.kind),
        }
    }
    wire_checks.check(ErrorResponse, body, "error body")
    return to_json(body)


def encode_error(error: LipError) -> WireReply:
    status, _ = STATUS[error.kind]
    return error_reply(status, error_body(error), error)


def decode_error(status: int, body: bytes, retry_after: float | None) -> LipError:
    """An upstream's HTTP error reply as the most specific taxonomy error."""
    message, code, param = _upstream_fields(body)
    if status == 401:
        # The upstream refused the gateway's own credentials: an operator
        # problem, not the client's, and the body may name a (masked) key.
        return UpstreamError("the upstream rejected the gateway's credentials")
    if status in (400, 422):
        return InvalidRequestError(
            message or "the upstream rejected the request", param=param, code=code
        )
    if status == 403:
        return PermissionDeniedError(message or "the upstream refused the request", code=code)
    if status == 404:
        return NotFoundError(
            message or "the upstream could not find the model", param=param, code=code
        )
    if status == 413:
        return RequestTooLargeError(message or "the request is too large for the upstream")
    if status == 429:
        return RateLimitedError(
            message or "the upstream is rate limiting requests",
            code=code or "rate_limit_exceeded",
            retry_after=retry_after,
        )
    if status in (408, 504):
        return UpstreamTimeoutError("the upstream timed out")
    if status in (503, 529):
        return OverloadedError("the upstream is overloaded", retry_after=retry_after)
    return UpstreamError(f"the upstream failed with status {status}")


# An in-stream error names what happened in ``type`` or ``code``; OpenAI and
# compatible servers (vLLM, LiteLLM, OpenRouter) use these spellings.
_STREAM_KINDS: dict[str, ErrorKind] = {
    "rate_limit_exceeded": ErrorKind.RATE_LIMITED,
    "rate_limit_error": ErrorKind.RATE_LIMITED,
    "requests": ErrorKind.RATE_LIMITED,
    "tokens": ErrorKind.RATE_LIMITED,
    "insufficient_quota": ErrorKind.RATE_LIMITED,
    "overloaded": ErrorKind.OVERLOADED,
    "overloaded_error": ErrorKind.OVERLOADED,
    "server_overloaded": ErrorKind.OVERLOADED,
    "timeout": ErrorKind.TIMEOUT,
}
_STREAM_MESSAGES: dict[ErrorKind, str] = {
    ErrorKind.RATE_LIMITED: "the upstream is rate limiting requests",
    ErrorKind.OVERLOADED: "the upstream is overloaded",
    ErrorKind.TIMEOUT: "the upstream timed out",
    ErrorKind.UPSTREAM_ERROR: "the upstream failed mid-stream",
}
_STREAM_STATUS: dict[int, ErrorKind] = {
    429: ErrorKind.RATE_LIMITED,
    503: ErrorKind.OVERLOADED,
    529: ErrorKind.OVERLOADED,
    408: ErrorKind.TIMEOUT,
    504: ErrorKind.TIMEOUT,
}


def decode_stream_error(data: str) -> ErrorEvent | None:
    """An SSE frame holding ``{"error": {...}}`` as a terminal event; ``None``
    when the frame is not an error body. Upstream text is never echoed (it
    may name internals); the kind decides the client-facing message."""
    try:
        fields = ErrorResponse.model_validate_json(data).error
        names = [fields.type, fields.code]
        status = None
    except ValidationError:
        # Compatible servers deviate from OpenAI's types (vLLM: an integer code).
        try:
            raw = json.loads(data)
        except ValueError:
            return None
        error = raw.get("error") if isinstance(raw, dict) else None
        if not isinstance(error, dict):
            return None
        names = [v for v in (error.get("type"), error.get("code")) if isinstance(v, str)]
        code = error.get("code")
        status = code if isinstance(code, int) else None
    kind = next(
        (_STREAM_KINDS[n.lower()] for n in names if n and n.lower() in _STREAM_KINDS),
        _STREAM_STATUS.get(status or 0, ErrorKind.UPSTREAM_ERROR),
    )
    code_name = "rate_limit_exceeded" if kind is ErrorKind.RATE_LIMITED else None
    return ErrorEvent(kind=kind, message=_STREAM_MESSAGES[kind], code=code_name)


def _upstream_fields(body: bytes) -> tuple[str | None, str | None, str | None]:
    try:
        parsed = ErrorResponse.model_validate_json(body)
    except ValidationError:
        return None, None, None
    err = parsed.error
    code = err.code if isinstance(err.code, str) else None
    param = err.param if isinstance(err.param, str) else None
    return err.message or None, code, param


def invalid_body(exc: ValidationError, body: bytes) -> InvalidRequestError:
    """OpenAI-style message for the first validation problem of a request body."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    if first["type"] == "json_invalid":
        return InvalidRequestError(
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
            "but what was sent was not valid JSON.)",
            code="invalid_json",
        )
    if not first["loc"]:
        return InvalidRequestError("The request body must be a JSON object.", code="invalid_type")
    try:
        raw: object = json.loads(body)
    except ValueError:
        raw = None
    param = _param(first["loc"], raw)
    if first["type"] == "missing":
        return InvalidRequestError(
            f"Missing required parameter: '{param}'.",
            param=param,
            code="missing_required_parameter",
        )
    detail = _detail(first)
    return InvalidRequestError(
        f"Invalid value for '{param}': {detail}", param=param, code="invalid_value"
    )


def _detail(error: ErrorDetails) -> str:
    message = error["msg"].rstrip(".")
    return f"{message[:1].lower()}{message[1:]}."


def _param(loc: Sequence[int | str], raw: object) -> str:
    """``messages[0].content`` from a pydantic location, skipping union tag names.

    Pydantic inserts the union member (a tag like ``user`` or a class name) into
    locations; a string that is not a key of the input object at that point is
    such a marker.
    """
    out = ""
    node = raw
    last = len(loc) - 1
    for position, item in enumerate(loc):
        if isinstance(item, int):
            out += f"[{item}]"
            node = node[item] if isinstance(node, list) and item < len(node) else None
        elif isinstance(node, dict) and item not in node and position != last:
            continue  # a union member marker, not a field
        else:
            out += f".{item}" if out else item
            node = node.get(item) if isinstance(node, dict) else None
    return out


__all__ = [
    "STATUS",
    "decode_error",
    "decode_stream_error",
    "encode_error",
    "error_body",
    "invalid_body",
]
