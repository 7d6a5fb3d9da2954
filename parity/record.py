"""Record what a real agent client sends: ``python -m parity.record claude-code``.

The client runs one-shot against its own protocol's emulator on 127.0.0.1
(no LIP in between: the recording is the client's, not LIP's), offline, in
a fresh working directory and home. The emulator is scripted to answer the
first request with a tool call (read a file in the working directory) and
the next with text, so the recording holds the client's first request and
its follow-up after a tool result. Each API request is written to
``testdata/clients/<client>-<version>/NN-<step>.json`` with what the parity
scenarios replay (:mod:`parity.recorded`): path, query, the headers that are
not credentials or transport, and the body. Machine-specific values (the
temporary directories, session and device ids) are replaced by fixed ones so
that a re-recording diffs only where the client changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from parity.recorded import CLIENTS_DIR, FILE_NAME, PROMPT_FILE, WORKDIR

__all__ = ["AGENTS", "ANSWER", "Agent", "locate", "main", "record", "run", "scripts", "workspace"]

API_KEY = "sk-ant-recording-0000000000"
HOME = "/home/user"
SESSION = "00000000-0000-4000-8000-000000000000"
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_DEVICE = re.compile(r'(\\?"device_id\\?":\\?")[0-9a-f]{64}')
JS_BIN = Path(__file__).resolve().parent / "js" / "node_modules" / ".bin"
_DROPPED_HEADERS = frozenset(
    {"host", "content-length", "connection", "accept-encoding", "x-api-key", "authorization"}
)


@dataclass(frozen=True)
class Agent:
    """How to run one agent client one-shot against an emulator at ``{url}``."""

    name: str
    protocol: str
    executable: str
    steps: tuple[str, ...]
    """What each recorded request is: the first ask, then one per tool result."""

    def argv(self, cli: str, prompt: str) -> list[str]:
        if self.name == "claude-code":
            return [
                *(cli, "-p", prompt, "--output-format", "json"),
                *("--max-turns", "2", "--allowedTools", "Read"),
            ]
        raise KeyError(self.name)

    def env(self, url: str, home: str) -> dict[str, str]:
        if self.name == "claude-code":
            return {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": home,
                "ANTHROPIC_BASE_URL": url,
                "ANTHROPIC_API_KEY": API_KEY,
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
                "DISABLE_AUTOUPDATER": "1",
            }
        raise KeyError(self.name)

    def version(self, cli: str) -> str:
        out = subprocess.run([cli, "--version"], capture_output=True, text=True, timeout=60)
        return out.stdout.split()[0]


def locate(agent: Agent) -> str | None:
    """The client's executable: ``$LIP_<NAME>`` (e.g. ``LIP_CLAUDE_CODE``), else
    the one ``npm ci --prefix parity/js`` installs, else the one on PATH."""
    named = os.environ.get("LIP_" + agent.name.upper().replace("-", "_"))
    if named:
        return named
    installed = JS_BIN / agent.executable
    if installed.is_file():
        return str(installed)
    return shutil.which(agent.executable)


AGENTS = {
    "claude-code": Agent(
        "claude-code", "anthropic_messages", "claude", ("first", "after-tool-result")
    ),
}


def scripts(work: str) -> list[dict[str, object]]:
    """Emulator scripts: read :data:`PROMPT_FILE` in ``work``, then answer."""
    arguments = json.dumps({"file_path": f"{work}/{PROMPT_FILE}"})
    call = {"id": "toolu_rec01", "name": "Read", "arguments": [arguments]}
    return [
        {
            "plan": {
                "blocks": [{"tool_call": call}],
                "finish": "tool_calls",
                "usage": {"input": 100, "output": 12},
            }
        },
        {"plan": {"blocks": [{"text": [ANSWER]}]}},
    ]


ANSWER = "It says: the answer is 42."
"""The scripted upstream's final answer (what the client must print)."""


@contextmanager
def workspace() -> Iterator[tuple[str, str]]:
    """A fresh working directory holding :data:`PROMPT_FILE`, and a fresh home."""
    work = tempfile.mkdtemp(prefix="lip-agent-")
    home = tempfile.mkdtemp(prefix="lip-agent-home-")
    try:
        Path(work, PROMPT_FILE).write_text("The answer is 42.\n", encoding="utf-8")
        yield work, home
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def run(
    agent: Agent, cli: str, url: str, work: str, home: str, *, model: str | None = None
) -> dict[str, Any]:
    """Ask ``agent`` one-shot, at ``url``, what :data:`PROMPT_FILE` says; its
    JSON result (an error when it fails)."""
    env = agent.env(url, home)
    if model is not None:
        env["ANTHROPIC_MODEL"] = model
    done = subprocess.run(
        agent.argv(cli, f"What does {PROMPT_FILE} say?"),
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{agent.name} failed: {done.stdout[-800:]}{done.stderr[-800:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _normalise(text: str, work: str, home: str) -> str:
    text = text.replace(work, WORKDIR).replace(home, HOME)
    # The client's per-project folder is named after the working directory.
    text = text.replace(work.replace("/", "-"), WORKDIR.replace("/", "-"))
    text = _DEVICE.sub(lambda m: m.group(1) + "0" * 64, text)
    return _UUID.sub(SESSION, text)


def record(agent: Agent, cli: str, out: Path) -> list[Path]:
    """Run ``agent`` once against its emulator; write and return its requests."""
    from parity.protocols import emulator
    from refbackends.serving import serve_in_thread

    version = agent.version(cli)
    with workspace() as (work, home), serve_in_thread(emulator(agent.protocol, API_KEY)) as url:
        control = httpx.Client(base_url=f"{url}/__emulator__", timeout=10)
        control.post("/scripts", json=scripts(work)).raise_for_status()
        run(agent, cli, url, work, home)
        logged = control.get("/requests").json()["data"]
    folder = out / f"{agent.name}-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (step, entry) in enumerate(zip(agent.steps, logged, strict=False), start=1):
        headers = {k: v for k, v in sorted(entry["headers"].items()) if k not in _DROPPED_HEADERS}
        recording = {
            "client": agent.name,
            "version": version,
            "protocol": agent.protocol,
            "step": step,
            "method": entry["method"],
            "path": entry["path"],
            "query": entry["query"],
            "headers": headers,
            "body": entry["body"],
        }
        text = json.dumps(recording, indent=1, ensure_ascii=False) + "\n"
        path = folder / FILE_NAME.format(number=number, step=step)
        path.write_text(_normalise(text, work, home), encoding="utf-8")
        written.append(path)
    if len(written) != len(agent.steps):
        raise RuntimeError(f"{agent.name} sent {len(logged)} request(s), not {len(agent.steps)}")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.record", description=__doc__)
    parser.add_argument("agent", choices=sorted(AGENTS))
    parser.add_argument("--cli", help="the client's executable (default: see locate())")
    parser.add_argument("--out", type=Path, default=CLIENTS_DIR)
    args = parser.parse_args(argv)
    agent = AGENTS[args.agent]
    cli = args.cli or locate(agent)
    if cli is None:
        parser.error(f"{agent.executable} not found: npm ci --prefix parity/js, or pass --cli")
    for path in record(agent, cli, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
