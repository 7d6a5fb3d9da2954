"""Span names and attributes after the GenAI and HTTP semantic conventions."""

from __future__ import annotations

import pytest

from lip.canonical import Usage
from lip.config import parse_config
from lip.continuity import Outcome
from lip.observe.genai import Attributes, ClientKey, ServerKey, SpanShapes, add_usage

CONFIG = parse_config(
    """
backends:
  - {id: oa, kind: openai-compatible, base_url: "http://127.0.0.1:9/v1"}
  - {id: an, kind: anthropic, base_url: "http://127.0.0.1:9/v1", api_key: sk-ant-test-0123456789}
  - {id: ge, kind: gemini, base_url: "http://127.0.0.1:9", api_key: gemini-test-0123456789}
""",
    env={},
)


def server_key(**changed: object) -> ServerKey:
    fields: dict[str, object] = {
        "method": "POST",
        "path": "/v1/messages",
        "protocol": "anthropic_messages",
        "stream": False,
        "selector": "claude",
        "backend": "an",
        "upstream_model": "claude-3-7",
        "status": 200,
        "error": None,
        "finish": "stop",
    }
    fields.update(changed)
    return tuple(fields.values())  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("backend", "operation", "provider"),
    [("oa", "chat", "openai"), ("an", "chat", "anthropic"), ("ge", "generate_content", "gcp.gemini"),
     ("gone", "chat", "gone")],  # an upstream gone since a reload stands for itself
)  # fmt: skip
def test_an_attempt_is_named_for_its_upstreams_protocol(
    backend: str, operation: str, provider: str
) -> None:
    key: ClientKey = (backend, "m", "m-1", 2, Outcome.SUCCESS, None, "tool_calls")
    name, attributes = SpanShapes(CONFIG).client(key)
    assert name == f"{operation} m"
    assert attributes == {
        "gen_ai.operation.name": operation,
        "gen_ai.provider.name": provider,
        "gen_ai.request.model": "m",
        "gen_ai.response.model": "m-1",
        "gen_ai.response.finish_reasons": ("tool_calls",),
        "lip.backend.id": backend,
        "lip.attempt.number": 2,
        "lip.attempt.outcome": "success",
    }


def test_a_failed_attempt_says_why_and_names_no_response_model() -> None:
    key: ClientKey = ("oa", "m", None, 1, Outcome.FAILED_BEFORE_OUTPUT, "timeout", None)
    _, attributes = SpanShapes(CONFIG).client(key)
    assert attributes["error.type"] == "timeout"
    assert attributes["lip.attempt.outcome"] == "failed_before_output"
    assert not {"gen_ai.response.model", "gen_ai.response.finish_reasons"} & attributes.keys()


def test_the_server_span_of_a_generate_call_and_of_another_request() -> None:
    shapes = SpanShapes(CONFIG)
    name, attributes = shapes.server(server_key())
    assert name == "chat claude"
    assert attributes == {
        "http.request.method": "POST",
        "url.path": "/v1/messages",
        "http.response.status_code": 200,
        "gen_ai.operation.name": "chat",
        "lip.stream": False,
        "gen_ai.request.model": "claude",
        "gen_ai.provider.name": "anthropic",
        "gen_ai.response.model": "claude-3-7",
        "gen_ai.response.finish_reasons": ("stop",),
    }
    refused = server_key(
        backend=None, upstream_model=None, status=429, error="rate_limited", finish=None
    )
    name, attributes = shapes.server(refused)
    assert name == "chat claude" and attributes["error.type"] == "rate_limited"
    assert "gen_ai.provider.name" not in attributes
    other = ("GET", "/v1/models", None, False, None, None, None, 200, None, None)
    assert shapes.server(other) == (
        "GET /v1/models",
        {"http.request.method": "GET", "url.path": "/v1/models", "http.response.status_code": 200},
    )
    assert set(shapes.servers) == {server_key(), refused, other}


def test_the_shapes_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lip.observe.genai.KEPT", 3)
    shapes = SpanShapes(CONFIG)
    for n in range(7):
        shapes.server(server_key(selector=f"s{n}"))
        assert 1 <= len(shapes.servers) <= 3
    assert server_key(selector="s6") in shapes.servers


def test_the_usage_attributes_are_the_counts_reported() -> None:
    attributes: Attributes = {"lip.request_id": "r"}
    add_usage(attributes, Usage())
    assert attributes == {"lip.request_id": "r"}
    add_usage(
        attributes,
        Usage(
            input_tokens=9,
            output_tokens=0,
            cached_input_tokens=4,
            cache_creation_input_tokens=2,
            reasoning_tokens=1,
        ),
    )
    assert attributes == {
        "lip.request_id": "r",
        "gen_ai.usage.input_tokens": 9,
        "gen_ai.usage.output_tokens": 0,
        "gen_ai.usage.cache_read.input_tokens": 4,
        "gen_ai.usage.cache_creation.input_tokens": 2,
        "gen_ai.usage.reasoning.output_tokens": 1,
    }
