"""The one error taxonomy of LIP.

Every failure, whatever layer it comes from, is raised or streamed as a
:class:`LipError` whose ``kind`` says what went wrong. Each protocol maps the
kind to its own HTTP status and error body (``protocols/<p>/errors``).

    LipError
    ├── InvalidRequestError      bad input from the client (400)
    ├── AuthenticationError      missing or wrong credentials (401)
    ├── PermissionDeniedError    credentials valid, action not allowed (403)
    ├── NotFoundError            unknown model, route or resource (404)
    ├── RequestTooLargeError     body over the configured limit (413)
    ├── RateLimitedError         too many requests; carries Retry-After (429)
    ├── OverloadedError          upstream has no capacity (503/529)
    ├── UpstreamTimeoutError     connect, read or TTFT budget exceeded (504)
    ├── UpstreamError            upstream failed or spoke off-spec (502)
    ├── CancelledError           the client went away (499, never sent)
    └── InternalError            a bug in LIP (500)

Which failures may be retried or fail over to another backend is decided
here and nowhere else (:func:`is_retryable`, :func:`may_fail_over`).
"""

from __future__ import annotations

from typing import ClassVar

from lip.canonical.enums import ValueEnum


class ErrorKind(ValueEnum):
    """What went wrong, independent of any wire protocol."""

    INVALID_REQUEST = "invalid_request"
    AUTHENTICATION = "authentication"
    PERMISSION = "permission"
    NOT_FOUND = "not_found"
    REQUEST_TOO_LARGE = "request_too_large"
    RATE_LIMITED = "rate_limited"
    OVERLOADED = "overloaded"
    TIMEOUT = "timeout"
    UPSTREAM_ERROR = "upstream_error"
    CANCELLED = "cancelled"
    INTERNAL = "internal"


class LipError(Exception):
    """Base of the taxonomy; ``kind`` decides the status every protocol reports.

    ``message`` is safe to show to the client: callers never put upstream
    secrets in it. ``param`` names the offending request field when known,
    ``code`` is a vendor-neutral machine code (e.g. ``model_not_found``),
    ``retry_after`` carries an upstream ``Retry-After`` in seconds.
    """

    kind: ClassVar[ErrorKind] = ErrorKind.INTERNAL
    upstream_status: int | None = None
    """The HTTP status of the upstream reply this error decodes, when it is one."""

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return is_retryable(self.kind)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class InvalidRequestError(LipError):
    kind = ErrorKind.INVALID_REQUEST


class AuthenticationError(LipError):
    kind = ErrorKind.AUTHENTICATION


class PermissionDeniedError(LipError):
    kind = ErrorKind.PERMISSION


class NotFoundError(LipError):
    kind = ErrorKind.NOT_FOUND


class RequestTooLargeError(LipError):
    kind = ErrorKind.REQUEST_TOO_LARGE


class RateLimitedError(LipError):
    kind = ErrorKind.RATE_LIMITED


class OverloadedError(LipError):
    kind = ErrorKind.OVERLOADED


class UpstreamTimeoutError(LipError):
    kind = ErrorKind.TIMEOUT


class UpstreamError(LipError):
    kind = ErrorKind.UPSTREAM_ERROR


class CancelledError(LipError):
    kind = ErrorKind.CANCELLED


class InternalError(LipError):
    kind = ErrorKind.INTERNAL


# Transient on the backend that produced them: the same request may succeed later.
_RETRYABLE = frozenset(
    {ErrorKind.RATE_LIMITED, ErrorKind.OVERLOADED, ErrorKind.TIMEOUT, ErrorKind.UPSTREAM_ERROR}
)
# Failures another backend may not share: worth the next failover leg. A request
# the upstream calls invalid would be invalid everywhere, and a bug in LIP
# (internal) would repeat on every leg.
_FAILOVER = _RETRYABLE | {ErrorKind.NOT_FOUND}


def is_retryable(kind: ErrorKind) -> bool:
    """May the same request be retried on the same backend?"""
    return kind in _RETRYABLE


def may_fail_over(kind: ErrorKind) -> bool:
    """May a failure of this kind before any output move on to the next leg?"""
    return kind in _FAILOVER


_BY_KIND: dict[ErrorKind, type[LipError]] = {
    cls.kind: cls
    for cls in (
        InvalidRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        RequestTooLargeError,
        RateLimitedError,
        OverloadedError,
        UpstreamTimeoutError,
        UpstreamError,
        CancelledError,
        InternalError,
    )
}


def error_for(
    kind: ErrorKind,
    message: str,
    *,
    param: str | None = None,
    code: str | None = None,
    retry_after: float | None = None,
) -> LipError:
    """Build the taxonomy class for ``kind``."""
    return _BY_KIND[kind](message, param=param, code=code, retry_after=retry_after)


__all__ = [
    "AuthenticationError",
    "CancelledError",
    "ErrorKind",
    "InternalError",
    "InvalidRequestError",
    "LipError",
    "NotFoundError",
    "OverloadedError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RequestTooLargeError",
    "UpstreamError",
    "UpstreamTimeoutError",
    "error_for",
    "is_retryable",
    "may_fail_over",
]
