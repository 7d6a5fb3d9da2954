"""Sharing the harness's pairs out among worker processes.

Everything a run does in Python (the SDK, LIP, the emulators, the
recording proxies) shares one interpreter lock, so one process keeps one
core busy at most. Each worker is a process of its own (spawned, so it
starts clean of the parent's threads) with its own servers and SDK clients
(:class:`parity.harness.Session`); it takes the next pair when it is done
with one, and the runs come back in the order of the pairs. Warnings are
errors in the workers, as in the test suite.

``LIP_PARITY_WORKERS`` sets how many (default: the machine's cores); with
one, the pairs run in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
import warnings
from collections.abc import Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING

from parity.scenario import Scenario

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from parity.harness import Driver, Pair, Run

__all__ = ["share_out", "worker_count"]

_WAIT = 30.0
"""Seconds between checks that the workers are still alive."""


def worker_count(pairs: int) -> int:
    """``LIP_PARITY_WORKERS``, else the cores, at most one per pair."""
    wanted = os.environ.get("LIP_PARITY_WORKERS", "")
    count = int(wanted) if wanted.isdigit() and int(wanted) > 0 else (os.cpu_count() or 1)
    return max(min(count, pairs), 1)


def _work(
    tasks: Queue[int | None],
    results: Queue[tuple[int, list[Run] | str]],
    pairs: Sequence[Pair],
    scenarios: Sequence[Scenario],
    drivers: Sequence[Driver],
) -> None:
    from parity.harness import Session

    warnings.simplefilter("error")
    with ExitStack() as stack:
        session = Session(stack, {p.backend for p in pairs}, drivers)
        while (index := tasks.get()) is not None:
            try:
                results.put((index, session.run(pairs[index], scenarios)))
            except Exception:
                results.put((index, traceback.format_exc()))
                return


def _lighter(pair: Pair) -> int:
    return (not pair.via_lip) + (pair.backend == "localstub")


def share_out(
    pairs: Sequence[Pair],
    scenarios: Sequence[Scenario],
    drivers: Sequence[Driver],
    workers: int | None = None,
) -> list[list[Run]]:
    """Each pair's runs, in the order of ``pairs``."""
    count = workers or worker_count(len(pairs))
    if count <= 1:
        from parity.harness import run_pairs

        return run_pairs(pairs, scenarios, drivers)
    context = multiprocessing.get_context("spawn")
    tasks: Queue[int | None] = context.Queue()
    results: Queue[tuple[int, list[Run] | str]] = context.Queue()
    # The pairs through LIP to an emulator first: they take longest.
    for index in sorted(range(len(pairs)), key=lambda i: _lighter(pairs[i])):
        tasks.put(index)
    for _ in range(count):
        tasks.put(None)
    processes = [
        context.Process(target=_work, args=(tasks, results, pairs, scenarios, drivers))
        for _ in range(count)
    ]
    for process in processes:
        process.start()
    done: dict[int, list[Run]] = {}
    try:
        while len(done) < len(pairs):
            try:
                index, outcome = results.get(timeout=_WAIT)
            except queue.Empty:
                dead = [p.exitcode for p in processes if not p.is_alive()]
                if dead and len(dead) == len(processes):
                    raise RuntimeError(f"the parity workers exited ({dead})") from None
                continue
            if isinstance(outcome, str):
                raise RuntimeError(f"{pairs[index].name}: {outcome}")
            done[index] = outcome
    finally:
        for process in processes:
            if process.is_alive() and len(done) < len(pairs):
                process.terminate()
            process.join(30)
    return [done[index] for index in range(len(pairs))]
