"""Hot reload over a real loopback server: a changed config applies to new
requests, a request already running finishes on the config it started with,
an invalid config is refused (its key named in the log) while the old one
keeps serving, and the old runtime closes after its last request. The file
watcher is the trigger here (SIGHUP is ``lip serve``'s: tests/test_cli.py)."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from lip.server import ReloadableApp, server_options
from refbackends.openai_chat import create_app as create_emulator
from refbackends.serving import serve_in_thread

KEY_A = "reload-key-a-0123456789"
KEY_B = "reload-key-b-0123456789"
UPSTREAM_KEY = "sk-upstream-reload-0123456789"


def chat(model: str, **more: object) -> dict[str, object]:
    return {"model": model, "messages": [{"role": "user", "content": "hello there"}], **more}


def config(
    upstream: str,
    *,
    keys: tuple[str, ...] = (KEY_A,),
    default_route: str = "stub:lip-stub",
    extra: str = "",
    emu: bool = True,
    server: str = "",
) -> str:
    listed = "".join(f"    - {{id: k{i}, key: {k}}}\n" for i, k in enumerate(keys))
    emu_backend = (
        f"  - {{id: emu, kind: openai-compatible, base_url: '{upstream}/v1', "
        f"api_key: {UPSTREAM_KEY}, models: [gpt-4o-mini]}}\n"
        if emu
        else ""
    )
    return f"""
server:
  host: 127.0.0.1
{server}
observability:
  reload: {{watch: true}}
backends:
{emu_backend}  - {{id: stub, kind: localstub, models: [lip-stub]}}
{extra}
routing:
  default_route: "{default_route}"
access:
  mode: keys
  keys:
{listed}"""


def write(path: Path, text: str) -> None:
    """Replace the file whole, as editors and config managers do."""
    staged = path.with_suffix(".tmp")
    staged.write_text(text)
    os.replace(staged, path)


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    with serve_in_thread(create_emulator(api_key=UPSTREAM_KEY)) as url:
        yield url


@pytest.fixture
def emulator(upstream: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{upstream}/__emulator__", timeout=5) as control:
        control.delete("/scripts")
        yield control


@contextmanager
def serving(path: Path) -> Iterator[tuple[ReloadableApp, httpx.Client]]:
    app = ReloadableApp(path, watch_interval=0.05)
    with (
        serve_in_thread(app, lifespan="on", options=server_options(app)) as url,
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        yield app, client


def reloaded(app: ReloadableApp, path: Path, text: str) -> None:
    """Write a valid config and wait until it serves."""
    before = app.generation
    write(path, text)
    wait_for(lambda: app.generation > before)


def post(client: httpx.Client, body: dict[str, object], key: str = KEY_A) -> httpx.Response:
    return client.post(
        "/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}
    )


def test_a_changed_config_applies_to_new_requests(
    tmp_path: Path, upstream: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(config(upstream))
    with serving(path) as (app, client):
        assert post(client, chat("lip-stub")).status_code == 200
        assert post(client, chat("lip-stub"), key=KEY_B).status_code == 401
        assert post(client, chat("other")).status_code == 404
        first = app.runtime
        new_backend = (
            "  - {id: stub2, kind: localstub, models: [other], model_map: {fast: other}}\n"
        )
        with caplog.at_level(logging.INFO, logger="lip.server"):
            reloaded(
                app,
                path,
                config(
                    upstream,
                    keys=(KEY_A, KEY_B),
                    extra=new_backend,
                    server="  max_connections: 100",
                ),
            )
        assert post(client, chat("lip-stub"), key=KEY_B).status_code == 200  # a key added
        reply = post(client, chat("other"))  # a backend added
        assert reply.status_code == 200
        assert post(client, chat("fast")).status_code == 200  # its model_map
        models = client.get("/v1/models", headers={"authorization": f"Bearer {KEY_A}"})
        assert "other" in {m["id"] for m in models.json()["data"]}
        # Server-held settings wait for a restart, and the log says so.
        assert "server.max_connections changed and only take effect after a restart" in (
            caplog.text
        )
        # Stored Responses survive: the unchanged state section's store is handed over.
        assert app.runtime is not first and app.runtime.state is first.state
        wait_for(lambda: not first.ready)  # nothing in flight: closed at once


def test_limit_counts_go_on_through_a_reload_until_their_store_changes(
    tmp_path: Path, upstream: str
) -> None:
    limited = f"{{id: k0, key: {KEY_A}, limits: {{rpm: 2}}}}"

    def text(extra: str = "", keys: tuple[str, ...] = (KEY_A,)) -> str:
        return config(upstream, keys=keys, extra=extra).replace(
            f"{{id: k0, key: {KEY_A}}}", limited
        )

    path = tmp_path / "lip.yaml"
    path.write_text(text())
    with serving(path) as (app, client):
        assert [post(client, chat("lip-stub")).status_code for _ in range(3)] == [200, 200, 429]
        first = app.runtime
        reloaded(app, path, text(keys=(KEY_A, KEY_B)))
        assert app.runtime is not first
        assert post(client, chat("lip-stub")).status_code == 429  # still this minute's count
        assert post(client, chat("lip-stub"), key=KEY_B).status_code == 200
        budgets = f"budgets: {{path: '{tmp_path / 'spend.db'}'}}\n"
        reloaded(app, path, text(extra=budgets, keys=(KEY_A, KEY_B)))
        assert post(client, chat("lip-stub")).status_code == 200  # new stores: counted afresh


def test_metrics_go_on_counting_through_a_reload(tmp_path: Path, upstream: str) -> None:
    def text(keys: tuple[str, ...]) -> str:
        metrics = "  reload: {watch: true}\n  metrics: {enabled: true}"
        return config(upstream, keys=keys).replace("  reload: {watch: true}", metrics)

    def requests_counted(client: httpx.Client) -> float:
        families = text_string_to_metric_families(client.get("/metrics").text)
        family = next(f for f in families if f.name == "lip_requests")
        return sum(s.value for s in family.samples if s.name == "lip_requests_total")

    path = tmp_path / "lip.yaml"
    path.write_text(text((KEY_A,)))
    with serving(path) as (app, client):
        assert [post(client, chat("lip-stub")).status_code for _ in range(2)] == [200, 200]
        assert requests_counted(client) == 2
        reloaded(app, path, text((KEY_A, KEY_B)))
        assert post(client, chat("lip-stub"), key=KEY_B).status_code == 200
        assert requests_counted(client) == 3


def test_a_stream_started_before_the_reload_finishes_on_the_old_config(
    tmp_path: Path, upstream: str, emulator: httpx.Client
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(config(upstream))
    words = ["one ", "two ", "three ", "four ", "five ", "six"]
    emulator.post(
        "/scripts",
        json=[{"plan": {"blocks": [{"text": words}], "finish": "stop"}, "chunk_delay_ms": 150}],
    ).raise_for_status()
    with serving(path) as (app, client):
        old = app.runtime
        headers = {"authorization": f"Bearer {KEY_A}"}
        body = chat("gpt-4o-mini", stream=True)
        with client.stream("POST", "/v1/chat/completions", json=body, headers=headers) as reply:
            assert reply.status_code == 200
            lines = reply.iter_lines()
            received = [next(lines)]
            # The emulator's backend is gone from the new config.
            reloaded(app, path, config(upstream, emu=False))
            assert old.ready  # still serving the stream: not closed yet
            received.extend(lines)
        text = "".join(received)
        assert all(w.strip() in text for w in words) and "[DONE]" in text
        wait_for(lambda: not old.ready)  # closed after its last request
        # New requests see the new config: the model is no longer served.
        assert post(client, chat("gpt-4o-mini")).status_code == 404


def test_an_invalid_config_is_refused_and_the_old_one_keeps_serving(
    tmp_path: Path, upstream: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(config(upstream))
    with serving(path) as (app, client), caplog.at_level(logging.ERROR, logger="lip.server"):
        bad = config(upstream, extra="  - {id: broken, kind: openai-compatible, models: [x]}")
        write(path, bad)
        wait_for(lambda: "config reload rejected" in caplog.text)
        # Named as `lip check-config` names it.
        assert "(id 'broken').base_url: required for kind 'openai-compatible'" in caplog.text
        assert app.generation == 1
        assert post(client, chat("lip-stub")).status_code == 200
        write(path, config(upstream, default_route="stub:lip-stub | nowhere"))
        wait_for(lambda: caplog.text.count("config reload rejected") == 2)
        assert "nowhere" in caplog.text and "^" in caplog.text  # the selector, with a caret
        assert UPSTREAM_KEY not in caplog.text and KEY_A not in caplog.text
        assert app.generation == 1
        assert post(client, chat("lip-stub")).status_code == 200


def test_sustained_load_through_five_changes_one_invalid_fails_nothing(
    tmp_path: Path, upstream: str
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(config(upstream))
    changes = [
        config(upstream, keys=(KEY_A, KEY_B)),
        config(upstream, default_route="emu:gpt-4o-mini"),
        config(upstream, extra="  - {id: broken, kind: openai-compatible, models: [x]}"),
        config(upstream, extra="  - {id: stub2, kind: localstub, models: [other]}"),
        config(
            upstream,
            keys=(KEY_B, KEY_A),
            default_route="stub2:other",
            extra="  - {id: stub2, kind: localstub, models: [other]}",
        ),
    ]
    failures: list[str] = []
    done = 0
    lock = threading.Lock()
    stop = threading.Event()

    def load(url: str, worker: int) -> None:
        nonlocal done
        with httpx.Client(base_url=url, timeout=10) as client:
            n = 0
            while not stop.is_set():
                n += 1
                model = "gpt-4o-mini" if n % 4 == 0 else "lip-stub"
                body = chat(model, stream=n % 3 == 0)
                started = time.monotonic()
                try:
                    reply = post(client, body)
                    ok = reply.status_code == 200 and (
                        "[DONE]" in reply.text if n % 3 == 0 else "choices" in reply.json()
                    )
                    if not ok:
                        failures.append(f"{reply.status_code}: {reply.text[:200]}")
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                with lock:
                    done += 1
                time.sleep(max(0.0, 0.08 - (time.monotonic() - started)))  # ~12/s each

    with serving(path) as (app, client), ThreadPoolExecutor(8) as pool:
        url = str(client.base_url).rstrip("/")
        running = [pool.submit(load, url, w) for w in range(8)]
        started = time.monotonic()
        # The acceptance scenario: ~100 req/s for 30 s, five changes, one invalid.
        for text in changes:
            time.sleep(5.0)
            write(path, text)
        time.sleep(5.0)
        stop.set()
        for job in running:
            job.result()
        elapsed = time.monotonic() - started
        assert app.generation == 5  # four applied, the invalid one refused
    assert failures == []
    assert done / elapsed > 20  # sustained load (~100/s unloaded), not a trickle
