"""Where a request goes (an origin, through a proxy or not) and its head, encoded once.

An :class:`Endpoint` is a URL and its headers turned into request-head bytes
when the endpoint is made; sending a request then only appends the
``Content-Length`` and the body (and any per-request headers).
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from lip.backends.h1.proxy import Proxy

if TYPE_CHECKING:
    from lip.backends.h1.pool import Pool

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_UNSAFE_VALUE = re.compile(r"[\r\n\0]")
# RFC 3986 section 3.3: what a path and query may hold as they are ("%" too: a
# path the codec already percent-encoded is sent unchanged).
_PATH_SAFE = "/%:@!$&'()*+,;=?~"
_FRAMING = frozenset(("content-length", "transfer-encoding"))


@dataclass(frozen=True, slots=True)
class Origin:
    """Scheme, host and port, with the TLS context and proxy used to reach them:
    connections are pooled per origin."""

    scheme: str
    host: str
    port: int
    tls: ssl.SSLContext | None = None
    proxy: Proxy | None = None

    @property
    def authority(self) -> str:
        """``host[:port]`` as the ``Host`` header and ``CONNECT`` name it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def split_url(url: str) -> tuple[str, str, int, str]:
    """``(scheme, host, port, target)`` of an ``http(s)://`` URL; the target is
    the path and query, percent-encoded where needed. Raises ``ValueError``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an http:// or https:// URL with a host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    return parts.scheme, parts.hostname, port, quote(target, safe=_PATH_SAFE)


def encode_headers(headers: Mapping[str, str]) -> str:
    """``name: value`` lines; a name that is not a token or a value holding CR,
    LF or NUL is a ``ValueError`` (it would split the head: header injection)."""
    lines = []
    for name, value in headers.items():
        if not _TOKEN.fullmatch(name) or _UNSAFE_VALUE.search(value):
            raise ValueError(f"header {name!r} cannot be sent: a bad name or a line break")
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines)


class Endpoint:
    """One URL with its headers, ready to send requests to (:meth:`Client.post`)."""

    __slots__ = ("_head", "_headers", "_prefix", "pool")

    def __init__(self, pool: Pool, target: str, headers: Mapping[str, str]) -> None:
        self.pool = pool
        origin = pool.origin
        # The body's framing is this client's to state, never a configured header's.
        lowered = {k.lower(): v for k, v in headers.items() if k.lower() not in _FRAMING}
        if origin.proxy is not None and origin.scheme == "http":
            # Absolute form, to a forward proxy (RFC 9112 section 3.2.2); its
            # credentials go to the proxy alone (a CONNECT tunnel carries them
            # in the CONNECT request instead).
            target = f"http://{origin.authority}{target}"
            if origin.proxy.authorization is not None:
                lowered["proxy-authorization"] = origin.proxy.authorization
        prefix = f"POST {target} HTTP/1.1\r\n"
        if "host" not in lowered:
            prefix += f"host: {origin.authority}\r\n"
        self._prefix = prefix
        self._headers = lowered
        self._head = (prefix + encode_headers(lowered)).encode()

    def request(
        self, body: bytes, extra: Mapping[str, str] | None = None, traceparent: str | None = None
    ) -> bytes:
        """The whole request: head, ``extra`` headers (replacing same-named ones),
        a W3C ``traceparent`` (as LIP makes them: hex digits and dashes; anything
        but ASCII letters, digits and dashes is refused), body."""
        head = self._head
        if traceparent is not None:
            value = traceparent.encode()
            # bytes.isalnum is ASCII letters and digits only (a non-ASCII
            # character's UTF-8 bytes are neither): cheaper than str's test.
            if not value.replace(b"-", b"").isalnum():
                raise ValueError("a traceparent holds ASCII letters, digits and dashes only")
            if extra:
                extra = {k: v for k, v in extra.items() if k.lower() != "traceparent"}
            head += b"traceparent: " + value + b"\r\n"
        if extra:
            lowered = {k.lower(): v for k, v in extra.items() if k.lower() not in _FRAMING}
            if lowered.keys().isdisjoint(self._headers):
                head += encode_headers(lowered).encode()
            else:
                head = (self._prefix + encode_headers({**self._headers, **lowered})).encode()
        return b"%scontent-length: %d\r\n\r\n%s" % (head, len(body), body)


__all__ = ["Endpoint", "Origin", "encode_headers", "split_url"]
