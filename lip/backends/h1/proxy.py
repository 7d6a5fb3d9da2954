"""An HTTP forward proxy: where it is, its credentials, and which one the environment names.

Plain ``http://`` targets go through the proxy in absolute form (RFC 9112
section 3.2.2); ``https://`` targets through a ``CONNECT`` tunnel (RFC 9110
section 9.3.6) with TLS to the upstream inside it, so the proxy never sees
the request. Credentials in the proxy URL become ``Proxy-Authorization``
(Basic), sent to the proxy only, and never appear in a repr or a message.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True, slots=True)
class Proxy:
    """An ``http://`` forward proxy."""

    host: str
    port: int
    authorization: str | None = field(default=None, repr=False)
    """The ``Proxy-Authorization`` value, from the URL's user and password."""

    @classmethod
    def from_url(cls, url: str) -> Proxy:
        """Parse ``http://[user:password@]host[:port]``; the message of the
        ``ValueError`` never repeats the URL (it may hold a password)."""
        try:
            parts = urlsplit(url)
            port = parts.port or 80
        except ValueError:
            raise ValueError("the proxy URL is not a valid URL") from None
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError("the proxy URL must be http://host[:port]")
        authorization = None
        if parts.username is not None:
            user = unquote(parts.username)
            password = unquote(parts.password or "")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            authorization = f"Basic {token}"
        return cls(parts.hostname, port, authorization)


def proxy_from_env(url: str, env: Mapping[str, str]) -> str | None:
    """The proxy URL the environment names for ``url`` (``https_proxy`` /
    ``HTTPS_PROXY`` or ``http_proxy`` / ``HTTP_PROXY`` by its scheme, the
    lowercase name first, as curl and requests read them), or ``None`` when
    none is set or ``no_proxy`` / ``NO_PROXY`` exempts its host."""
    parts = urlsplit(url)
    scheme = parts.scheme
    proxy = env.get(f"{scheme}_proxy") or env.get(f"{scheme.upper()}_PROXY")
    if not proxy:
        return None
    exempt = env.get("no_proxy") or env.get("NO_PROXY") or ""
    if _exempt(parts.hostname or "", parts.port or (443 if scheme == "https" else 80), exempt):
        return None
    return proxy


def _exempt(host: str, port: int, no_proxy: str) -> bool:
    """Whether ``no_proxy`` (comma-separated: ``*``, hosts, ``.domain`` suffixes,
    IP addresses or networks, each with an optional ``:port``) covers ``host``."""
    host = host.lower().strip("[]")
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if _has_port(entry) else (entry, "", "")
        if entry_port and entry_port != str(port):
            continue
        name = name.strip("[]")
        if _same_address(host, name):
            return True
        suffix = name.lstrip(".")
        if suffix and (host == suffix or host.endswith("." + suffix)):
            return True
    return False


def _has_port(entry: str) -> bool:
    head, sep, tail = entry.rpartition(":")
    return bool(sep) and tail.isdigit() and (":" not in head or head.endswith("]"))


def _same_address(host: str, name: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
        return address in ipaddress.ip_network(name, strict=False)
    except ValueError:
        return False


__all__ = ["Proxy", "proxy_from_env"]
