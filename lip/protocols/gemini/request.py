"""Gemini ``generateContent`` request -> :class:`Call` (the frontend's decode half).

https://ai.google.dev/api/generate-content
The model comes from the path (``models/{model}:generateContent``, the model
part possibly a route selector with colons); the body is validated against
the generated wire model (unknown fields are carried, as the API's newer
fields may be), then read as camelCase JSON. ``systemInstruction`` is a
leading system turn; function declarations are tools whose ``parameters``
(Gemini's schema) become JSON Schema (:mod:`.schema`), the original kept for
Gemini upstreams, like the grouping of ``tools`` entries when it is not the
usual one; ``toolConfig`` AUTO / ANY / NONE (one allowed name with ANY
is a named choice; VALIDATED, text or checked calls, is AUTO elsewhere);
``generationConfig`` maps to the options, its ``thinkingConfig`` budget to
the reasoning budget, a ``responseSchema`` to a JSON Schema response format
(the original kept for Gemini upstreams, like a non-JSON ``responseMimeType``
such as ``text/x.enum``); ``candidateCount`` above 1 is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from lip.canonical import (
    DEFAULT_LIMITS,
    Call,
    InvalidRequestError,
    JSONValue,
    Limits,
    Message,
    Options,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolChoice,
    ToolChoiceMode,
)
from lip.protocols.base import ClientRequest, ReplyShape
from lip.protocols.gemini.carry import (
    EMPTY_TOOL_ENTRIES,
    GENERATION,
    JSON_SCHEMA,
    PROTOCOL,
    SCHEMA,
    SYSTEM_ROLE,
    TOOL_ENTRY,
    extra,
    wrap,
)
from lip.protocols.gemini.contents import decode_contents
from lip.protocols.gemini.errors import invalid_body
from lip.protocols.gemini.schema import Unconvertible, from_gemini
from lip.protocols.strict_json import non_finite_number
from lip_wire.gemini import generate_content_request as w

__all__ = ["GeminiReplyShape", "decode_count_request", "decode_request"]

_HANDLED = frozenset(
    {"contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "model"}
)
_CONFIG = frozenset(
    {
        "temperature", "topP", "maxOutputTokens", "stopSequences", "seed", "presencePenalty",
        "frequencyPenalty", "responseMimeType", "responseSchema", "responseJsonSchema",
        "candidateCount",
    }
)  # fmt: skip
_RESPONSE = frozenset({"responseMimeType", "responseSchema", "responseJsonSchema"})
_DECLARATION = frozenset({"name", "description", "parameters", "parametersJsonSchema"})
_LEVELS = frozenset({"MINIMAL", "LOW", "MEDIUM", "HIGH"})
"""Thinking levels, the reasoning efforts of the same names (which other
protocols spell in lower case)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GeminiReplyShape(ReplyShape):
    """``sse``: the stream is SSE (``alt=sse``), else the JSON array the API sends."""

    sse: bool = True


def _body(raw_body: bytes) -> dict[str, Any]:
    token = non_finite_number(raw_body)
    if token is not None:
        raise InvalidRequestError(f"Invalid JSON payload received. {token!r} is not a number.")
    try:
        # Not strict: proto3 JSON takes an integer field as any integral number
        # or a numeric string (the Python SDK sends ``"topK": 64.0``), and so
        # does the API; text is still never a number.
        request = w.GenerateContentRequest.model_validate_json(raw_body)
    except ValidationError as exc:
        raise invalid_body(exc) from None
    body: dict[str, Any] = request.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return body


def _tool(declaration: dict[str, Any], marker: dict[str, JSONValue]) -> Tool:
    fields: dict[str, JSONValue] = extra(declaration, _DECLARATION)
    parameters: Any = None
    if "parametersJsonSchema" in declaration:
        parameters = declaration["parametersJsonSchema"]
        fields[JSON_SCHEMA] = True
    elif declaration.get("parameters") is not None:
        fields[SCHEMA] = declaration["parameters"]
        try:
            parameters = from_gemini(declaration["parameters"])
        except Unconvertible as exc:
            raise InvalidRequestError(
                f"Invalid function declaration '{declaration.get('name')}': {exc}",
                param="tools",
            ) from None
    fields.update(marker)
    return Tool(
        name=str(declaration.get("name") or ""),
        description=declaration.get("description"),
        parameters=parameters if isinstance(parameters, dict) else None,
        extensions=wrap(fields),
    )


def _grouped(entries: list[dict[str, Any]]) -> bool:
    """Whether ``entries`` differ from the usual layout (one ``functionDeclarations``
    entry first, then one entry per hosted tool), so their grouping is recorded."""
    return any(
        len(entry) > 1 or (number > 0 and "functionDeclarations" in entry)
        for number, entry in enumerate(entries)
    )


def _empty(entry: dict[str, Any]) -> bool:
    """An entry that holds no tool: nothing, or no function declarations."""
    return not entry.get("functionDeclarations") and all(k == "functionDeclarations" for k in entry)


def _tools(body: dict[str, Any], carried: dict[str, JSONValue]) -> tuple[Tool, ...]:
    entries: list[dict[str, Any]] = body.get("tools") or []
    empty: list[JSONValue] = [[n, entry] for n, entry in enumerate(entries) if _empty(entry)]
    if empty:
        carried[EMPTY_TOOL_ENTRIES] = empty
    grouped = bool(empty) or _grouped(entries)
    tools: list[Tool] = []
    for number, entry in enumerate(entries):
        marker: dict[str, JSONValue] = {TOOL_ENTRY: number} if grouped else {}
        tools.extend(_tool(d, marker) for d in entry.get("functionDeclarations") or ())
        rest = {k: v for k, v in entry.items() if k != "functionDeclarations"}
        for kind, definition in rest.items():  # googleSearch, codeExecution, urlContext, ...
            fields = {kind: definition, **marker}
            tools.append(Tool(name=kind, hosted_by=PROTOCOL, extensions=wrap(fields)))
    return tuple(tools)


def _choice(body: dict[str, Any], carried: dict[str, JSONValue]) -> ToolChoice | None:
    config = (body.get("toolConfig") or {}).get("functionCallingConfig")
    if not isinstance(config, dict):
        if body.get("toolConfig"):
            carried["toolConfig"] = body["toolConfig"]
        return None
    mode = str(config.get("mode") or "AUTO").upper()
    names = config.get("allowedFunctionNames") or []
    rest = {k: v for k, v in (body.get("toolConfig") or {}).items() if k != "functionCallingConfig"}
    plain = config.get("mode") in ("AUTO", "ANY", "NONE") and set(config) <= {
        "mode",
        "allowedFunctionNames",
    }
    if rest or not plain or (names and not (mode == "ANY" and len(names) == 1)):
        carried["toolConfig"] = body["toolConfig"]  # sent back to Gemini as it came
    if mode == "NONE":
        return ToolChoice(mode=ToolChoiceMode.NONE)
    if mode == "ANY":
        if len(names) == 1:
            return ToolChoice(mode=ToolChoiceMode.NAMED, name=names[0])
        return ToolChoice(mode=ToolChoiceMode.REQUIRED)
    return ToolChoice(mode=ToolChoiceMode.AUTO)


def _format(config: dict[str, Any]) -> ResponseFormat | None:
    if config.get("responseMimeType") != "application/json":
        return None
    schema = config.get("responseJsonSchema")
    if schema is None and config.get("responseSchema") is not None:
        try:
            schema = from_gemini(config["responseSchema"])
        except Unconvertible as exc:
            raise InvalidRequestError(f"Invalid responseSchema: {exc}") from None
    if not isinstance(schema, dict):
        return ResponseFormat(kind=ResponseFormatKind.JSON_OBJECT)
    return ResponseFormat(kind=ResponseFormatKind.JSON_SCHEMA, name="response", schema=schema)


def _options(body: dict[str, Any], carried: dict[str, JSONValue]) -> Options:
    config: dict[str, Any] = dict(body.get("generationConfig") or {})
    count = config.get("candidateCount")
    if isinstance(count, int) and count > 1:
        raise InvalidRequestError(
            "This gateway supports only candidateCount 1.",
            param="generationConfig.candidateCount",
        )
    rest = {k: v for k, v in config.items() if k not in _CONFIG}
    if config.get("responseMimeType") not in (None, "application/json"):  # text/x.enum, ...
        rest.update({k: v for k, v in config.items() if k in _RESPONSE})
    elif "responseSchema" in config:  # kept as sent, in Gemini's schema, for Gemini upstreams
        rest["responseSchema"] = config["responseSchema"]
    if rest:
        carried["generationConfig"] = rest  # thinkingConfig, topK, responseModalities, ...
    elif "generationConfig" in body:
        carried[GENERATION] = True
    thinking = config.get("thinkingConfig") or {}
    # The Python SDK spells the level by its proto name (thinking_level).
    level = thinking.get("thinkingLevel", thinking.get("thinking_level"))
    budget = thinking.get("thinkingBudget")
    return Options(
        max_output_tokens=config.get("maxOutputTokens"),
        temperature=config.get("temperature"),
        top_p=config.get("topP"),
        stop=tuple(config.get("stopSequences") or ()),
        seed=config.get("seed"),
        presence_penalty=config.get("presencePenalty"),
        frequency_penalty=config.get("frequencyPenalty"),
        response_format=_format(config),
        reasoning_effort=level.lower()
        if isinstance(level, str) and level.upper() in _LEVELS
        else None,
        reasoning_budget_tokens=budget if isinstance(budget, int) and budget > 0 else None,
    )


def _messages(body: dict[str, Any]) -> list[Message]:
    messages: list[Message] = []
    system = body.get("systemInstruction")
    if isinstance(system, dict):
        texts = [p.get("text") or "" for p in system.get("parts") or ()]
        marker: dict[str, JSONValue] = {}
        if system.get("role") is not None:
            marker[SYSTEM_ROLE] = system["role"]
        parts = tuple(TextPart(text=t) for t in texts)
        messages.append(Message(role="system", parts=parts, extensions=wrap(marker)))
    messages.extend(decode_contents(body.get("contents") or ()))
    return messages


def decode_request(
    raw_body: bytes, model: str, *, stream: bool, sse: bool = True, limits: Limits = DEFAULT_LIMITS
) -> ClientRequest:
    """``raw_body`` for ``model`` (from the path); ``stream`` for streamGenerateContent."""
    body = _body(raw_body)
    contents = body.get("contents") or []
    parts = sum(len(c.get("parts") or ()) for c in contents)
    tools = sum(len(t.get("functionDeclarations") or ()) or 1 for t in body.get("tools") or ())
    limits.check_counts(messages=len(contents), parts=parts, tools=tools)
    if not contents:
        raise InvalidRequestError("* GenerateContentRequest.contents: contents is not specified")
    carried: dict[str, JSONValue] = {k: v for k, v in body.items() if k not in _HANDLED}
    options = _options(body, carried)
    call = Call(
        id="",
        protocol=PROTOCOL,
        model=model,
        messages=tuple(_messages(body)),
        tools=_tools(body, carried),
        tool_choice=_choice(body, carried),
        options=options,
        stream=stream,
        extensions=wrap(carried),
    )
    return ClientRequest(call=call, shape=GeminiReplyShape(sse=sse))


def decode_count_request(
    raw_body: bytes, model: str, limits: Limits = DEFAULT_LIMITS
) -> ClientRequest:
    """``countTokens``: ``{"contents": [...]}`` or ``{"generateContentRequest": {...}}``."""
    try:
        body = json.loads(raw_body)
    except ValueError:
        raise InvalidRequestError("Invalid JSON payload received.") from None
    if isinstance(body, dict) and isinstance(body.get("generateContentRequest"), dict):
        inner = dict(body["generateContentRequest"])
        inner.pop("model", None)
        raw_body = json.dumps(inner).encode()
    return decode_request(raw_body, model, stream=False, limits=limits)
