"""Gemini API error bodies, as generativelanguage.googleapis.com sends them.

Every error is a ``google.rpc.Status`` in JSON, pretty-printed like the
API's::

    {"error": {"code": 429, "message": "...", "status": "RESOURCE_EXHAUSTED",
               "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo",
                            "retryDelay": "7s"}]}}

``details`` is left out when empty. :func:`scripted_error` is the one table
from a scripted HTTP status to the API's body (a 429 carries a
``QuotaFailure``, a ``Help`` link and a ``RetryInfo`` whose delay the
``Retry-After`` header repeats); :func:`invalid_key` and
:func:`missing_key` are the API's answers to a wrong or absent key;
:func:`bad_request` is the ``BadRequest`` of a body the API cannot parse;
:func:`stream_failure` is the ``error`` object a stream that already
started ends with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Literal, assert_never

from lip.canonical.json import JSONObject, JSONValue

__all__ = [
    "GoogleError",
    "bad_request",
    "corrupted_signature",
    "error_body",
    "invalid_argument",
    "invalid_key",
    "method_not_found",
    "missing_key",
    "model_not_found",
    "scripted_error",
    "stream_failure",
]

_TYPE = "type.googleapis.com/google.rpc."
_RATE_LIMITS_URL = "https://ai.google.dev/gemini-api/docs/rate-limits"
_INTERNAL = (
    "An internal error has occurred. Please retry or report in "
    "https://developers.generativeai.google/guide/troubleshooting"
)
_OVERLOADED = "The model is overloaded. Please try again later."
# HTTP status -> google.rpc.Code name and the API's message for it.
_STATUSES: dict[int, tuple[str, str]] = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: (
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
    ),
    403: ("PERMISSION_DENIED", "The caller does not have permission"),
    409: ("ABORTED", "The operation was aborted."),
    499: ("CANCELLED", "The operation was cancelled."),
    500: ("INTERNAL", _INTERNAL),
    501: ("UNIMPLEMENTED", "Method not supported."),
    503: ("UNAVAILABLE", _OVERLOADED),
    504: ("DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
}
_DEFAULT_RETRY_SECONDS = 7


class GoogleError(Exception):
    """An error response: HTTP status, the ``google.rpc.Status`` fields and
    extra headers."""

    def __init__(
        self,
        code: int,
        message: str,
        status: str,
        *,
        details: Sequence[JSONObject] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = tuple(details)
        self.headers = dict(headers or {})

    def payload(self) -> JSONObject:
        """The ``error`` object."""
        error: JSONObject = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = list(self.details)
        return error


def error_body(error: GoogleError) -> bytes:
    """The response body for ``error``."""
    text = json.dumps({"error": error.payload()}, indent=2, ensure_ascii=False)
    return f"{text}\n".encode()


def invalid_argument(message: str) -> GoogleError:
    """A 400 ``INVALID_ARGUMENT`` without details (the API's semantic checks)."""
    return GoogleError(400, message, "INVALID_ARGUMENT")


def bad_request(violations: Sequence[tuple[str | None, str]]) -> GoogleError:
    """400 for a body the API cannot parse: each violation (field path or
    None, description) is a line of the message and a ``fieldViolation``."""
    fields: list[JSONValue] = []
    for path, description in violations:
        entry: JSONObject = {"description": description}
        if path is not None:
            entry = {"field": path, **entry}
        fields.append(entry)
    return GoogleError(
        400,
        "\n".join(description for _, description in violations),
        "INVALID_ARGUMENT",
        details=[{"@type": f"{_TYPE}BadRequest", "fieldViolations": fields}],
    )


def corrupted_signature() -> GoogleError:
    """400 for a ``thoughtSignature`` the API never handed out."""
    return invalid_argument("Corrupted thought signature.")


def invalid_key() -> GoogleError:
    """400 for a key that is not the configured one (never echoed)."""
    message = "API key not valid. Please pass a valid API key."
    return GoogleError(
        400,
        message,
        "INVALID_ARGUMENT",
        details=[
            {
                "@type": f"{_TYPE}ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": {"service": "generativelanguage.googleapis.com"},
            },
            {"@type": f"{_TYPE}LocalizedMessage", "locale": "en-US", "message": message},
        ],
    )


def missing_key() -> GoogleError:
    """403 for a request without any key."""
    return GoogleError(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). "
        "Please use API Key or other form of API consumer identity to call this API.",
        "PERMISSION_DENIED",
    )


def model_not_found(model: str, version: str, method: str) -> GoogleError:
    """404 for a model the API does not serve, or that lacks ``method``."""
    return GoogleError(
        404,
        f"models/{model} is not found for API version {version}, or is not supported for "
        f"{method}. Call ListModels to see the list of available models and their supported "
        "methods.",
        "NOT_FOUND",
    )


def method_not_found() -> GoogleError:
    """404 for a path or method the API does not have."""
    return GoogleError(404, "Method not found.", "NOT_FOUND")


def scripted_error(
    status: int, *, model: str, version: str, retry_after: int | None = None
) -> GoogleError:
    """The real API's error for ``status`` (>= 400) on a request for
    ``model`` under API ``version``; a 429 says to retry after ``retry_after`` seconds (7 unless
    given) in its ``RetryInfo`` and ``Retry-After``."""
    if status == 404:
        return model_not_found(model, version, "generateContent")
    if status == 429:
        return _quota_exceeded(model, retry_after or _DEFAULT_RETRY_SECONDS)
    known = _STATUSES.get(status)
    if known is not None:
        return GoogleError(status, known[1], known[0])
    if status >= 500:
        return GoogleError(status, _INTERNAL, "UNKNOWN")
    return GoogleError(status, HTTPStatus(status).phrase, "FAILED_PRECONDITION")


def stream_failure(
    kind: Literal["rate_limited", "overloaded", "server_error"], *, model: str
) -> JSONObject:
    """The ``{"error": ...}`` object a started stream ends with (``kind`` is
    a :class:`refbackends.plan.PlanFailure` kind)."""
    match kind:
        case "server_error":
            error = GoogleError(500, _INTERNAL, "INTERNAL")
        case "rate_limited":
            error = _quota_exceeded(model, _DEFAULT_RETRY_SECONDS)
        case "overloaded":
            error = GoogleError(503, _OVERLOADED, "UNAVAILABLE")
        case _:
            assert_never(kind)
    return {"error": error.payload()}


def _quota_exceeded(model: str, seconds: int) -> GoogleError:
    metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests"
    return GoogleError(
        429,
        "You exceeded your current quota, please check your plan and billing details. For more "
        f"information on this error, head to: {_RATE_LIMITS_URL}. To monitor your current "
        "usage, head to: https://ai.dev/usage?tab=rate-limit. \n"
        f"* Quota exceeded for metric: {metric}, limit: 10, model: {model}\n"
        f"Please retry in {seconds}s.",
        "RESOURCE_EXHAUSTED",
        details=[
            {
                "@type": f"{_TYPE}QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": metric,
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                        "quotaDimensions": {"location": "global", "model": model},
                        "quotaValue": "10",
                    }
                ],
            },
            {
                "@type": f"{_TYPE}Help",
                "links": [
                    {"description": "Learn more about Gemini API quotas", "url": _RATE_LIMITS_URL}
                ],
            },
            {"@type": f"{_TYPE}RetryInfo", "retryDelay": f"{seconds}s"},
        ],
        headers={"retry-after": str(seconds)},
    )
