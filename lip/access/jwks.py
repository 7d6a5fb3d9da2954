"""An OIDC provider's signing keys (its JWKS): fetched, cached, refreshed.

The keys are read from ``oidc.jwks_url``, else from the ``jwks_uri`` of the
issuer's discovery document (OpenID Connect Discovery 1.0, section 4), and
kept for ``jwks_refresh`` seconds. A token naming a key id the cache does not
hold triggers a re-read at once (the provider rotated its keys), but reads
are never closer together than ``MIN_REFETCH`` seconds, so tokens with made-up
key ids cannot turn LIP into a load generator against the provider. When a
re-read fails, the keys already held stay in use. Needs ``lip[oidc]`` (PyJWT).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from jwt import PyJWK
from jwt.algorithms import AllowedPublicKeys
from jwt.exceptions import PyJWTError

from lip.config.loader import ConfigError

__all__ = [
    "FETCH_TIMEOUT",
    "MAX_DOCUMENT_BYTES",
    "MIN_REFETCH",
    "Fetch",
    "HttpFetch",
    "KeysUnavailable",
    "SigningKey",
    "SigningKeys",
    "UnknownKey",
]

_log = logging.getLogger("lip.auth")

MAX_DOCUMENT_BYTES = 1024 * 1024
"""Largest discovery document or JWKS read; a bigger one is a failed fetch."""
FETCH_TIMEOUT = 10.0
"""Seconds one fetch (connect and read) may take."""
MIN_REFETCH = 10.0
"""Fewest seconds between two fetch attempts, whatever the tokens ask for."""

Fetch = Callable[[str], Awaitable[bytes]]
"""GET a URL, return the body of a 200 reply; raise :class:`OSError` otherwise."""

# The signature algorithms each key type can verify (RFC 7518 section 3.1,
# RFC 8037 section 3.1): a token's alg must fit the key it names.
_ALGS_BY_KEY = {
    "RSA": frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}),
    "EC:P-256": frozenset({"ES256"}),
    "EC:P-384": frozenset({"ES384"}),
    "EC:P-521": frozenset({"ES512"}),
    "OKP:Ed25519": frozenset({"EdDSA"}),
}


class KeysUnavailable(Exception):
    """No signing keys could be read from the provider (and none are cached)."""


class UnknownKey(Exception):
    """The provider's keys (freshly read, or read too recently to re-read) hold no such key."""


class HttpFetch:
    """:data:`Fetch` over stdlib ``urllib`` in a worker thread: bounded size and
    time, the system's CAs or ``ca_file``'s, no proxy (as backends without one)."""

    def __init__(self, *, ca_file: str | None = None, timeout: float = FETCH_TIMEOUT) -> None:
        """Raises :class:`ConfigError` when ``ca_file`` cannot be read."""
        try:
            context = ssl.create_default_context(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"access.oidc.ca_file: cannot read {ca_file!r}: {exc}") from exc
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
        )
        self._timeout = timeout

    async def __call__(self, url: str) -> bytes:
        return await asyncio.to_thread(self._get, url)

    def _get(self, url: str) -> bytes:
        request = urllib.request.Request(
            url, headers={"accept": "application/json", "user-agent": "lip"}
        )
        try:
            with self._opener.open(request, timeout=self._timeout) as reply:
                status = reply.status
                body: bytes = reply.read(MAX_DOCUMENT_BYTES + 1)
        except (http.client.HTTPException, ValueError) as exc:
            # A malformed reply or URL: the same kind of failure as a refused connection.
            raise OSError(f"{url}: {type(exc).__name__}") from exc
        if status != 200:
            raise OSError(f"{url}: HTTP {status}")
        if len(body) > MAX_DOCUMENT_BYTES:
            raise OSError(f"{url}: reply over {MAX_DOCUMENT_BYTES} bytes")
        return body


@dataclass(frozen=True)
class SigningKey:
    """One verification key of the provider."""

    kid: str | None
    key: AllowedPublicKeys
    """The ``cryptography`` public key."""
    algorithms: frozenset[str]
    """The algorithms a token signed with it may name: the key's own ``alg``
    when the JWKS declares one, else every one its type can verify."""


def _signing_key(data: object, accepted: frozenset[str]) -> SigningKey | None:
    """A JWK usable for ``accepted`` algorithms, or ``None`` (encryption keys,
    shared-secret ``oct`` keys, unknown types and curves are all skipped)."""
    if not isinstance(data, dict) or data.get("use", "sig") != "sig":
        return None
    kty, crv, alg = data.get("kty"), data.get("crv"), data.get("alg")
    fits = _ALGS_BY_KEY.get(f"{kty}:{crv}" if crv is not None else str(kty), frozenset())
    if alg is not None:
        fits = fits & {alg} if isinstance(alg, str) else frozenset()
    if not fits & accepted:
        return None
    try:
        jwk = PyJWK(data)
    except (PyJWTError, KeyError, TypeError, ValueError):  # a malformed entry: skip it
        return None
    kid = data.get("kid")
    return SigningKey(kid if isinstance(kid, str) else None, jwk.key, fits & accepted)


def _json_object(body: bytes, what: str) -> dict[str, object]:
    try:
        value = json.loads(body)
    except ValueError:
        raise OSError(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise OSError(f"{what} is not a JSON object")
    return value


class SigningKeys:
    """The cache of one provider's keys; :meth:`get` reads them when due."""

    def __init__(
        self,
        *,
        issuer: str,
        jwks_url: str | None,
        algorithms: frozenset[str],
        refresh: float,
        fetch: Fetch,
        min_refetch: float = MIN_REFETCH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer = issuer
        self._jwks_url = jwks_url
        self._discovered: str | None = None
        self._algorithms = algorithms
        self._refresh = refresh
        self._fetch = fetch
        self._min_refetch = min_refetch
        self._clock = clock
        self._keys: dict[str | None, SigningKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        # The read under way, if any: a task, so a request that gives up waiting
        # (its client left) does not cancel the read the others wait for.
        self._reading: asyncio.Task[None] | None = None

    async def get(self, kid: str | None) -> SigningKey:
        """The key a token's header names (``kid``; none: the provider's only key).
        Raises :class:`UnknownKey`, or :class:`KeysUnavailable` when none could be read."""
        if self._reading is not None or self._due(self._refresh):
            await self._read()
        key = self._find(kid)
        if key is None and self._due(0):
            await self._read()  # the provider may have rotated its keys
            key = self._find(kid)
        if key is None:
            if not self._keys:
                raise KeysUnavailable("the provider's signing keys could not be read")
            raise UnknownKey
        return key

    def _find(self, kid: str | None) -> SigningKey | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    def _due(self, max_age: float) -> bool:
        """Whether the keys are older than ``max_age`` and a read is allowed now."""
        now = self._clock()
        if self._attempted_at is not None and now - self._attempted_at < self._min_refetch:
            return False
        return self._fetched_at is None or now - self._fetched_at >= max_age

    async def _read(self) -> None:
        """Start a read (or join the one under way) and wait for it to end."""
        if self._reading is None:
            self._attempted_at = self._clock()
            self._reading = asyncio.create_task(self._read_now())
        await asyncio.shield(self._reading)

    async def _read_now(self) -> None:
        try:
            keys = await self._fetch_keys()
        except OSError as exc:
            self._discovered = None  # discover again next time: the URI may have moved
            held = f"keeping the {len(self._keys)} held" if self._keys else "none held"
            _log.warning("cannot read the OIDC signing keys (%s): %s", held, exc)
        else:
            self._keys = keys
            self._fetched_at = self._clock()
        finally:
            self._reading = None

    async def _fetch_keys(self) -> dict[str | None, SigningKey]:
        url = self._jwks_url or self._discovered or await self._discover()
        document = _json_object(await self._fetch(url), "the JWKS")
        entries = document.get("keys")
        if not isinstance(entries, list):
            raise OSError("the JWKS has no 'keys' list")
        keys: dict[str | None, SigningKey] = {}
        for entry in entries:
            key = _signing_key(entry, self._algorithms)
            if key is not None:
                keys.setdefault(key.kid, key)
        if not keys:
            raise OSError("the JWKS holds no key for the accepted algorithms")
        return keys

    async def _discover(self) -> str:
        url = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
        document = _json_object(await self._fetch(url), "the discovery document")
        # OpenID Connect Discovery 1.0 section 4.3: the document's issuer must
        # be the one asked about, or its keys could be anyone's.
        if document.get("issuer") != self._issuer:
            raise OSError("the discovery document names another issuer")
        jwks_uri = document.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
            raise OSError("the discovery document has no http(s) jwks_uri")
        self._discovered = jwks_uri
        return jwks_uri
