"""The official ``google-genai`` Python SDK as a Gemini client.

The client is built as its users build it: an API key and a base URL, the
API version left to the SDK (``v1``; the JavaScript SDK calls ``v1beta``).
Three ways a real client reads a reply: ``models.generate_content()``
unary, ``models.generate_content_stream()`` chunk by chunk, and a chat
session (``chats.create(history=...)``, ``send_message_stream()``): the
SDK's own keeper of a streamed turn, read back from its curated history
(the turn it will send again), so a stream the SDK judges invalid leaves
nothing there. The rendered request (:mod:`parity.render.gemini`) is wire
JSON: its contents and config are read into the SDK's types as JSON (bytes
fields such as ``thoughtSignature`` are base64 there). What the SDK parsed
becomes an :class:`Observation`:

- ``text`` joins the text parts, ``reasoning`` the ``thought`` parts;
  ``functionCall`` parts are the calls (``args`` as JSON text);
- ``finish`` is the candidate's ``finishReason`` (``STOP``,
  ``MAX_TOKENS``, ``SAFETY``, ...; :mod:`parity.observation` knows them);
- usage from ``usageMetadata``: input ``promptTokenCount``, output
  candidates plus thoughts, cached ``cachedContentTokenCount``, reasoning
  ``thoughtsTokenCount``;
- errors: the ``APIError``'s HTTP code as ``status`` and its Google status
  (``RESOURCE_EXHAUSTED``) as ``type``; an ``{"error"}`` chunk in a stream
  the SDK raises on is ``in_stream``, as is anything it raises then.
"""

from __future__ import annotations

import json
from typing import Any

from google import genai
from google.genai import errors, types

from parity.drivers import Options, read
from parity.observation import Observation, ObservedCall, ObservedError, ObservedUsage
from parity.scenario import Mode

__all__ = ["SDK", "connect", "run"]

SDK = ("google-genai", genai.__version__)


def connect(base_url: str, api_key: str, options: Options | None) -> genai.Client:
    """A client of ``base_url`` (per-request ``options``: headers only, the
    SDK sets its own query)."""
    headers = dict(options.headers) if options is not None else {}
    http = types.HttpOptions(base_url=base_url, timeout=20_000, headers=headers or None)
    return genai.Client(api_key=api_key, http_options=http)


def _request(
    params: dict[str, Any],
) -> tuple[str, list[types.Content], types.GenerateContentConfig]:
    """The model, the contents and the config the SDK takes for ``params``."""
    body = dict(params)
    model = str(body.pop("model"))
    contents = [types.Content.model_validate_json(json.dumps(c)) for c in body.pop("contents")]
    config = dict(body.pop("generationConfig", {}))
    config.update(body)  # systemInstruction, tools, toolConfig, safetySettings, ...
    return model, contents, types.GenerateContentConfig.model_validate_json(json.dumps(config))


def _usage(usage: types.GenerateContentResponseUsageMetadata | None) -> ObservedUsage | None:
    if usage is None:
        return None
    thoughts = usage.thoughts_token_count
    return ObservedUsage(
        input=usage.prompt_token_count,
        output=(usage.candidates_token_count or 0) + (thoughts or 0),
        total=usage.total_token_count,
        cached=usage.cached_content_token_count,
        reasoning=thoughts,
    )


def _error(exc: Exception, in_stream: bool) -> ObservedError:
    if isinstance(exc, errors.APIError):
        status = exc.status if isinstance(exc.status, str) else None
        return ObservedError(status=exc.code, type=status, in_stream=in_stream)
    return ObservedError(type=type(exc).__name__, in_stream=in_stream)


class _Folded:
    """Parts, chunk after chunk (or turn after turn), and the last finish and usage."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.reasoning: list[str] = []
        self.calls: list[ObservedCall] = []
        self.ident: str | None = None
        self.model: str | None = None
        self.finish: str | None = None
        self.usage: types.GenerateContentResponseUsageMetadata | None = None
        self.chunks = 0

    def parts(self, content: types.Content | None) -> None:
        for part in (content.parts if content is not None else None) or ():
            if part.function_call is not None:
                call = part.function_call
                arguments = json.dumps(call.args or {}, ensure_ascii=False)
                self.calls.append(
                    ObservedCall(id=call.id, name=call.name or "", arguments=arguments)
                )
            elif part.text is not None:
                (self.reasoning if part.thought else self.text).append(part.text)

    def reply(self, response: types.GenerateContentResponse, *, content: bool = True) -> None:
        self.chunks += 1
        self.ident = response.response_id or self.ident
        self.model = response.model_version or self.model
        self.usage = response.usage_metadata or self.usage
        candidate = response.candidates[0] if response.candidates else None
        if candidate is None:
            return
        if candidate.finish_reason is not None:
            self.finish = str(candidate.finish_reason.value)
        if content:
            self.parts(candidate.content)

    def observation(self, error: ObservedError | None, *, chunks: bool) -> Observation:
        return Observation(
            status=error.status if error is not None and not error.in_stream else 200,
            id=self.ident,
            model=self.model,
            text="".join(self.text) if self.text else None,
            reasoning="".join(self.reasoning) if self.reasoning else None,
            tool_calls=tuple(self.calls),
            finish=self.finish,
            usage=_usage(self.usage),
            error=error,
            chunks=self.chunks if chunks else None,
        )


def _unary(client: genai.Client, params: dict[str, Any]) -> Observation:
    model, contents, config = _request(params)
    folded = _Folded()
    folded.reply(client.models.generate_content(model=model, contents=contents, config=config))
    return folded.observation(None, chunks=False)


def _stream(client: genai.Client, params: dict[str, Any]) -> Observation:
    model, contents, config = _request(params)
    folded = _Folded()
    error: ObservedError | None = None
    started = False
    try:
        stream = client.models.generate_content_stream(
            model=model, contents=contents, config=config
        )
        for chunk in stream:
            started = True
            folded.reply(chunk)
    except Exception as exc:  # an SDK error is part of what the client saw
        # The SDK sends the request on the first next(): an HTTP error reply
        # raises before any chunk, an error chunk after one.
        error = _error(exc, in_stream=started)
    return folded.observation(error, chunks=True)


def _helper(client: genai.Client, params: dict[str, Any]) -> Observation:
    model, contents, config = _request(params)
    *history, ask = contents
    chat = client.chats.create(model=model, config=config, history=list(history))
    folded = _Folded()
    error: ObservedError | None = None
    started = False
    try:
        for chunk in chat.send_message_stream(list(ask.parts or ())):
            started = True
            folded.reply(chunk, content=False)
    except Exception as exc:
        error = _error(exc, in_stream=started)
    kept = chat.get_history(curated=True)
    if kept[: len(history)] == history and len(kept) > len(history) + 1:
        for turn in kept[len(history) + 1 :]:
            folded.parts(turn)
    return folded.observation(error, chunks=False)


def run(client: genai.Client, params: dict[str, Any], mode: Mode) -> Observation:
    """One request through the SDK, read the way ``mode`` says."""
    return read(
        mode,
        unary=lambda: _unary(client, params),
        stream=lambda: _stream(client, params),
        helper=lambda: _helper(client, params),
        error=_error,
    )
