"""The emulator control plane, shared by every emulator app.

Tests usually reach an emulator through a proxy that does not forward
custom headers, so they script it out of band and read back what it
received:

- ``POST /__emulator__/scripts``: a script object or a JSON list of them,
  appended to the FIFO queue; each following API request pops one.
- ``GET /__emulator__/scripts``: the pending scripts.
- ``DELETE /__emulator__/scripts``: clear the queue.
- ``GET /__emulator__/requests[?limit=N]``: the last received API requests,
  oldest first (method, path, query, headers with secrets masked, body,
  the script applied and its source), each with the exchange's wall-clock
  times (``received_at``, ``first_byte_at``, ``finished_at``,
  ``disconnected_at``; see :mod:`refbackends.exchange`), updated in place
  as the response goes out or the client leaves.
- ``DELETE /__emulator__/requests``: clear that log.

All state is an :class:`EmulatorState` stored on ``app.state.emulator``.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from refbackends.exchange import ExchangeTiming, current_exchange
from refbackends.scripting import ScriptError, ScriptQueue, SelectedScript, parse_scripts

__all__ = [
    "CONTROL_PREFIX",
    "EmulatorState",
    "LoggedRequest",
    "RequestLog",
    "control_routes",
    "emulator_state",
    "mask_secret",
]

CONTROL_PREFIX = "/__emulator__"

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie"}
)


def mask_secret(value: str) -> str:
    """Mask a credential for logs: keep an auth scheme (``Bearer``), the
    first 3 and last 4 characters of long secrets, stars for the rest.

    >>> mask_secret("Bearer sk-test-1234567890")
    'Bearer sk-***7890'
    """
    scheme, sep, secret = value.partition(" ")
    if not sep:
        scheme, secret = "", value
    masked = f"{secret[:3]}***{secret[-4:]}" if len(secret) >= 12 else "***"
    return f"{scheme} {masked}" if scheme else masked


@dataclass
class LoggedRequest:
    """One API request as the emulator received it, and how its exchange
    went (``timing``, shared with the :class:`~refbackends.exchange.ExchangeObserver`
    serving it, so it keeps changing after the entry is logged)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: object
    raw_body: str | None
    script: SelectedScript | None = None
    timing: ExchangeTiming = field(default_factory=lambda: ExchangeTiming(time.time()))

    def to_json(self) -> dict[str, object]:
        """The JSON shape served by ``GET /__emulator__/requests``."""
        selected = self.script
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body,
            "raw_body": self.raw_body,
            "script": selected.script.model_dump(mode="json", exclude_defaults=True)
            if selected
            else None,
            "script_source": selected.source if selected else None,
            **self.timing.to_json(),
        }


class RequestLog:
    """The last ``capacity`` API requests, oldest first."""

    def __init__(self, capacity: int = 200) -> None:
        self._entries: deque[LoggedRequest] = deque(maxlen=capacity)

    def record(
        self, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> LoggedRequest:
        """Log a request (secrets masked, body parsed when it is JSON),
        stamped with the exchange being served (a fresh one, received now,
        outside an observed app)."""
        shown = {
            name.lower(): mask_secret(value) if name.lower() in SENSITIVE_HEADERS else value
            for name, value in headers.items()
        }
        parsed: object = None
        raw: str | None = None
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            raw = body.decode("utf-8", errors="replace")
        timing = current_exchange() or ExchangeTiming(time.time())
        entry = LoggedRequest(method, path, query, shown, parsed, raw, timing=timing)
        self._entries.append(entry)
        return entry

    def last(self, limit: int | None = None) -> list[LoggedRequest]:
        """The newest ``limit`` entries (all when None), oldest first."""
        entries = list(self._entries)
        return entries if limit is None else entries[max(len(entries) - limit, 0) :]

    def clear(self) -> int:
        """Forget every entry; returns how many were dropped."""
        count = len(self._entries)
        self._entries.clear()
        return count


@dataclass
class EmulatorState:
    """Per-app mutable state: the script queue, the request log and a
    request counter (for unique request ids)."""

    scripts: ScriptQueue = field(default_factory=ScriptQueue)
    requests: RequestLog = field(default_factory=RequestLog)
    received: int = 0

    def next_request_number(self) -> int:
        """Count one more API request; returns its 1-based number."""
        self.received += 1
        return self.received


def emulator_state(app: Starlette) -> EmulatorState:
    """The :class:`EmulatorState` of an emulator app."""
    state = app.state.emulator
    if not isinstance(state, EmulatorState):
        raise TypeError(
            "app.state.emulator is not an EmulatorState; build the app with an emulator factory"
        )
    return state


def _state(request: Request) -> EmulatorState:
    app = request.app
    assert isinstance(app, Starlette)
    return emulator_state(app)


def _control_error(message: str, param: str | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "emulator_error", "param": param}}, status_code=400
    )


async def _add_scripts(request: Request) -> JSONResponse:
    try:
        payload = json.loads(await request.body())
    except ValueError:
        return _control_error("body must be JSON: a script object or a list of them")
    try:
        scripts = parse_scripts(payload)
    except ScriptError as exc:
        return _control_error(exc.message, exc.field)
    queue = _state(request).scripts
    queue.extend(scripts)
    return JSONResponse({"queued": len(scripts), "pending": len(queue)})


async def _list_scripts(request: Request) -> JSONResponse:
    pending = _state(request).scripts.pending()
    return JSONResponse(
        {"pending": [s.model_dump(mode="json", exclude_defaults=True) for s in pending]}
    )


async def _clear_scripts(request: Request) -> JSONResponse:
    return JSONResponse({"cleared": _state(request).scripts.clear()})


async def _list_requests(request: Request) -> JSONResponse:
    raw_limit = request.query_params.get("limit")
    limit: int | None = None
    if raw_limit is not None:
        if not raw_limit.isdigit():
            return _control_error("limit must be a non-negative integer", "limit")
        limit = int(raw_limit)
    entries = _state(request).requests.last(limit)
    return JSONResponse({"object": "list", "data": [entry.to_json() for entry in entries]})


async def _clear_requests(request: Request) -> JSONResponse:
    return JSONResponse({"cleared": _state(request).requests.clear()})


def control_routes() -> list[Route]:
    """The ``/__emulator__`` routes; the app must carry an :class:`EmulatorState`."""
    return [
        Route(f"{CONTROL_PREFIX}/scripts", _add_scripts, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/scripts", _list_scripts, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/scripts", _clear_scripts, methods=["DELETE"]),
        Route(f"{CONTROL_PREFIX}/requests", _list_requests, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/requests", _clear_requests, methods=["DELETE"]),
    ]
