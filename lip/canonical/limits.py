"""Size limits applied where LIP buffers data it does not control."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """``max_request_bytes`` bounds a client body; ``max_response_bytes`` bounds
    what :func:`lip.canonical.collect` folds (text + arguments + reasoning);
    ``max_events`` bounds the number of events one response may carry."""

    max_request_bytes: int = 10 * 1024 * 1024
    max_response_bytes: int = 32 * 1024 * 1024
    max_events: int = 1_000_000


DEFAULT_LIMITS = Limits()

__all__ = ["DEFAULT_LIMITS", "Limits"]
