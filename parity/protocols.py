"""What the harness knows per protocol: one explicit table each, failing loudly
on a protocol it does not know. Adding a protocol to the matrix = an entry
here (renderer, SDK drivers, emulator, LIP backend kind), not new scenarios."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp

from parity import recorded
from parity.observation import Observation
from parity.render import Unsupported
from parity.scenario import Mode, RequestSpec, Scenario

__all__ = [
    "base_url",
    "emulator",
    "lip_backend",
    "model_for",
    "node_driver",
    "python_driver",
    "render",
    "sdk_versions",
    "upstream_limit",
]

JS_DIR = Path(__file__).resolve().parent / "js"

PythonDriver = Callable[[str, str, dict[str, Any], Mode], Observation]
NodeJob = tuple[str, str, str, dict[str, Any], Mode]


def render(frontend: str, request: RequestSpec, model: str, *, stream: bool) -> dict[str, Any]:
    """``request`` as ``frontend``'s request body; raises
    :class:`parity.render.Unsupported` when the protocol cannot say it."""
    if request.recorded is not None:
        recording = recorded.load(request.recorded)
        if recording.protocol != frontend:
            raise Unsupported(
                f"a recording of {recording.client} {recording.version}, "
                f"which speaks {recording.protocol}"
            )
        return recorded.replay_params(recording, model)
    if frontend == "openai_chat":
        from parity.render import openai_chat

        return openai_chat.render(request, model, stream=stream)
    if frontend == "anthropic_messages":
        from parity.render import anthropic_messages

        return anthropic_messages.render(request, model, stream=stream)
    raise KeyError(f"no request renderer for frontend {frontend!r}")


def base_url(frontend: str, server: str) -> str:
    """What the frontend's SDKs take as their base URL for ``server``."""
    if frontend == "openai_chat":
        return f"{server}/v1"
    if frontend == "anthropic_messages":
        return server  # the Anthropic SDKs add /v1/messages themselves
    raise KeyError(f"no base URL rule for frontend {frontend!r}")


def python_driver(frontend: str) -> PythonDriver:
    if frontend == "openai_chat":
        from parity.drivers import openai_chat

        return openai_chat.run
    if frontend == "anthropic_messages":
        from parity.drivers import anthropic_messages

        return anthropic_messages.run
    raise KeyError(f"no Python driver for frontend {frontend!r}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed; the JavaScript SDK drivers need Node.js 20+")
    if not (JS_DIR / "node_modules").is_dir():
        raise RuntimeError(f"run `npm ci --prefix {JS_DIR}` to install the JavaScript SDKs")
    return node


def node_driver(frontend: str) -> Callable[[Sequence[NodeJob]], list[Observation]]:
    scripts = {
        "openai_chat": "openai_chat.mjs",
        "anthropic_messages": "anthropic_messages.mjs",
    }
    if frontend not in scripts:
        raise KeyError(f"no JavaScript driver for frontend {frontend!r}")
    script = JS_DIR / scripts[frontend]

    def run(jobs: Sequence[NodeJob]) -> list[Observation]:
        payload = {
            "jobs": [
                {"id": i, "base_url": url, "api_key": key, "params": params, "mode": mode}
                for i, url, key, params, mode in jobs
            ]
        }
        done = subprocess.run(
            [_node(), str(script)],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        results = json.loads(done.stdout)["results"]
        return [Observation.model_validate(r["observation"]) for r in results]

    return run


def sdk_versions() -> dict[str, str]:
    """The SDK packages the drivers run, as installed."""
    import anthropic
    import openai

    versions = {"python:anthropic": anthropic.__version__, "python:openai": openai.__version__}
    lock = JS_DIR / "package-lock.json"
    if lock.is_file():
        packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
        for name in ("@anthropic-ai/sdk", "openai"):
            entry = packages.get(f"node_modules/{name}")
            if entry is not None:
                versions[f"node:{name}"] = entry["version"]
    return versions


def emulator(backend: str, api_key: str) -> ASGIApp:
    if backend == "openai_chat":
        from refbackends.openai_chat import create_app

        return create_app(api_key=api_key)
    if backend == "anthropic_messages":
        from refbackends.anthropic_messages import create_app as create_anthropic_app

        return create_anthropic_app(api_key=api_key)
    if backend == "openai_responses":
        from refbackends.openai_responses import create_app as create_responses_app

        return create_responses_app(api_key=api_key)
    raise KeyError(f"no emulator for backend {backend!r}")


def lip_backend(backend: str, url: str, api_key: str) -> str:
    """The LIP config entry (a YAML list item) routing ``model_for(backend)`` to ``url``."""
    if backend == "openai_chat":
        return (
            f"  - {{id: {backend}, kind: openai-compatible, base_url: '{url}/v1', "
            f"api_key: {api_key}, models: ['{model_for(backend)}']}}"
        )
    if backend == "anthropic_messages":
        return (
            f"  - {{id: {backend}, kind: anthropic, base_url: '{url}/v1', "
            f"api_key: {api_key}, models: ['{model_for(backend)}']}}"
        )
    raise KeyError(f"no LIP backend kind for {backend!r}")


def upstream_limit(frontend: str, backend: str, scenario: Scenario) -> str | None:
    """Why ``backend``'s protocol cannot give ``frontend``'s clients what the
    scenario's upstream does, or None when it can."""
    plan = scenario.upstream
    if backend in ("openai_chat", "localstub") or plan is None or frontend == backend:
        return None
    if backend == "anthropic_messages":
        if any(block.refusal is not None for block in plan.blocks):
            return (
                "Anthropic has no refusal block: a refusal is text with stop_reason refusal, "
                f"which reaches {frontend} clients as text"
            )
        if plan.finish == "content_filter":
            return "Anthropic has no content-filter stop reason (the nearest is refusal)"
        return None
    raise KeyError(f"no upstream limits for backend {backend!r}")


def model_for(backend: str) -> str:
    """The model name a scenario's request uses to reach ``backend`` through LIP."""
    # The Anthropic name is one the Python SDK does not warn about as
    # deprecated (warnings are errors in the test suite).
    models = {
        "openai_chat": "gpt-4o-mini",
        "anthropic_messages": "claude-sonnet-5",
        "localstub": "lip-stub",
    }
    if backend not in models:
        raise KeyError(f"no model for backend {backend!r}")
    return models[backend]
