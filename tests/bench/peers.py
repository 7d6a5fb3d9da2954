"""Other LLM gateways to compare LIP with: LiteLLM's proxy and Portkey's gateway.

Each is installed outside the repository, in a cache folder (default
``~/.cache/lip-bench/``), and reused by later runs:

- ``litellm/``: a venv (``python3 -m venv``) with ``litellm[proxy]`` at
  :data:`LITELLM_VERSION` (the newest 1.x when that release is not on the
  index);
- ``portkey/``: ``npm install @portkey-ai/gateway`` at :data:`PORTKEY_VERSION`
  (the newest 1.x when absent).

An ``installed.json`` beside each records what was asked for and what was
installed; a run whose pins match skips the install. A failed install or
start is printed and the benchmark goes on without that gateway.

Both listen on loopback only and reach nothing but the upstream they are
given:

- LiteLLM runs its proxy server (``litellm --config``, one uvicorn worker, the
  documented default per container) with a model list routing ``gpt-4o-mini``
  to ``openai/gpt-4o-mini`` at the upstream, a random master key (it refuses
  to start without one), no database, and telemetry, the remote model cost
  map, ``.env`` loading and the admin UI turned off;
- Portkey's gateway (``build/start-server.js --headless``, ``NODE_ENV=production``)
  is routed per request by headers: ``x-portkey-provider: openai`` and
  ``x-portkey-custom-host`` naming the upstream. It binds every interface on
  its own, so a ``--require`` preload pins its listener to the benchmark host.

Portkey 1.15.2 on Node 20 answers every streamed request with a 500: it
appends headers to the upstream's ``fetch`` Response, whose headers are
immutable there (``TypeError: immutable`` in its log). The benchmark counts
those as failed streams.

``python -m tests.bench.peers [--peers-dir DIR]`` only installs (or checks)
both, so a benchmark run does not pay for it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from tests.bench.servers import API_KEY, ServerProcess, free_port, start_server

__all__ = [
    "DEFAULT_PEERS_DIR",
    "LITELLM_VERSION",
    "PORTKEY_VERSION",
    "Installed",
    "Peer",
    "install_litellm",
    "install_portkey",
    "launch_peers",
    "main",
]

LITELLM_VERSION = "1.106.2"
PORTKEY_VERSION = "1.15.2"
DEFAULT_PEERS_DIR = Path.home() / ".cache" / "lip-bench"
MODEL = "gpt-4o-mini"
_PORTKEY_PACKAGE = "@portkey-ai/gateway"
_INSTALL_TIMEOUT_S = 1200.0
_START_TIMEOUT_S = 120.0

_LITELLM_CONFIG = """\
model_list:
  - model_name: {model}
    litellm_params:
      model: openai/{model}
      api_base: {upstream_url}
      api_key: {key}
litellm_settings:
  telemetry: false
  set_verbose: false
"""

# Node's http server binds every interface when no host is given; this
# preload makes a bare-port listen() bind LIP_BENCH_LISTEN_HOST instead.
_LOOPBACK_PRELOAD = """\
const net = require("node:net");
const host = process.env.LIP_BENCH_LISTEN_HOST;
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, hostname, ...rest) {
  if (host && typeof port === "number" && (hostname === undefined || typeof hostname === "function")) {
    return hostname === undefined
      ? listen.call(this, port, host, ...rest)
      : listen.call(this, port, host, hostname, ...rest);
  }
  return listen.call(this, port, hostname, ...rest);
};
"""

# Variables that would point a peer's interpreter at the benchmark's own venv.
_PYTHON_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


@dataclass(frozen=True)
class Installed:
    """A gateway ready to start: its version, the command prefix and its folder."""

    name: str
    version: str
    argv: tuple[str, ...]
    folder: Path
    runtime: str = ""
    """What runs it (``node v20...`` for Portkey), for the report."""


@dataclass(frozen=True)
class Peer:
    """A running gateway and the headers a client sends it on every request."""

    name: str
    version: str
    runtime: str
    server: ServerProcess
    headers: tuple[tuple[str, str], ...]


def _say(message: str) -> None:
    print(f"peers: {message}", file=sys.stderr, flush=True)


def _run(argv: Sequence[str], log: Path, cwd: Path | None = None) -> bool:
    """Run an install step, appending its output to ``log``; True on exit 0."""
    with log.open("ab") as out:
        out.write(f"$ {' '.join(argv)}\n".encode())
        out.flush()
        try:
            done = subprocess.run(
                list(argv),
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=_env_without_python(),
                timeout=_INSTALL_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            out.write(f"{exc}\n".encode())
            return False
    return done.returncode == 0


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    # pip repeats a warning per package for this machine's unused local indexes.
    useful = [line for line in text if "is ignored: it is neither a file" not in line]
    return "\n".join(f"    {line}" for line in useful[-lines:])


def _marker_ok(folder: Path, requested: str) -> str | None:
    """The installed version recorded in ``installed.json`` for ``requested``."""
    try:
        data = json.loads((folder / "installed.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("requested") != requested:
        return None
    version = data.get("version")
    return version if isinstance(version, str) else None


def _write_marker(folder: Path, requested: str, version: str) -> None:
    marker = {"requested": requested, "version": version}
    (folder / "installed.json").write_text(json.dumps(marker) + "\n")


def _announce(name: str, requested: str, version: str) -> None:
    if version == requested:
        _say(f"{name} {version} installed")
    else:
        _say(f"{name} {requested} is not available; installed the newest 1.x: {version}")


def _env_without_python() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _PYTHON_ENV}


def install_litellm(root: Path, version: str = LITELLM_VERSION) -> Installed | None:
    """LiteLLM's proxy in ``root/litellm/venv`` (installed on first use), or None."""
    folder = root / "litellm"
    venv = folder / "venv"
    python, entry = venv / "bin" / "python", venv / "bin" / "litellm"
    found = _marker_ok(folder, version)
    if found is None or not entry.exists():
        found = _pip_install_litellm(folder, version)
        if found is None:
            return None
    return Installed("litellm", found, (str(python), str(entry)), folder)


def _pip_install_litellm(folder: Path, version: str) -> str | None:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "install.log"
    venv = folder / "venv"
    python = venv / "bin" / "python"
    base = shutil.which("python3") or sys.executable
    _say(f"installing litellm[proxy]=={version} into {venv} (log: {log})")
    if not python.exists() and not _run([base, "-m", "venv", str(venv)], log):
        _say(f"litellm: creating the venv failed:\n{_tail(log)}")
        return None
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if not _run([*pip, f"litellm[proxy]=={version}"], log):
        _say(f"litellm {version}: install failed, trying the newest 1.x")
        if not _run([*pip, "litellm[proxy]>=1,<2"], log):
            _say(f"litellm: install failed:\n{_tail(log)}")
            return None
    found = _installed_version(python, "litellm")
    if found is None:
        _say(f"litellm: installed, but its version cannot be read:\n{_tail(log)}")
        return None
    _write_marker(folder, version, found)
    _announce("litellm", version, found)
    return found


def _installed_version(python: Path, package: str) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    try:
        done = subprocess.run(
            [str(python), "-c", code],
            capture_output=True,
            text=True,
            env=_env_without_python(),
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def install_portkey(root: Path, version: str = PORTKEY_VERSION) -> Installed | None:
    """Portkey's gateway in ``root/portkey`` (installed on first use), or None."""
    node = shutil.which("node")
    if node is None:
        _say("portkey: node is not on PATH; skipped")
        return None
    folder = root / "portkey"
    package = folder / "node_modules" / _PORTKEY_PACKAGE
    found = _marker_ok(folder, version)
    if found is None or not (package / "package.json").exists():
        found = _npm_install_portkey(folder, version)
        if found is None:
            return None
    entry = _portkey_entry(package)
    if entry is None:
        _say(f"portkey: no start script in {package}")
        return None
    preload = folder / "loopback.cjs"
    preload.write_text(_LOOPBACK_PRELOAD)
    argv = (node, "--require", str(preload), str(entry))
    return Installed("portkey", found, argv, folder, runtime=f"node {_node_version(node)}")


def _npm_install_portkey(folder: Path, version: str) -> str | None:
    npm = shutil.which("npm")
    if npm is None:
        _say("portkey: npm is not on PATH; skipped")
        return None
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "package.json"
    if not manifest.exists():
        manifest.write_text('{"name": "lip-bench-peers", "private": true}\n')
    log = folder / "install.log"
    npm_install = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder)]
    _say(f"installing {_PORTKEY_PACKAGE}@{version} into {folder} (log: {log})")
    if not _run([*npm_install, f"{_PORTKEY_PACKAGE}@{version}"], log, cwd=folder):
        _say(f"portkey {version}: install failed, trying the newest 1.x")
        if not _run([*npm_install, f"{_PORTKEY_PACKAGE}@1"], log, cwd=folder):
            _say(f"portkey: install failed:\n{_tail(log)}")
            return None
    try:
        meta = json.loads((folder / "node_modules" / _PORTKEY_PACKAGE / "package.json").read_text())
        found = str(meta["version"])
    except (OSError, ValueError, KeyError):
        _say(f"portkey: installed, but its package.json cannot be read:\n{_tail(log)}")
        return None
    _write_marker(folder, version, found)
    _announce("portkey", version, found)
    return found


def _portkey_entry(package: Path) -> Path | None:
    """The gateway's Node entry point: its ``bin`` (``build/start-server.js``)."""
    try:
        meta = json.loads((package / "package.json").read_text())
    except (OSError, ValueError):
        return None
    binary = meta.get("bin")
    if isinstance(binary, dict):
        binary = next(iter(binary.values()), None)
    entry = package / (binary if isinstance(binary, str) else "build/start-server.js")
    return entry if entry.exists() else None


def _node_version(node: str) -> str:
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return done.stdout.strip() or "?"


def start_litellm(inst: Installed, host: str, upstream_url: str, work_dir: Path) -> Peer:
    """Start LiteLLM's proxy routed to ``upstream_url`` (``http://.../v1``)."""
    config = work_dir / "litellm.yaml"
    config.write_text(_LITELLM_CONFIG.format(model=MODEL, upstream_url=upstream_url, key=API_KEY))
    master_key = "sk-" + secrets.token_hex(32)
    env = _env_without_python() | {
        "LITELLM_MASTER_KEY": master_key,
        "LITELLM_TELEMETRY": "False",
        "LITELLM_LOG": "ERROR",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_MODE": "PRODUCTION",
        "DISABLE_ADMIN_UI": "True",
        "NO_DOCS": "True",
    }
    port = free_port(host)
    argv = [*inst.argv, "--config", str(config), "--host", host, "--port", str(port)]
    argv += ["--num_workers", "1"]
    server = start_server(
        "litellm",
        argv,
        host,
        port,
        work_dir,
        _START_TIMEOUT_S,
        health_path="/health/liveliness",
        env=env,
        cwd=work_dir,
    )
    headers = (("Authorization", f"Bearer {master_key}"),)
    return Peer("litellm", inst.version, "1 uvicorn worker", server, headers)


def start_portkey(inst: Installed, host: str, upstream_url: str, work_dir: Path) -> Peer:
    """Start Portkey's gateway; requests name ``upstream_url`` as a custom host."""
    env = dict(os.environ) | {
        "NODE_ENV": "production",
        "TRUSTED_CUSTOM_HOSTS": host,
        "LIP_BENCH_LISTEN_HOST": host,
    }
    port = free_port(host)
    argv = [*inst.argv, f"--port={port}", "--headless"]
    server = start_server(
        "portkey",
        argv,
        host,
        port,
        work_dir,
        _START_TIMEOUT_S,
        health_path="/",
        env=env,
        cwd=work_dir,
    )
    headers = (
        ("x-portkey-provider", "openai"),
        ("x-portkey-custom-host", upstream_url),
        ("Authorization", f"Bearer {API_KEY}"),
    )
    return Peer("portkey", inst.version, inst.runtime, server, headers)


def launch_peers(
    root: Path, host: str, upstream_url: str, work_dir: Path, stack: ExitStack
) -> list[Peer]:
    """Install (when needed) and start every peer; ``stack`` stops them.
    A peer that cannot be installed or started is reported and left out."""
    peers: list[Peer] = []
    steps = ((install_litellm, start_litellm), (install_portkey, start_portkey))
    for install, start in steps:
        inst = install(root)
        if inst is None:
            continue
        try:
            peer = start(inst, host, upstream_url, work_dir)
        except RuntimeError as exc:
            _say(f"{inst.name} {inst.version} did not start; left out:\n{exc}")
            continue
        stack.callback(peer.server.stop)
        _say(f"{peer.name} {peer.version} listening on {host}:{peer.server.port}")
        peers.append(peer)
    return peers


def main(argv: Sequence[str] | None = None) -> int:
    """Install both peers (or check the cached installs) and print their versions."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.peers", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--peers-dir", type=Path, default=DEFAULT_PEERS_DIR)
    args = parser.parse_args(argv)
    results = [install_litellm(args.peers_dir), install_portkey(args.peers_dir)]
    for name, inst in zip(("litellm", "portkey"), results, strict=True):
        print(f"{name}: {inst.version if inst else 'not installed'}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
