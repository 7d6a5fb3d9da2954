"""OpenAI Chat Completions request -> :class:`Call` (the frontend's decode half).

https://platform.openai.com/docs/api-reference/chat/create
Fields with no canonical meaning are carried verbatim in the extensions of
the level they belong to (call, message, part, tool), so an OpenAI Chat
backend sends them on (:mod:`.carry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from pydantic import BaseModel, ValidationError

from lip.canonical import (
    DEFAULT_LIMITS,
    Call,
    Extensions,
    InvalidRequestError,
    Limits,
    Message,
    Options,
    Part,
    ProviderState,
    ReasoningPart,
    RefusalPart,
    ResponseFormat,
    ResponseFormatKind,
    TextPart,
    Tool,
    ToolCallPart,
    ToolChoice,
    ToolChoiceMode,
    ToolResultPart,
)
from lip.protocols.base import ClientRequest, ReplyShape
from lip.protocols.counts import check_counts, prescan
from lip.protocols.openai_chat.carry import (
    CONTENT_ARRAY,
    MAX_TOKENS_NAME,
    PROTOCOL,
    cache_hint,
    carried,
    wrap,
)
from lip.protocols.openai_chat.checks import check_values
from lip.protocols.openai_chat.content import parts_of
from lip.protocols.openai_chat.errors import invalid_body
from lip.protocols.strict_json import non_finite_number
from lip_wire.openai import chat_completion_request as w

# Request fields translated into canonical fields; every other field set by
# the client is carried in extensions.
_HANDLED = frozenset(
    {
        "model", "messages", "tools", "tool_choice", "stream", "stream_options",
        "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "seed",
        "presence_penalty", "frequency_penalty", "response_format", "reasoning_effort",
        "parallel_tool_calls", "user", "metadata", "n",
    }
)  # fmt: skip
_MESSAGE = frozenset({"role", "content", "name"})
_ASSISTANT = frozenset({"role", "content", "name", "refusal", "tool_calls", "reasoning_content"})
_TOOL_MESSAGE = frozenset({"role", "content", "tool_call_id"})
_TOOL_CALL = frozenset({"id", "type", "function"})
_TOOL = frozenset({"type", "function"})
_FUNCTION = frozenset({"name", "description", "parameters", "strict"})


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatReplyShape(ReplyShape):
    """``stream_options.include_usage``: end the stream with a usage chunk."""

    include_usage: bool = False


def decode_request(body: bytes, limits: Limits = DEFAULT_LIMITS) -> ClientRequest:
    """Validate ``body`` against the generated wire model and build the request."""
    token = non_finite_number(body)
    if token is not None:
        raise InvalidRequestError(
            f"We could not parse the JSON body of your request: {token!r} is not a JSON number.",
            code="invalid_json",
        )
    prescan(body, limits)
    try:
        # strict: the wire has types; "yes" is not a boolean and "7" is not a number.
        request = w.ChatCompletionRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        raise invalid_body(exc, body) from None
    check_counts(request.messages, request.tools, limits)
    check_values(request)
    if not request.messages:
        raise InvalidRequestError(
            "[] is too short - 'messages'", param="messages", code="empty_array"
        )
    if request.n is not None and request.n != 1:
        raise InvalidRequestError(
            "This gateway supports only n=1 (one choice per request).",
            param="n",
            code="unsupported_value",
        )
    messages = tuple(_message(m, i) for i, m in enumerate(request.messages))
    extensions = carried(request, _HANDLED)
    if request.max_tokens is not None and request.max_completion_tokens is None:
        # Which name the client used matters to older OpenAI-compatible servers.
        extensions[MAX_TOKENS_NAME] = "max_tokens"
    stream_options = request.stream_options
    call = Call(
        id="",
        protocol=PROTOCOL,
        model=request.model,
        messages=messages,
        tools=tuple(_tools(request)),
        tool_choice=_tool_choice(request.tool_choice),
        options=_options(request),
        stream=bool(request.stream),
        user=request.user,
        metadata=dict(request.metadata or {}),
        extensions=wrap(extensions),
    )
    include_usage = bool(stream_options is not None and stream_options.include_usage)
    return ClientRequest(call=call, shape=ChatReplyShape(include_usage=include_usage))


def _extensions(message: BaseModel, handled: frozenset[str], content: object) -> Extensions:
    extra = carried(message, handled)
    if isinstance(content, list):
        extra[CONTENT_ARRAY] = True
    return wrap(extra)


def _message(message: w.ChatCompletionRequestMessagesItem, index: int) -> Message:
    match message:
        case w.ChatCompletionSystemMessageParam() | w.ChatCompletionDeveloperMessageParam():
            return Message(
                role=message.role,
                parts=parts_of(message.content),
                name=message.name,
                extensions=_extensions(message, _MESSAGE, message.content),
            )
        case w.ChatCompletionUserMessageParam():
            return Message(
                role="user",
                parts=parts_of(message.content),
                name=message.name,
                extensions=_extensions(message, _MESSAGE, message.content),
            )
        case w.ChatCompletionAssistantMessageParam():
            return _assistant(message, index)
        case w.ChatCompletionToolMessageParam():
            content = parts_of(message.content)
            result = ToolResultPart(
                call_id=message.tool_call_id,
                content=tuple(p for p in content if isinstance(p, TextPart)),
            )
            return Message(
                role="tool",
                parts=(result,),
                extensions=_extensions(message, _TOOL_MESSAGE, message.content),
            )
        case w.ChatCompletionFunctionMessageParam():
            raise _legacy(f"messages[{index}]")
        case _:
            assert_never(message)


def _assistant(message: w.ChatCompletionAssistantMessageParam, index: int) -> Message:
    parts: list[Part] = []
    # reasoning_content is not in OpenAI's schema; vLLM, DeepSeek and
    # OpenRouter clients send the model's reasoning back under that name.
    reasoning = (message.model_extra or {}).get("reasoning_content")
    if isinstance(reasoning, str):
        parts.append(ReasoningPart(text=reasoning, state=ProviderState(origin=PROTOCOL)))
    parts.extend(parts_of(message.content))
    if message.refusal:
        parts.append(RefusalPart(text=message.refusal))
    for call in message.tool_calls or ():
        match call:
            case w.ChatCompletionMessageFunctionToolCallParam():
                fn = call.function
                parts.append(
                    ToolCallPart(
                        id=call.id,
                        name=fn.name,
                        arguments=fn.arguments,
                        extensions=wrap(carried(call, _TOOL_CALL)),
                    )
                )
            case w.ChatCompletionMessageCustomToolCallParam():
                raise InvalidRequestError(
                    "Custom tool calls are not supported by this gateway.",
                    param=f"messages[{index}].tool_calls",
                    code="unsupported_value",
                )
            case _:
                assert_never(call)
    if message.function_call is not None:
        raise _legacy(f"messages[{index}].function_call")
    handled = _ASSISTANT if isinstance(reasoning, str) else _ASSISTANT - {"reasoning_content"}
    return Message(
        role="assistant",
        parts=tuple(parts),
        name=message.name,
        extensions=_extensions(message, handled, message.content),
    )


def _legacy(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        "The deprecated 'functions'/'function_call' interface is not supported; use 'tools'.",
        param=param,
        code="unsupported_parameter",
    )


def _tools(request: w.ChatCompletionRequest) -> list[Tool]:
    if request.functions is not None or request.function_call is not None:
        raise _legacy("functions" if request.functions is not None else "function_call")
    tools: list[Tool] = []
    for i, tool in enumerate(request.tools or ()):
        match tool:
            case w.ChatCompletionFunctionToolParam():
                fn = tool.function
                extra = carried(tool, _TOOL)
                inner = carried(fn, _FUNCTION)
                if inner:
                    extra["function"] = inner
                tools.append(
                    Tool(
                        name=fn.name,
                        description=fn.description,
                        parameters=fn.parameters,
                        strict=fn.strict,
                        cache=cache_hint(extra),
                        extensions=wrap(extra),
                    )
                )
            case w.ChatCompletionCustomToolParam():
                raise InvalidRequestError(
                    f"Tool type {tool.type!r} is not supported by this gateway.",
                    param=f"tools[{i}].type",
                    code="unsupported_value",
                )
            case _:
                assert_never(tool)
    return tools


def _tool_choice(choice: str | w.ChatCompletionRequestToolChoice | None) -> ToolChoice | None:
    match choice:
        case None:
            return None
        case "auto" | "none" | "required":
            return ToolChoice(mode=ToolChoiceMode(choice))
        case str():
            raise InvalidRequestError(
                f"Invalid value: '{choice}'. Supported values are: 'none', 'auto' and 'required'.",
                param="tool_choice",
                code="invalid_value",
            )
        case w.ChatCompletionNamedToolChoiceParam():
            if not choice.function.name:
                raise InvalidRequestError(
                    "tool_choice.function.name must not be empty.",
                    param="tool_choice.function.name",
                    code="invalid_value",
                )
            return ToolChoice(mode=ToolChoiceMode.NAMED, name=choice.function.name)
        case (
            w.ChatCompletionAllowedToolChoiceParam() | w.ChatCompletionNamedToolChoiceCustomParam()
        ):
            raise InvalidRequestError(
                f"tool_choice type {choice.type!r} is not supported by this gateway.",
                param="tool_choice",
                code="unsupported_value",
            )
        case _:
            assert_never(choice)


def _response_format(fmt: w.ChatCompletionRequestResponseFormat | None) -> ResponseFormat | None:
    match fmt:
        case None:
            return None
        case w.ResponseFormatJSONSchema():
            spec = fmt.json_schema
            return ResponseFormat(
                kind=ResponseFormatKind.JSON_SCHEMA,
                name=spec.name,
                description=spec.description,
                schema=spec.schema_,
                strict=spec.strict,
            )
        case w.ResponseFormatJSONObject():
            return ResponseFormat(kind=ResponseFormatKind.JSON_OBJECT)
        case w.ResponseFormatText():
            return ResponseFormat(kind=ResponseFormatKind.TEXT)
        case _:
            assert_never(fmt)


def _options(request: w.ChatCompletionRequest) -> Options:
    stop = request.stop
    stops: tuple[str, ...] = (
        () if stop is None else (stop,) if isinstance(stop, str) else tuple(stop)
    )
    max_tokens = (
        request.max_completion_tokens
        if request.max_completion_tokens is not None
        else request.max_tokens
    )
    return Options(
        max_output_tokens=max_tokens,
        temperature=request.temperature,
        top_p=request.top_p,
        stop=stops,
        seed=request.seed,
        presence_penalty=request.presence_penalty,
        frequency_penalty=request.frequency_penalty,
        response_format=_response_format(request.response_format),
        reasoning_effort=request.reasoning_effort,
        parallel_tool_calls=request.parallel_tool_calls,
    )


__all__ = ["ChatReplyShape", "decode_request"]
