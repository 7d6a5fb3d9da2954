"""``lip`` with glibc's ``malloc_trim(0)`` called at a fixed interval.

``python -m tests.bench.trimmed --every SECONDS [--collect] -- serve --config
lip.yaml`` runs ``lip serve`` unchanged, plus a daemon thread that asks
glibc to give free heap memory back to the kernel every ``SECONDS``; with
``--collect`` it runs a full ``gc.collect()`` first, which also empties
CPython's free lists (cached tuples, floats, dicts, ...) whose blocks
would otherwise keep heap pages in use. The soak benchmark
(``--malloc-trim``, ``--trim-gc``) uses it to measure what this does to
LIP's RSS after a burst, without touching LIP itself. Linux with glibc only.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import threading
from collections.abc import Sequence

from lip.cli import main as lip_main

__all__ = ["main", "start_trimming"]


def start_trimming(every: float, *, collect: bool = False) -> threading.Thread:
    """Start a daemon thread calling ``malloc_trim(0)`` every ``every`` seconds,
    each time after ``gc.collect()`` when ``collect``."""
    trim = ctypes.CDLL("libc.so.6").malloc_trim
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(every):
            if collect:
                gc.collect()
            trim(0)

    thread = threading.Thread(target=run, name="malloc-trim", daemon=True)
    thread.start()
    return thread


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``--every``, start trimming, then run ``lip`` with the rest."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.trimmed")
    parser.add_argument("--every", type=float, required=True, help="seconds between trims")
    parser.add_argument("--collect", action="store_true", help="gc.collect() before each trim")
    parser.add_argument("lip_args", nargs=argparse.REMAINDER, help="-- then lip's arguments")
    args = parser.parse_args(argv)
    lip_args = args.lip_args[1:] if args.lip_args[:1] == ["--"] else args.lip_args
    start_trimming(args.every, collect=args.collect)
    return lip_main(lip_args)


if __name__ == "__main__":
    raise SystemExit(main())
