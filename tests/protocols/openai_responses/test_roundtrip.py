"""Hypothesis: Call -> Responses request -> Call keeps what a Responses request
can say; any Responses body goes upstream as it came; a stream LIP encodes
decodes back to the response it came from, whatever the chunk boundaries."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import (
    Call,
    ErrorEvent,
    Event,
    FilePart,
    ImagePart,
    Message,
    Options,
    ProviderState,
    ReasoningPart,
    Response,
    ResponseFormat,
    ResponseFormatKind,
    Role,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
    Usage,
    collect,
)
from lip.protocols.openai_responses.backend import encode_request
from lip.protocols.openai_responses.request import decode_request
from lip.protocols.openai_responses.response import encode_response
from lip.protocols.openai_responses.stream import ResponsesStreamEncoder
from lip.protocols.openai_responses.upstream import ResponsesStreamDecoder, decode_response
from lip.sse import SSEDecoder
from tests.protocols.openai_responses.test_request import rich
from tests.protocols.openai_responses.test_stream import event_streams, request_for

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20
)
names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
scalars = st.one_of(st.integers(-1000, 1000), st.booleans(), words, st.none())
arguments = st.dictionaries(names, scalars, max_size=3)
user_parts = st.one_of(
    words.map(lambda t: TextPart(text=t)),
    st.builds(
        ImagePart,
        url=st.just("https://example.com/a.png"),
        detail=st.sampled_from(["auto", "low", "high"]),
    ),
    st.builds(
        ImagePart,
        data=st.just("iVBOR"),
        media_type=st.sampled_from(["image/png", "image/jpeg"]),
        detail=st.sampled_from(["auto", "low"]),
    ),
    st.builds(FilePart, file_id=st.just("file-1"), filename=st.none() | st.just("a.pdf")),
    st.builds(FilePart, url=st.just("https://example.com/a.pdf")),
)


@st.composite
def calls(draw: st.DrawFn) -> Call:
    tool_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    tools = tuple(
        Tool(
            name=name,
            description=draw(st.none() | words),
            parameters={"type": "object", "properties": {}},
            strict=draw(st.booleans()),
        )
        for name in tool_names
    )
    messages: list[Message] = []
    for system in draw(st.lists(st.booleans(), max_size=2)):
        role: Role = "system" if system else "developer"
        messages.append(Message(role=role, parts=(TextPart(text=draw(words)),)))
    for turn in range(draw(st.integers(1, 3))):
        parts = tuple(draw(st.lists(user_parts, min_size=1, max_size=3)))
        messages.append(Message(role="user", parts=parts))
        text = draw(st.none() | words)
        count = draw(st.integers(0 if text else 1, 2))
        ids = [f"call_{turn}_{n}" for n in range(count)]
        said = (TextPart(text=text),) if text else ()
        uses = tuple(
            ToolCallPart(
                id=call_id,
                name=draw(st.sampled_from(tool_names)),
                arguments=json.dumps(draw(arguments), separators=(",", ":")),
            )
            for call_id in ids
        )
        messages.append(Message(role="assistant", parts=said + uses))
        if ids:
            results = tuple(
                ToolResultPart(call_id=call_id, content=(TextPart(text=draw(words)),))
                for call_id in ids
            )
            messages.append(Message(role="tool", parts=results))
    mode = draw(st.sampled_from(ToolChoiceMode))
    choice = ToolChoice(mode=mode, name=tool_names[0] if mode is ToolChoiceMode.NAMED else None)
    fmt = draw(
        st.none()
        | st.just(ResponseFormat(kind=ResponseFormatKind.JSON_OBJECT))
        | st.just(ResponseFormat(kind=ResponseFormatKind.TEXT))
        | st.builds(
            ResponseFormat,
            kind=st.just(ResponseFormatKind.JSON_SCHEMA),
            name=names,
            schema=st.just({"type": "object"}),
            description=st.none() | words,
            strict=st.none() | st.booleans(),
        )
    )
    options = Options(
        max_output_tokens=draw(st.none() | st.integers(16, 100_000)),
        temperature=draw(st.none() | st.floats(0, 2, allow_nan=False)),
        top_p=draw(st.none() | st.floats(0, 1, allow_nan=False)),
        response_format=fmt,
        reasoning_effort=draw(st.none() | st.sampled_from(["minimal", "low", "medium", "high"])),
        parallel_tool_calls=draw(st.none() | st.booleans()),
    )
    return Call(
        id="",
        protocol="openai_chat",
        model=draw(names),
        messages=tuple(messages),
        tools=tools,
        tool_choice=choice,
        options=options,
        stream=draw(st.booleans()),
        user=draw(st.none() | names),
        metadata=draw(st.dictionaries(names, words, max_size=2)),
    )


def _semantics(call: Call) -> tuple[object, ...]:
    def part(p: object) -> object:
        if isinstance(p, ToolCallPart):
            return ("call", p.id, p.name, p.arguments)
        if isinstance(p, ToolResultPart):
            return ("result", p.call_id, tuple(part(c) for c in p.content), p.is_error)
        if isinstance(p, TextPart):
            return ("text", p.text)
        return dataclasses.replace(p, extensions={})  # type: ignore[type-var]

    return (
        call.model,
        tuple((m.role, tuple(part(p) for p in m.parts)) for m in call.messages),
        tuple((t.name, t.description, t.parameters, t.strict) for t in call.tools),
        call.tool_choice,
        call.options,
        call.stream,
        call.user,
        dict(call.metadata),
    )


@settings(max_examples=200, deadline=None)
@given(calls())
def test_call_to_responses_and_back_keeps_the_representable_subset(call: Call) -> None:
    body = encode_request(call, call.model)
    assert json.loads(body)["store"] is False
    again = decode_request(body).call
    assert _semantics(again) == _semantics(call)


RICH = rich()
OPTIONAL = [k for k in RICH if k not in ("model", "input")]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(RICH["input"]), min_size=1, max_size=8),
    st.lists(st.sampled_from(RICH["tools"]), max_size=4, unique_by=lambda t: json.dumps(t)),
    st.lists(st.sampled_from(OPTIONAL), unique=True),
)
def test_any_responses_body_goes_upstream_as_it_came(
    items: list[dict[str, Any]], tools: list[dict[str, Any]], fields: list[str]
) -> None:
    body: dict[str, Any] = {"model": "gpt-5", "input": items, "stream": False}
    body.update({k: RICH[k] for k in fields if k != "tools"})
    if tools:
        body["tools"] = tools
    call = decode_request(json.dumps(body).encode()).call
    assert json.loads(encode_request(call, "gpt-5")) == body


def _stateless(response: Response) -> Response:
    """Item ids LIP minted come back as Responses state; usage zeros as counts."""

    def part(p: Any) -> Any:
        if isinstance(p, ToolCallPart | ReasoningPart):
            encrypted = p.state.encrypted if p.state is not None else None
            return dataclasses.replace(p, state=ProviderState(origin="x", encrypted=encrypted))
        return p

    usage = response.usage
    if usage is not None:
        usage = Usage(
            input_tokens=usage.input_tokens or 0,
            output_tokens=usage.output_tokens or 0,
            cached_input_tokens=usage.cached_input_tokens or 0,
            reasoning_tokens=usage.reasoning_tokens or 0,
        )
    return dataclasses.replace(
        response, id="", output=tuple(part(p) for p in response.output), usage=usage, warnings=()
    )


def _decoded(wire: bytes, cuts: list[int]) -> list[Event]:
    points = sorted({c % (len(wire) + 1) for c in cuts})
    pieces = [wire[a:b] for a, b in zip([0, *points], [*points, len(wire)], strict=True)]
    sse, decoder = SSEDecoder(), ResponsesStreamDecoder()
    events: list[Event] = []
    for piece in pieces:
        for frame in sse.feed(piece):
            events += decoder.feed(frame)
    for frame in sse.close():
        events += decoder.feed(frame)
    return events + decoder.close()


@settings(max_examples=200, deadline=None)
@given(event_streams(), st.lists(st.integers(min_value=0, max_value=100_000), max_size=12))
def test_a_stream_lip_encodes_decodes_to_the_same_response(
    events: list[Event], cuts: list[int]
) -> None:
    encoder = ResponsesStreamEncoder(request_for())
    wire = b"".join(encoder.encode(e) for e in events) + encoder.close()
    decoded = _decoded(wire, cuts)
    if isinstance(events[-1], ErrorEvent):
        assert isinstance(decoded[-1], ErrorEvent)
        return
    folded = collect(events)
    assert _stateless(collect(decoded)) == _stateless(folded)
    unary = decode_response(encode_response(folded, request_for()).body)
    assert _stateless(collect(unary)) == _stateless(folded)
