"""What the harness knows per protocol: one explicit table each, failing loudly
on a protocol it does not know. Adding a protocol to the matrix = an entry
here (renderer, Python driver, emulator, LIP backend kind, model) and its
JavaScript driver script in :mod:`parity.node`, not new scenarios."""

from __future__ import annotations

import json
from typing import Any

import httpx
from starlette.types import ASGIApp

from parity import recorded
from parity.drivers import Driver
from parity.node import JS_DIR
from parity.render import Unsupported
from parity.render.openai_responses import MIN_OUTPUT_TOKENS
from parity.scenario import RequestSpec, Scenario

__all__ = [
    "base_url",
    "emulator",
    "lip_backend",
    "model_for",
    "prime",
    "python_driver",
    "render",
    "sdk_versions",
    "upstream_limit",
]


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
        params = recorded.replay_params(recording, model)
        if frontend == "gemini":
            from parity.render import gemini

            return gemini.replayed(params)
        return params
    if frontend == "openai_chat":
        from parity.render import openai_chat

        return openai_chat.render(request, model, stream=stream)
    if frontend == "anthropic_messages":
        from parity.render import anthropic_messages

        return anthropic_messages.render(request, model, stream=stream)
    if frontend == "openai_responses":
        from parity.render import openai_responses

        return openai_responses.render(request, model, stream=stream)
    if frontend == "gemini":
        from parity.render import gemini

        return gemini.render(request, model, stream=stream)
    raise KeyError(f"no request renderer for frontend {frontend!r}")


def base_url(frontend: str, server: str) -> str:
    """What the frontend's SDKs take as their base URL for ``server``."""
    if frontend in ("openai_chat", "openai_responses"):
        return f"{server}/v1"
    if frontend in ("anthropic_messages", "gemini"):
        return server  # the SDKs add /v1/messages, /v1beta/models or /v1/models themselves
    raise KeyError(f"no base URL rule for frontend {frontend!r}")


def python_driver(frontend: str) -> Driver:
    """The Python driver module (``connect``, ``run``) of ``frontend``."""
    if frontend == "openai_chat":
        from parity.drivers import openai_chat

        return openai_chat
    if frontend == "anthropic_messages":
        from parity.drivers import anthropic_messages

        return anthropic_messages
    if frontend == "openai_responses":
        from parity.drivers import openai_responses

        return openai_responses
    if frontend == "gemini":
        from parity.drivers import gemini

        return gemini
    raise KeyError(f"no Python driver for frontend {frontend!r}")


def sdk_versions() -> dict[str, str]:
    """The SDK packages the drivers run, as installed."""
    import anthropic
    import openai
    from google import genai

    versions = {
        "python:anthropic": anthropic.__version__,
        "python:google-genai": genai.__version__,
        "python:openai": openai.__version__,
    }
    lock = JS_DIR / "package-lock.json"
    if lock.is_file():
        packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
        for name in ("@anthropic-ai/sdk", "@google/genai", "openai"):
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
    if backend == "gemini":
        from refbackends.gemini import create_app as create_gemini_app

        return create_gemini_app(api_key=api_key)
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
    if backend == "openai_responses":
        return (
            f"  - {{id: {backend}, kind: openai-compatible, api: responses, "
            f"base_url: '{url}/v1', api_key: {api_key}, models: ['{model_for(backend)}']}}"
        )
    if backend == "gemini":
        return (
            f"  - {{id: {backend}, kind: gemini, base_url: '{url}/v1beta', "
            f"api_key: {api_key}, models: ['{model_for(backend)}']}}"
        )
    raise KeyError(f"no LIP backend kind for {backend!r}")


def prime(backend: str, url: str, api_key: str, scenario: Scenario) -> None:
    """Have ``backend``'s emulator at ``url`` hand out the reasoning state the
    scenario's assistant turns send back, as it did on those turns: a
    Responses upstream takes back only encrypted content it minted itself, a
    Gemini upstream only thought signatures it minted. The request goes to
    the emulator directly (no recorded leg sees it)."""
    turns = [m for m in scenario.request.messages if m.signature is not None]
    if backend not in ("openai_responses", "gemini") or not turns:
        return
    if backend == "gemini":
        path = f"/v1beta/models/{model_for(backend)}:generateContent"
        headers = {"x-goog-api-key": api_key}
        earlier: dict[str, object] = {"contents": [{"parts": [{"text": "the earlier turn"}]}]}
    else:
        path, headers = "/v1/responses", {"authorization": f"Bearer {api_key}"}
        earlier = {
            "model": model_for(backend),
            "input": "the earlier turn",
            "include": ["reasoning.encrypted_content"],
            "store": False,
        }
    with httpx.Client(base_url=url, timeout=10, headers=headers) as client:
        for turn in turns:
            block = {"reasoning": [turn.reasoning or ""], "signature": turn.signature}
            client.delete("/__emulator__/scripts").raise_for_status()
            scripts = [{"plan": {"blocks": [block]}}]
            client.post("/__emulator__/scripts", json=scripts).raise_for_status()
            client.post(path, json=earlier).raise_for_status()


def upstream_limit(frontend: str, backend: str, scenario: Scenario) -> str | None:
    """Why ``backend``'s protocol cannot carry what the scenario's request asks
    of it, or give ``frontend``'s clients what the scenario's upstream does;
    None when it can."""
    request = scenario.request
    if backend == "openai_responses" and frontend != backend:
        if request.stop:
            return "OpenAI Responses has no stop sequences to pass on"
        limit = request.max_output_tokens
        if limit is not None and limit < MIN_OUTPUT_TOKENS:
            return f"OpenAI Responses takes max_output_tokens of {MIN_OUTPUT_TOKENS} or more"
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
    if backend == "openai_responses":
        return None  # refusal parts, incomplete reasons, reasoning with its encrypted content
    if backend == "gemini":
        if any(block.refusal is not None for block in plan.blocks):
            return f"Gemini has no refusal part: a refusal is text, which reaches {frontend} clients as text"
        return None
    raise KeyError(f"no upstream limits for backend {backend!r}")


def model_for(backend: str) -> str:
    """The model name a scenario's request uses to reach ``backend`` through LIP."""
    # The Anthropic name is one the Python SDK does not warn about as
    # deprecated (warnings are errors in the test suite). Gemini 3 Flash is
    # a model the emulator knows: it takes thinking levels and, as Gemini 3
    # does, wants the function calls of the current turn signed.
    models = {
        "openai_chat": "gpt-4o-mini",
        "anthropic_messages": "claude-sonnet-5",
        "openai_responses": "gpt-5.5",
        "gemini": "gemini-3-flash-preview",
        "localstub": "lip-stub",
    }
    if backend not in models:
        raise KeyError(f"no model for backend {backend!r}")
    return models[backend]
