"""The garbage collector's settings of a server process (:mod:`lip.server.heap`)."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from lip.config import load_config
from lip.config.server import GcConfig
from lip.server import ReloadableApp, heap, server_options
from refbackends.serving import serve_in_thread


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_gc")
def test_apply_freezes_the_heap_and_sets_the_thresholds() -> None:
    heap.apply(GcConfig())
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (10_000, 50, 100)


@pytest.mark.usefixtures("restored_gc")
def test_apply_without_freeze_leaves_nothing_frozen() -> None:
    heap.apply(GcConfig(freeze=True))
    heap.apply(GcConfig(freeze=False, threshold=(700, 10, 10)))
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.usefixtures("restored_gc")
def test_cyclic_garbage_made_after_a_freeze_is_still_collected() -> None:
    heap.apply(GcConfig())

    class Node:
        def __init__(self) -> None:
            self.me = self

    before = sum(isinstance(o, Node) for o in gc.get_objects())
    for _ in range(100):
        Node()
    gc.collect()
    assert sum(isinstance(o, Node) for o in gc.get_objects()) == before


@pytest.mark.usefixtures("restored_gc")
def test_a_reapply_collects_what_the_previous_freeze_held() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    held = [Node() for _ in range(10)]
    heap.apply(GcConfig())  # the nodes are frozen now
    del held  # a retired config generation: cyclic, unreachable, frozen
    heap.apply(GcConfig())  # unfreeze, collect, freeze again
    assert not any(isinstance(o, Node) for o in gc.get_objects())


def test_the_config_bounds_the_thresholds() -> None:
    assert load_config(None).server.gc == GcConfig()
    with pytest.raises(ValidationError):
        GcConfig(threshold=(0, 10, 10))
    with pytest.raises(ValidationError):
        GcConfig.model_validate({"threshold": [700, 10]})


def _config(threshold: int) -> str:
    return f"""
server:
  host: 127.0.0.1
  gc: {{threshold: [{threshold}, 20, 30]}}
observability:
  reload: {{watch: true}}
backends:
  - {{id: stub, kind: localstub, models: [lip-stub]}}
routing:
  default_route: "stub:lip-stub"
"""


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.usefixtures("restored_gc")
def test_a_server_settles_its_heap_at_startup_and_after_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(_config(5_000))
    gc.unfreeze()
    app = ReloadableApp(path, watch_interval=0.05, settle_heap=True)
    with (
        serve_in_thread(app, lifespan="on", options=server_options(app)) as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        assert gc.get_threshold() == (5_000, 20, 30)
        assert gc.get_freeze_count() > 0
        staged = tmp_path / "lip.tmp"
        staged.write_text(_config(6_000))
        os.replace(staged, path)
        _wait_for(lambda: gc.get_threshold() == (6_000, 20, 30))  # once the old one retired
        assert gc.get_freeze_count() > 0
        assert client.get("/healthz").status_code == 200
