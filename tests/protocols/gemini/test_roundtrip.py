"""Hypothesis: Call -> Gemini request -> Call keeps everything a Gemini request
can say (the representable subset: system text, text and media, Gemini
reasoning and signatures, tool calls with object arguments answered in order
with JSON-object results, tools with convertible schemas, tool choice,
sampling, stop, JSON output and thinking budget). Gemini names calls by
position, not by id: ids are compared by the order they appear in. Then
examples: a Gemini request's ``tools`` entries go upstream grouped as they came."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lip.canonical import (
    AudioPart,
    Call,
    FilePart,
    ImagePart,
    Message,
    Options,
    Part,
    ProviderState,
    ReasoningPart,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
    fields_for,
)
from lip.protocols.anthropic_messages.backend import encode_request as encode_anthropic
from lip.protocols.gemini.backend import encode_request
from lip.protocols.gemini.carry import PROTOCOL, TOOL_ENTRY
from lip.protocols.gemini.contents import DUMMY_SIGNATURE
from lip.protocols.gemini.request import decode_request
from lip.protocols.openai_chat.backend import encode_request as encode_chat
from lip.protocols.openai_chat.request import decode_request as decode_chat
from lip.protocols.openai_responses.backend import encode_request as encode_responses

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
)
names = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
scalars = st.one_of(st.integers(-1000, 1000), st.booleans(), words, st.none())
objects = st.dictionaries(names, scalars, max_size=3)
signatures = st.none() | st.from_regex(r"[A-Za-z0-9+/]{4,12}=?", fullmatch=True)
schemas = st.sampled_from(
    [
        {"type": "object", "properties": {}},
        {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        {"type": "object", "properties": {"n": {"type": ["integer", "null"], "minimum": 0}}},
        {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}},
    ]
)


def _state(signature: str | None) -> ProviderState | None:
    return ProviderState(origin=PROTOCOL, signature=signature) if signature else None


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@st.composite
def media(draw: st.DrawFn) -> Part:
    data = draw(st.from_regex(r"[A-Za-z0-9+/]{4,16}", fullmatch=True))
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return ImagePart(data=data, media_type=draw(st.sampled_from(["image/png", "image/webp"])))
    if choice == 1:
        return ImagePart(url=f"https://example.com/{data}.png", media_type="image/png")
    if choice == 2:
        return FilePart(data=data, media_type="application/pdf")
    return AudioPart(data=data, format=draw(st.sampled_from(["wav", "mp3"])))


@st.composite
def calls(draw: st.DrawFn) -> Call:
    tool_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    tools = tuple(
        Tool(name=name, description=draw(st.none() | words), parameters=draw(schemas))
        for name in tool_names
    )
    messages: list[Message] = []
    if draw(st.booleans()):
        texts = draw(st.lists(words, min_size=1, max_size=2))
        messages.append(Message(role="system", parts=tuple(TextPart(text=t) for t in texts)))
    numbered = 0
    for _ in range(draw(st.integers(1, 3))):
        parts: list[Part] = [TextPart(text=draw(words))]
        parts += draw(st.lists(media(), max_size=2))
        messages.append(Message(role="user", parts=tuple(parts)))
        said: list[Part] = []
        if draw(st.booleans()):
            signature = draw(signatures)  # a Gemini thought, signed or not
            said.append(
                ReasoningPart(
                    text=draw(words), state=ProviderState(origin=PROTOCOL, signature=signature)
                )
            )
        if draw(st.booleans()):
            said.append(TextPart(text=draw(words), state=_state(draw(signatures))))
        uses = [
            ToolCallPart(
                id=f"call_{numbered + n}",
                name=draw(st.sampled_from(tool_names)),
                arguments=_compact(draw(objects)),
                state=_state(draw(signatures)),
            )
            for n in range(draw(st.integers(0 if said else 1, 2)))
        ]
        numbered += len(uses)
        messages.append(Message(role="assistant", parts=(*said, *uses)))
        if uses:
            results = tuple(
                ToolResultPart(call_id=use.id, content=(TextPart(text=_compact(draw(objects))),))
                for use in uses
            )
            messages.append(Message(role="tool", parts=results))
    if messages[-1].role != "user":
        messages.append(Message(role="user", parts=(TextPart(text=draw(words)),)))
    mode = draw(st.sampled_from(ToolChoiceMode))
    choice = ToolChoice(mode=mode, name=tool_names[0] if mode is ToolChoiceMode.NAMED else None)
    fmt = draw(
        st.none()
        | st.just(ResponseFormat(kind=ResponseFormatKind.JSON_OBJECT))
        | schemas.map(
            lambda s: ResponseFormat(kind=ResponseFormatKind.JSON_SCHEMA, name="response", schema=s)
        )
    )
    unit = st.none() | st.floats(0, 1, allow_nan=False)
    options = Options(
        max_output_tokens=draw(st.none() | st.integers(1, 100_000)),
        temperature=draw(unit),
        top_p=draw(unit),
        stop=tuple(draw(st.lists(words, max_size=2))),
        seed=draw(st.none() | st.integers(0, 2**31 - 1)),
        presence_penalty=draw(unit),
        frequency_penalty=draw(unit),
        response_format=fmt,
        reasoning_budget_tokens=draw(st.none() | st.integers(1, 24_576)),
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
    )


def _semantics(call: Call) -> tuple[object, ...]:
    order: dict[str, int] = {}

    def part(p: Part) -> object:
        match p:
            case ToolCallPart():
                order.setdefault(p.id, len(order))
                # Another protocol's call reaches Gemini signed with the API's
                # dummy, which reads back as Gemini's state.
                dummy = p.state is not None and p.state.signature == DUMMY_SIGNATURE
                state = None if dummy else p.state
                return ("call", order[p.id], p.name, json.loads(p.arguments), state)
            case ToolResultPart():
                content = tuple(part(c) for c in p.content)
                return ("result", order.get(p.call_id), content, p.is_error)
            case TextPart():
                return ("text", p.text, p.state)
            case ReasoningPart():
                return ("reasoning", p.text, p.state)
            case ImagePart():
                return ("image", p.url, p.data, p.media_type)
            case FilePart():
                return ("file", p.url, p.data, p.media_type)
            case AudioPart():
                return ("audio", p.data, p.format)
            case _:
                raise AssertionError(f"outside the subset: {p!r}")

    return (
        call.model,
        tuple((m.role, tuple(part(p) for p in m.parts)) for m in call.messages),
        tuple((t.name, t.description, t.parameters) for t in call.tools),
        call.tool_choice,
        call.options,
        call.stream,
    )


@settings(max_examples=200, deadline=None)
@given(calls())
def test_call_to_gemini_and_back_keeps_the_representable_subset(call: Call) -> None:
    body = encode_request(call, call.model)
    again = decode_request(body, call.model, stream=call.stream).call
    assert again.protocol == PROTOCOL
    assert _semantics(again) == _semantics(call)


@settings(max_examples=100, deadline=None)
@given(calls())
def test_gemini_to_call_to_gemini_is_the_identity(call: Call) -> None:
    # Once a call is Gemini's own, its request goes upstream unchanged.
    body = json.loads(encode_request(call, call.model))
    again = decode_request(json.dumps(body).encode(), call.model, stream=call.stream).call
    assert json.loads(encode_request(again, call.model)) == body


_A = {"name": "a", "parameters": {"type": "OBJECT", "properties": {"x": {"type": "STRING"}}}}
_B = {"name": "b", "description": "B", "behavior": "NON_BLOCKING"}
_C = {"name": "c", "parametersJsonSchema": {"type": "object"}}


def _gemini(tools: list[dict[str, object]]) -> dict[str, object]:
    return {"contents": [{"role": "user", "parts": [{"text": "hi"}]}], "tools": tools}


@pytest.mark.parametrize(
    "tools",
    [
        [{"functionDeclarations": [_A]}, {"functionDeclarations": [_B, _C]}],
        [{"functionDeclarations": [_A]}, {"functionDeclarations": [_B, _C]}, {"googleSearch": {}}],
        [{"functionDeclarations": [_A], "codeExecution": {}}, {"urlContext": {}}],
        [{"functionDeclarations": [_A]}, {"googleSearch": {}}, {"functionDeclarations": [_B]}],
        [{"googleSearch": {}}, {"functionDeclarations": [_A, _B]}],
        [{"googleSearch": {}, "urlContext": {}}, {"functionDeclarations": [_C]}],
        [{"functionDeclarations": [_A], "newTool": {"k": 1}}, {"functionDeclarations": [_B]}],
        [{"functionDeclarations": []}],
        [{}, {"functionDeclarations": [_A, _B]}],
        [{"functionDeclarations": [_A]}, {"functionDeclarations": []}, {"googleSearch": {}}],
    ],
)
def test_gemini_tools_entries_go_upstream_grouped_as_they_came(
    tools: list[dict[str, object]],
) -> None:
    body = _gemini(tools)
    call = decode_request(json.dumps(body).encode(), "m", stream=False).call
    assert all(isinstance(fields_for(t.extensions, PROTOCOL)[TOOL_ENTRY], int) for t in call.tools)
    assert json.loads(encode_request(call, "m")) == body


@pytest.mark.parametrize(
    "tools",
    [
        [{"functionDeclarations": [_A, _B]}],
        [{"functionDeclarations": [_A, _B]}, {"googleSearch": {}}, {"codeExecution": {}}],
        [{"googleSearch": {}}],
    ],
)
def test_the_usual_tools_layout_is_kept_without_a_marker(tools: list[dict[str, object]]) -> None:
    body = _gemini(tools)
    call = decode_request(json.dumps(body).encode(), "m", stream=False).call
    assert not any(TOOL_ENTRY in fields_for(t.extensions, PROTOCOL) for t in call.tools)
    assert json.loads(encode_request(call, "m")) == body


def test_the_tools_entry_marker_goes_to_no_other_backend() -> None:
    tools = [{"functionDeclarations": [_A], "codeExecution": {}}, {"functionDeclarations": [_B]}]
    call = decode_request(json.dumps(_gemini(tools)).encode(), "m", stream=False).call
    for encode in (encode_chat, encode_anthropic, encode_responses):
        sent = encode(call, "m").decode()
        assert "lip:" not in sent and "codeExecution" not in sent
        assert '"a"' in sent and '"b"' in sent


def test_tools_from_openai_chat_are_one_declarations_entry() -> None:
    functions = [{"type": "function", "function": {"name": n}} for n in ("f", "g", "h")]
    chat = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "tools": functions}
    call = decode_chat(json.dumps(chat).encode()).call
    sent = json.loads(encode_request(call, "m"))
    assert sent["tools"] == [{"functionDeclarations": [{"name": n} for n in ("f", "g", "h")]}]
