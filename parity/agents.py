"""Real agent clients (Claude Code, Codex CLI, Gemini CLI), run one-shot against a server on 127.0.0.1.

Each runs offline: a fresh working directory holding :data:`PROMPT_FILE`, a
fresh home, telemetry and update checks off, pointed at the given URL only.
Asked what the file says, the client is expected to call its file-reading
tool (:func:`Agent.scripts` makes an emulator answer with that call, then
with :data:`ANSWER`) and print the upstream's final answer (:meth:`Agent.run`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from parity.recorded import PROMPT_FILE

__all__ = ["AGENTS", "ANSWER", "Agent", "Result", "locate", "scripted_run", "workspace"]

API_KEY = "sk-agent-recording-0000000000"
JS_BIN = Path(__file__).resolve().parent / "js" / "node_modules" / ".bin"
ANSWER = "It says: the answer is 42."
"""The scripted upstream's final answer (what the client must print)."""
PROMPT = f"What does {PROMPT_FILE} say?"


@dataclass(frozen=True)
class Result:
    """What the client printed: its final answer and how many model turns it took."""

    text: str
    turns: int
    raw: Any


@dataclass(frozen=True)
class Agent:
    name: str
    protocol: str
    executable: str
    steps: tuple[str, ...] = ("first", "after-tool-result")
    """What each recorded request is: the first ask, then one per tool result."""
    call_id: str = "call_rec01"
    """The id of the scripted tool call (in the vendor's own form)."""

    def argv(self, cli: str, url: str, model: str | None) -> list[str]:
        raise NotImplementedError

    def env(self, url: str, home: str, model: str | None) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}

    def read_call(self, work: str) -> tuple[str, dict[str, Any]]:
        """The tool call (name, arguments) that reads the prompt file."""
        raise NotImplementedError

    def result(self, stdout: str) -> Result:
        raise NotImplementedError

    def version(self, cli: str) -> str:
        out = subprocess.run([cli, "--version"], capture_output=True, text=True, timeout=60)
        return out.stdout.split()[-1] if self.name == "codex" else out.stdout.split()[0]

    def scripts(self, work: str) -> list[dict[str, object]]:
        """Emulator scripts: read the prompt file in ``work``, then answer."""
        name, arguments = self.read_call(work)
        call = {"id": self.call_id, "name": name, "arguments": [json.dumps(arguments)]}
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

    def run(self, cli: str, url: str, work: str, home: str, *, model: str | None = None) -> Result:
        """Ask the client, at ``url``, what :data:`PROMPT_FILE` says."""
        done = subprocess.run(
            self.argv(cli, url, model),
            cwd=work,
            env=self.env(url, home, model),
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.name} failed: {done.stdout[-800:]}{done.stderr[-800:]}")
        return self.result(done.stdout)


class ClaudeCode(Agent):
    """``claude -p``: ``ANTHROPIC_BASE_URL``, non-essential traffic off."""

    def argv(self, cli: str, url: str, model: str | None) -> list[str]:
        return [
            *(cli, "-p", PROMPT, "--output-format", "json"),
            *("--max-turns", "2", "--allowedTools", "Read"),
        ]

    def env(self, url: str, home: str, model: str | None) -> dict[str, str]:
        env = super().env(url, home, model)
        env.update(
            ANTHROPIC_BASE_URL=url,
            ANTHROPIC_API_KEY=API_KEY,
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
            DISABLE_AUTOUPDATER="1",
        )
        if model is not None:
            env["ANTHROPIC_MODEL"] = model
        return env

    def read_call(self, work: str) -> tuple[str, dict[str, Any]]:
        return "Read", {"file_path": f"{work}/{PROMPT_FILE}"}

    def result(self, stdout: str) -> Result:
        out = json.loads(stdout)
        if out.get("is_error"):
            raise RuntimeError(f"claude-code reported an error: {stdout[-800:]}")
        return Result(text=out["result"], turns=out["num_turns"], raw=out)


class Codex(Agent):
    """``codex exec`` with a provider pointing at ``url`` (Responses wire API)."""

    def argv(self, cli: str, url: str, model: str | None) -> list[str]:
        provider = (
            f'model_providers.lip={{name="LIP", base_url="{url}/v1", env_key="LIP_API_KEY",'
            ' wire_api="responses"}'
        )
        return [
            *(cli, "exec", "--skip-git-repo-check", "--ephemeral", "--json"),
            *("-m", model or "gpt-5.5", "-c", "model_provider=lip", "-c", provider),
            *("-c", "analytics.enabled=false", "-c", "check_for_update_on_startup=false"),
            PROMPT,
        ]

    def env(self, url: str, home: str, model: str | None) -> dict[str, str]:
        env = super().env(url, home, model)
        env.update(LIP_API_KEY=API_KEY, CODEX_HOME=f"{home}/.codex")
        Path(env["CODEX_HOME"]).mkdir(parents=True, exist_ok=True)
        return env

    def read_call(self, work: str) -> tuple[str, dict[str, Any]]:
        return "exec_command", {"cmd": f"cat {PROMPT_FILE}", "workdir": work}

    def result(self, stdout: str) -> Result:
        events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
        failed = [e for e in events if e.get("type") in ("turn.failed", "error")]
        if failed:
            raise RuntimeError(f"codex reported an error: {failed[-1]}")
        items = [e["item"] for e in events if e.get("type") == "item.completed"]
        said = [i["text"] for i in items if i.get("type") == "agent_message"]
        calls = [i for i in items if i.get("type") == "command_execution"]
        return Result(text=said[-1] if said else "", turns=1 + len(calls), raw=events)


class GeminiCli(Agent):
    """``gemini -p`` with ``GOOGLE_GEMINI_BASE_URL``; API-key auth and telemetry,
    usage statistics and update checks off in a fresh ``~/.gemini/settings.json``."""

    def argv(self, cli: str, url: str, model: str | None) -> list[str]:
        return [
            *(cli, "-p", PROMPT, "-m", model or "gemini-3-pro-preview"),
            *("--output-format", "json", "--skip-trust"),
        ]

    def env(self, url: str, home: str, model: str | None) -> dict[str, str]:
        env = super().env(url, home, model)
        env.update(GEMINI_API_KEY=API_KEY, GOOGLE_GEMINI_BASE_URL=url)
        settings = Path(home, ".gemini", "settings.json")
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(
            json.dumps(
                {
                    "security": {"auth": {"selectedType": "gemini-api-key"}},
                    "telemetry": {"enabled": False},
                    "privacy": {"usageStatisticsEnabled": False},
                    "general": {"disableAutoUpdate": True, "disableUpdateNag": True},
                }
            ),
            encoding="utf-8",
        )
        return env

    def read_call(self, work: str) -> tuple[str, dict[str, Any]]:
        return "read_file", {"file_path": f"{work}/{PROMPT_FILE}"}

    def result(self, stdout: str) -> Result:
        out = json.loads(stdout[stdout.index("{") :])
        if out.get("error"):
            raise RuntimeError(f"gemini reported an error: {out['error']}")
        models = (out.get("stats") or {}).get("models") or {}
        turns = sum(int((m.get("api") or {}).get("totalRequests") or 0) for m in models.values())
        return Result(text=out.get("response") or "", turns=turns, raw=out)


AGENTS: dict[str, Agent] = {
    "claude-code": ClaudeCode("claude-code", "anthropic_messages", "claude", call_id="toolu_rec01"),
    "codex": Codex("codex", "openai_responses", "codex"),
    "gemini-cli": GeminiCli("gemini-cli", "gemini", "gemini"),
}


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


def scripted_run(
    agent: Agent,
    cli: str,
    url: str,
    emulator: str,
    work: str,
    home: str,
    *,
    model: str | None = None,
) -> tuple[Result, list[dict[str, Any]]]:
    """Run ``agent`` at ``url`` (the emulator at ``emulator``, or LIP in front of
    it) with the emulator scripted by :meth:`Agent.scripts`: what the client
    printed, and the requests the emulator received, oldest first."""
    with httpx.Client(base_url=f"{emulator}/__emulator__", timeout=10) as control:
        control.delete("/requests")
        control.post("/scripts", json=agent.scripts(work)).raise_for_status()
        result = agent.run(cli, url, work, home, model=model)
        logged: list[dict[str, Any]] = control.get("/requests").json()["data"]
    return result, logged
