"""Everything a running server shares: config, planner, backends, HTTP client."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from lip.access import Access
from lip.backends import ResolvedBackend, UpstreamClient, build_backend, resolve_backends
from lip.canonical import Limits
from lip.config import BackendConfig, Config
from lip.config.model import InstanceConfig
from lip.continuity import Lineage, LineageStore, MemoryLineage, Observers, SQLiteLineage
from lip.inventory import Inventory, build_inventory
from lip.limits import Budgets, Limiter, PriceTable, build_limits
from lip.observe import build_observers
from lip.plugins import Plugins
from lip.protocols.base import StateStore
from lip.routing import Planner
from lip.routing.executor import Executor
from lip.routing.health import BreakerState, HealthBoard
from lip.secrets import Scrubber
from lip.server.admission import Admission
from lip.server.state import MemoryStore, SQLiteStore

log = logging.getLogger("lip.routing")


class Runtime:
    """Built once per app by the factory; closed at shutdown.

    Raises :class:`lip.config.ConfigError` when a backend does not fit its
    kind (unknown kind, reserved api, missing key); ``env`` supplies keys
    the config leaves out (default: the process environment). ``state`` and
    ``lineage`` are stores carried over from the runtime a reload replaces
    (:mod:`lip.server.reload`), used instead of new ones, and so are the
    limit and budget ``counters``; from ``replacing``, that runtime, the
    metrics go on counting and unchanged backends keep their breakers."""

    health: HealthBoard
    observers: Observers

    def __init__(
        self,
        config: Config,
        *,
        plugins: Plugins | None = None,
        http: UpstreamClient | None = None,
        env: Mapping[str, str] | None = None,
        state: StateStore | None = None,
        lineage: LineageStore | None = None,
        counters: tuple[Limiter, Budgets] | None = None,
        replacing: Runtime | None = None,
    ) -> None:
        self.config = config
        self.plugins = plugins or Plugins.builtin()
        self.limits = Limits(
            max_request_bytes=config.server.max_body_bytes,
            max_response_bytes=config.server.max_response_bytes,
            max_messages=config.server.max_messages,
            max_parts=config.server.max_content_parts,
            max_tools=config.server.max_tools,
        )
        resolved = resolve_backends(
            config,
            self.plugins.kind_table(),
            self.plugins.codecs(),
            os.environ if env is None else env,
        )
        self.resolved = resolved
        """Every running upstream's resolved config (``lip inventory``)."""
        secrets = _credentials(resolved)
        if config.diagnostics.secret is not None:  # kept out of logs like any key
            secrets.append(config.diagnostics.secret.get_secret_value())
        access = Access.from_config(config.access, env=os.environ if env is None else env)
        secrets.extend(access.scrub_values())
        self.scrubber = Scrubber(secrets)
        if counters is None:
            counters = build_limits(config)
        else:  # a reload's: the counts go on, with this config's prices
            counters[1].reprice(PriceTable(config.prices))
        self.admission = Admission(access, *counters)
        """Who may call (client keys, OIDC) and how much (rate, token and
        concurrency limits, budgets)."""
        self.planner = Planner(config)
        # Each HTTP backend has its own connection pool unless one is injected.
        self.http = http
        self.backends = {r.id: build_backend(r, http, self.limits) for r in resolved}
        """Every running upstream by id: a backend with instances has one entry
        per instance (``<backend>.<instance>``) and none of its own."""
        self.health = HealthBoard.from_config(
            config,
            on_change=_log_breaker,
            replacing=None if replacing is None else (replacing.config, replacing.health),
        )
        """Every backend's circuit breaker and bulkhead (when configured)."""
        self.executor = Executor(self.planner, self.backends, self.scrubber, health=self.health)
        kept = config.server.state
        self.state: StateStore = (
            state
            if state is not None
            else SQLiteStore(
                kept.path, max_entries=kept.max_entries, max_bytes=kept.max_bytes, ttl=kept.ttl
            )
            if kept.path
            else MemoryStore(max_entries=kept.max_entries, max_bytes=kept.max_bytes, ttl=kept.ttl)
        )
        """What frontends keep between requests (stored Responses)."""
        self.lineage = lineage if lineage is not None else _lineage(config)
        """Where finished calls' records go for ``/diagnostics``; None unless
        diagnostics are enabled."""
        watching = build_observers(
            config,
            scrub=self.scrubber,
            health=self.health,
            previous=() if replacing is None else replacing.observers,
        )
        if self.lineage is not None:
            watching.append(Lineage(self.lineage))
        self.observers = Observers(watching, flush_interval=config.observability.flush_interval)
        """What sees every request's record (:mod:`lip.continuity.observer`);
        with none, no record is built, at no cost per request."""
        tracing = config.observability.tracing
        self.captures_content = tracing.enabled and tracing.capture_content
        """Whether each call's record takes its prompt and completion text, for
        its span (:mod:`lip.observe.content`)."""
        self._keeps_state = True
        self._keeps_lineage = True
        self._keeps_counters = True
        self.ready = False
        self.draining = False
        """Set when shutdown begins: readiness is 503, and a request the server
        cancels at the end of the grace period is answered, not dropped."""

    def inventory(self) -> Inventory:
        """What this runtime serves (``GET /diagnostics/inventory``)."""
        return build_inventory(self.config, self.plugins, self.resolved, self.planner)

    def begin_drain(self) -> None:
        self.ready = False
        self.draining = True

    def hand_over(self, *, state: bool, lineage: bool, counters: bool = False) -> None:
        """A reload gave this runtime's state store, lineage store and/or
        limit and budget counters to the next runtime: :meth:`aclose` leaves
        those open."""
        self._keeps_state = self._keeps_state and not state
        self._keeps_lineage = self._keeps_lineage and not lineage
        self._keeps_counters = self._keeps_counters and not counters

    async def aclose(self) -> None:
        self.ready = False
        for backend in self.backends.values():
            await backend.aclose()
        if self.http is not None:
            await self.http.aclose()
        if self._keeps_state and isinstance(self.state, SQLiteStore):
            self.state.close()
        if self._keeps_lineage and self.lineage is not None:
            await self.lineage.aclose()
        if self._keeps_counters:
            await self.admission.aclose()
        self.observers.flush()  # here, on the loop that holds its timer
        await asyncio.to_thread(self.observers.close)  # e.g. the last trace export


def _lineage(config: Config) -> LineageStore | None:
    if not config.diagnostics.enabled:
        return None
    kept = config.diagnostics.lineage
    if kept.path:
        return SQLiteLineage(kept.path, max_entries=kept.max_entries, ttl=kept.ttl)
    return MemoryLineage(max_entries=kept.max_entries, ttl=kept.ttl)


def _log_breaker(backend_id: str, old: BreakerState, new: BreakerState) -> None:
    level = logging.WARNING if new is BreakerState.OPEN else logging.INFO
    log.log(level, "backend %s: circuit breaker %s -> %s", backend_id, old.value, new.value)


_CREDENTIAL_HEADER = re.compile(r"auth|key|token|secret|cookie", re.IGNORECASE)


def _credentials(resolved: Sequence[ResolvedBackend]) -> list[str]:
    """Every configured upstream key, and header values named like credentials,
    of every running upstream (each instance's own included)."""
    found: list[str] = []
    for backend in resolved:
        found.extend(key.get_secret_value() for key in backend.api_keys)
        # The configured keys too, not only those in use: an instance's own
        # keys replace its backend's, which stay secrets all the same.
        configs: tuple[BackendConfig | InstanceConfig, ...] = (backend.config,)
        if backend.instance is not None:
            configs = (backend.config, backend.instance)
        for source in configs:
            found.extend(key.get_secret_value() for key in source.api_keys)
            if source.api_key is not None:
                found.append(source.api_key.get_secret_value())
        proxy = backend.config.proxy
        if proxy is not None and proxy.get_secret_value() != "env":
            url = urlsplit(proxy.get_secret_value())
            found.extend(secret for secret in (url.password, url.netloc) if secret)
        for name, value in (h for c in configs for h in c.headers.items()):
            if _CREDENTIAL_HEADER.search(name):
                found.append(value)
                found.extend(value.split()[1:])  # "Bearer <token>": the token alone too
    return found


__all__ = ["Runtime"]
