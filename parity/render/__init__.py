"""Neutral scenario requests -> each frontend protocol's request body."""

from __future__ import annotations

__all__ = ["Unsupported"]


class Unsupported(Exception):
    """A scenario asks for something the frontend protocol's request cannot say;
    the message says what. The harness reports such a scenario as unsupported
    for every pair with that frontend."""
