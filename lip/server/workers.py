"""``lip serve --workers N``: one process per core.

The supervisor opens the listening sockets (:func:`listeners`), then forks
``N`` workers; each builds its own app (its own event loop, upstream pools
and runtime) and accepts on its slot's socket. The supervisor runs no event
loop and serves nothing:

- on Linux each slot has a socket of its own on the one address
  (``SO_REUSEPORT``), and the kernel spreads new connections evenly across
  them by their address hash. With one shared socket, the worker that wakes
  first accepts everything already queued (the event loop accepts until the
  queue is empty), so a burst of connections could all land on one worker
  and leave the others idle for as long as those connections live. The
  supervisor keeps every slot's socket open, so connections that reach a
  slot whose worker is starting or being replaced wait in its backlog;
- elsewhere (``SO_REUSEPORT`` does not balance on the BSDs) the slots share
  one socket;

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
import sys
import time
from collections.abc import Callable, Sequence
from types import FrameType

log = logging.getLogger("lip.server")

_FAST_FAILURE = 1.0
"""A worker dying sooner than this after its start is restarted after a pause."""


_BALANCED = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
"""Whether the kernel balances connections across ``SO_REUSEPORT`` sockets."""


def listeners(host: str, port: int, slots: int, backlog: int) -> list[socket.socket]:
    """One listening socket per worker slot on ``host:port`` (port 0: one
    free port for all); on systems other than Linux, one socket shared by
    every slot. Raises ``OSError`` when the address cannot be bound."""
    first = _listening(host, port, backlog, reuse_port=_BALANCED)
    if not _BALANCED:
        return [first] * slots
    bound = first.getsockname()[1]
    sockets = [first]
    try:
        sockets += [_listening(host, bound, backlog, reuse_port=True) for _ in range(slots - 1)]
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _listening(host: str, port: int, backlog: int, *, reuse_port: bool) -> socket.socket:
    """A listening TCP socket (IPv6 when ``host`` is an IPv6 address), as
    uvicorn binds its own, plus ``SO_REUSEPORT`` when asked."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def supervise(sockets: Sequence[socket.socket], run_worker: Callable[[socket.socket], int]) -> int:
    """Run ``run_worker(sock)`` in one forked process per socket of
    ``sockets`` (:func:`listeners`: one per slot) until a signal stops them;
    the exit status is 0 when every worker exited 0."""
    children: dict[int, tuple[int, float]] = {}  # pid -> (slot, started at)
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            own = sockets[slot]
            for other in sockets:  # the other slots' sockets are theirs
                if other is not own:
                    other.close()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            # Until the worker's loop takes SIGHUP over (a reload), not a reason to die.
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            code = 1
            try:
                code = run_worker(own)
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
    for slot in range(len(sockets)):
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


__all__ = ["listeners", "supervise"]
