"""The official ``openai`` Python SDK as an OpenAI Responses client.

Three ways a real client reads a reply: ``responses.create()`` unary,
``responses.create(stream=True)`` event by event, and ``responses.stream()``
folded by the SDK's own accumulator (``get_final_response()``, which only a
completed response has: an incomplete or failed one is read from its
terminal event, as a client of the helper does). What the SDK parsed
becomes an :class:`Observation`:

- ``text`` joins the ``output_text`` parts, ``refusal`` the refusal parts,
  ``reasoning`` the reasoning items' summaries and reasoning text;
  ``function_call`` items are the calls (``call_id`` as their id);
- ``finish`` is the response ``status``, with the reason when it is
  ``incomplete`` (``incomplete:max_output_tokens``); the comparison knows
  the Responses terms (:mod:`parity.observation`);
- usage: ``input_tokens``, ``output_tokens``, ``cached_tokens`` and
  ``reasoning_tokens`` from their details;
- errors: an HTTP error's status, type and code; after the stream started,
  an ``error`` event or ``response.failed`` (its ``error.code``) is
  ``in_stream``, as is anything the SDK raises then.
"""

from __future__ import annotations

from typing import Any

import openai

from parity.drivers import read, sdk_kwargs
from parity.drivers.openai_chat import connect
from parity.observation import Observation, ObservedCall, ObservedError, ObservedUsage
from parity.scenario import Mode

__all__ = ["SDK", "connect", "run"]

SDK = ("openai", openai.__version__)


def _usage(usage: Any) -> ObservedUsage | None:
    if usage is None:
        return None
    cached, reasoning = usage.input_tokens_details, usage.output_tokens_details
    return ObservedUsage(
        input=usage.input_tokens,
        output=usage.output_tokens,
        total=usage.total_tokens,
        cached=cached.cached_tokens if cached is not None else None,
        reasoning=reasoning.reasoning_tokens if reasoning is not None else None,
    )


def _error(exc: Exception, in_stream: bool) -> ObservedError:
    if isinstance(exc, openai.APIError):
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        code = exc.code if isinstance(exc.code, str) else None
        kind = exc.type if isinstance(exc.type, str) else None
        return ObservedError(status=status, type=kind, code=code, in_stream=in_stream)
    return ObservedError(type=type(exc).__name__, in_stream=in_stream)


def _finish(response: Any) -> str | None:
    status = response.status
    details = response.incomplete_details
    if status == "incomplete" and details is not None and details.reason:
        return f"incomplete:{details.reason}"
    return str(status) if status is not None else None


def _failure(response: Any, *, in_stream: bool = True) -> ObservedError:
    error = response.error
    return ObservedError(code=error.code if error is not None else None, in_stream=in_stream)


def _response(response: Any, *, in_stream: bool = False) -> Observation:
    text: list[str] = []
    refusal: list[str] = []
    reasoning: list[str] = []
    calls: list[ObservedCall] = []
    for item in response.output:
        if item.type == "message":
            for part in item.content:
                if part.type == "output_text":
                    text.append(part.text)
                elif part.type == "refusal":
                    refusal.append(part.refusal)
        elif item.type == "reasoning":
            reasoning += [s.text for s in item.summary]
            reasoning += [c.text for c in item.content or ()]
        elif item.type == "function_call":
            calls.append(ObservedCall(id=item.call_id, name=item.name, arguments=item.arguments))
    failed = response.status == "failed"
    return Observation(
        status=200,
        id=response.id,
        model=response.model,
        text="".join(text) if text else None,
        reasoning="".join(reasoning) if reasoning else None,
        refusal="".join(refusal) if refusal else None,
        tool_calls=tuple(calls),
        finish=_finish(response),
        usage=_usage(response.usage),
        error=_failure(response, in_stream=in_stream) if failed else None,
    )


class _Folded:
    """What the raw events said so far (kept when the stream fails later)."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.refusal: list[str] = []
        self.reasoning: list[str] = []
        self.calls: dict[int, dict[str, str]] = {}
        self.ident: str | None = None
        self.model: str | None = None
        self.finish: str | None = None
        self.usage: Any = None
        self.error: ObservedError | None = None
        self.events = 0

    def feed(self, event: Any) -> None:
        self.events += 1
        kind = event.type
        if kind == "response.created":
            self.ident, self.model = event.response.id, event.response.model
        elif kind == "response.output_text.delta":
            self.text.append(event.delta)
        elif kind == "response.refusal.delta":
            self.refusal.append(event.delta)
        elif kind in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            self.reasoning.append(event.delta)
        elif kind == "response.output_item.added" and event.item.type == "function_call":
            item = event.item
            self.calls[event.output_index] = {
                "id": item.call_id,
                "name": item.name,
                "arguments": "",
            }
        elif kind == "response.function_call_arguments.delta" and event.output_index in self.calls:
            self.calls[event.output_index]["arguments"] += event.delta
        elif kind in ("response.completed", "response.incomplete", "response.failed"):
            self.finish, self.usage = _finish(event.response), event.response.usage
            if kind == "response.failed":
                self.error = _failure(event.response)
        elif kind == "error":
            self.error = ObservedError(code=event.code, in_stream=True)

    def observation(self, error: ObservedError | None) -> Observation:
        error = error or self.error
        return Observation(
            status=error.status if error is not None and not error.in_stream else 200,
            id=self.ident,
            model=self.model,
            text="".join(self.text) if self.text else None,
            reasoning="".join(self.reasoning) if self.reasoning else None,
            refusal="".join(self.refusal) if self.refusal else None,
            tool_calls=tuple(
                ObservedCall(id=c["id"], name=c["name"], arguments=c["arguments"])
                for _, c in sorted(self.calls.items())
            ),
            finish=self.finish,
            usage=_usage(self.usage),
            error=error,
            chunks=self.events,
        )


def _stream(client: openai.OpenAI, params: dict[str, Any]) -> Observation:
    folded = _Folded()
    error: ObservedError | None = None
    started = False
    try:
        stream = client.responses.create(**sdk_kwargs(client.responses.create, params), stream=True)
        started = True
        with stream:
            for event in stream:
                folded.feed(event)
    except Exception as exc:  # an SDK error is part of what the client saw
        error = _error(exc, in_stream=started)
    return folded.observation(error)


def _helper(client: openai.OpenAI, params: dict[str, Any]) -> Observation:
    started = False
    terminal: Any = None
    failure: ObservedError | None = None
    try:
        with client.responses.stream(**sdk_kwargs(client.responses.stream, params)) as stream:
            started = True
            for event in stream:
                if event.type in ("response.completed", "response.incomplete", "response.failed"):
                    terminal = event
                elif event.type == "error":
                    failure = ObservedError(code=event.code, in_stream=True)
            if terminal is not None and terminal.type == "response.completed":
                return _response(stream.get_final_response())
    except Exception as exc:
        error = _error(exc, in_stream=started)
        return Observation(status=error.status if not started else 200, error=error)
    if terminal is None:
        return Observation(status=200, error=failure)
    seen = _response(terminal.response, in_stream=True)
    if seen.error is None and failure is not None:
        seen = seen.model_copy(update={"error": failure})
    return seen


def run(client: openai.OpenAI, params: dict[str, Any], mode: Mode) -> Observation:
    """One request through the SDK, read the way ``mode`` says."""
    unary = sdk_kwargs(client.responses.create, params)
    return read(
        mode,
        unary=lambda: _response(client.responses.create(**unary, stream=False)),
        stream=lambda: _stream(client, params),
        helper=lambda: _helper(client, params),
        error=lambda exc, in_stream: _error(exc, in_stream=in_stream),
    )
