"""Official vendor SDKs as parity clients: one module per frontend protocol and language."""

from __future__ import annotations

from collections.abc import Callable

from parity.observation import Observation, ObservedError
from parity.scenario import Mode

__all__ = ["read"]


def read(
    mode: Mode,
    *,
    unary: Callable[[], Observation],
    stream: Callable[[], Observation],
    helper: Callable[[], Observation],
    error: Callable[[Exception, bool], ObservedError],
) -> Observation:
    """Read one reply the way ``mode`` says; a unary call that raises is the
    error the SDK reported (the stream readers report their own)."""
    if mode == "stream":
        return stream()
    if mode == "stream_helper":
        return helper()
    try:
        return unary()
    except Exception as exc:
        seen = error(exc, False)
        return Observation(status=seen.status, error=seen)
