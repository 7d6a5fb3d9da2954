"""``lip serve --workers N``: one process per core on one listening socket.

The supervisor binds the socket, then forks ``N`` workers; each builds its own
app (its own event loop, upstream pools and runtime) and accepts on the
shared socket, so the kernel spreads connections across them. The supervisor
runs no event loop and serves nothing:

- SIGTERM / SIGINT are passed to every worker, which drains as a single
  server does (``/readyz`` 503, streams finish or end with the in-stream
  error at the grace period end); the supervisor exits 0 when all of them
  did;
- SIGHUP is passed to every worker, which reloads its config
  (:mod:`lip.server.reload`);
- a worker that dies while no shutdown is under way is replaced (after a
  short pause if it dies within a second of starting, so a worker that
  cannot start does not spin).

POSIX only (``fork``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("lip.server")

_FAST_FAILURE = 1.0
"""A worker dying sooner than this after its start is restarted after a pause."""


def supervise(workers: int, sock: socket.socket, run_worker: Callable[[socket.socket], int]) -> int:
    """Run ``run_worker(sock)`` in ``workers`` forked processes until a signal
    stops them; the exit status is 0 when every worker exited 0."""
    children: dict[int, tuple[int, float]] = {}  # pid -> (slot, started at)
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            # Until the worker's loop takes SIGHUP over (a reload), not a reason to die.
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            code = 1
            try:
                code = run_worker(sock)
            except BaseException:  # reported, then the worker's exit status says it
                log.exception("worker %d failed", os.getpid())
            finally:
                logging.shutdown()
                os._exit(code)
        children[pid] = (slot, time.monotonic())
        log.info("worker %d started (pid %d)", slot, pid)

    def forward(sig: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    def reload(sig: int, frame: FrameType | None) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGHUP, reload)
    for slot in range(workers):
        spawn(slot)
    status = 0
    while children:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            break
        if pid not in children:
            continue
        slot, started = children.pop(pid)
        code = os.waitstatus_to_exitcode(wait_status)
        if stopping:
            if code != 0:
                status = 1
            continue
        log.warning("worker %d (pid %d) exited with %d; starting another", slot, pid, code)
        if time.monotonic() - started < _FAST_FAILURE:
            time.sleep(_FAST_FAILURE)
        if not stopping:
            spawn(slot)
    return status


__all__ = ["supervise"]
