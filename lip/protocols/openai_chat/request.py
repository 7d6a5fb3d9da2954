"""OpenAI Chat Completions request -> :class:`Call` (the frontend's decode half).

https://platform.openai.com/docs/api-reference/chat/create
Fields with no canonical meaning are carried verbatim in
``call.extensions["openai_chat"]`` so an OpenAI backend sends them on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import assert_never

from pydantic import ValidationError

from lip.canonical import (
    AudioPart,
    Call,
    FilePart,
    ImagePart,
    InvalidRequestError,
    JSONValue,
    Message,
    Options,
    Part,
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
from lip.protocols.openai_chat.errors import invalid_body
from lip_wire.openai import chat_completion_request as w

PROTOCOL = "openai_chat"

MAX_TOKENS_NAME = "lip:max_tokens_name"
"""Extension key recording that the client said ``max_tokens`` (older
OpenAI-compatible servers know no other name). The colon keeps it apart from
any vendor field name."""

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

_DATA_URL = re.compile(r"^data:(?P<type>[\w.+-]+/[\w.+-]+)?(?:;[^,]*)?;base64,(?P<data>.*)$", re.S)


def decode_request(body: bytes) -> Call:
    """Validate ``body`` against the generated wire model and build the :class:`Call`."""
    try:
        # strict: the wire has types; "yes" is not a boolean and "7" is not a number.
        request = w.ChatCompletionRequest.model_validate_json(body, strict=True)
    except ValidationError as exc:
        raise invalid_body(exc, body) from None
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
    extensions = _extensions(request)
    stream_options = request.stream_options
    include_usage = bool(stream_options is not None and stream_options.include_usage)
    return Call(
        id="",
        protocol=PROTOCOL,
        model=request.model,
        messages=messages,
        tools=tuple(_tools(request)),
        tool_choice=_tool_choice(request.tool_choice),
        options=_options(request),
        stream=bool(request.stream),
        include_usage=include_usage,
        user=request.user,
        metadata=dict(request.metadata or {}),
        extensions={PROTOCOL: extensions} if extensions else {},
    )


def _extensions(request: w.ChatCompletionRequest) -> dict[str, JSONValue]:
    dumped: dict[str, JSONValue] = request.model_dump(
        mode="json", exclude_unset=True, by_alias=True, exclude=set(_HANDLED)
    )
    if request.max_tokens is not None and request.max_completion_tokens is None:
        # Which name the client used matters to older OpenAI-compatible servers.
        dumped[MAX_TOKENS_NAME] = "max_tokens"
    return dumped


_ContentItem = (
    w.ChatCompletionContentPartTextParam
    | w.ChatCompletionContentPartRefusalParam
    | w.ChatCompletionContentPartImageParam
    | w.ChatCompletionContentPartInputAudioParam
    | w.File
)


def _parts(content: str | Sequence[_ContentItem] | None) -> tuple[Part, ...]:
    if content is None:
        return ()
    if isinstance(content, str):
        return (TextPart(text=content),)
    return tuple(_content_part(p) for p in content)


def _content_part(part: _ContentItem) -> Part:
    match part:
        case w.ChatCompletionContentPartTextParam():
            return TextPart(text=part.text)
        case w.ChatCompletionContentPartRefusalParam():
            return RefusalPart(text=part.refusal)
        case w.ChatCompletionContentPartImageParam():
            url, detail = part.image_url.url, part.image_url.detail
            match = _DATA_URL.match(url)
            if match:
                return ImagePart(data=match["data"], media_type=match["type"], detail=detail)
            return ImagePart(url=url, detail=detail)
        case w.ChatCompletionContentPartInputAudioParam():
            return AudioPart(data=part.input_audio.data, format=part.input_audio.format)
        case w.File():
            file = part.file
            data, media_type = file.file_data, None
            if data is not None and (found := _DATA_URL.match(data)):
                data, media_type = found["data"], found["type"]
            return FilePart(
                data=data, file_id=file.file_id, filename=file.filename, media_type=media_type
            )
        case _:
            assert_never(part)


def _message(message: w.ChatCompletionRequestMessagesItem, index: int) -> Message:
    match message:
        case w.ChatCompletionSystemMessageParam() | w.ChatCompletionDeveloperMessageParam():
            return Message(role=message.role, parts=_parts(message.content), name=message.name)
        case w.ChatCompletionUserMessageParam():
            return Message(role="user", parts=_parts(message.content), name=message.name)
        case w.ChatCompletionAssistantMessageParam():
            return _assistant(message, index)
        case w.ChatCompletionToolMessageParam():
            content = _parts(message.content)
            result = ToolResultPart(
                call_id=message.tool_call_id,
                content=tuple(p for p in content if isinstance(p, TextPart)),
            )
            return Message(role="tool", parts=(result,))
        case w.ChatCompletionFunctionMessageParam():
            raise _legacy(f"messages[{index}]")
        case _:
            assert_never(message)


def _assistant(message: w.ChatCompletionAssistantMessageParam, index: int) -> Message:
    parts: list[Part] = list(_parts(message.content))
    if message.refusal:
        parts.append(RefusalPart(text=message.refusal))
    for call in message.tool_calls or ():
        match call:
            case w.ChatCompletionMessageFunctionToolCallParam():
                fn = call.function
                parts.append(ToolCallPart(id=call.id, name=fn.name, arguments=fn.arguments))
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
    return Message(role="assistant", parts=tuple(parts), name=message.name)


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
                tools.append(
                    Tool(
                        name=fn.name,
                        description=fn.description,
                        parameters=fn.parameters,
                        strict=fn.strict,
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
        case str():
            try:
                return ToolChoice(mode=ToolChoiceMode(choice))
            except ValueError:
                raise InvalidRequestError(
                    f"Invalid value: '{choice}'. Supported values are: 'none', 'auto' and 'required'.",
                    param="tool_choice",
                    code="invalid_value",
                ) from None
        case w.ChatCompletionNamedToolChoiceParam():
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


__all__ = ["MAX_TOKENS_NAME", "PROTOCOL", "decode_request"]
