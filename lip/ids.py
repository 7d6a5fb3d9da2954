"""Random ids: request ids, W3C trace and span ids.

Every request draws one or more: a request id (with tracing, the request's
trace and span ids come from it) and a span id per upstream attempt. Each is random bytes from
the operating system's CSPRNG (:func:`os.urandom`), drawn 4 KiB at a time
and handed out 16 bytes per id: a ``getrandom`` system call per id cost
three times what taking the next slice of a block does. No lock is needed:
``next()`` on an :func:`itertools.count` is atomic, so two threads never
get the same slice, and two that both find a block used up each draw their
own. A forked child (``lip serve --workers``) drops the block it inherited,
so no two processes hand out the same bytes.
"""

from __future__ import annotations

import itertools
import os

__all__ = ["random_hex"]

_PER_BLOCK = 256
"""Ids (of up to 16 bytes) per block of 4 KiB."""


def _drawn() -> tuple[str, itertools.count[int]]:
    """A fresh block (as hex) and the counter of the ids taken from it."""
    return os.urandom(16 * _PER_BLOCK).hex(), itertools.count()


_state = _drawn()


def random_hex(size: int) -> str:
    """``size`` random bytes (1 to 16) as ``2 * size`` lowercase hex digits."""
    global _state
    block, taken = _state
    index = next(taken)
    if index >= _PER_BLOCK:
        block, taken = _state = _drawn()
        index = next(taken)
    start = 32 * index
    return block[start : start + 2 * size]


def _forget() -> None:
    global _state
    _state = _drawn()


os.register_at_fork(after_in_child=_forget)
