"""Typed configuration, validated once at startup.

Every field is documented in README.md ("Configuration reference").
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator


class _Strict(BaseModel):
    # Unknown keys are errors: a typo in a config file must not be ignored.
    # A ValidationError's text never quotes the input: a config holds API keys
    # and secrets, and an object-level error's input is the whole object.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class TimeoutConfig(_Strict):
    connect: Annotated[float, Field(gt=0)] = 10.0
    read: Annotated[float, Field(gt=0)] = 300.0
    """Longest silence between two upstream reads, in seconds."""
    pool: Annotated[float, Field(gt=0)] = 10.0
    """Longest wait for one of the backend's connections when all are busy;
    then the request is ``overloaded`` (503), never a connect timeout."""


class TLSConfig(_Strict):
    """How an ``https://`` backend's certificate is checked."""

    ca_file: str | None = None
    """A PEM bundle of the CAs to trust instead of the system's (a private CA)."""
    verify: bool = True
    """``false`` accepts any certificate: only ever set explicitly, for a test upstream."""


class BreakerConfig(_Strict):
    """A backend's circuit breaker (:class:`lip.routing.health.Breaker`): after
    enough failures it refuses calls at once for ``open_for`` seconds, then lets
    ``half_open_probes`` through to test whether the backend has recovered."""

    failures: Annotated[int, Field(ge=1, le=1_000_000)] = 5
    """Consecutive failures (no success between them) that open the breaker."""
    failure_ratio: Annotated[float, Field(gt=0, le=1)] | None = None
    """Also open it when this share of the calls in the last ``window`` seconds
    failed, once the window holds ``min_calls`` calls; unset: consecutive count only."""
    window: Annotated[float, Field(gt=0, le=3600)] = 30
    """Seconds of history ``failure_ratio`` looks at."""
    min_calls: Annotated[int, Field(ge=1, le=1_000_000)] = 10
    """Calls the window must hold before ``failure_ratio`` may open the breaker."""
    open_for: Annotated[float, Field(gt=0, le=3600)] = 30
    """Seconds the breaker stays open (longer if the upstream's Retry-After says
    so, up to an hour) before it turns half-open."""
    half_open_probes: Annotated[int, Field(ge=1, le=1000)] = 1
    """Calls let through at once while half-open; that many successes close the
    breaker, one failure opens it again."""


class ConcurrencyConfig(_Strict):
    """A backend's bulkhead (:class:`lip.routing.bulkhead.Bulkhead`): a cap on its
    requests in flight, with a bounded FIFO queue of callers waiting for a slot."""

    limit: Annotated[int, Field(ge=1, le=100_000)]
    """Requests (streams included) in flight to this backend at once."""
    queue: Annotated[int, Field(ge=0, le=100_000)] = 0
    """Callers that may wait for a slot; past it a call is refused at once (503)."""
    queue_timeout: Annotated[float, Field(gt=0, le=3600)] = 10
    """Seconds a queued caller waits for a slot before it is refused (503)."""


class BackendConfig(_Strict):
    """One upstream. ``kind`` names a backend kind (``openai``, ``openai-compatible``,
    ``localstub``, ...) and ``api`` the wire protocol where a kind speaks several;
    both are checked against the registered kinds when backends are built
    (:func:`lip.backends.resolve_backends`), which also applies each kind's
    defaults (base URL, key from the environment)."""

    id: str
    kind: str
    api: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    api_keys: tuple[SecretStr, ...] = ()
    """Several keys, rotated round robin (a 429'd key rests, a refused one is
    dropped); instead of ``api_key``, never with it."""
    models: tuple[str, ...] = ()
    """Models this backend serves for bare-model routing; ``*`` serves any."""
    model_map: dict[str, str] = Field(default_factory=dict)
    """Client-facing model name -> upstream model name."""
    headers: dict[str, str] = Field(default_factory=dict)
    timeout: TimeoutConfig = Field(default_factory=TimeoutConfig)
    max_connections: Annotated[int, Field(gt=0, le=100_000)] = 512
    """This backend's own connection pool: requests (streams included) in flight to it."""
    tls: TLSConfig = Field(default_factory=TLSConfig)
    proxy: SecretStr | None = None
    """An HTTP forward proxy, ``http://[user:password@]host:port``, or ``env``: the
    one ``HTTPS_PROXY`` / ``HTTP_PROXY`` names (``NO_PROXY`` respected). Unset: no
    proxy, whatever the environment says. A secret: it may hold a password."""
    breaker: BreakerConfig | None = None
    """A circuit breaker for this backend; unset: none (every call is attempted)."""
    concurrency: ConcurrencyConfig | None = None
    """A cap on requests in flight with a bounded wait queue, on top of (and
    normally below) ``max_connections``; unset: none."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be letters, digits, '_' or '-' (it is used in route selectors)")
        return value

    @field_validator("api_keys")
    @classmethod
    def _one_way_to_give_keys(
        cls, value: tuple[SecretStr, ...], info: ValidationInfo
    ) -> tuple[SecretStr, ...]:
        # Messages never repeat a value: they are secrets.
        if value and info.data.get("api_key") is not None:
            raise ValueError("give api_key or api_keys, not both")
        if any(not key.get_secret_value() for key in value):
            raise ValueError("holds an empty key")
        return value

    @field_validator("proxy")
    @classmethod
    def _proxy_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # The message never repeats the value: it may hold a password.
        url = value.get_secret_value() if value is not None else "env"
        if url != "env" and not re.match(r"^http://[^/\s]+/?$", url):
            raise ValueError("must be 'env' or an http://[user:password@]host:port URL")
        return value

    @field_validator("base_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value


class ModelAlias(_Strict):
    """Rewrite a whole selector: ``re.fullmatch(match)`` -> ``expand(replace)``."""

    match: str
    replace: str

    @field_validator("match")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return value


class RoutingConfig(_Strict):
    default_route: str | None = None
    model_aliases: tuple[ModelAlias, ...] = ()
    max_selector_length: Annotated[int, Field(gt=0)] = 1024
    """Longest route selector (model or X-LIP-Route) a client may send, in characters."""
    max_legs: Annotated[int, Field(gt=0, le=64)] = 8
    """Most failover legs one selector may name: each is an upstream request."""
    ttft_timeout: Annotated[float, Field(gt=0, le=3600)] = 300
    """Seconds a call may take to its first output, across all its failover legs
    together (legs that each time out never add up past it); then: a timeout error."""


class ServerTimeouts(_Strict):
    """Seconds a client connection may take over each part of an exchange."""

    header_read: Annotated[float, Field(gt=0, le=3600)] = 10
    """From a connection's (or keep-alive request's) first byte to the end of its
    headers; also how long a new connection may stay silent."""
    body_read: Annotated[float, Field(gt=0, le=3600)] = 60
    """From the end of the headers to the end of the body."""
    keep_alive: Annotated[float, Field(gt=0, le=3600)] = 5
    """How long an idle keep-alive connection stays open between requests."""
    write: Annotated[float, Field(gt=0, le=3600)] = 60
    """How long a client may leave its socket buffer full (not reading) before
    LIP cuts the connection."""


class StateConfig(_Strict):
    """Where LIP keeps what outlives a request (stored Responses for
    ``previous_response_id``): in memory, or in a SQLite file that survives a
    restart and is shared by ``--workers`` processes."""

    path: str | None = None
    """A SQLite file; unset: in memory (lost on restart, one per worker)."""
    max_entries: Annotated[int, Field(ge=0)] = 10_000
    max_bytes: Annotated[int, Field(ge=0)] = 256 * 1024 * 1024
    ttl: Annotated[float, Field(gt=0)] = 30 * 24 * 3600
    """Seconds an entry is kept."""


class ServerConfig(_Strict):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    workers: Annotated[int, Field(ge=1, le=256)] = 1
    """Server processes sharing the listening socket (``lip serve --workers``)."""
    max_connections: Annotated[int, Field(gt=0)] = 4096
    """Open client connections (per worker); past it a new one is answered 503 and closed."""
    max_header_bytes: Annotated[int, Field(ge=1024, le=16 * 1024 * 1024)] = 64 * 1024
    """Request line plus headers; past it: 431."""
    timeouts: ServerTimeouts = Field(default_factory=ServerTimeouts)
    max_body_bytes: Annotated[int, Field(gt=0)] = 10 * 1024 * 1024
    max_messages: Annotated[int, Field(gt=0)] = 10_000
    """Messages (turns, input items) one request may hold; more: 400."""
    max_content_parts: Annotated[int, Field(gt=0)] = 10_000
    """Content parts one request may hold, all messages together; more: 400."""
    max_tools: Annotated[int, Field(gt=0)] = 1_024
    """Tool declarations one request may hold; more: 400."""
    max_response_bytes: Annotated[int, Field(gt=0)] = 32 * 1024 * 1024
    """Largest upstream reply (or single streamed event) LIP will hold; over it: 502."""
    access_log: bool = False
    shutdown_timeout: Annotated[int, Field(ge=0)] = 30
    """Seconds in-flight requests (long streams included) get to finish on shutdown;
    streams still running then end with an in-stream error."""
    reclaim_memory: Annotated[float, Field(ge=0, le=3600)] = 10
    """Seconds between checks that give memory back after a peak (0: off).
    When on, ``lip serve`` also runs with ``PYTHONMALLOC=malloc`` unless the
    environment sets ``PYTHONMALLOC`` itself."""
    drain_delay: Annotated[float, Field(ge=0, le=300)] = 0
    """Seconds between SIGTERM and closing the listener, while ``/readyz`` says 503
    (for load balancers that need to see a node leave before it stops accepting)."""
    state: StateConfig = Field(default_factory=StateConfig)


class LineageConfig(_Strict):
    """Where the diagnostics endpoint's call records are kept."""

    path: str | None = None
    """A SQLite file, readable by every ``--workers`` process; unset: in memory
    (one per worker, lost on restart)."""
    max_entries: Annotated[int, Field(ge=1)] = 10_000
    """Records kept; the oldest go first."""
    ttl: Annotated[float, Field(gt=0)] = 86_400
    """Seconds a record is kept."""


_MIN_DIAGNOSTICS_SECRET = 16


class DiagnosticsConfig(_Strict):
    """``GET /diagnostics/requests/{id}``: what happened to one call (its route,
    attempts and outcome). Off by default; when on, the endpoint requires the
    ``x-lip-diagnostics-secret`` header and every call's record is kept."""

    enabled: bool = False
    secret: SecretStr | None = Field(default=None, validate_default=True)
    """What ``x-lip-diagnostics-secret`` must equal; required when enabled."""
    lineage: LineageConfig = Field(default_factory=LineageConfig)

    @field_validator("secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # The messages never repeat the value.
        if value is None:
            if info.data.get("enabled"):
                raise ValueError("required when diagnostics are enabled")
        elif len(value.get_secret_value()) < _MIN_DIAGNOSTICS_SECRET:
            raise ValueError(f"must be at least {_MIN_DIAGNOSTICS_SECRET} characters")
        return value


class Config(_Strict):
    server: ServerConfig = Field(default_factory=ServerConfig)
    backends: tuple[BackendConfig, ...]
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    diagnostics: DiagnosticsConfig = Field(default_factory=DiagnosticsConfig)

    @field_validator("backends")
    @classmethod
    def _unique_ids(cls, value: tuple[BackendConfig, ...]) -> tuple[BackendConfig, ...]:
        if not value:
            raise ValueError("at least one backend is required")
        seen: set[str] = set()
        for backend in value:
            if backend.id in seen:
                raise ValueError(f"duplicate backend id {backend.id!r}")
            seen.add(backend.id)
        return value

    def backend(self, backend_id: str) -> BackendConfig | None:
        return next((b for b in self.backends if b.id == backend_id), None)


__all__ = [
    "BackendConfig",
    "BreakerConfig",
    "ConcurrencyConfig",
    "Config",
    "DiagnosticsConfig",
    "LineageConfig",
    "ModelAlias",
    "RoutingConfig",
    "ServerConfig",
    "ServerTimeouts",
    "StateConfig",
    "TLSConfig",
    "TimeoutConfig",
]
