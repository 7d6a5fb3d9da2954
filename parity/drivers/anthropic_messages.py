"""The official ``anthropic`` Python SDK as an Anthropic Messages client.

Three ways a real client reads a reply: ``messages.create()`` unary,
``messages.create(stream=True)`` event by event, and ``messages.stream()``
folded by the SDK's own accumulator (``get_final_message()``). What the SDK
parsed becomes an :class:`Observation`:

- text and reasoning (``thinking``) blocks joined in order; ``tool_use``
  blocks as calls with their input as JSON text;
- ``finish`` is the ``stop_reason`` as sent (the comparison knows
  Anthropic's names);
- usage ``input`` counts every input token, cache reads and writes included
  (canonical terms; Anthropic's ``input_tokens`` leaves them out), ``cached``
  is ``cache_read_input_tokens``, ``reasoning`` is
  ``output_tokens_details.thinking_tokens``;
- errors: the HTTP status and the body's ``error.type``; an ``event: error``
  after the stream started is ``in_stream``.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic

from parity.drivers import Options, read, sdk_kwargs
from parity.observation import Observation, ObservedCall, ObservedError, ObservedUsage
from parity.scenario import Mode

__all__ = ["SDK", "connect", "run"]

SDK = ("anthropic", anthropic.__version__)


def _usage(usage: Any) -> ObservedUsage | None:
    if usage is None:
        return None
    read = usage.cache_read_input_tokens
    created = usage.cache_creation_input_tokens
    total_input = None
    if usage.input_tokens is not None:
        total_input = usage.input_tokens + (read or 0) + (created or 0)
    details = getattr(usage, "output_tokens_details", None)
    return ObservedUsage(
        input=total_input,
        output=usage.output_tokens,
        total=(total_input or 0) + (usage.output_tokens or 0),
        cached=read,
        reasoning=details.thinking_tokens if details is not None else None,
    )


def _error(exc: Exception, in_stream: bool) -> ObservedError:
    if isinstance(exc, anthropic.APIStatusError):
        kind = exc.type if isinstance(exc.type, str) else None
        status = None if in_stream else exc.status_code
        return ObservedError(status=status, type=kind, in_stream=in_stream)
    return ObservedError(type=type(exc).__name__, in_stream=in_stream)


def _message(message: Any) -> Observation:
    text: list[str] = []
    reasoning: list[str] = []
    calls: list[ObservedCall] = []
    for block in message.content:
        if block.type == "text":
            text.append(block.text)
        elif block.type == "thinking":
            reasoning.append(block.thinking)
        elif block.type == "tool_use":
            arguments = json.dumps(block.input, ensure_ascii=False)
            calls.append(ObservedCall(id=block.id, name=block.name, arguments=arguments))
    return Observation(
        status=200,
        id=message.id,
        model=message.model,
        text="".join(text) if text else None,
        reasoning="".join(reasoning) if reasoning else None,
        tool_calls=tuple(calls),
        finish=message.stop_reason,
        usage=_usage(message.usage),
    )


class _Folded:
    """What the raw events said so far (kept when the stream fails later)."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.reasoning: list[str] = []
        self.calls: dict[int, dict[str, str]] = {}
        self.ident: str | None = None
        self.model: str | None = None
        self.finish: str | None = None
        self.usage: Any = None
        self.output: int | None = None
        self.events = 0

    def feed(self, event: Any) -> None:
        self.events += 1
        if event.type == "message_start":
            self.ident, self.model = event.message.id, event.message.model
            self.usage = event.message.usage
        elif event.type == "content_block_start":
            block = event.content_block
            if block.type == "tool_use":
                self.calls[event.index] = {"id": block.id, "name": block.name, "arguments": ""}
        elif event.type == "content_block_delta":
            delta = event.delta
            if delta.type == "text_delta":
                self.text.append(delta.text)
            elif delta.type == "thinking_delta":
                self.reasoning.append(delta.thinking)
            elif delta.type == "input_json_delta" and event.index in self.calls:
                self.calls[event.index]["arguments"] += delta.partial_json
        elif event.type == "message_delta":
            self.finish = event.delta.stop_reason
            self._delta_usage(event.usage)

    def _delta_usage(self, usage: Any) -> None:
        # message_delta usage is cumulative; its input fields, when present,
        # replace message_start's.
        if self.usage is None:
            self.usage = usage
            return
        update = {
            name: getattr(usage, name)
            for name in (
                "output_tokens",
                "input_tokens",
                "cache_read_input_tokens",
                "cache_creation_input_tokens",
                "output_tokens_details",
            )
            if getattr(usage, name, None) is not None
        }
        self.usage = self.usage.model_copy(update=update)

    def observation(self, error: ObservedError | None) -> Observation:
        return Observation(
            status=error.status if error is not None and not error.in_stream else 200,
            id=self.ident,
            model=self.model,
            text="".join(self.text) if self.text else None,
            reasoning="".join(self.reasoning) if self.reasoning else None,
            tool_calls=tuple(
                ObservedCall(id=c["id"], name=c["name"], arguments=c["arguments"] or "{}")
                for _, c in sorted(self.calls.items())
            ),
            finish=self.finish,
            usage=_usage(self.usage),
            error=error,
            chunks=self.events,
        )


def _stream(client: anthropic.Anthropic, params: dict[str, Any]) -> Observation:
    folded = _Folded()
    error: ObservedError | None = None
    started = False
    try:
        stream = client.messages.create(**sdk_kwargs(client.messages.create, params), stream=True)
        started = True
        with stream:
            for event in stream:
                folded.feed(event)
    except Exception as exc:  # an SDK error is part of what the client saw
        error = _error(exc, in_stream=started)
    return folded.observation(error)


def _helper(client: anthropic.Anthropic, params: dict[str, Any]) -> Observation:
    started = False
    try:
        with client.messages.stream(**sdk_kwargs(client.messages.stream, params)) as stream:
            started = True
            return _message(stream.get_final_message())
    except Exception as exc:
        error = _error(exc, in_stream=started)
        return Observation(status=error.status if not started else 200, error=error)


def connect(base_url: str, api_key: str, options: Options | None) -> anthropic.Anthropic:
    """A client of ``base_url``, no retries, a recorded client's options as defaults."""
    defaults: dict[str, Any] = {}
    if options is not None:
        defaults = {"default_headers": options.headers, "default_query": options.query}
    return anthropic.Anthropic(
        base_url=base_url, api_key=api_key, max_retries=0, timeout=20, **defaults
    )


def run(client: anthropic.Anthropic, params: dict[str, Any], mode: Mode) -> Observation:
    """One request through the SDK, read the way ``mode`` says."""
    unary = sdk_kwargs(client.messages.create, params)
    return read(
        mode,
        unary=lambda: _message(client.messages.create(**unary, stream=False)),
        stream=lambda: _stream(client, params),
        helper=lambda: _helper(client, params),
        error=lambda exc, in_stream: _error(exc, in_stream=in_stream),
    )
