"""Hot reload: a changed config applied without a restart.

:class:`ReloadableApp` is a pure ASGI app holding the app :func:`create_app`
built from the current config (a *generation*: the app and its
:class:`Runtime`). Each request is handed to the generation current when it
arrived and finishes there, streams included. :meth:`ReloadableApp.reload`:

1. loads the file and checks it the whole way (:func:`validate_config`:
   backends, keys, routes, client keys); a problem is logged exactly as
   ``lip check-config`` prints it and the old config keeps serving;
2. builds the new runtime and app and runs the app's startup (readiness,
   memory reclaimer);
3. swaps the reference: new requests go to the new generation;
4. retires the old one: once its last in-flight request has ended, its
   shutdown runs (upstream pools, limit stores and the like are closed).

What survives a swap: the stored Responses (``server.state``) and the
diagnostics lineage store are handed to the new runtime when their config
section is unchanged (in memory or SQLite alike), so ``previous_response_id``
and ``/diagnostics/requests/{id}`` keep working; changed, the new runtime
opens its own (a SQLite file survives anyway). The rate-limit and budget
counters go on when the ``limits`` and ``budgets`` sections are unchanged
(each request reads its key's limits from the config it arrived on; charges
are priced from the new ``prices``), and the metrics' counts always do; a
backend configured as before keeps its circuit breaker and bulkhead.

Settings the listening server holds (address, workers, connection limits
and timeouts, shutdown timings, uvicorn's access log) cannot change without
a restart: when they differ, that is logged and the rest is applied.

Triggers (:mod:`lip.cli` ``serve``): ``SIGHUP``, and with
``observability.reload.watch`` a poll of the file's content every second
(read and hashed: a config file is small; editors' and Kubernetes'
replace-by-rename are seen like in-place writes, with no dependency).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import threading
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from lip.config import Config, ConfigError
from lip.continuity import LineageStore
from lip.limits import Budgets, Limiter
from lip.plugins import Plugins
from lip.protocols.base import StateStore
from lip.server import heap
from lip.server.app import create_app
from lip.server.runtime import Runtime
from lip.validation import validate_config

__all__ = ["ReloadableApp", "restart_only_changes"]

log = logging.getLogger("lip.server")


@dataclass(eq=False)
class _Generation:
    """One config's app, and the requests it still serves."""

    serial: int
    app: Starlette
    runtime: Runtime
    inflight: int = 0
    retired: bool = False
    _lifespan: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)
    _closed: bool = False

    async def start(self) -> None:
        await self._lifespan.enter_async_context(self.app.router.lifespan_context(self.app))

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._lifespan.aclose()  # the app's shutdown: closes its runtime


class ReloadableApp:
    """The ASGI app ``lip serve`` runs: the current generation's app, swapped
    by :meth:`reload` (module docstring). Raises :class:`ConfigError` when the
    file does not validate at construction."""

    def __init__(
        self,
        path: str | Path | None,
        *,
        plugins: Plugins | None = None,
        env: Mapping[str, str] | None = None,
        watch_interval: float | None = None,
        handle_sighup: bool = False,
        settle_heap: bool = False,
    ) -> None:
        self.path = path
        self._plugins = plugins or Plugins.builtin()
        self._env = env
        self._watch_interval = watch_interval
        """Seconds between polls of the file (``None``: no watcher); the
        watcher acts only while the current config says ``reload.watch``."""
        self._handle_sighup = handle_sighup
        self._settle_heap = settle_heap
        """Apply ``server.gc`` (:mod:`lip.server.heap`) after startup and after
        each retired generation: for a server process, not an app in a test."""
        self._seen = self._digest()
        checked = validate_config(path, plugins=self._plugins, env=env)
        runtime = Runtime(checked.config, plugins=self._plugins, env=env)
        self._current = _Generation(1, create_app(checked.config, runtime=runtime), runtime)
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        """The watcher and reloads: cancelled at shutdown."""
        self._closing: set[asyncio.Task[Any]] = set()
        """Retiring generations' shutdowns: awaited at shutdown, never cut short."""
        self._retiring: set[_Generation] = set()
        self.draining = False

    @property
    def runtime(self) -> Runtime:
        """The current generation's runtime."""
        return self._current.runtime

    @property
    def config(self) -> Config:
        return self._current.runtime.config

    @property
    def generation(self) -> int:
        """1 at start, one more per applied reload."""
        return self._current.serial

    def begin_drain(self) -> None:
        """Shutdown begins (``lip serve``'s draining server): no more reloads."""
        self.draining = True
        for generation in (*self._retiring, self._current):  # their streams end answered too
            generation.runtime.begin_drain()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        generation = self._current  # the request finishes where it started
        generation.inflight += 1
        try:
            await generation.app(scope, receive, send)
        finally:
            generation.inflight -= 1
            if generation.retired and generation.inflight == 0:
                self._spawn(self._retire(generation), self._closing)

    async def reload(self) -> bool:
        """Apply the file as it is now; False (logged) when it is invalid or
        the new app cannot start, and the current config keeps serving."""
        async with self._lock:
            if self.draining:
                log.warning("config reload ignored: the server is shutting down")
                return False
            self._seen = self._digest()
            try:
                checked = validate_config(self.path, plugins=self._plugins, env=self._env)
            except ConfigError as exc:
                log.error("config reload rejected; the previous config stays in effect:\n%s", exc)
                return False
            old = self._current
            config = checked.config
            changed = restart_only_changes(old.runtime.config, config)
            if changed:
                log.warning(
                    "config reload: %s changed and only take effect after a restart; "
                    "applying the rest",
                    ", ".join(changed),
                )
            carried = _carried(old.runtime, config)
            try:
                runtime = Runtime(
                    config,
                    plugins=self._plugins,
                    env=self._env,
                    state=carried.state,
                    lineage=carried.lineage,
                    counters=carried.counters,
                    replacing=old.runtime,
                )
            except ConfigError as exc:  # validate_config saw the same: only a race with the env
                log.error("config reload rejected; the previous config stays in effect: %s", exc)
                return False
            new = _Generation(old.serial + 1, create_app(config, runtime=runtime), runtime)
            try:
                await new.start()
            except Exception:
                log.exception("config reload: the new app failed to start; keeping the previous")
                runtime.hand_over(**carried.handed())
                await new.close()
                await runtime.aclose()
                return False
            old.runtime.hand_over(**carried.handed())
            self._current = new
            old.retired = True
            self._retiring.add(old)
            if old.inflight == 0:
                self._spawn(self._retire(old), self._closing)
            log.info(
                "config reloaded from %s (generation %d); %d request(s) finish on the previous",
                self.path or "<embedded default>",
                new.serial,
                old.inflight,
            )
            return True

    async def _retire(self, generation: _Generation) -> None:
        try:
            await generation.close()
        except Exception:
            log.exception("closing the runtime of config generation %d failed", generation.serial)
        finally:
            self._retiring.discard(generation)
        log.info("config generation %d closed", generation.serial)
        if self._settle_heap and not self.draining:
            heap.apply(self._current.runtime.config.server.gc)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        if self._settle_heap:  # before the app says it is ready: a collection takes a while
            heap.apply(self._current.runtime.config.server.gc)
        try:
            await self._current.start()
        except Exception as exc:
            log.exception("startup failed")
            await send({"type": "lifespan.startup.failed", "message": str(exc)})
            return
        loop = asyncio.get_running_loop()
        sighup = self._handle_sighup and threading.current_thread() is threading.main_thread()
        if sighup:
            loop.add_signal_handler(signal.SIGHUP, self._on_sighup)
        if self._watch_interval is not None and self.path is not None:
            self._spawn(self._watch(self._watch_interval), self._tasks)
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown"
        if sighup:
            loop.remove_signal_handler(signal.SIGHUP)
        self.draining = True
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, *self._closing, return_exceptions=True)
        for generation in (*self._retiring, self._current):
            await generation.close()
        await send({"type": "lifespan.shutdown.complete"})

    def _on_sighup(self) -> None:
        log.info("SIGHUP: reloading the config from %s", self.path or "<embedded default>")
        self._spawn(self.reload(), self._tasks)

    async def _watch(self, interval: float) -> None:
        """Reload when the file's content changes (while ``reload.watch`` is on)."""
        while True:
            await asyncio.sleep(interval)
            digest = self._digest()
            if digest == self._seen:
                continue
            self._seen = digest
            if self.config.observability.reload.watch:
                log.info("config file %s changed: reloading", self.path)
                await self.reload()

    def _digest(self) -> str | None:
        if self.path is None:
            return None
        try:
            return hashlib.sha256(Path(self.path).read_bytes()).hexdigest()
        except OSError:
            return None  # mid-replace or removed: the reload says so when it runs

    @staticmethod
    def _spawn(work: Coroutine[Any, Any, Any], into: set[asyncio.Task[Any]]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        into.add(task)  # held: the loop keeps only weak references to tasks
        task.add_done_callback(into.discard)


def restart_only_changes(old: Config, new: Config) -> list[str]:
    """The settings that differ but are held by the listening server."""
    before, after = old.server, new.server
    names = (
        "host",
        "port",
        "workers",
        "max_connections",
        "max_header_bytes",
        "timeouts",
        "access_log",
        "shutdown_timeout",
        "drain_delay",
    )
    return [f"server.{n}" for n in names if getattr(before, n) != getattr(after, n)]


class _Carried(NamedTuple):
    state: StateStore | None
    lineage: LineageStore | None
    counters: tuple[Limiter, Budgets] | None

    def handed(self) -> dict[str, bool]:
        """What :meth:`Runtime.hand_over` is told was handed over."""
        return {
            "state": self.state is not None,
            "lineage": self.lineage is not None,
            "counters": self.counters is not None,
        }


def _carried(old: Runtime, config: Config) -> _Carried:
    """The old runtime's stores the new one takes over: those whose config is
    unchanged. The limit and budget counters go on whenever their stores are
    the same (the limits themselves are read per request, prices are updated)."""
    state = old.state if old.config.server.state == config.server.state else None
    counters: tuple[Limiter, Budgets] | None = None
    if old.config.limits == config.limits and old.config.budgets == config.budgets:
        counters = (old.admission.limiter, old.admission.budgets)
    lineage: LineageStore | None = None
    if (
        old.lineage is not None
        and config.diagnostics.enabled
        and old.config.diagnostics.lineage == config.diagnostics.lineage
    ):
        lineage = old.lineage
    return _Carried(state, lineage, counters)
