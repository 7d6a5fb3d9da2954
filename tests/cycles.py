"""What a block of code leaves for the cycle collector: objects freed only by it.

A failure path that keeps its exception in a local makes a cycle (the
exception's traceback holds the frame that holds the exception), and such a
cycle keeps every frame of the traceback, with their locals, until the next
full collection. Under load that is memory held for nothing.
"""

from __future__ import annotations

import gc
import types
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """Collects, with the collector off inside the block, what it would free after it."""
    gc.collect()
    gc.disable()
    found: list[object] = []
    try:
        yield found
    finally:
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            found.extend(gc.garbage)
        finally:
            gc.garbage.clear()
            gc.set_debug(0)
            gc.enable()


def frames_of(garbage: list[object], package: str = "/lip/") -> list[str]:
    """The functions of ``package`` whose frames are among ``garbage``."""
    return sorted(
        o.f_code.co_qualname
        for o in garbage
        if isinstance(o, types.FrameType) and package in o.f_code.co_filename
    )
