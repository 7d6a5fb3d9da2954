"""Validating a generateContent or countTokens request the way the API does.

:func:`parse_request` turns the raw body into a :class:`GeminiRequest` or
raises the API's :class:`GoogleError`, in the API's order:

1. the JSON itself, then its structure against the generated wire model
   (``lip_wire.gemini``): unknown names, types, oneofs, enum names
   (:mod:`.proto_json`), all problems in one ``BadRequest``;
2. roles, parts, function call and result names (:mod:`.conversation`),
   function declarations (name ``^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$``; not
   both ``parameters`` and ``parametersJsonSchema``, nor ``response`` and
   ``responseJsonSchema``), ``allowedFunctionNames`` only with mode ``ANY``
   or ``VALIDATED``, ``generationConfig`` ranges (``temperature`` 0..2,
   ``topP`` 0..1, ``maxOutputTokens`` >= 1, ``candidateCount`` 1: the
   emulator answers one candidate, and says so, where the API takes more
   for some models) and ``responseMimeType`` values: reported together;
3. thinking settings for the model (:mod:`.models`): a ``thinkingBudget``
   in its range (-1: dynamic; 0 only where thinking can be turned off), a
   ``thinkingLevel`` it takes, not both;
4. the ``thoughtSignature`` values sent back (:mod:`.conversation`).

``countTokens`` (:func:`parse_count`) takes ``contents`` or a whole
``generateContentRequest`` (checked as above).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pydantic import BaseModel

from lip.canonical.json import JSONObject, JSONValue
from lip_wire.gemini import generate_content_request as w
from refbackends.content import stable_id
from refbackends.gemini.conversation import (
    Problems,
    check_contents,
    check_signatures,
    input_tokens,
)
from refbackends.gemini.errors import bad_request, invalid_argument
from refbackends.gemini.models import GENERIC, ModelInfo, find_model
from refbackends.gemini.proto_json import read_count_request, read_request
from refbackends.gemini.signatures import SignatureStore

__all__ = ["FunctionTool", "GeminiRequest", "parse_count", "parse_request"]

_FUNCTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:\-]{0,63}$")
_MIME_TYPES = (
    "text/plain",
    "application/json",
    "application/xml",
    "application/yaml",
    "text/x.enum",
)
_EMPTY_PARAMETERS: JSONObject = {"type": "object", "properties": {}}


@dataclass(frozen=True)
class FunctionTool:
    """A declared function; ``parameters`` as JSON Schema (Gemini's upper
    case type names included)."""

    name: str
    parameters: JSONObject


@dataclass(frozen=True)
class GeminiRequest:
    """A validated request, reduced to what shapes the reply. ``thinking``:
    the model thinks on this request; ``include_thoughts``: its thoughts are
    shown; ``mode``: ``AUTO``, ``ANY``, ``NONE`` or ``VALIDATED``."""

    model: str
    info: ModelInfo
    contents: tuple[w.Content, ...]
    tools: tuple[FunctionTool, ...]
    mode: str
    allowed: tuple[str, ...]
    thinking: bool
    include_thoughts: bool
    max_output_tokens: int | None
    stop: tuple[str, ...]
    json_output: bool
    json_schema: JSONValue
    input_tokens: int
    fingerprint: str  # stable digest of model and body, seeds every id


def parse_request(raw: bytes, model: str, signatures: SignatureStore) -> GeminiRequest:
    """Validate a generateContent body for ``model`` (see the module docstring)."""
    body = _json_body(raw)
    wire = w.GenerateContentRequest.model_validate(read_request(body))
    info = find_model(model) or GENERIC
    return _checked(wire, model, info, body, signatures, Problems("GenerateContentRequest"))


def parse_count(raw: bytes, model: str, signatures: SignatureStore) -> int:
    """Validate a countTokens body; the count generateContent would report
    as ``promptTokenCount``."""
    body = _json_body(raw)
    read = read_count_request(body)
    inner = read.get("generateContentRequest", read.get("generate_content_request"))
    contents = read.get("contents")
    if inner is not None and contents is not None:
        raise invalid_argument(
            "* CountTokensRequest: contents and generate_content_request are mutually exclusive.\n"
        )
    info = find_model(model) or GENERIC
    if isinstance(inner, dict):
        wire = w.GenerateContentRequest.model_validate(inner)
        problems = Problems("CountTokensRequest", "generate_content_request.")
        return _checked(wire, model, info, inner, signatures, problems).input_tokens
    parsed = w.GenerateContentRequest.model_validate({"contents": contents or []})
    problems = Problems("CountTokensRequest")
    check_contents(parsed.contents or [], None, problems)
    problems.raise_any()
    check_signatures(parsed.contents or [], info, signatures)
    return input_tokens(None, parsed.contents or [])


def _checked(
    wire: w.GenerateContentRequest,
    model: str,
    info: ModelInfo,
    body: JSONObject,
    signatures: SignatureStore,
    problems: Problems,
) -> GeminiRequest:
    contents = tuple(wire.contents or ())
    check_contents(contents, wire.system_instruction, problems)
    tools = _tools(wire.tools or [], problems)
    mode, allowed = _function_calling(wire.tool_config, problems)
    config = wire.generation_config or w.GenerationConfig()
    _check_generation(config, problems)
    problems.raise_any()
    thinking, include = _thinking(config.thinking_config, info)
    check_signatures(contents, info, signatures)
    json_output = config.response_mime_type == "application/json"
    schema: JSONValue = config.response_json_schema
    if schema is None and config.response_schema is not None:
        schema = _dump(config.response_schema)
    return GeminiRequest(
        model=model,
        info=info,
        contents=contents,
        tools=tools,
        mode=mode,
        allowed=allowed,
        thinking=thinking,
        include_thoughts=include,
        max_output_tokens=config.max_output_tokens,
        stop=tuple(config.stop_sequences or ()),
        json_output=json_output,
        json_schema=schema,
        input_tokens=input_tokens(wire.system_instruction, contents),
        fingerprint=stable_id([model, json.dumps(body, sort_keys=True, ensure_ascii=False)], 24),
    )


def _json_body(raw: bytes) -> JSONObject:
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise bad_request([(None, "Invalid JSON payload received. Unexpected token.")]) from None
    if not isinstance(body, dict):
        shown = json.dumps(body, ensure_ascii=False)[:40]
        raise bad_request(
            [(None, f"Invalid JSON payload received. Expected an object, got: {shown}")]
        )
    return body


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _tools(tools: list[w.Tool], problems: Problems) -> tuple[FunctionTool, ...]:
    declared: list[FunctionTool] = []
    for i, tool in enumerate(tools):
        for j, function in enumerate(tool.function_declarations or []):
            path = f"tools[{i}].function_declarations[{j}]"
            name = function.name or ""
            if not _FUNCTION_NAME.match(name):
                problems.add(
                    f"{path}.name",
                    "Invalid function name. Must start with a letter or an underscore. Must be "
                    "alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or "
                    "dashes (-), with a maximum length of 64.",
                )
            if function.parameters is not None and function.parameters_json_schema is not None:
                problems.add(
                    f"{path}.parameters_json_schema",
                    "parameters and parameters_json_schema cannot both be set.",
                )
            if function.response is not None and function.response_json_schema is not None:
                problems.add(
                    f"{path}.response_json_schema",
                    "response and response_json_schema cannot both be set.",
                )
            declared.append(FunctionTool(name, _parameters(function)))
    return tuple(declared)


def _parameters(function: w.FunctionDeclaration) -> JSONObject:
    if function.parameters is not None:
        return _dump(function.parameters)
    schema = function.parameters_json_schema
    return schema if isinstance(schema, dict) else _EMPTY_PARAMETERS


def _function_calling(
    config: w.ToolConfig | None, problems: Problems
) -> tuple[str, tuple[str, ...]]:
    calling = config.function_calling_config if config is not None else None
    if calling is None:
        return "AUTO", ()
    mode = (calling.mode or "AUTO").upper()
    mode = "AUTO" if mode == "MODE_UNSPECIFIED" else mode
    allowed = tuple(calling.allowed_function_names or ())
    if allowed and mode not in ("ANY", "VALIDATED"):
        problems.add(
            "tool_config.function_calling_config.allowed_function_names",
            "allowed_function_names may only be set when mode is ANY or VALIDATED.",
        )
    return mode, allowed


def _check_generation(config: w.GenerationConfig, problems: Problems) -> None:
    where = "generation_config"
    count = config.candidate_count
    if count is not None and count != 1:
        problems.add(
            f"{where}.candidate_count",
            f"candidate_count {count} is not supported: the emulator answers one candidate "
            "(candidate_count must be 1).",
        )
    if config.temperature is not None and not 0 <= config.temperature <= 2:
        problems.add(f"{where}.temperature", "temperature must be in the range [0.0, 2.0].")
    if config.top_p is not None and not 0 <= config.top_p <= 1:
        problems.add(f"{where}.top_p", "top_p must be in the range [0.0, 1.0].")
    if config.max_output_tokens is not None and config.max_output_tokens < 1:
        problems.add(f"{where}.max_output_tokens", "max_output_tokens must be positive.")
    mime = config.response_mime_type
    if mime is not None and mime not in _MIME_TYPES:
        problems.add(
            f"{where}.response_mime_type",
            "allowed mimetypes are `text/plain`, `application/json`, `application/xml`, "
            "`application/yaml` and `text/x.enum`.",
        )


def _thinking(config: w.ThinkingConfig | None, info: ModelInfo) -> tuple[bool, bool]:
    """(whether the model thinks, whether its thoughts are shown), or the
    API's 400 for settings the model does not take."""
    if config is None:
        return info.thinking and info is not GENERIC, False
    extra = config.model_extra or {}
    raw_level = extra.get("thinkingLevel", extra.get("thinking_level"))
    level = raw_level.upper() if isinstance(raw_level, str) else None
    budget = config.thinking_budget
    if level is not None and budget is not None:
        raise invalid_argument("You can only set one of thinking budget and thinking level.")
    if level is not None and level != "THINKING_LEVEL_UNSPECIFIED":
        if not info.levels:
            raise invalid_argument("Thinking level is not supported for this model.")
        if level not in info.levels:
            raise invalid_argument(f"Thinking level {level} is not supported for this model.")
    if budget is not None:
        _check_budget(budget, info)
    thinks = info.thinking and budget != 0
    if info is GENERIC and budget is None and level is None:
        thinks = bool(config.include_thoughts)
    return thinks, thinks and bool(config.include_thoughts)


def _check_budget(budget: int, info: ModelInfo) -> None:
    if info.budget is None:
        if budget != 0:
            raise invalid_argument("Thinking is not supported for this model.")
        return
    low, high = info.budget
    if budget == -1 or low <= budget <= high:
        return
    if budget == 0:
        if not info.can_disable:
            raise invalid_argument("Budget 0 is invalid. This model only works in thinking mode.")
        return
    raise invalid_argument(f"The thinking budget ({budget}) is invalid.")


def _dump(model: BaseModel) -> JSONObject:
    dumped: JSONObject = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped
