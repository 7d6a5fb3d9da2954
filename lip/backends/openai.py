"""Backends speaking OpenAI Chat Completions: ``openai`` and ``openai-compatible``.

``openai-compatible`` covers any server implementing ``POST
{base_url}/chat/completions`` (Ollama, vLLM, llama.cpp, LM Studio,
OpenRouter, ...); the key is optional there.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import httpx

from lip.backends.base import Backend
from lip.backends.transport import (
    MAX_ERROR_BODY,
    UpstreamClient,
    map_transport_error,
    read_bounded,
    retry_after,
)
from lip.canonical import Call, Event, Limits, UpstreamError
from lip.config import BackendConfig
from lip.protocols.openai_chat import backend as codec
from lip.routing import Target
from lip.sse import SSEDecoder, SSEFrameTooLarge


class OpenAIChatBackend(Backend):
    def __init__(self, config: BackendConfig, http: UpstreamClient, limits: Limits) -> None:
        super().__init__(config.id)
        self._http = http
        self._limits = limits
        # Parsed once: URL and header parsing cost more than the send itself.
        self._url = httpx.URL(f"{config.effective_base_url()}/chat/completions")
        headers = {"content-type": "application/json", "accept-encoding": "gzip, deflate"}
        headers.update({k.lower(): v for k, v in config.headers.items()})
        if config.api_key is not None:
            headers["authorization"] = f"Bearer {config.api_key.get_secret_value()}"
        self._headers = httpx.Headers(headers)
        self._timeout = httpx.Timeout(
            config.timeout.read, connect=config.timeout.connect, pool=config.timeout.connect
        )

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        body = codec.encode_request(call, target.upstream_model)
        response = await self._http.send(
            self._url,
            content=body,
            headers=self._headers,
            timeout=self._timeout,
            backend_id=self.id,
        )
        try:
            if response.status_code >= 400:
                data = await read_bounded(response, MAX_ERROR_BODY)
                raise codec.decode_error(response.status_code, data, retry_after(response.headers))
            if call.stream:
                async for batch in self._decode_stream(response):
                    yield batch
            else:
                body = await read_bounded(response, self._limits.max_response_bytes + 1)
                if len(body) > self._limits.max_response_bytes:
                    raise UpstreamError(f"upstream {self.id!r} sent a reply over the size limit")
                yield codec.decode_response(body)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, self.id) from None
        finally:
            await response.aclose()

    async def _decode_stream(self, response: httpx.Response) -> AsyncGenerator[list[Event], None]:
        sse = SSEDecoder(max_event_chars=self._limits.max_response_bytes)
        decoder = codec.StreamDecoder()
        async for chunk in response.aiter_bytes():
            try:
                frames = sse.feed(chunk)
            except SSEFrameTooLarge:
                raise UpstreamError(
                    f"upstream {self.id!r} sent an event over the size limit"
                ) from None
            batch = [event for frame in frames for event in decoder.feed(frame)]
            if batch:
                yield batch
        tail = [event for frame in sse.close() for event in decoder.feed(frame)]
        yield tail + decoder.close()


__all__ = ["OpenAIChatBackend"]
