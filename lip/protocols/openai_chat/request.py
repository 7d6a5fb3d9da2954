"""OpenAI Chat Completions request -> :class:`Call` (the frontend's decode half).

https://platform.openai.com/docs/api-reference/chat/create
Fields with no canonical meaning are carried verbatim in
``call.extensions["openai_chat"]`` so an OpenAI backend sends them on.
"""

from __future__ import annotations

import re
from typing import Any

from lip_wire.openai.chat_completion_request import ChatCompletionRequest
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

PROTOCOL = "openai_chat"

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
        request = ChatCompletionRequest.model_validate_json(body, strict=True)
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


def _extensions(request: ChatCompletionRequest) -> dict[str, JSONValue]:
    dumped: dict[str, JSONValue] = request.model_dump(
        mode="json", exclude_unset=True, by_alias=True, exclude=set(_HANDLED)
    )
    if request.max_tokens is not None and request.max_completion_tokens is None:
        # Which name the client used matters to older OpenAI-compatible servers.
        dumped["max_tokens_field"] = "max_tokens"
    return dumped


def _text(content: str | list[Any] | None) -> tuple[Part, ...]:
    if content is None:
        return ()
    if isinstance(content, str):
        return (TextPart(text=content),)
    return tuple(_content_part(p) for p in content)


def _content_part(part: Any) -> Part:
    kind = part.type
    if kind == "text":
        return TextPart(text=part.text)
    if kind == "refusal":
        return RefusalPart(text=part.refusal)
    if kind == "image_url":
        url: str = part.image_url.url
        detail = part.image_url.detail
        match = _DATA_URL.match(url)
        if match:
            return ImagePart(data=match["data"], media_type=match["type"], detail=detail)
        return ImagePart(url=url, detail=detail)
    if kind == "input_audio":
        return AudioPart(data=part.input_audio.data, format=part.input_audio.format)
    if kind == "file":
        file = part.file
        data, media_type = file.file_data, None
        if data is not None and (match := _DATA_URL.match(data)):
            data, media_type = match["data"], match["type"]
        return FilePart(
            data=data, file_id=file.file_id, filename=file.filename, media_type=media_type
        )
    raise InvalidRequestError(f"Unsupported content part type {kind!r}.", code="invalid_value")


def _message(message: Any, index: int) -> Message:
    role = message.role
    name = getattr(message, "name", None)
    if role in ("system", "developer", "user"):
        return Message(role=role, parts=_text(message.content), name=name)
    if role == "assistant":
        parts: list[Part] = list(_text(message.content))
        if message.refusal:
            parts.append(RefusalPart(text=message.refusal))
        for call in message.tool_calls or ():
            if call.type != "function":
                raise InvalidRequestError(
                    f"Tool call type {call.type!r} is not supported by this gateway.",
                    param=f"messages[{index}].tool_calls",
                    code="unsupported_value",
                )
            parts.append(
                ToolCallPart(id=call.id, name=call.function.name, arguments=call.function.arguments)
            )
        if message.function_call is not None:
            raise _legacy(f"messages[{index}].function_call")
        return Message(role="assistant", parts=tuple(parts), name=name)
    if role == "tool":
        content = _text(message.content)
        result = ToolResultPart(
            call_id=message.tool_call_id,
            content=tuple(p for p in content if isinstance(p, TextPart | ImagePart | FilePart)),
        )
        return Message(role="tool", parts=(result,))
    if role == "function":
        raise _legacy(f"messages[{index}]")
    raise InvalidRequestError(f"Unsupported role {role!r}.", param=f"messages[{index}].role")


def _legacy(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        "The deprecated 'functions'/'function_call' interface is not supported; use 'tools'.",
        param=param,
        code="unsupported_parameter",
    )


def _tools(request: ChatCompletionRequest) -> list[Tool]:
    if request.functions is not None or request.function_call is not None:
        raise _legacy("functions" if request.functions is not None else "function_call")
    tools: list[Tool] = []
    for i, tool in enumerate(request.tools or ()):
        if tool.type != "function":
            raise InvalidRequestError(
                f"Tool type {tool.type!r} is not supported by this gateway.",
                param=f"tools[{i}].type",
                code="unsupported_value",
            )
        fn = tool.function
        tools.append(
            Tool(
                name=fn.name, description=fn.description, parameters=fn.parameters, strict=fn.strict
            )
        )
    return tools


def _tool_choice(choice: Any) -> ToolChoice | None:
    if choice is None:
        return None
    if isinstance(choice, str):
        return ToolChoice(mode=ToolChoiceMode(choice))
    if choice.type == "function":
        return ToolChoice(mode=ToolChoiceMode.NAMED, name=choice.function.name)
    raise InvalidRequestError(
        f"tool_choice type {choice.type!r} is not supported by this gateway.",
        param="tool_choice",
        code="unsupported_value",
    )


def _response_format(fmt: Any) -> ResponseFormat | None:
    if fmt is None:
        return None
    kind = ResponseFormatKind(fmt.type)
    if kind is ResponseFormatKind.JSON_SCHEMA:
        spec = fmt.json_schema
        schema = spec.model_dump(mode="json", by_alias=True, exclude_unset=True).get("schema")
        return ResponseFormat(
            kind=kind,
            name=spec.name,
            description=spec.description,
            schema=schema if isinstance(schema, dict) else None,
            strict=spec.strict,
        )
    return ResponseFormat(kind=kind)


def _options(request: ChatCompletionRequest) -> Options:
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


__all__ = ["PROTOCOL", "decode_request"]
