"""Giving memory back after a peak.

A burst (thousands of concurrent streams) grows the heap by ~100 MiB; once it
is over, CPython and glibc keep those pages: free lists and half-empty
arenas stay mapped, so RSS stays at the peak. Two measures together bring it
back (measured with ``tox -e soak``: 157 MiB at the peak of 2,000 streams,
79 MiB 60 s later against 64 MiB before, where either alone left 95-150):

- ``lip serve`` runs with ``PYTHONMALLOC=malloc`` (set before the
  interpreter starts, see :func:`lip.cli.main`): object memory comes from
  glibc instead of pymalloc's arenas, which are only returned when entirely
  empty; it costs ~2-5% CPU per request in the benchmark;
- :class:`MemoryReclaimer` runs, while RSS is more than 25% above the
  lowest seen since start, ``gc.collect()`` (which also empties the free
  lists) and ``malloc_trim(0)`` (in a worker thread) every ``interval``
  seconds. At a steady level it does nothing.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
from collections.abc import Callable

log = logging.getLogger("lip.server")

_ABOVE_FLOOR = 1.25


def current_rss() -> int | None:
    """This process's resident memory in bytes (Linux ``/proc``), else ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def glibc_trim() -> Callable[[], None] | None:
    """``malloc_trim(0)`` when the C library has it (glibc), else ``None``."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int

    def release() -> None:
        trim(0)

    return release


class MemoryReclaimer:
    """Collect and trim while RSS is well above its floor (module docstring)."""

    def __init__(
        self,
        interval: float,
        *,
        rss: Callable[[], int | None] = current_rss,
        trim: Callable[[], None] | None = None,
    ) -> None:
        self.interval = interval
        self._rss = rss
        self._trim = trim
        self.floor: int | None = None
        self.reclaims = 0

    async def step(self) -> None:
        """One check: record the floor, or reclaim when far above it."""
        rss = self._rss()
        if rss is None:
            return
        if self.floor is None or rss < self.floor:
            self.floor = rss
            return
        if rss <= self.floor * _ABOVE_FLOOR:
            return
        gc.collect()
        if self._trim is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._trim)
        self.reclaims += 1
        log.debug("memory: reclaimed at %d bytes (floor %d)", rss, self.floor)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.step()


__all__ = ["MemoryReclaimer", "current_rss", "glibc_trim"]
