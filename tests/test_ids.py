"""Random ids drawn from blocks of OS randomness."""

from __future__ import annotations

import os
import re
import threading

import pytest

from lip import ids
from lip.ids import random_hex


def test_ids_are_hex_of_the_size_asked_and_never_repeat() -> None:
    drawn = [random_hex(16) for _ in range(3 * ids._PER_BLOCK)]  # across block refills
    assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in drawn)
    assert len(set(drawn)) == len(drawn)
    assert re.fullmatch(r"[0-9a-f]{16}", random_hex(8))


def test_threads_never_get_the_same_id() -> None:
    found: list[list[str]] = [[] for _ in range(8)]

    def draw(into: list[str]) -> None:
        into.extend(random_hex(16) for _ in range(5_000))

    threads = [threading.Thread(target=draw, args=(into,)) for into in found]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [value for into in found for value in into]
    assert len(set(every)) == len(every) == 40_000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")
def test_a_forked_child_draws_from_a_block_of_its_own() -> None:
    random_hex(16)  # the parent's block is in use
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next id
        try:
            os.write(write, random_hex(16).encode())
        finally:
            os._exit(0)
    os.close(write)
    try:
        child = os.read(read, 64).decode()
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    assert re.fullmatch(r"[0-9a-f]{32}", child)
    assert child != random_hex(16)  # the id the parent hands out next
