"""Reading the client's credential from whichever auth form its protocol uses.

The forms, in this order (the order is only used to name them in errors):

- ``Authorization: Bearer <t>``: OpenAI SDKs, Anthropic SDKs given an auth
  token, any OIDC client (RFC 6750 section 2.1);
- ``x-api-key: <t>``: Anthropic SDKs;
- ``x-goog-api-key: <t>``: Gemini SDKs;
- ``?key=<t>``: Gemini REST clients.

The rule when several are present: they must all carry the same value (an
SDK or a proxy in front of LIP may repeat one key in two forms). Two
different values are refused with a 401, "conflicting client credentials":
LIP never guesses which identity the caller meant. An empty value counts as
absent. An ``Authorization`` header with another scheme (``Basic``, ...) is a
401 too, whatever else the request carries. No message ever repeats a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lip.canonical.errors import AuthenticationError

__all__ = ["MAX_CREDENTIAL", "Credential", "read_credential"]

MAX_CREDENTIAL = 16 * 1024
"""Longest credential read, in characters (a large OIDC token fits easily)."""

_BEARER = re.compile(r"^[Bb][Ee][Aa][Rr][Ee][Rr](?:[ \t]+(.*))?$", re.DOTALL)


class Credential:
    """The secret a client presented, and the form it came in (for messages).
    Its repr never shows the secret. (A plain class: one is read per request,
    and a frozen dataclass takes twice as long to make.)"""

    __slots__ = ("secret", "source")

    def __init__(self, secret: str, source: str) -> None:
        self.secret = secret
        self.source = source
        """``authorization``, ``x-api-key``, ``x-goog-api-key`` or ``query key``."""

    def __repr__(self) -> str:
        return f"Credential(source={self.source!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Credential):
            return NotImplemented
        return (self.secret, self.source) == (other.secret, other.source)

    __hash__ = None  # type: ignore[assignment]


def read_credential(headers: Mapping[str, str], query: Mapping[str, str]) -> Credential | None:
    """The request's client credential, or ``None`` when it carries none.

    ``headers`` is looked up by lower-case name (Starlette's ``Headers`` is
    case-insensitive anyway). Raises :class:`AuthenticationError` for a
    non-Bearer ``Authorization``, for conflicting values, or for a credential
    over :data:`MAX_CREDENTIAL` characters.
    """
    token = _bearer_token(headers.get("authorization", "").strip())
    if "x-api-key" not in headers and "x-goog-api-key" not in headers and "key" not in query:
        # Authorization alone (the common case): nothing to compare.
        return _checked(Credential(token, "authorization")) if token else None
    found: list[Credential] = []
    if token:
        found.append(Credential(token, "authorization"))
    for name in ("x-api-key", "x-goog-api-key"):
        if value := headers.get(name, "").strip():
            found.append(Credential(value, name))
    if value := query.get("key", "").strip():
        found.append(Credential(value, "query key"))
    if not found:
        return None
    first = found[0]
    if any(other.secret != first.secret for other in found[1:]):
        sources = ", ".join(c.source for c in found)
        raise AuthenticationError(
            f"conflicting client credentials: {sources} carry different values; send one",
            code="conflicting_credentials",
        )
    return _checked(first)


def _bearer_token(authorization: str) -> str:
    """The token of ``Authorization: Bearer <token>`` ("" for none); any
    other scheme is a 401."""
    if not authorization:
        return ""
    if authorization.startswith(("Bearer ", "bearer ")):  # the usual form
        return authorization[7:].strip()
    bearer = _BEARER.match(authorization)
    if bearer is None:
        raise AuthenticationError(
            "the Authorization header must be 'Bearer <client key>'",
            code="invalid_authorization",
        )
    return (bearer.group(1) or "").strip()


def _checked(credential: Credential) -> Credential:
    if len(credential.secret) > MAX_CREDENTIAL:
        raise AuthenticationError(
            f"the client credential is over {MAX_CREDENTIAL} characters",
            code="invalid_api_key",
        )
    return credential
