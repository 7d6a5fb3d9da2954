"""Upstream key pools: several API keys per backend, rotated, cooled and disabled.

A backend configured with several keys (``api_keys``, or ``NAME``,
``NAME_2`` ... ``NAME_32`` in the environment) spreads its requests over them
round robin. What an upstream answers a key changes what the pool does with
it (:meth:`KeyPool.report`):

- ``rate_limited``: the key cools for the reply's ``Retry-After`` (30 s when
  the upstream gave none, at most an hour), then is used again;
- ``authentication`` / ``permission``: the key is disabled until the process
  restarts or the config is reloaded (one warning names the backend and the
  key's fingerprint);
- anything else says nothing about the key.

A pool of one key is today's single key: it is never taken out (there is no
other key to turn to, and taking it out would only replace the upstream's
own answer with LIP's until a restart), so its failures reach the client as
they always did.

A key is only ever shown by its fingerprint (``key-`` and the first 8 hex
digits of its SHA-256): in reprs, logs, diagnostics and request lineage.
Pools are not thread-safe: each worker has one event loop and its own pools.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import SecretStr

from lip.canonical import ErrorKind, LipError
from lip.canonical.enums import ValueEnum

log = logging.getLogger("lip.backends.keys")

_REFUSALS = frozenset((ErrorKind.AUTHENTICATION, ErrorKind.PERMISSION))

DEFAULT_COOLDOWN = 30.0
"""Seconds a rate-limited key rests when the upstream sent no ``Retry-After``."""
MAX_COOLDOWN = 3600.0
"""The longest rest a ``Retry-After`` can give a key (a bogus or hostile value
must not take a key out for days)."""


_KEY_STATUS = {401: ErrorKind.AUTHENTICATION, 403: ErrorKind.PERMISSION}


def verdict(error: LipError) -> ErrorKind:
    """What ``error`` says about the key that was sent: the codecs decode a
    refused key (401/403) as ``upstream_error`` — not the client's fault —
    while the upstream's status still says what it was."""
    if error.upstream_status is not None:
        return _KEY_STATUS.get(error.upstream_status, error.kind)
    return error.kind


def fingerprint(secret: str) -> str:
    """``key-`` and the first 8 hex digits of the secret's SHA-256: enough to tell
    an operator's keys apart, useless for recovering one."""
    return "key-" + hashlib.sha256(secret.encode()).hexdigest()[:8]


@dataclass(frozen=True, slots=True, eq=False)
class Key:
    """One upstream key. Equal keys hold the same secret; ``repr`` and ``str``
    show the fingerprint alone."""

    secret: SecretStr
    fingerprint: str = field(init=False)
    # Keys are dict keys on the request path (cached headers per key): hashed once.
    _hash: int = field(init=False)

    def __post_init__(self) -> None:
        value = self.secret.get_secret_value()
        object.__setattr__(self, "fingerprint", fingerprint(value))
        object.__setattr__(self, "_hash", hash(value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and other.secret == self.secret

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Key({self.fingerprint})"

    def __str__(self) -> str:
        return self.fingerprint


class KeyState(ValueEnum):
    """Where a key of a pool stands."""

    ACTIVE = "active"
    COOLING = "cooling"
    """Rate limited: unused until its ``Retry-After`` has passed."""
    DISABLED = "disabled"
    """Refused by the upstream: unused until restart or reload."""


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyStatus:
    """One key of a pool, for diagnostics (never the secret)."""

    fingerprint: str
    state: KeyState
    cooling_for: float
    """Seconds until a cooling key is used again; 0 otherwise."""
    uses: int
    """Times :meth:`KeyPool.acquire` handed the key out."""


class KeyPool:
    """A backend's keys, handed out round robin while they are usable.

    ``clock`` gives monotonic seconds (a fake one in tests). Duplicate keys
    are one key. Raises ``ValueError`` for an empty pool.
    """

    def __init__(
        self,
        keys: Iterable[SecretStr | Key],
        *,
        backend_id: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        unique = dict.fromkeys(k if isinstance(k, Key) else Key(k) for k in keys)
        if not unique:
            raise ValueError("a key pool needs at least one key")
        self.backend_id = backend_id
        self._keys = tuple(unique)
        self._index = {key: i for i, key in enumerate(self._keys)}
        self._clock = clock
        count = len(self._keys)
        self._until = [0.0] * count  # monotonic end of a key's cooling; 0: not cooling
        self._disabled = [False] * count
        self._uses = [0] * count
        self._next = 0
        self._warned_alone = False  # a lone key's refusal is said once, not per request

    @property
    def keys(self) -> tuple[Key, ...]:
        """Every key of the pool, in configured order, whatever its state."""
        return self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeyPool({self.backend_id!r}, {', '.join(k.fingerprint for k in self._keys)})"

    def acquire(self) -> Key | None:
        """The next usable key, round robin; ``None`` when every key is cooling
        or disabled (:meth:`retry_after` says for how long)."""
        count = len(self._keys)
        now: float | None = None  # read the clock only when a key is cooling
        for step in range(count):
            i = (self._next + step) % count
            if self._disabled[i]:
                continue
            until = self._until[i]
            if until:
                if now is None:
                    now = self._clock()
                if until > now:
                    continue
                self._until[i] = 0.0
            self._next = (i + 1) % count
            self._uses[i] += 1
            return self._keys[i]
        return None

    def retry_after(self) -> float | None:
        """Seconds until a key is usable again: 0 when one is now, ``None`` when
        every key is disabled (none will be until a restart or reload)."""
        now = self._clock()
        waits = [
            max(self._until[i] - now, 0.0) for i in range(len(self._keys)) if not self._disabled[i]
        ]
        return min(waits) if waits else None

    def report(self, key: Key, kind: ErrorKind, retry_after: float | None = None) -> None:
        """What the upstream answered a request sent with ``key``: a rate limit
        cools it, a refusal of the key disables it, any other kind is ignored
        (as is a key from another pool)."""
        i = self._index.get(key)
        if i is None or self._disabled[i]:
            return
        alone = len(self._keys) == 1
        if kind is ErrorKind.RATE_LIMITED and not alone:
            rest = DEFAULT_COOLDOWN if retry_after is None else retry_after
            rest = min(max(rest, 0.0), MAX_COOLDOWN)
            now = self._clock()
            if self._until[i] <= now:  # said when it starts resting, not per reply
                log.info(
                    "backend %r: key %s is rate limited; resting it for %.0f s",
                    self.backend_id,
                    key.fingerprint,
                    rest,
                )
            self._until[i] = max(self._until[i], now + rest)
        elif kind in _REFUSALS:
            if alone:
                if self._warned_alone:
                    return
                self._warned_alone = True
            else:
                self._disabled[i] = True
            log.warning(
                "backend %r: the upstream refused key %s (%s); %s",
                self.backend_id,
                key.fingerprint,
                kind.value,
                "it is the backend's only key, so it stays in use"
                if alone
                else "it is not used again until restart or reload",
            )

    def status(self) -> tuple[KeyStatus, ...]:
        """Every key's state, in configured order."""
        now = self._clock()
        out = []
        for i, key in enumerate(self._keys):
            left = max(self._until[i] - now, 0.0)
            if self._disabled[i]:
                state = KeyState.DISABLED
            elif left > 0:
                state = KeyState.COOLING
            else:
                state = KeyState.ACTIVE
            out.append(
                KeyStatus(
                    fingerprint=key.fingerprint,
                    state=state,
                    cooling_for=left if state is KeyState.COOLING else 0.0,
                    uses=self._uses[i],
                )
            )
        return tuple(out)


__all__ = [
    "DEFAULT_COOLDOWN",
    "MAX_COOLDOWN",
    "Key",
    "KeyPool",
    "KeyState",
    "KeyStatus",
    "fingerprint",
    "verdict",
]
