"""Watching LIP run: the observers of :mod:`lip.continuity.observer` that
``observability:`` turns on (metrics, traces, access logs)."""

from __future__ import annotations

from lip.config import Config
from lip.continuity import CallObserver


def build_observers(config: Config) -> list[CallObserver]:
    """The observers ``config.observability`` asks for, in the order they run."""
    observers: list[CallObserver] = []
    return observers


__all__ = ["build_observers"]
