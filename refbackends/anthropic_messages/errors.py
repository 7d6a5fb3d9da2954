"""Anthropic error bodies, as the real API sends them.

Every error is ``{"type": "error", "error": {"type", "message"},
"request_id": "req_..."}`` (compact JSON, https://docs.anthropic.com/en/api/errors);
in a stream the same object, without ``request_id``, is an ``event: error``.
:func:`scripted_error` is the one table from a scripted HTTP status to the
body the API returns for it; :func:`auth_error` covers missing and wrong
keys (never echoing the key).

Status and type pairs (the API's): 400 ``invalid_request_error``, 401
``authentication_error``, 402 ``billing_error``, 403 ``permission_error``,
404 ``not_found_error``, 413 ``request_too_large``, 429
``rate_limit_error``, 500 ``api_error``, 504 ``timeout_error``, 529
``overloaded_error``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Literal, assert_never

__all__ = [
    "AnthropicError",
    "auth_error",
    "error_body",
    "invalid_request",
    "scripted_error",
    "stream_error_payload",
]

_RATE_LIMITED = (
    "Number of request tokens has exceeded your per-minute rate limit "
    "(https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. "
    "Please reduce the prompt length or the maximum tokens requested, or try again later. You may "
    "also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a "
    "rate limit increase."
)


class AnthropicError(Exception):
    """An error response: HTTP status, the error ``type`` and ``message``,
    extra headers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.headers = dict(headers or {})

    def payload(self) -> dict[str, object]:
        """The inner ``error`` object."""
        return {"type": self.type, "message": self.message}


def invalid_request(message: str) -> AnthropicError:
    """A 400 ``invalid_request_error``."""
    return AnthropicError(400, message)


def error_body(error: AnthropicError, request_id: str) -> bytes:
    """The response body for ``error``."""
    body = {"type": "error", "error": error.payload(), "request_id": request_id}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stream_error_payload(
    kind: Literal["rate_limited", "overloaded", "server_error"] = "overloaded",
) -> dict[str, object]:
    """The ``data:`` of an ``event: error`` sent after a stream started
    (``kind`` is a :class:`refbackends.plan.PlanFailure` kind)."""
    match kind:
        case "overloaded":
            error = _overloaded()
        case "rate_limited":
            error = AnthropicError(429, _RATE_LIMITED, type="rate_limit_error")
        case "server_error":
            error = _api_error()
        case _:
            assert_never(kind)
    return {"type": "error", "error": error.payload()}


def auth_error(provided: str | None) -> AnthropicError:
    """401 for a missing (``None``) or wrong key."""
    if not provided:
        return AnthropicError(401, "x-api-key header is required", type="authentication_error")
    return AnthropicError(401, "invalid x-api-key", type="authentication_error")


def scripted_error(status: int, *, model: str) -> AnthropicError:
    """The real API's error for ``status`` (>= 400) on a request for ``model``."""
    match status:
        case 400:
            return invalid_request("prompt is too long: 200001 tokens > 200000 maximum")
        case 401:
            return auth_error("sk-ant-emulator-scripted")
        case 402:
            return AnthropicError(
                402,
                "Your credit balance is too low to access the Anthropic API. Please go to "
                "Plans & Billing to upgrade or purchase credits.",
                type="billing_error",
            )
        case 403:
            return AnthropicError(
                403,
                "Your API key does not have permission to use the specified resource.",
                type="permission_error",
            )
        case 404:
            return AnthropicError(404, f"model: {model}", type="not_found_error")
        case 413:
            return AnthropicError(
                413,
                "Request exceeds the maximum allowed number of bytes.",
                type="request_too_large",
            )
        case 429:
            return AnthropicError(
                429,
                _RATE_LIMITED,
                type="rate_limit_error",
                headers={
                    "retry-after": "1",
                    "anthropic-ratelimit-requests-remaining": "0",
                    "anthropic-ratelimit-requests-reset": "2023-11-14T22:14:20Z",
                },
            )
        case 500:
            return _api_error()
        case 504:
            return AnthropicError(504, "Request timed out", type="timeout_error")
        case 529:
            return _overloaded()
        case _:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "Error"
            kind = "api_error" if status >= 500 else "invalid_request_error"
            return AnthropicError(status, phrase, type=kind)


def _api_error() -> AnthropicError:
    return AnthropicError(500, "Internal server error", type="api_error")


def _overloaded() -> AnthropicError:
    return AnthropicError(529, "Overloaded", type="overloaded_error")
