"""A scenario's :class:`RequestSpec` as an Anthropic Messages request body.

https://docs.anthropic.com/en/api/messages. The driver adds ``stream``;
everything else is here, so the Python and JavaScript SDKs send the same
request. How the neutral request becomes Anthropic's:

- leading ``system`` and ``developer`` messages -> top-level ``system``
  (text blocks, in order); a later one stays in place as a ``role: "system"``
  message (the SDK's ``SystemMessageParam``);
- ``tool`` messages -> ``tool_result`` blocks of one user turn, the user's
  own words after them; assistant tool calls -> ``tool_use`` blocks;
- tools -> ``input_schema``; tool choice auto / required / named / none ->
  ``auto`` / ``any`` / ``tool`` / ``none``; ``parallel_tool_calls: false``
  -> ``disable_parallel_tool_use``;
- ``max_tokens`` is required: the scenario's limit, else 1,024;
- stop -> ``stop_sequences``; user -> ``metadata.user_id``; JSON schema
  output -> ``output_config.format``; reasoning effort ->
  ``output_config.effort`` with adaptive thinking;
- an assistant turn's reasoning -> a ``thinking`` block with its signature
  (the signature is always sent: asking for reasoning state needs nothing);
- images: ``data:`` URLs as base64 sources, others as URL sources (an
  image's ``detail`` is a hint Anthropic has no field for: left out).

What Anthropic Messages cannot say raises :class:`parity.render.Unsupported`
with the reason, and the harness reports the scenario as unsupported for
this frontend.
"""

from __future__ import annotations

import json

from parity.render import Unsupported
from parity.scenario import ContentSpec, MessageSpec, RequestSpec

__all__ = ["DEFAULT_MAX_TOKENS", "render"]

DEFAULT_MAX_TOKENS = 1024
"""``max_tokens`` when the scenario sets no limit (the protocol requires one)."""

_MEDIA_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")


def _image(part: ContentSpec) -> dict[str, object]:
    url = part.image_url or ""
    if url.startswith("data:"):
        head, _, data = url.partition(",")
        media_type = head.removeprefix("data:").removesuffix(";base64")
        if not head.endswith(";base64") or media_type not in _MEDIA_TYPES:
            raise Unsupported(f"Anthropic images are base64 {', '.join(_MEDIA_TYPES)}: {head}")
        source: dict[str, object] = {"type": "base64", "media_type": media_type, "data": data}
    else:
        source = {"type": "url", "url": url}
    return {"type": "image", "source": source}


def _blocks(content: str | tuple[ContentSpec, ...] | None) -> list[dict[str, object]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return [{"type": "text", "text": p.text} if p.text is not None else _image(p) for p in content]


def _content(content: str | tuple[ContentSpec, ...] | None) -> str | list[dict[str, object]]:
    return content if isinstance(content, str) else _blocks(content)


def _system_text(message: MessageSpec) -> str:
    if isinstance(message.content, str):
        return message.content
    if message.content is None or any(p.text is None for p in message.content):
        raise Unsupported("Anthropic system instructions are text only")
    return "".join(p.text or "" for p in message.content)


def _assistant(message: MessageSpec) -> dict[str, object]:
    blocks = _blocks(message.content)
    if message.reasoning is not None:
        if message.signature is None:
            raise Unsupported("an Anthropic thinking block sent back needs its signature")
        thinking = {"type": "thinking", "thinking": message.reasoning}
        blocks.insert(0, {**thinking, "signature": message.signature})
    for call in message.tool_calls:
        try:
            arguments = json.loads(call.arguments)
        except ValueError as exc:
            raise Unsupported("Anthropic tool_use input is a JSON object, not text") from exc
        blocks.append({"type": "tool_use", "id": call.id, "name": call.name, "input": arguments})
    if not message.tool_calls and message.reasoning is None and isinstance(message.content, str):
        return {"role": "assistant", "content": message.content}
    return {"role": "assistant", "content": blocks}


def _messages(request: RequestSpec) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(``system`` blocks, ``messages``)."""
    system: list[dict[str, object]] = []
    messages: list[dict[str, object]] = []
    results: list[dict[str, object]] | None = None  # the open user turn of tool results
    for message in request.messages:
        if message.role in ("system", "developer"):
            text = _system_text(message)
            if not messages:
                system.append({"type": "text", "text": text})
            else:
                messages.append({"role": "system", "content": text})
            results = None
        elif message.role == "tool":
            result: dict[str, object] = {
                "type": "tool_result",
                "tool_use_id": message.tool_call_id,
                "content": _content(message.content),
            }
            if results is None:
                results = [result]
                messages.append({"role": "user", "content": results})
            else:
                results.append(result)
        elif message.role == "user":
            if results is not None:
                results += _blocks(message.content)
            else:
                messages.append({"role": "user", "content": _content(message.content)})
            results = None
        else:
            messages.append(_assistant(message))
            results = None
    return system, messages


def _tool_choice(request: RequestSpec) -> dict[str, object] | None:
    choice = request.tool_choice
    body: dict[str, object]
    if isinstance(choice, dict):
        body = {"type": "tool", "name": choice["name"]}
    elif choice == "required":
        body = {"type": "any"}
    elif choice is not None:
        body = {"type": choice}
    elif request.parallel_tool_calls is False:
        body = {"type": "auto"}
    else:
        return None
    if request.parallel_tool_calls is False and body["type"] != "none":
        body["disable_parallel_tool_use"] = True
    return body


def _refuse_inexpressible(request: RequestSpec) -> None:
    if request.seed is not None:
        raise Unsupported("Anthropic Messages has no seed")
    if request.choices is not None:
        raise Unsupported("Anthropic Messages answers one reply per request (no n)")
    if request.metadata:
        raise Unsupported("Anthropic metadata has only user_id, not free-form keys")
    if not request.include_usage:
        raise Unsupported("Anthropic streams always carry usage; a client cannot decline it")
    if request.reasoning_effort == "minimal":
        raise Unsupported("Anthropic effort has no 'minimal' level")
    fmt = request.response_format
    if fmt is not None and fmt.type == "json_object":
        raise Unsupported("Anthropic structured output takes a JSON schema, not json_object")
    unknown = next(iter(request.extra), None)
    if unknown is not None:
        raise Unsupported(f"{unknown!r} is not an Anthropic Messages field")


def render(request: RequestSpec, model: str, *, stream: bool) -> dict[str, object]:
    """The request body for ``model`` (``stream`` is the driver's)."""
    del stream  # Anthropic streams need no extra field (usage always comes)
    _refuse_inexpressible(request)
    system, messages = _messages(request)
    body: dict[str, object] = {
        "model": model,
        "max_tokens": request.max_output_tokens or DEFAULT_MAX_TOKENS,
        "messages": messages,
    }
    if system:
        body["system"] = system
    if request.tools:
        tools = []
        for tool in request.tools:
            spec: dict[str, object] = {"name": tool.name, "input_schema": tool.parameters}
            if tool.description is not None:
                spec["description"] = tool.description
            if tool.strict is not None:
                spec["strict"] = tool.strict
            tools.append(spec)
        body["tools"] = tools
    choice = _tool_choice(request)
    if choice is not None:
        body["tool_choice"] = choice
    for key, value in (("temperature", request.temperature), ("top_p", request.top_p)):
        if value is not None:
            body[key] = value
    if request.stop:
        body["stop_sequences"] = list(request.stop)
    if request.user is not None:
        body["metadata"] = {"user_id": request.user}
    output: dict[str, object] = {}
    fmt = request.response_format
    if fmt is not None and fmt.type == "json_schema":
        output["format"] = {"type": "json_schema", "schema": fmt.schema_ or {}}
    if request.reasoning_effort is not None:
        body["thinking"] = {"type": "adaptive"}
        output["effort"] = request.reasoning_effort
    if output:
        body["output_config"] = output
    if request.pad_to_bytes is not None:
        last = messages[-1]
        padding = "x" * request.pad_to_bytes
        if isinstance(last["content"], str):
            last["content"] = f"{last['content']} {padding}"
        else:
            last["content"].append({"type": "text", "text": padding})  # type: ignore[attr-defined]
    return body
