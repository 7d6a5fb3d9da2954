"""The fast chunk reader agrees with the wire model's, and leaves it everything else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lip.canonical import Event, Usage
from lip.protocols.openai_chat import upstream
from lip.protocols.openai_chat.chunks import Chunk, read_fast, read_typed
from lip.protocols.openai_chat.upstream import ChatStreamDecoder, _tolerant
from lip.sse import SSEEvent
from lip_wire.openai import chat_completion_chunk as chunked

_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-2, 2, allow_nan=False),
    st.text(max_size=4),
    st.just([]),
    st.just({}),
)


def _chunks(junk: int) -> st.SearchStrategy[dict[str, Any]]:
    """Chunk-like JSON. With ``junk`` 0, of the plain shape; otherwise one field in
    ``junk + 1`` of any type, now and then a stray field no reader expects, and
    the fields only the wire model reads (usage, logprobs, custom tool calls)."""

    def often(right: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.integers(0, junk).flatmap(lambda n: _JUNK if n == 0 < junk else right)

    def fields(
        required: dict[str, st.SearchStrategy[Any]],
        stray: str,
        **optional: st.SearchStrategy[Any],
    ) -> st.SearchStrategy[dict[str, Any]]:
        extra = st.integers(0, junk).flatmap(
            lambda n: st.fixed_dictionaries({stray: _JUNK}) if n == 0 < junk else st.just({})
        )
        return st.builds(
            lambda known, more: {**known, **more},
            st.fixed_dictionaries(required, optional=optional),
            extra,
        )

    text = st.one_of(st.none(), st.text(max_size=6))
    function = fields({}, "strict", name=often(text), arguments=often(text))
    call = fields(
        {"index": often(st.integers(0, 2))},
        "extra",
        id=often(text),
        type=often(st.sampled_from(["function", None, "custom"][: 3 if junk else 2])),
        function=often(function),
    )
    delta = fields(
        {},
        "audio",
        role=often(st.sampled_from(["assistant", None])),
        content=often(text),
        refusal=often(text),
        reasoning_content=often(text),
        reasoning=often(text),
        tool_calls=often(st.one_of(st.none(), st.lists(often(call), max_size=2))),
    )
    choice = fields(
        {"index": often(st.integers(0, 1)), "delta": often(delta)},
        "stray",
        finish_reason=often(st.sampled_from([None, "stop", "length", "tool_calls", "odd"])),
        logprobs=often(st.sampled_from([None, {"content": None}][: 2 if junk else 1])),
    )
    usage = {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}
    return fields(
        {
            "id": often(st.just("chatcmpl-1")),
            "object": often(st.just("chat.completion.chunk")),
            "created": often(st.integers(0, 2**40)),
            "model": often(st.just("m")),
            "choices": often(st.lists(often(choice), max_size=2)),
        },
        "provider",
        usage=often(st.sampled_from([None, usage][: 2 if junk else 1])),
        system_fingerprint=often(text),
        service_tier=often(st.sampled_from(["default", None])),
        obfuscation=often(text),
        moderation=often(st.none()),
    )


_CHUNK = st.one_of(_chunks(0), _chunks(5), _chunks(30))


def _typed(obj: object) -> Chunk | None:
    try:
        return read_typed(_tolerant(chunked.ChatCompletionChunk, json.dumps(obj)))
    except Exception:
        return None


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(_CHUNK)
def test_the_fast_reader_agrees_with_the_wire_model(obj: dict[str, Any]) -> None:
    fast = read_fast(json.dumps(obj))
    if fast is not None:
        # Whatever the fast path accepts, the wire model accepts and reads the same.
        assert _typed(obj) == fast


_PLAIN = {
    "id": "chatcmpl-1",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "m",
    "system_fingerprint": "fp",
    "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}],
}


def test_the_common_chunk_takes_the_fast_path() -> None:
    chunk = read_fast(json.dumps(_PLAIN))
    assert chunk is not None
    assert chunk.top == {"system_fingerprint": "fp"}
    assert [c.content for c in chunk.choices] == ["hi"]
    assert chunk == _typed(_PLAIN)


def test_unknown_top_level_fields_are_carried_after_declared_ones() -> None:
    obj = {"provider": {"name": "x"}, **_PLAIN, "service_tier": "default"}
    assert read_fast(json.dumps(obj)) is None  # left to the wire model, which carries them
    chunk = _typed(obj)
    assert chunk is not None
    assert list(chunk.top) == ["service_tier", "system_fingerprint", "provider"]
    assert read_fast("{not json") is None


@pytest.mark.parametrize(
    "change",
    [
        {"usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}},
        {"created": 1.0},
        {"created": True},
        {"moderation": {}},
        {"object": "chat.completion"},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": None, "logprobs": {}}]},
        {"choices": [{"index": 0, "delta": {"annotations": []}, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": None, "stray": 1}]},
        {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "x": 1}]}}]},
        {"provider": "x"},
    ],
)
def test_other_shapes_are_left_to_the_wire_model(change: dict[str, Any]) -> None:
    assert read_fast(json.dumps({**_PLAIN, **change})) is None


def test_usage_is_read_on_the_typed_path() -> None:
    obj = {
        **_PLAIN,
        "choices": [],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3, "cost": 0.5},
    }
    chunk = _typed(obj)
    assert chunk is not None
    assert chunk.usage == (Usage(input_tokens=1, output_tokens=2), {"cost": 0.5})


def _decoded(frames: list[SSEEvent]) -> list[Event | str]:
    """Every event of the stream, or the error that ended it."""
    decoder, out = ChatStreamDecoder(), list[Event | str]()
    try:
        for frame in frames:
            out.extend(decoder.feed(frame))
        out.extend(decoder.close())
    except Exception as exc:
        out.append(f"{type(exc).__name__}: {exc}")
    return out


@given(st.lists(_CHUNK, min_size=1, max_size=4))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_a_stream_decodes_alike_on_either_path(objs: list[dict[str, Any]]) -> None:
    frames = [SSEEvent(data=json.dumps(o)) for o in objs]
    plain = _decoded(frames)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upstream, "read_fast", lambda data: None)
        typed = _decoded(frames)
    assert plain == typed
