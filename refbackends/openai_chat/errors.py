"""OpenAI error bodies, as the real API sends them.

Every error is ``{"error": {"message", "type", "param", "code"}}``,
pretty-printed with 2-space indentation like the API's. :func:`scripted_error`
is the one table from a scripted HTTP status to the body the real API returns
for it; :func:`auth_error` covers missing and wrong keys (never echoing the
key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Literal, assert_never

__all__ = [
    "OpenAIError",
    "auth_error",
    "error_body",
    "mask_api_key",
    "scripted_error",
    "stream_error_payload",
]

_KEYS_URL = "https://platform.openai.com/account/api-keys"


class OpenAIError(Exception):
    """An error response: HTTP status, the four body fields, extra headers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def payload(self) -> dict[str, object]:
        """The ``error`` object."""
        return {"message": self.message, "type": self.type, "param": self.param, "code": self.code}


def error_body(error: OpenAIError) -> bytes:
    """The response body for ``error``."""
    return json.dumps({"error": error.payload()}, indent=2, ensure_ascii=False).encode("utf-8")


def stream_error_payload(
    kind: Literal["rate_limited", "overloaded", "server_error"] = "server_error",
) -> dict[str, object]:
    """The ``data:`` payload the API sends when a stream fails after it
    started (the SDKs raise ``APIError`` on a frame with an ``error`` key).
    ``kind`` is a :class:`refbackends.plan.PlanFailure` kind."""
    match kind:
        case "server_error":
            error = _server_error()
        case "rate_limited":
            error = OpenAIError(
                429,
                "Rate limit reached for requests",
                type="requests",
                code="rate_limit_exceeded",
            )
        case "overloaded":
            error = OpenAIError(
                503, "The server is overloaded", type="server_error", code="server_overloaded"
            )
        case _:
            assert_never(kind)
    return {"error": error.payload()}


def mask_api_key(key: str) -> str:
    """How the API shows a wrong key (``sk-proj-*****...MxYA``): first 8 and
    last 4 characters, stars in between; keys shorter than 16 characters are
    all stars, so a key is never echoed whole."""
    if len(key) < 16:
        return "*" * len(key)
    return f"{key[:8]}{'*' * (len(key) - 12)}{key[-4:]}"


def auth_error(provided: str | None) -> OpenAIError:
    """401 for a missing (``None``) or wrong key."""
    if not provided:
        return OpenAIError(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization header "
            "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank "
            "username) if you're accessing the API from your browser and are prompted for a username. "
            f"You can obtain an API key from {_KEYS_URL}.",
        )
    return OpenAIError(
        401,
        f"Incorrect API key provided: {mask_api_key(provided)}. You can find your API key at {_KEYS_URL}.",
        code="invalid_api_key",
    )


def scripted_error(status: int, *, model: str, api_key: str | None) -> OpenAIError:
    """The real API's error for ``status`` (>= 400) on a request for ``model``."""
    match status:
        case 400:
            return OpenAIError(
                400,
                "This model's maximum context length is 128000 tokens. However, your messages resulted in "
                "130000 tokens. Please reduce the length of the messages.",
                param="messages",
                code="context_length_exceeded",
            )
        case 401:
            return auth_error(api_key or "sk-emulator-scripted-key")
        case 403:
            return OpenAIError(
                403,
                "Country, region, or territory not supported",
                type="request_forbidden",
                code="unsupported_country_region_territory",
            )
        case 404:
            return OpenAIError(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        case 429:
            return OpenAIError(
                429,
                f"Rate limit reached for {model} in organization org-emulator on requests per min (RPM): "
                "Limit 500, Used 500, Requested 1. Please try again in 120ms. "
                "Visit https://platform.openai.com/account/rate-limits to learn more.",
                type="requests",
                code="rate_limit_exceeded",
                headers={
                    "x-ratelimit-limit-requests": "500",
                    "x-ratelimit-remaining-requests": "0",
                    "x-ratelimit-reset-requests": "120ms",
                },
            )
        case 500:
            return _server_error()
        case 502:
            return OpenAIError(502, "Bad gateway.", type="cf_bad_gateway", code=502)
        case 503:
            return OpenAIError(
                503, "The server is overloaded or not ready yet.", type="server_error"
            )
        case 504:
            return OpenAIError(504, "Gateway timeout.", type="cf_gateway_timeout", code=504)
        case _:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = "Error"
            kind = "server_error" if status >= 500 else "invalid_request_error"
            return OpenAIError(status, f"{phrase}.", type=kind)


def _server_error() -> OpenAIError:
    return OpenAIError(
        500,
        "The server had an error while processing your request. Sorry about that!",
        type="server_error",
    )
