"""Call -> Gemini ``generateContent`` request (the backend codec's encode half, and the codec).

A Gemini client's request goes upstream as it came: its contents (with
thought signatures), declarations with their original schemas in the
``tools`` entries it grouped them in, tool config and carried fields. Calls
from other protocols: leading system turns become ``systemInstruction``
(later ones join it: Gemini has no system turn in the conversation, a
documented projection), JSON Schema parameters are converted to Gemini's
schema (:mod:`.schema`), or sent as ``parametersJsonSchema`` when
a keyword has no Gemini form; tool choice and options become ``toolConfig``
and ``generationConfig``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from lip.canonical import (
    Call,
    Event,
    JSONValue,
    LipError,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolChoiceMode,
    offerable,
)
from lip.protocols import wire_checks
from lip.protocols.base import BackendCodec, StreamDecoder
from lip.protocols.gemini.carry import (
    EMPTY_TOOL_ENTRIES,
    GENERATION,
    JSON_SCHEMA,
    PROTOCOL,
    SCHEMA,
    SYSTEM_ROLE,
    TOOL_ENTRY,
    own,
)
from lip.protocols.gemini.contents import encode_contents
from lip.protocols.gemini.errors import decode_error
from lip.protocols.gemini.schema import Unconvertible, to_gemini
from lip.protocols.gemini.upstream import GeminiStreamDecoder, decode_count, decode_response
from lip_wire.gemini.generate_content_request import GenerateContentRequest

__all__ = ["GeminiCodec", "encode_request"]


def _declaration(tool: Tool, fields: dict[str, JSONValue]) -> dict[str, Any]:
    original = fields.pop(SCHEMA, None)
    as_json_schema = bool(fields.pop(JSON_SCHEMA, False))
    body: dict[str, Any] = {"name": tool.name}
    if tool.description is not None:
        body["description"] = tool.description
    if original is not None:
        body["parameters"] = original
    elif tool.parameters is not None:
        if as_json_schema:
            body["parametersJsonSchema"] = tool.parameters
        else:
            try:
                body["parameters"] = to_gemini(tool.parameters)
            except Unconvertible:
                body["parametersJsonSchema"] = tool.parameters
    body.update(fields)
    return body


def _tools(tools: tuple[Tool, ...], empty: JSONValue = None) -> list[dict[str, Any]]:
    """The ``tools`` entries: those a Gemini client grouped (:data:`TOOL_ENTRY`) as it
    did, with its entries that held no tool (``empty``: :data:`EMPTY_TOOL_ENTRIES`),
    in its order; then the others' declarations as one entry, then one entry per
    hosted tool."""
    grouped: dict[int, dict[str, Any]] = {}
    for pair in empty if isinstance(empty, list) else ():
        if isinstance(pair, list) and len(pair) == 2:
            index, kept = pair
            if isinstance(index, int) and isinstance(kept, dict):
                grouped[index] = dict(kept)
    declarations: list[dict[str, Any]] = []
    hosted: list[dict[str, Any]] = []
    for tool in tools:
        if tool.hosted_by not in (None, PROTOCOL):
            continue  # left out by offerable
        fields = own(tool.extensions)
        number = fields.pop(TOOL_ENTRY, None)
        entry = grouped.setdefault(number, {}) if isinstance(number, int) else None
        if tool.hosted_by is None:
            declaration = _declaration(tool, fields)
            if entry is None:
                declarations.append(declaration)
            else:
                entry.setdefault("functionDeclarations", []).append(declaration)
        elif entry is None:
            hosted.append(fields)
        else:
            entry.update(fields)
    out = [grouped[n] for n in sorted(grouped)]
    if declarations:
        out.append({"functionDeclarations": declarations})
    out.extend(hosted)
    return out


def _system(call: Call) -> tuple[dict[str, Any] | None, list[Any]]:
    system = [m for m in call.messages if m.role in ("system", "developer")]
    rest = [m for m in call.messages if m.role not in ("system", "developer")]
    if not system:
        return None, rest
    texts = [p.text for m in system for p in m.parts if isinstance(p, TextPart)]
    instruction: dict[str, Any] = {"parts": [{"text": t} for t in texts]}
    role = own(system[0].extensions).get(SYSTEM_ROLE)
    if role is not None:
        instruction = {"role": role, **instruction}
    return instruction, rest


def _generation(call: Call, carried: Mapping[str, JSONValue]) -> dict[str, Any]:
    given = carried.get("generationConfig")
    config: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    options = call.options
    for key, value in (
        ("temperature", options.temperature),
        ("topP", options.top_p),
        ("maxOutputTokens", options.max_output_tokens),
        ("seed", options.seed),
        ("presencePenalty", options.presence_penalty),
        ("frequencyPenalty", options.frequency_penalty),
    ):
        if value is not None:
            config[key] = value
    if options.stop:
        config["stopSequences"] = list(options.stop)
    fmt = options.response_format
    if fmt is not None and fmt.kind is not ResponseFormatKind.TEXT:
        config["responseMimeType"] = "application/json"
        if fmt.schema is not None and "responseSchema" not in config:  # not the client's own
            config["responseJsonSchema"] = fmt.schema
    if options.reasoning_budget_tokens is not None or options.reasoning_effort is not None:
        thinking: dict[str, Any] = dict(config.get("thinkingConfig") or {})
        if options.reasoning_budget_tokens is not None:
            thinking["thinkingBudget"] = options.reasoning_budget_tokens
        elif (
            call.protocol == PROTOCOL
            and options.reasoning_effort is not None
            and not {"thinkingLevel", "thinking_level"} & set(thinking)  # said as it came
        ):
            thinking["thinkingLevel"] = options.reasoning_effort.upper()
        config["thinkingConfig"] = thinking
    return config


def request_body(call: Call, model: str) -> dict[str, Any]:
    call = offerable(call, PROTOCOL, "a Gemini upstream")
    carried = own(call.extensions) if call.protocol == PROTOCOL else {}
    instruction, rest = _system(call)
    body: dict[str, Any] = {"contents": encode_contents(rest, foreign=call.protocol != PROTOCOL)}
    if instruction is not None:
        body["systemInstruction"] = instruction
    empty = carried.pop(EMPTY_TOOL_ENTRIES, None)
    if call.tools or empty:
        body["tools"] = _tools(call.tools, empty)
    choice = call.tool_choice
    if "toolConfig" in carried:
        body["toolConfig"] = carried.pop("toolConfig")
    elif choice is not None and call.tools:
        config: dict[str, Any] = {"mode": {"auto": "AUTO", "none": "NONE"}.get(choice.mode, "ANY")}
        if choice.mode is ToolChoiceMode.NAMED:
            config["allowedFunctionNames"] = [choice.name]
        body["toolConfig"] = {"functionCallingConfig": config}
    generation = _generation(call, carried)
    carried.pop("generationConfig", None)
    if generation or carried.pop(GENERATION, False):
        body["generationConfig"] = generation
    body.update({k: v for k, v in carried.items() if not k.startswith("lip:")})
    return body


def encode_request(call: Call, model: str) -> bytes:
    body = request_body(call, model)
    wire_checks.check(GenerateContentRequest, body, "generateContent request")
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class GeminiCodec(BackendCodec):
    """``POST {base_url}/models/{model}:generateContent`` (``:streamGenerateContent?alt=sse``)
    with ``x-goog-api-key``."""

    protocol = PROTOCOL

    def path(self, model: str, *, stream: bool) -> str:
        if stream:
            return f"/models/{model}:streamGenerateContent?alt=sse"
        return f"/models/{model}:generateContent"

    def auth_headers(self, key: str) -> Mapping[str, str]:
        return {"x-goog-api-key": key}

    def encode_request(self, call: Call, model: str) -> bytes:
        return encode_request(call, model)

    def decode_response(self, body: bytes) -> list[Event]:
        return decode_response(body)

    def stream_decoder(self) -> StreamDecoder:
        return GeminiStreamDecoder()

    def decode_error(self, status: int, body: bytes, retry_after: float | None) -> LipError:
        return decode_error(status, body, retry_after)

    def count_path(self, model: str) -> str | None:
        return f"/models/{model}:countTokens"

    def encode_count_request(self, call: Call, model: str) -> bytes:
        inner = {"model": f"models/{model}", **request_body(call, model)}
        return json.dumps({"generateContentRequest": inner}, separators=(",", ":")).encode()

    def decode_count(self, body: bytes) -> int:
        return decode_count(body)
