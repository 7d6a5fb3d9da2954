"""Typed configuration, validated once at startup.

Every field is documented in README.md ("Configuration reference").
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from lip.config.access import AccessConfig
from lip.config.limits import BudgetsConfig, LimitsConfig, ModelPrice
from lip.config.observability import ObservabilityConfig
from lip.config.server import (
    DiagnosticsConfig,
    LineageConfig,
    ServerConfig,
    ServerTimeouts,
    StateConfig,
)
from lip.config.strict import ID_PATTERN
from lip.config.strict import Strict as _Strict

_ID = ID_PATTERN


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


MAX_INSTANCES = 64
"""Instances one backend may have (a leaf naming the backend may try each)."""


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("must be letters, digits, '_' or '-' (it is used in route selectors)")
    return value


def _check_keys(value: tuple[SecretStr, ...], info: ValidationInfo) -> tuple[SecretStr, ...]:
    # Messages never repeat a value: they are secrets.
    if value and info.data.get("api_key") is not None:
        raise ValueError("give api_key or api_keys, not both")
    if any(not key.get_secret_value() for key in value):
        raise ValueError("holds an empty key")
    return value


def _check_url(value: str | None) -> str | None:
    if value is not None and not re.match(r"^https?://[^/\s]+", value):
        raise ValueError("must be an http:// or https:// URL")
    return value.rstrip("/") if value else value


class InstanceConfig(_Strict):
    """One of several upstreams behind one backend id: ``backend.instance:model``
    routes to it alone, ``backend:model`` spreads over every instance by
    ``weight``. It runs as its own backend, ``<backend>.<instance>``, with its own
    connection pool, key pool, breaker and bulkhead; every setting but the
    fields below (kind, api, models, model_map, timeout, tls, proxy, breaker,
    concurrency, max_connections) is its backend's."""

    id: str
    """Unique within the backend; the same shape as a backend id."""
    base_url: str | None = None
    """Unset: the backend's (or its kind's default)."""
    api_key: SecretStr | None = None
    api_keys: tuple[SecretStr, ...] = ()
    """As the backend's; both unset: the backend's keys (config, else environment)."""
    headers: dict[str, str] = Field(default_factory=dict)
    """Merged over the backend's ``headers`` (a name both set: the instance's value)."""
    weight: Annotated[float, Field(gt=0, le=1_000_000)] = 1.0
    """This instance's share of ``backend:model`` traffic, relative to the others'."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        return _check_id(value)

    @field_validator("api_keys")
    @classmethod
    def _one_way_to_give_keys(
        cls, value: tuple[SecretStr, ...], info: ValidationInfo
    ) -> tuple[SecretStr, ...]:
        return _check_keys(value, info)

    @field_validator("base_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        return _check_url(value)


class BackendConfig(_Strict):
    """One upstream (with ``instances``, several behind one id). ``kind`` names a
    backend kind (``openai``, ``openai-compatible``, ``localstub``, ...) and
    ``api`` the wire protocol where a kind speaks several; both are checked
    against the registered kinds when backends are built
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

    instances: Annotated[tuple[InstanceConfig, ...], Field(max_length=MAX_INSTANCES)] = ()
    """Several upstreams behind this id (:class:`InstanceConfig`); then every
    request goes to one of them, none to the backend itself."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        return _check_id(value)

    @field_validator("api_keys")
    @classmethod
    def _one_way_to_give_keys(
        cls, value: tuple[SecretStr, ...], info: ValidationInfo
    ) -> tuple[SecretStr, ...]:
        return _check_keys(value, info)

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
        return _check_url(value)

    @field_validator("instances")
    @classmethod
    def _unique_instances(cls, value: tuple[InstanceConfig, ...]) -> tuple[InstanceConfig, ...]:
        seen: set[str] = set()
        for instance in value:
            if instance.id in seen:
                raise ValueError(f"duplicate instance id {instance.id!r}")
            seen.add(instance.id)
        return value

    def upstream_id(self, instance: InstanceConfig | None = None) -> str:
        """The id a running upstream of this backend goes by: the backend's own,
        or ``<backend>.<instance>`` for one of its instances (as selectors write it)."""
        return self.id if instance is None else f"{self.id}.{instance.id}"

    def upstream_ids(self) -> tuple[str, ...]:
        """The ids of the running upstreams this backend becomes, in config order:
        one per instance when it has instances (none of its own then), else its own."""
        return tuple(self.upstream_id(i) for i in self.instances) or (self.id,)


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
    """Most leaves one selector may name (``a | b ^ c ! d`` names four): each is an
    upstream request, or one per instance of a backend with instances."""
    ttft_timeout: Annotated[float, Field(gt=0, le=3600)] = 300
    """Seconds a call may take to its first output, across all its failover legs
    together (legs that each time out never add up past it); then: a timeout error."""


class Config(_Strict):
    server: ServerConfig = Field(default_factory=ServerConfig)
    backends: tuple[BackendConfig, ...]
    routing: RoutingConfig = Field(default_factory=RoutingConfig)
    diagnostics: DiagnosticsConfig = Field(default_factory=DiagnosticsConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    prices: dict[str, ModelPrice] = Field(default_factory=dict)
    """Model name (or fnmatch glob) -> price. An exact name wins; else the first
    glob that matches, in the order written."""
    budgets: BudgetsConfig = Field(default_factory=BudgetsConfig)
    observability: ObservabilityConfig = Field(default_factory=ObservabilityConfig)
    """Metrics, traces, access logs and reloads (:mod:`lip.config.observability`)."""
    access: AccessConfig = Field(default_factory=AccessConfig, validate_default=True)
    """Who may use LIP (:mod:`lip.config.access`); default: ``open``, loopback only."""

    @field_validator("access")
    @classmethod
    def _open_only_on_loopback(cls, value: AccessConfig, info: ValidationInfo) -> AccessConfig:
        server = info.data.get("server")
        problem = value.open_bind_problem(server.host) if server is not None else None
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("observability")
    @classmethod
    def _metrics_secret_set(
        cls, value: ObservabilityConfig, info: ValidationInfo
    ) -> ObservabilityConfig:
        diagnostics = info.data.get("diagnostics")
        if value.metrics.require_secret and (
            not isinstance(diagnostics, DiagnosticsConfig) or diagnostics.secret is None
        ):
            raise ValueError("metrics.require_secret needs diagnostics.secret to be set")
        return value

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

    @field_validator("budgets")
    @classmethod
    def _budgets_follow_store(cls, value: BudgetsConfig, info: ValidationInfo) -> BudgetsConfig:
        limits = info.data.get("limits")
        if value.path is not None and isinstance(limits, LimitsConfig) and limits.store == "redis":
            raise ValueError("path must be unset with limits.store 'redis' (budgets live in Redis)")
        return value

    def backend(self, backend_id: str) -> BackendConfig | None:
        return next((b for b in self.backends if b.id == backend_id), None)


__all__ = [
    "MAX_INSTANCES",
    "BackendConfig",
    "BreakerConfig",
    "BudgetsConfig",
    "ConcurrencyConfig",
    "Config",
    "DiagnosticsConfig",
    "InstanceConfig",
    "LimitsConfig",
    "LineageConfig",
    "ModelAlias",
    "ModelPrice",
    "RoutingConfig",
    "ServerConfig",
    "ServerTimeouts",
    "StateConfig",
    "TLSConfig",
    "TimeoutConfig",
]
