"""The command line, including `lip serve` with no config as a real process."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import openai
import pytest

from lip.cli import main

GOOD = """
backends:
  - {id: local, kind: openai-compatible, base_url: "http://127.0.0.1:11434/v1", models: ["llama3:8b"]}
  - {id: stub, kind: localstub, models: [lip-stub], model_map: {cheap: lip-stub}}
routing:
  default_route: stub:lip-stub
  model_aliases: [{match: "local-(.*)", replace: 'local:\\1'}]
"""


def test_check_config_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(GOOD)
    assert main(["check-config", "--config", str(path)]) == 0
    assert "OK (2 backend(s))" in capsys.readouterr().out


def test_check_config_invalid_exits_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text("backends:\n  - {id: a, kind: openai-compatible}\n")
    with pytest.raises(SystemExit) as info:
        main(["check-config", "--config", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "(id 'a').base_url: required for kind 'openai-compatible'" in err


def test_routes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(GOOD)
    assert main(["routes", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "default route: stub:lip-stub" in out
    assert "local-(.*) -> local:\\1" in out
    assert "llama3:8b -> local" in out and "cheap -> stub" in out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_no_config_serves_the_stub() -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lip.cli", "serve", "--port", str(port), "--log-level", "info"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "lip serve did not become ready"
            time.sleep(0.1)
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="x", max_retries=0)
        reply = client.chat.completions.create(
            model="lip-stub", messages=[{"role": "user", "content": "ping"}]
        )
        assert reply.choices[0].message.content == "You said: ping"
        chunks = list(
            client.chat.completions.create(
                model="lip-stub", messages=[{"role": "user", "content": "ping"}], stream=True
            )
        )
        assert "".join(c.choices[0].delta.content or "" for c in chunks) == "You said: ping"
    finally:
        proc.terminate()
        proc.wait(10)
        log = proc.stderr.read().decode() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    assert (
        "protocols openai_chat, anthropic_messages, openai_responses, gemini; backends stub (localstub);"
        " default route stub:lip-stub" in log
    )
    assert re.search(r"LIP ready \(pid \d+, RSS \d+ MiB\)", log)
    assert "Traceback" not in log


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    """Kill a supervisor still running and its workers: a worker left behind
    would hold the log pipe open, and closing it would then block."""
    if proc.poll() is None:
        for child in _children(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        proc.kill()
        proc.wait(10)


def _wait_until(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


@contextlib.contextmanager
def _supervisor(*args: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """``lip serve --workers 2`` plus ``args`` as a real process, and its log
    as it comes (a reader thread fills the list). On exit the supervisor and
    its workers are gone, whatever the test did."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "lip.cli", "serve", *args, "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr or ()), daemon=True)
    reader.start()
    try:
        yield proc, lines
    finally:
        _kill_tree(proc)
        reader.join(10)
        if proc.stderr:
            proc.stderr.close()


def _count(lines: list[str], text: str) -> int:
    return sum(text in line for line in list(lines))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_serve_with_workers_replaces_a_dead_worker_and_drains_on_sigterm() -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    body = {"model": "lip-stub", "messages": [{"role": "user", "content": "ping"}]}

    def serving() -> bool:
        try:
            return (
                httpx.post(f"{base}/v1/chat/completions", json=body, timeout=5).status_code == 200
            )
        except httpx.TransportError:
            return False

    # The log is read as it comes: a worker is killed only once ready.
    with _supervisor("--port", str(port)) as (proc, lines):

        def ready() -> int:
            return _count(lines, "LIP ready (pid")

        _wait_until(lambda: len(_children(proc.pid)) == 2 and ready() == 2, "2 workers ready")
        assert serving()
        victim = min(_children(proc.pid))
        os.kill(victim, signal.SIGKILL)
        _wait_until(
            lambda: len(_children(proc.pid)) == 2 and victim not in _children(proc.pid),
            "the dead worker replaced",
        )
        _wait_until(lambda: ready() == 3, "the replacement ready")
        assert all(serving() for _ in range(10))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    log = "".join(lines)
    assert log.count("LIP ready (pid") == 3  # two workers, then the replacement
    assert f"(pid {victim}) exited with -9; starting another" in log


def _established_by_pid(pids: set[int], port: int) -> dict[int, int]:
    """Connections to local ``port`` each process holds (Linux ``/proc``)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for row in Path(table).read_text().splitlines()[1:]:
                fields = row.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # ESTABLISHED
                    inodes.add(fields[9])
    held: dict[int, int] = {}
    for pid in pids:
        links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        held[pid] = sum(link[8:-1] in inodes for link in links if link.startswith("socket:["))
    return held


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_serve_with_workers_spreads_a_burst_of_connections() -> None:
    port = _free_port()
    clients: list[socket.socket] = []
    with _supervisor("--port", str(port)) as (proc, lines):
        _wait_until(lambda: _count(lines, "LIP ready (pid") == 2, "2 workers ready")
        # A burst arrives while the workers are busy (stopped here), and one
        # worker gets to accept well before the other.
        first, second = sorted(_children(proc.pid))
        os.kill(first, signal.SIGSTOP)
        os.kill(second, signal.SIGSTOP)
        try:
            clients = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(64)]
            os.kill(first, signal.SIGCONT)
            time.sleep(0.5)
        finally:
            os.kill(first, signal.SIGCONT)
            os.kill(second, signal.SIGCONT)
        try:
            for client in clients:
                client.sendall(b"GET /healthz HTTP/1.1\r\nHost: lip\r\n\r\n")
            for client in clients:
                assert client.recv(65536).startswith(b"HTTP/1.1 200")
            held = _established_by_pid({first, second}, port)
        finally:
            for client in clients:
                client.close()
        assert sum(held.values()) == 64, held
        # Spread by the kernel's hash: a split worse than 10/54 has a chance of
        # about one in a million. (On one shared socket the first took them all.)
        assert min(held.values()) >= 10, held
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0


def test_emulate_serves_the_openai_chat_emulator() -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lip.cli",
            "emulate",
            "openai-chat",
            "--port",
            str(port),
            "--api-key",
            "sk-emu-key-123456",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        client = openai.OpenAI(base_url=f"{base}/v1", api_key="sk-emu-key-123456", max_retries=0)
        reply = client.chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "hi"}]
        )
        assert reply.choices[0].message.content == "Echo: hi"
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{base}/v1", api_key="wrong", max_retries=0).models.list()
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize(
    "route, problem",
    [
        ("nobackend:model", "`nobackend:model` does not exist"),
        ("s:only | ", "position 9: expected a target after '|'"),
        ("s:only ^ [weight=0]s:only", "position 17: weight must be > 0"),
    ],
)
def test_check_config_resolves_the_default_route(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], route: str, problem: str
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(
        f"backends: [{{id: s, kind: localstub, models: [only]}}]\nrouting: {{default_route: '{route}'}}\n"
    )
    with pytest.raises(SystemExit) as info:
        main(["check-config", "--config", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "routing.default_route" in err and problem in err and str(path) in err


def test_check_config_points_at_the_bad_selector(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(
        "backends: [{id: s, kind: localstub}]\nrouting: {default_route: 's:a ^ [handicap=1]s:b'}\n"
    )
    with pytest.raises(SystemExit) as info:
        main(["check-config", "--config", str(path)])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"lip: {path}: routing.default_route: route selector error at position 7: "
        "handicap applies only to an operand of '!'",
        "    s:a ^ [handicap=1]s:b",
        "           ^",
    ]


@pytest.mark.parametrize(
    "alias, problem, caret",
    [
        (
            "{match: fast, replace: 's:a | | s:b'}",
            "routing.model_aliases[1]: route selector error at position 6: "
            "expected a target after '|', found '|'",
            ["    s:a | | s:b", "          ^"],
        ),
        (
            "{match: 'x-(.*)', replace: 's:\\1 | s:\\2'}",
            "routing.model_aliases[1].replace: template error at position 10: "
            "invalid group reference 2",
            ["    s:\\1 | s:\\2", "              ^"],
        ),
    ],
)
def test_check_config_rejects_a_bad_alias(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], alias: str, problem: str, caret: list[str]
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(
        "backends: [{id: s, kind: localstub}]\n"
        f"routing: {{model_aliases: [{{match: ok, replace: s:a}}, {alias}]}}\n"
    )
    with pytest.raises(SystemExit) as info:
        main(["check-config", "--config", str(path)])
    assert info.value.code == 2
    assert capsys.readouterr().err.splitlines() == [f"lip: {path}: {problem}", *caret]


def test_routes_prints_plan_trees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text(
        GOOD.replace(
            "default_route: stub:lip-stub",
            "default_route: '{ttft_timeout=20} cheap | ([weight=3]local:llama3:8b ^ stub:x)'",
        ).replace(
            "model_aliases: [",
            "model_aliases: [{match: 'race-(.*)', replace: 'local:\\1 ! [handicap=0.5]stub:\\1'},"
            " {match: fast, replace: 'local:llama3:8b'},",
        )
    )
    assert main(["routes", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    expected = """\
default route: {ttft_timeout=20} cheap | ([weight=3]local:llama3:8b ^ stub:x)
  plan of '{ttft_timeout=20} cheap | ([weight=3]local:llama3:8b ^ stub:x)': 3 legs, first output within 20s
    | failover
      leg backend=stub model=cheap upstream=lip-stub
      ^ weighted
        leg backend=local model=llama3:8b upstream=llama3:8b [weight=3]
        leg backend=stub model=x upstream=x
backends:
"""
    assert out.startswith(expected)
    aliases = out[out.index("model aliases (applied in order):") : out.index("\nmodels:\n")]
    assert aliases.splitlines()[1:] == [
        "  race-(.*) -> local:\\1 ! [handicap=0.5]stub:\\1",
        "    (uses the match's groups: resolved on each call)",
        "    shape: local:\\1 ! [handicap=0.5]stub:\\1",
        "      ! race",
        "        local:\\1",
        "        stub:\\1 [handicap=0.5]",
        "  fast -> local:llama3:8b",
        "    plan of 'local:llama3:8b': 1 leg, first output within 300s",
        "      leg backend=local model=llama3:8b upstream=llama3:8b",
        "  local-(.*) -> local:\\1",
        "    (uses the match's groups: resolved on each call)",
    ]


def test_keys_new_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    from lip.access import KeyRing
    from lip.config import ClientKeyConfig

    assert main(["keys", "new", "--id", "alice", "--owner", "Alice O'Neil", "--team", "ml"]) == 0
    captured = capsys.readouterr()
    key, line = captured.out.splitlines()
    assert key.startswith("lip-") and len(key) >= 36
    assert line.startswith("- {id: alice, hash: ")
    (entry,) = yaml.safe_load(line)
    assert entry["owner"] == "Alice O'Neil" and entry["team"] == "ml"
    assert KeyRing([ClientKeyConfig.model_validate(entry)]).verify(key).id == "alice"
    assert key not in line and key not in captured.err and "shown once" in captured.err


def test_keys_new_defaults_and_checks_the_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "new"]) == 0
    first_key, line = capsys.readouterr().out.splitlines()
    assert re.match(r"- \{id: key-[0-9a-f]{8}, hash: ", line)
    assert main(["keys", "new"]) == 0
    assert capsys.readouterr().out.splitlines()[0] != first_key
    with pytest.raises(SystemExit) as info:
        main(["keys", "new", "--id", "not ok"])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "--id: must be letters, digits" in captured.err


def test_check_config_refuses_open_mode_on_a_public_bind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text("server: {host: 0.0.0.0}\nbackends: [{id: s, kind: localstub}]\n")
    with pytest.raises(SystemExit) as info:
        main(["check-config", "--config", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "access.mode is 'open' but server.host '0.0.0.0'" in err
    assert "access.allow_open_on_public_bind: true" in err


def test_serve_refuses_open_mode_on_a_public_host_override(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text("backends: [{id: s, kind: localstub}]\n")
    with pytest.raises(SystemExit) as info:
        main(["serve", "--config", str(path), "--host", "0.0.0.0"])
    assert info.value.code == 2
    assert "server.host '0.0.0.0' is not a loopback address" in capsys.readouterr().err


def test_check_config_reads_the_keys_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys.yaml"
    keys.write_text("- {id: a, key: short}\n")
    path = tmp_path / "lip.yaml"
    path.write_text(
        f"backends: [{{id: s, kind: localstub}}]\naccess: {{mode: keys, keys_file: '{keys}'}}\n"
    )
    with pytest.raises(SystemExit) as info:
        main(["check-config", "--config", str(path)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "[0] (id 'a').key: must be at least 16 characters" in err and "short" not in err
    keys.write_text("- {id: a, key: a-long-enough-client-key}\n")
    assert main(["check-config", "--config", str(path)]) == 0


def test_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    secret = "sk-cli-inventory-Secret-0123"
    path = tmp_path / "lip.yaml"
    path.write_text(
        GOOD.replace('models: ["llama3:8b"]', f'models: ["llama3:8b"], api_key: {secret}')
    )
    assert main(["inventory", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert secret not in out
    doc = json.loads(out)
    assert set(doc) == {"protocols", "kinds", "backends", "default_route", "aliases", "models"}
    assert [b["id"] for b in doc["backends"]] == ["local", "stub"]
    assert doc["backends"][0]["upstreams"][0]["keys"][0].startswith("key-")
    assert doc["default_route"]["selector"] == "stub:lip-stub"
    assert doc["aliases"][0]["match"] == "local-(.*)"
    assert any(r["path"] == "/v1/messages" for p in doc["protocols"] for r in p["routes"])


def test_inventory_of_an_invalid_config_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text("backends:\n  - {id: a, kind: openai-compatible}\n")
    with pytest.raises(SystemExit) as info:
        main(["inventory", "--config", str(path)])
    assert info.value.code == 2
    assert "(id 'a').base_url: required" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_sighup_to_the_supervisor_reloads_every_worker(tmp_path: Path) -> None:
    path = tmp_path / "lip.yaml"
    path.write_text("backends: [{id: stub, kind: localstub, models: [lip-stub]}]\n")
    port = _free_port()

    def status(model: str) -> int:
        body = {"model": model, "messages": [{"role": "user", "content": "ping"}]}
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        return httpx.post(url, json=body, timeout=5).status_code

    with _supervisor("--config", str(path), "--port", str(port)) as (proc, lines):
        _wait_until(lambda: _count(lines, "LIP ready (pid") == 2, "2 workers ready")
        assert status("other") == 404
        path.write_text("backends: [{id: stub, kind: localstub, models: [lip-stub, other]}]\n")
        proc.send_signal(signal.SIGHUP)
        _wait_until(lambda: _count(lines, "config reloaded from") == 2, "both workers reloaded")
        assert all(status("other") == 200 for _ in range(10))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    assert "Traceback" not in "".join(lines)
