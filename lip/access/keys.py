"""Client keys: hashing, minting, and the ring that verifies a presented key.

LIP never stores a client key, only ``sha256:<hex>`` of it. A presented key
is hashed and looked up by digest: what a timing difference could reveal is
then about the digest, never about a stored key (SHA-256 is one-way), and the
final comparison is :func:`hmac.compare_digest` all the same. Client keys are
random (``lip keys new``: 256 bits), so an unsalted fast hash is enough: there
is no dictionary to search.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable, Mapping

from lip.canonical.errors import AuthenticationError
from lip.config.access import AccessConfig, ClientKeyConfig
from lip.config.loader import ConfigError, load_client_keys

__all__ = ["INVALID_KEY", "KeyRing", "hash_key", "new_key"]

_log = logging.getLogger("lip.auth")

INVALID_KEY = "invalid or revoked client key"
"""The one message for an unknown or revoked key: it never confirms that a key exists."""


def hash_key(secret: str) -> str:
    """``sha256:<64 hex digits>`` of a client key, as ``access.keys[].hash`` holds it."""
    return "sha256:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_key(prefix: str = "lip-") -> str:
    """A fresh random client key: ``prefix`` and 43 URL-safe characters (256 bits)."""
    return prefix + secrets.token_urlsafe(32)


class KeyRing:
    """The configured client keys, by digest. Built once at startup."""

    def __init__(self, keys: Iterable[ClientKeyConfig]) -> None:
        """Raises :class:`ConfigError` for two entries with one id or one key."""
        # digest -> (the digest as stored, the entry): the stored copy is what
        # the final constant-time comparison reads.
        self._by_digest: dict[str, tuple[str, ClientKeyConfig]] = {}
        self._plain: list[str] = []
        by_id: set[str] = set()
        for entry in keys:
            if entry.id in by_id:
                raise ConfigError(f"access: duplicate client key id {entry.id!r}")
            by_id.add(entry.id)
            if entry.key is not None:
                self._plain.append(entry.key.get_secret_value())
                digest = hash_key(entry.key.get_secret_value())
            else:
                assert entry.hash is not None  # ClientKeyConfig holds exactly one
                digest = entry.hash
            if (twin := self._by_digest.get(digest)) is not None:
                raise ConfigError(
                    f"access: client keys {twin[1].id!r} and {entry.id!r} are the same key"
                )
            self._by_digest[digest] = (digest, entry)

    @classmethod
    def from_config(cls, config: AccessConfig, *, env: Mapping[str, str] | None = None) -> KeyRing:
        """``access.keys`` followed by the entries of ``access.keys_file`` (read now)."""
        from_file = () if config.keys_file is None else load_client_keys(config.keys_file, env=env)
        return cls((*config.keys, *from_file))

    def __len__(self) -> int:
        return len(self._by_digest)

    def verify(self, secret: str) -> ClientKeyConfig:
        """The entry of a presented key; :class:`AuthenticationError` (401) when
        it is unknown or revoked, with one message for both (:data:`INVALID_KEY`)."""
        digest = hash_key(secret)
        stored, entry = self._by_digest.get(digest, ("", None))
        if entry is None or not hmac.compare_digest(stored, digest):
            raise AuthenticationError(INVALID_KEY, code="invalid_api_key")
        if entry.revoked:
            _log.info("refused revoked client key %r", entry.id)
            raise AuthenticationError(INVALID_KEY, code="invalid_api_key")
        return entry

    def plain_keys(self) -> tuple[str, ...]:
        """The keys given in plain (``key:``), for log and error scrubbing."""
        return tuple(self._plain)
