"""The one HTTP backend: every upstream protocol's I/O, driven by its codec.

The codec (:class:`lip.protocols.base.BackendCodec`) knows the wire format;
this adapter sends the request, reads error bodies and unary replies under
their bounds, runs the SSE loop with its per-event size limit, and maps
transport failures to the taxonomy. Nothing here names a protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Mapping

from lip.backends.base import Backend, Target
from lip.backends.h1 import Endpoint, Proxy, Response, Timeouts, TransportError
from lip.backends.keys import Key, KeyPool, verdict
from lip.backends.transport import (
    MAX_ERROR_BODY,
    UpstreamClient,
    map_transport_error,
    retry_after,
)
from lip.canonical import (
    Call,
    ErrorEvent,
    Event,
    Limits,
    LipError,
    OverloadedError,
    RateLimitedError,
    ResponseFinished,
    UpstreamError,
)
from lip.config import ConfigError, TimeoutConfig, TLSConfig
from lip.protocols.base import BackendCodec
from lip.sse import SSEDecoder, SSEFrameTooLarge

log = logging.getLogger("lip.backends")

_WARNED_LIMIT = 256
# Replies that say something about the key itself, whatever kind the codec gave them.


class HTTPBackend(Backend):
    """One configured HTTP upstream speaking ``codec``'s protocol."""

    def __init__(
        self,
        backend_id: str,
        *,
        codec: BackendCodec,
        base_url: str,
        headers: Mapping[str, str],
        timeout: TimeoutConfig,
        http: UpstreamClient,
        limits: Limits,
        max_connections: int = 512,
        owns_http: bool = False,
        tls: TLSConfig | None = None,
        proxy: str | None = None,
        keys: KeyPool | None = None,
    ) -> None:
        """``proxy`` is an ``http://`` proxy URL (already resolved from the
        environment where the config says ``env``). ``headers`` are sent on
        every request; the codec's auth headers are added per request, for
        the key the target names or else the next of ``keys``. Raises
        :class:`ConfigError` for a CA file that cannot be read, a bad proxy
        URL or a header that cannot be sent."""
        super().__init__(backend_id)
        self.keys = keys
        # Each key's whole header set, built once: a request only picks one.
        self._key_headers: dict[Key, dict[str, str]] = {}
        self._codec = codec
        self._http = http
        self._owns_http = owns_http
        self._limits = limits
        # Held from send to the end of the response: at most max_connections in
        # flight, and a wait for one is bounded by the pool timeout.
        self._slots = asyncio.Semaphore(max_connections)
        self._max_connections = max_connections
        self._pool_timeout = timeout.pool
        self._base_url = base_url.rstrip("/")
        self._headers: dict[str, str] = {
            "content-type": "application/json",
            "accept-encoding": http.accept_encoding,
            **headers,
        }
        where = f"backends (id {backend_id!r})"
        try:
            self._tls = http.tls(tls or TLSConfig()) if base_url.startswith("https:") else None
        except OSError as exc:  # ssl.SSLError included
            raise ConfigError(f"{where}.tls.ca_file: cannot be used ({exc})") from None
        try:
            self._proxy = Proxy.from_url(proxy) if proxy else None
        except ValueError as exc:
            raise ConfigError(f"{where}.proxy: {exc}") from None
        # Encoded once per path and key: URL and header encoding cost more than the send.
        self._endpoints: dict[tuple[str, bool, Key | None], Endpoint] = {}
        try:
            self._endpoint(self._base_url)
            for key in keys.keys if keys is not None else ():
                self._endpoint(self._base_url, key)
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        # The pool wait is the semaphore's (timeout.pool); the client's own pool
        # never waits: it holds as many connections as the semaphore allows.
        self._warned: set[tuple[str, frozenset[str]]] = set()
        self._timeout = Timeouts(connect=timeout.connect, read=timeout.read)

    def _endpoint(self, url: str, key: Key | None = None) -> Endpoint:
        headers = self._headers if key is None else self._key_headers.get(key)
        if headers is None:
            assert key is not None
            if len(self._key_headers) > 1024:  # bounded: a caller may bring its own keys
                self._key_headers.clear()
            auth = self._codec.auth_headers(key.secret.get_secret_value())
            headers = self._key_headers[key] = {**self._headers, **auth}
        return self._http.endpoint(url, headers, tls=self._tls, proxy=self._proxy)

    def _call_endpoint(self, model: str, stream: bool, key: Key | None) -> Endpoint:
        endpoint = self._endpoints.get((model, stream, key))
        if endpoint is None:
            if len(self._endpoints) > 1024:  # bounded: model names come from clients
                self._endpoints.clear()
            endpoint = self._endpoints[(model, stream, key)] = self._endpoint(
                self._base_url + self._codec.path(model, stream=stream), key
            )
        return endpoint

    def _key(self, target: Target) -> tuple[Key | None, bool]:
        """The key to send and whether this backend took it itself (then it
        reports the outcome: the caller did not choose, so it will not)."""
        if target.key is not None or self.keys is None:
            return target.key, False
        key = self.keys.acquire()
        if key is None:
            wait = self.keys.retry_after()
            if wait is None:
                raise UpstreamError(f"upstream {self.id!r} refused every one of its keys")
            raise RateLimitedError(
                f"every key of upstream {self.id!r} is rate limited", retry_after=wait
            )
        return key, True

    def _report(self, key: Key, error: LipError) -> None:
        assert self.keys is not None
        self.keys.report(key, verdict(error), error.retry_after)

    async def _acquire(self) -> None:
        try:
            if self._slots.locked():  # all busy: wait, boundedly (a task per wait)
                await asyncio.wait_for(self._slots.acquire(), self._pool_timeout)
            else:  # the common case: a free slot, taken without suspending
                await self._slots.acquire()
        except TimeoutError:
            raise OverloadedError(
                f"upstream {self.id!r} has all {self._max_connections} connections busy"
            ) from None

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self._slots.release()

    async def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        await self._acquire()
        try:
            # Closed here, not by the garbage collector: a consumer that stops
            # after the last event (or is cancelled) ends the upstream reply at
            # once, so its connection is back in the pool (or cut) before the
            # slot is.
            async with contextlib.aclosing(self._stream(call, target)) as batches:
                async for batch in batches:
                    yield batch
        finally:
            self._slots.release()

    async def count_tokens(self, call: Call, target: Target) -> int | None:
        codec = self._codec
        path = codec.count_path(target.upstream_model)
        if path is None:
            return None
        body = codec.encode_count_request(call, target.upstream_model)
        key, own = self._key(target)
        async with self._slot():
            response = await self._http.send(
                self._endpoint(self._base_url + path, key),
                content=body,
                headers=codec.call_headers(call),
                timeout=self._timeout,
                backend_id=self.id,
            )
            try:
                limit = MAX_ERROR_BODY if response.status >= 400 else 64 * 1024
                data = await response.read(limit)
            except TransportError as exc:
                raise map_transport_error(exc, self.id) from None
            finally:
                response.close()
        if response.status >= 400:
            error = codec.decode_error(response.status, data, retry_after(response.headers))
            error.upstream_status = response.status
            if own and key is not None:
                self._report(key, error)
            raise error
        return codec.decode_count(data)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def _note_dropped(self, call: Call) -> None:
        """Call-level fields of another protocol with no meaning here are not sent:
        said once per backend and field set (a warning), then at debug level."""
        if call.protocol == self._codec.protocol:
            return
        dropped = frozenset(k for k in call.extension(call.protocol) if not k.startswith("lip:"))
        if not dropped:
            return
        key = (call.protocol, dropped)
        if key in self._warned or len(self._warned) >= _WARNED_LIMIT:
            log.debug("call %s: %s fields not sent to %s", call.id, sorted(dropped), self.id)
            return
        self._warned.add(key)
        log.warning(
            "%s fields %s have no %s equivalent: not sent to backend %r (said once)",
            call.protocol,
            ", ".join(sorted(dropped)),
            self._codec.protocol,
            self.id,
        )

    async def _stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]:
        codec = self._codec
        self._note_dropped(call)
        body = codec.encode_request(call, target.upstream_model)
        key, own = self._key(target)
        response = await self._http.send(
            self._call_endpoint(target.upstream_model, call.stream, key),
            content=body,
            headers=codec.call_headers(call),
            traceparent=target.traceparent,
            timeout=self._timeout,
            backend_id=self.id,
        )
        try:
            if response.status >= 400:
                data = await response.read(MAX_ERROR_BODY)
                error = codec.decode_error(response.status, data, retry_after(response.headers))
                error.upstream_status = response.status
                if own and key is not None:
                    self._report(key, error)
                raise error
            if call.stream:
                async for batch in self._decode_stream(response):
                    yield batch
            else:
                data = await response.read(self._limits.max_response_bytes + 1)
                if len(data) > self._limits.max_response_bytes:
                    raise UpstreamError(f"upstream {self.id!r} sent a reply over the size limit")
                yield codec.decode_response(data)
        except TransportError as exc:
            raise map_transport_error(exc, self.id) from None
        finally:
            response.close()

    async def _decode_stream(self, response: Response) -> AsyncGenerator[list[Event], None]:
        sse = SSEDecoder(max_event_chars=self._limits.max_response_bytes)
        decoder = self._codec.stream_decoder()
        async for chunk in response:
            try:
                frames = sse.feed(chunk)
            except SSEFrameTooLarge:
                raise UpstreamError(
                    f"upstream {self.id!r} sent an event over the size limit"
                ) from None
            batch = [event for frame in frames for event in decoder.feed(frame)]
            if batch and isinstance(batch[-1], ResponseFinished | ErrorEvent):
                # The response is over; the body's end (a chunked terminator)
                # may still be in flight. Read it, briefly, so the connection
                # goes back to the pool instead of being cut.
                await _drain(response)
            if batch:
                yield batch
        tail = [event for frame in sse.close() for event in decoder.feed(frame)]
        yield tail + decoder.close()


_DRAIN_SECONDS = 0.25
_DRAIN_BYTES = 64 * 1024


async def _drain(response: Response) -> None:
    """Read what is left of a body whose content is complete: at most
    :data:`_DRAIN_BYTES`, for at most :data:`_DRAIN_SECONDS`."""
    if response.at_eof:
        return
    with contextlib.suppress(TimeoutError, TransportError):
        async with asyncio.timeout(_DRAIN_SECONDS):
            left = _DRAIN_BYTES
            async for chunk in response:
                left -= len(chunk)
                if left <= 0:
                    return


__all__ = ["HTTPBackend"]
