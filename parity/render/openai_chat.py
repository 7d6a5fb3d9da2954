"""A scenario's :class:`RequestSpec` as an OpenAI Chat Completions request body.

https://platform.openai.com/docs/api-reference/chat/create. The driver adds
``stream``; everything else is here, so the Python and JavaScript SDKs send
the same request.
"""

from __future__ import annotations

from parity.render import Unsupported
from parity.scenario import ContentSpec, MessageSpec, RequestSpec

__all__ = ["render"]


def _part(part: ContentSpec) -> dict[str, object]:
    if part.text is not None:
        return {"type": "text", "text": part.text}
    image: dict[str, object] = {"url": part.image_url}
    if part.detail is not None:
        image["detail"] = part.detail
    return {"type": "image_url", "image_url": image}


def _message(message: MessageSpec) -> dict[str, object]:
    body: dict[str, object] = {"role": message.role}
    content = message.content
    body["content"] = (
        content if content is None or isinstance(content, str) else [_part(p) for p in content]
    )
    if message.tool_calls:
        body["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.tool_call_id is not None:
        body["tool_call_id"] = message.tool_call_id
    return body


def render(request: RequestSpec, model: str, *, stream: bool) -> dict[str, object]:
    """The request body for ``model`` (``stream`` decides ``stream_options``)."""
    if request.reasoning_state or any(m.reasoning is not None for m in request.messages):
        raise Unsupported("OpenAI Chat has no reasoning state for a client to ask for or send back")
    body: dict[str, object] = {"model": model, "messages": [_message(m) for m in request.messages]}
    if request.tools:
        tools = []
        for tool in request.tools:
            fn: dict[str, object] = {"name": tool.name, "parameters": tool.parameters}
            if tool.description is not None:
                fn["description"] = tool.description
            if tool.strict is not None:
                fn["strict"] = tool.strict
            tools.append({"type": "function", "function": fn})
        body["tools"] = tools
    choice = request.tool_choice
    if isinstance(choice, dict):
        body["tool_choice"] = {"type": "function", "function": {"name": choice["name"]}}
    elif choice is not None:
        body["tool_choice"] = choice
    for key, value in (
        ("max_completion_tokens", request.max_output_tokens),
        ("temperature", request.temperature),
        ("top_p", request.top_p),
        ("seed", request.seed),
        ("n", request.choices),
        ("parallel_tool_calls", request.parallel_tool_calls),
        ("reasoning_effort", request.reasoning_effort),
        ("user", request.user),
        ("metadata", request.metadata),
    ):
        if value is not None:
            body[key] = value
    if request.stop:
        body["stop"] = list(request.stop)
    fmt = request.response_format
    if fmt is not None:
        if fmt.type == "json_schema":
            spec: dict[str, object] = {"name": fmt.name or "output", "schema": fmt.schema_ or {}}
            if fmt.strict is not None:
                spec["strict"] = fmt.strict
            body["response_format"] = {"type": "json_schema", "json_schema": spec}
        else:
            body["response_format"] = {"type": fmt.type}
    if stream and request.include_usage:
        body["stream_options"] = {"include_usage": True}
    body.update(request.extra)
    if request.pad_to_bytes is not None:
        last = body["messages"][-1]  # type: ignore[index]
        last["content"] = f"{last['content']} {'x' * request.pad_to_bytes}"
    return body
