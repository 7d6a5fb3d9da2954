"""A scenario's :class:`RequestSpec` as an OpenAI Responses request body.

https://platform.openai.com/docs/api-reference/responses/create. The driver
adds ``stream``; everything else is here, so the Python and JavaScript SDKs
send the same request. How the neutral request becomes a Responses one:

- a leading ``system`` message -> ``instructions`` (the API's "system (or
  developer) message inserted into the model's context"); every other
  ``system`` and ``developer`` message stays an input message with its role,
  in place, so a later instruction keeps its position and a developer
  message its role;
- user and assistant messages -> input messages (``content`` a string, or
  ``input_text`` / ``input_image`` parts); an image's ``detail`` is required
  by the API and defaults to ``auto``;
- assistant tool calls -> ``function_call`` items after the assistant's
  text, the call id as ``call_id`` and ``fc_<call id>`` as the item id (the
  API refuses items sent back without an ``fc_`` id); ``tool`` messages ->
  ``function_call_output`` items;
- an assistant turn's reasoning -> a ``reasoning`` item before its answer
  (the reasoning as its summary, the signature as ``encrypted_content``,
  ``rs_<n>`` as its id); asking for reasoning state ->
  ``include: ["reasoning.encrypted_content"]``;
- tools -> ``function`` tools, ``strict`` always said (the API's default is
  true, the neutral default false); tool choice modes as strings, a named
  tool as ``{"type": "function", "name"}``;
- response format -> ``text.format``; reasoning effort ->
  ``reasoning.effort``; user and metadata as they are.

What Responses cannot say raises :class:`parity.render.Unsupported` with the
reason: stop sequences, a seed, a ``max_output_tokens`` under the API's
minimum of 16, declining usage in a stream, and raw fields the API does not
name.
"""

from __future__ import annotations

from parity.render import Unsupported
from parity.scenario import ContentSpec, MessageSpec, RequestSpec

__all__ = ["MIN_OUTPUT_TOKENS", "render"]

MIN_OUTPUT_TOKENS = 16
"""The smallest ``max_output_tokens`` the API takes."""

_FIELDS = frozenset(
    {
        "background", "conversation", "include", "input", "instructions", "max_output_tokens",
        "max_tool_calls", "metadata", "model", "parallel_tool_calls", "previous_response_id",
        "prompt", "prompt_cache_key", "prompt_cache_retention", "reasoning", "safety_identifier",
        "service_tier", "store", "stream_options", "temperature", "text", "tool_choice", "tools",
        "top_logprobs", "top_p", "truncation", "user",
    }
)  # fmt: skip
"""Request fields the API names (a scenario's raw ``extra`` fields must be among them)."""

Item = dict[str, object]


def _part(part: ContentSpec) -> Item:
    if part.text is not None:
        return {"type": "input_text", "text": part.text}
    return {"type": "input_image", "image_url": part.image_url, "detail": part.detail or "auto"}


def _content(content: str | tuple[ContentSpec, ...] | None) -> str | list[Item]:
    if content is None:
        return ""
    return content if isinstance(content, str) else [_part(p) for p in content]


def _assistant(message: MessageSpec, number: int) -> list[Item]:
    items: list[Item] = []
    if message.reasoning is not None:
        reasoning: Item = {
            "type": "reasoning",
            "id": f"rs_{number}",
            "summary": [{"type": "summary_text", "text": message.reasoning}],
        }
        if message.signature is not None:
            reasoning["encrypted_content"] = message.signature
        items.append(reasoning)
    content = message.content
    if content:
        if not isinstance(content, str) and any(p.text is None for p in content):
            raise Unsupported("a Responses assistant message holds text, not images")
        text = content if isinstance(content, str) else "".join(p.text or "" for p in content)
        items.append({"role": "assistant", "content": text})
    items += [
        {
            "type": "function_call",
            "id": f"fc_{call.id}",
            "call_id": call.id,
            "name": call.name,
            "arguments": call.arguments,
        }
        for call in message.tool_calls
    ]
    return items


def _input(request: RequestSpec) -> tuple[str | None, list[Item]]:
    """``instructions`` and the input items."""
    messages = list(request.messages)
    instructions = None
    if messages and messages[0].role == "system":
        first = messages.pop(0)
        if not isinstance(first.content, str):
            raise Unsupported("Responses instructions are a string")
        instructions = first.content
    items: list[Item] = []
    for number, message in enumerate(messages):
        if message.role == "assistant":
            items += _assistant(message, number)
        elif message.role == "tool":
            output = _content(message.content)
            items.append(
                {"type": "function_call_output", "call_id": message.tool_call_id, "output": output}
            )
        else:
            items.append({"role": message.role, "content": _content(message.content)})
    return instructions, items


def _refuse_inexpressible(request: RequestSpec) -> None:
    if request.stop:
        raise Unsupported("OpenAI Responses has no stop sequences")
    if request.seed is not None:
        raise Unsupported("OpenAI Responses has no seed")
    if request.choices is not None:
        raise Unsupported("OpenAI Responses answers one reply per request (no n)")
    limit = request.max_output_tokens
    if limit is not None and limit < MIN_OUTPUT_TOKENS:
        raise Unsupported(
            f"OpenAI Responses takes max_output_tokens of {MIN_OUTPUT_TOKENS} or more, not {limit}"
        )
    if not request.include_usage:
        raise Unsupported(
            "OpenAI Responses streams always end with usage; a client cannot decline it"
        )
    unknown = next((k for k in request.extra if k not in _FIELDS), None)
    if unknown is not None:
        raise Unsupported(f"{unknown!r} is not an OpenAI Responses field")


def _tool_choice(choice: str | dict[str, str] | None) -> object:
    if isinstance(choice, dict):
        return {"type": "function", "name": choice["name"]}
    return choice


def render(request: RequestSpec, model: str, *, stream: bool) -> dict[str, object]:
    """The request body for ``model`` (``stream`` is the driver's)."""
    del stream  # a Responses stream needs no other field (usage always comes)
    _refuse_inexpressible(request)
    instructions, items = _input(request)
    body: dict[str, object] = {"model": model}
    if instructions is not None:
        body["instructions"] = instructions
    body["input"] = items
    if request.tools:
        body["tools"] = [
            {
                "type": "function",
                "name": tool.name,
                **({"description": tool.description} if tool.description is not None else {}),
                "parameters": tool.parameters,
                "strict": bool(tool.strict),
            }
            for tool in request.tools
        ]
    choice = _tool_choice(request.tool_choice)
    for key, value in (
        ("tool_choice", choice),
        ("parallel_tool_calls", request.parallel_tool_calls),
        ("max_output_tokens", request.max_output_tokens),
        ("temperature", request.temperature),
        ("top_p", request.top_p),
        ("user", request.user),
        ("metadata", request.metadata),
    ):
        if value is not None:
            body[key] = value
    fmt = request.response_format
    if fmt is not None:
        spec: dict[str, object] = {"type": fmt.type}
        if fmt.type == "json_schema":
            spec.update(name=fmt.name or "output", schema=fmt.schema_ or {})
            if fmt.strict is not None:
                spec["strict"] = fmt.strict
        body["text"] = {"format": spec}
    if request.reasoning_effort is not None:
        body["reasoning"] = {"effort": request.reasoning_effort}
    if request.reasoning_state:
        body["include"] = ["reasoning.encrypted_content"]
    body.update(request.extra)
    if request.pad_to_bytes is not None:
        last = items[-1]
        padding = "x" * request.pad_to_bytes
        content = last.get("content")
        if isinstance(content, list):
            content.append({"type": "input_text", "text": padding})
        else:
            last["content"] = f"{content} {padding}"
    return body
