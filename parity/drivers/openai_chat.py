"""The official ``openai`` Python SDK as an OpenAI Chat client.

Three ways a real client reads a reply: ``create()`` unary, ``create(stream=
True)`` delta by delta, and ``chat.completions.stream()`` folded by the
SDK's own accumulator. What the SDK parsed becomes an :class:`Observation`.
"""

from __future__ import annotations

from typing import Any

import openai

from parity.drivers import Options, read
from parity.observation import Observation, ObservedCall, ObservedError, ObservedUsage
from parity.scenario import Mode

__all__ = ["SDK", "connect", "run"]

SDK = ("openai", openai.__version__)


def _usage(usage: Any) -> ObservedUsage | None:
    if usage is None:
        return None
    prompt, completion = usage.prompt_tokens_details, usage.completion_tokens_details
    return ObservedUsage(
        input=usage.prompt_tokens,
        output=usage.completion_tokens,
        total=usage.total_tokens,
        cached=prompt.cached_tokens if prompt is not None else None,
        reasoning=completion.reasoning_tokens if completion is not None else None,
    )


def _error(exc: Exception, in_stream: bool) -> ObservedError:
    if isinstance(exc, openai.APIError):
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        code = exc.code if isinstance(exc.code, str) else None
        kind = exc.type if isinstance(exc.type, str) else None
        return ObservedError(status=status, type=kind, code=code, in_stream=in_stream)
    return ObservedError(type=type(exc).__name__, in_stream=in_stream)


def _completion(completion: Any) -> Observation:
    choice = completion.choices[0]
    message = choice.message
    extra = message.model_extra or {}
    return Observation(
        status=200,
        id=completion.id,
        model=completion.model,
        text=message.content,
        reasoning=extra.get("reasoning_content"),
        refusal=message.refusal,
        tool_calls=tuple(
            ObservedCall(id=c.id, name=c.function.name, arguments=c.function.arguments)
            for c in message.tool_calls or ()
        ),
        finish=choice.finish_reason,
        usage=_usage(completion.usage),
    )


def _stream(client: openai.OpenAI, params: dict[str, Any]) -> Observation:
    text: list[str] = []
    reasoning: list[str] = []
    refusal: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    finish = usage = ident = model = None
    chunks = 0
    error: ObservedError | None = None
    try:
        for chunk in client.chat.completions.create(**params, stream=True):
            chunks += 1
            ident, model = chunk.id, chunk.model
            if chunk.usage is not None:
                usage = _usage(chunk.usage)
            for choice in chunk.choices:
                delta = choice.delta
                if delta.content:
                    text.append(delta.content)
                if delta.refusal:
                    refusal.append(delta.refusal)
                piece = (delta.model_extra or {}).get("reasoning_content")
                if piece:
                    reasoning.append(piece)
                for call in delta.tool_calls or ():
                    slot = calls.setdefault(call.index, {"id": "", "name": "", "arguments": ""})
                    if call.id:
                        slot["id"] = call.id
                    if call.function is not None:
                        slot["name"] += call.function.name or ""
                        slot["arguments"] += call.function.arguments or ""
                if choice.finish_reason is not None:
                    finish = choice.finish_reason
    except Exception as exc:  # an SDK error is part of what the client saw
        error = _error(exc, in_stream=chunks > 0)
    return Observation(
        status=error.status if error is not None and not error.in_stream else 200,
        id=ident,
        model=model,
        text="".join(text) if text else None,
        reasoning="".join(reasoning) if reasoning else None,
        refusal="".join(refusal) if refusal else None,
        tool_calls=tuple(
            ObservedCall(id=c["id"], name=c["name"], arguments=c["arguments"])
            for _, c in sorted(calls.items())
        ),
        finish=finish,
        usage=usage,
        error=error,
        chunks=chunks,
    )


def _helper(client: openai.OpenAI, params: dict[str, Any]) -> Observation:
    started = False
    try:
        with client.chat.completions.stream(**params) as stream:
            started = True
            return _completion(stream.get_final_completion())
    except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as exc:
        # The helper raises for these finish reasons, with the completion it folded.
        return _completion(exc.completion)
    except Exception as exc:
        error = _error(exc, in_stream=started)
        return Observation(status=error.status if not started else 200, error=error)


def connect(base_url: str, api_key: str, options: Options | None) -> openai.OpenAI:
    """A client of ``base_url``, no retries, a recorded client's options as defaults."""
    return openai.OpenAI(
        base_url=base_url, api_key=api_key, max_retries=0, timeout=20, **_defaults(options)
    )


def _defaults(options: Options | None) -> dict[str, Any]:
    if options is None:
        return {}
    return {"default_headers": options.headers, "default_query": options.query}


def run(client: openai.OpenAI, params: dict[str, Any], mode: Mode) -> Observation:
    """One request through the SDK, read the way ``mode`` says."""
    return read(
        mode,
        unary=lambda: _completion(client.chat.completions.create(**params, stream=False)),
        stream=lambda: _stream(client, params),
        helper=lambda: _helper(client, params),
        error=lambda exc, in_stream: _error(exc, in_stream=in_stream),
    )
