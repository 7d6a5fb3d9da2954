"""The garbage collector's settings for a long-running server.

A gateway's heap is mostly what it loaded at startup (the wire models, the
config, the runtime) and a thin layer of per-request objects that live for
milliseconds. CPython's cyclic collector does not know that: every full
collection walks the whole heap, and with the default thresholds the young
collections run every 700 allocations. Measured on the benchmark of
``tox -e bench``, that was a fifth of LIP's CPU per request.

:func:`apply` (``lip serve`` calls it once the server has started, and again
after a config reload has retired the previous generation) collects once and
then freezes what is left (:func:`gc.freeze`: the startup heap is moved to a
permanent generation no collection walks), and sets the thresholds
``server.gc`` names (:class:`~lip.config.server.GcConfig`). Objects freed by
reference counting are freed as always, frozen or not; only cyclic garbage
among frozen objects would stay, which is why a reload unfreezes and
collects before freezing again.
"""

from __future__ import annotations

import gc
import logging
import time

from lip.config.server import GcConfig

__all__ = ["apply"]

log = logging.getLogger("lip.server")


def apply(config: GcConfig) -> None:
    """Collect, freeze the survivors (``config.freeze``) and set the thresholds."""
    started = time.perf_counter()
    gc.unfreeze()
    gc.collect()
    if config.freeze:
        gc.freeze()
    gc.set_threshold(*config.threshold)
    log.debug(
        "heap settled in %.1f ms: %d objects frozen, thresholds %s",
        (time.perf_counter() - started) * 1000,
        gc.get_freeze_count(),
        config.threshold,
    )
