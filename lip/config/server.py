"""The ``server:`` and ``diagnostics:`` sections: how LIP listens and what it keeps."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from lip.config.strict import Strict as _Strict


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


class GcConfig(_Strict):
    """The garbage collector of each server process (:mod:`lip.server.heap`)."""

    freeze: bool = True
    """Freeze the heap left after startup (and after each reload), so that no
    collection walks it again."""
    threshold: tuple[
        Annotated[int, Field(ge=1, le=10_000_000)],
        Annotated[int, Field(ge=1, le=10_000)],
        Annotated[int, Field(ge=1, le=10_000)],
    ] = (10_000, 50, 100)
    """:func:`gc.set_threshold`: allocations before a young collection, then
    young collections per middle one, middle ones per full one. Python's
    default (700, 10, 10) collects fourteen times as often."""


class ServerConfig(_Strict):
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    workers: Annotated[int, Field(ge=1, le=256)] = 1
    """Server processes on the listening port (``lip serve --workers``; see
    :mod:`lip.server.workers`)."""
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
    gc: GcConfig = Field(default_factory=GcConfig)


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
_MIN_DISTINCT = 8


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
        elif len(set(value.get_secret_value())) < _MIN_DISTINCT:
            # "aaaaaaaaaaaaaaaa" or "1212121212121212": long enough, guessable all the same.
            raise ValueError(f"is too weak: use at least {_MIN_DISTINCT} different characters")
        return value


__all__ = [
    "DiagnosticsConfig",
    "GcConfig",
    "LineageConfig",
    "ServerConfig",
    "ServerTimeouts",
    "StateConfig",
]
