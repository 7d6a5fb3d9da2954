"""The listening sockets of ``lip serve --workers N``."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from lip.server.workers import _BALANCED, listeners

HOST = "127.0.0.1"
BURST = 64


def _accept_all(sock: socket.socket) -> int:
    """Accept (and close) every connection queued on ``sock``."""
    sock.setblocking(False)
    accepted = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return accepted
        conn.close()
        accepted += 1


@contextmanager
def _listening(slots: int, backlog: int) -> Iterator[tuple[list[socket.socket], int, ExitStack]]:
    """:func:`listeners` on a free port: the sockets, the port, and a stack
    that closes them (and whatever the test adds) on exit."""
    sockets = listeners(HOST, 0, slots, backlog)
    with ExitStack() as stack:
        for sock in set(sockets):
            stack.callback(sock.close)
        yield sockets, sockets[0].getsockname()[1], stack


def test_a_burst_of_connections_is_spread_across_the_slots() -> None:
    with _listening(2, 128) as (sockets, port, stack):
        assert {s.getsockname()[1] for s in sockets} == {port}
        # Every connection is made before any slot accepts: they wait in the
        # backlogs, as they do while the workers start.
        for _ in range(BURST):
            client = stack.enter_context(socket.create_connection((HOST, port), timeout=5))
            client.sendall(b"x")
        if not _BALANCED:
            assert sockets[0] is sockets[1]
            assert _accept_all(sockets[0]) == BURST
            return
        counts = [_accept_all(sock) for sock in sockets]
    assert sum(counts) == BURST
    # The kernel hashes each connection to a slot: a split worse than 10/54
    # has a chance of about one in a million.
    assert min(counts) >= 10, counts


def test_the_slots_share_one_port_that_no_other_socket_can_take() -> None:
    with _listening(3, 16) as (_, port, stack):
        intruder = socket.socket()
        stack.callback(intruder.close)
        intruder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        with pytest.raises(OSError):
            intruder.bind((HOST, port))


def test_an_address_in_use_is_an_error() -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        with pytest.raises(OSError):
            listeners(HOST, taken.getsockname()[1], 2, 16)
