"""The per-token delta reader agrees with the wire model, and leaves it everything else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lip.canonical import Event
from lip.protocols.anthropic_messages import upstream
from lip.protocols.anthropic_messages.deltas import read_delta
from lip.protocols.anthropic_messages.upstream import AnthropicStreamDecoder
from lip.sse import SSEEvent
from tests.protocols.anthropic_messages.test_upstream import MESSAGE

_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2), st.floats(-2, 2), st.text(max_size=3)
)


def _often(right: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a value of the right type, now and then any JSON value."""
    return st.integers(0, 7).flatmap(lambda n: _JUNK if n == 0 else right)


_TEXT = st.text(max_size=5)
_DELTA = st.one_of(
    st.fixed_dictionaries({"type": st.just("text_delta"), "text": _often(_TEXT)}),
    st.fixed_dictionaries({"type": st.just("input_json_delta"), "partial_json": _often(_TEXT)}),
    st.fixed_dictionaries({"type": st.just("thinking_delta"), "thinking": _often(_TEXT)}),
    st.fixed_dictionaries({"type": st.just("signature_delta"), "signature": _TEXT}),
    st.fixed_dictionaries({"type": st.sampled_from(["text_delta", "odd"]), "stray": _JUNK}),
)
_EVENT = st.builds(
    lambda event, stray: {**event, **stray},
    st.fixed_dictionaries(
        {
            "type": _often(st.just("content_block_delta")),
            "index": _often(st.integers(0, 1)),
            "delta": _often(_DELTA),
        }
    ),
    st.one_of(st.just({}), st.just({}), st.just({}), st.fixed_dictionaries({"extra": _JUNK})),
)
_BLOCKS = [
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {
        "type": "content_block_start",
        "index": 1,
        "content_block": {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}},
    },
]
_START = {
    "type": "message_start",
    "message": {**MESSAGE, "content": [], "stop_reason": None},
}


def _decoded(events: list[dict[str, Any]]) -> list[Event | str]:
    """Every event the decoder produced, or the error that stopped it."""
    decoder, out = AnthropicStreamDecoder(), list[Event | str]()
    try:
        for event in [_START, *_BLOCKS, *events]:
            out.extend(decoder.feed(SSEEvent(data=json.dumps(event))))
    except Exception as exc:
        out.append(f"{type(exc).__name__}: {exc}")
    return out


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_EVENT, min_size=1, max_size=4))
def test_deltas_decode_alike_with_or_without_the_wire_model(events: list[dict[str, Any]]) -> None:
    fast = _decoded(events)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upstream, "read_delta", lambda data: None)
        typed = _decoded(events)
    assert fast == typed


def test_the_per_token_shapes_take_the_fast_path() -> None:
    def event(delta: dict[str, Any]) -> str:
        return json.dumps({"type": "content_block_delta", "index": 2, "delta": delta})

    assert read_delta(event({"type": "text_delta", "text": "hi"})) == (2, "text", "hi")
    assert read_delta(event({"type": "input_json_delta", "partial_json": "{"})) == (2, "json", "{")
    assert read_delta(event({"type": "thinking_delta", "thinking": "so"})) == (2, "thinking", "so")
    for other in (
        event({"type": "signature_delta", "signature": "x"}),
        event({"type": "text_delta", "text": "hi", "new_field": 1}),
        json.dumps({"type": "content_block_delta", "index": 1.0, "delta": {}}),
        json.dumps({"type": "ping"}),
        "not json",
    ):
        assert read_delta(other) is None
