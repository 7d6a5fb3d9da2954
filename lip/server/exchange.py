"""Reading a client's request and writing a reply, for every endpoint.

The body is read under the size limit (a declared ``content-length`` over
it is refused before reading); replies carry the request id
:mod:`lip.server.requestid` drew under ``x-request-id`` and the protocol's
own name for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope, Send

from lip.canonical import DEFAULT_LIMITS, Limits, RequestTooLargeError
from lip.protocols.base import Frontend, RequestContext, StateStore, WireReply
from lip.server.runtime import Runtime


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def request_context(
    scope: Scope,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    store: StateStore | None = None,
) -> RequestContext:
    """What a frontend may read of the request in ``scope``."""
    raw_query = scope.get("query_string", b"")
    return RequestContext(
        method=scope["method"],
        path=scope["path"],
        path_params=scope.get("path_params", {}),
        query=dict(parse_qsl(raw_query.decode("latin-1"))) if raw_query else {},
        headers=_headers(scope) if headers is None else headers,
        body=body,
        limits=limits,
        store=store,
    )


class Disconnected(Exception):
    """The client went away while its request was being read."""


async def read_request(scope: Scope, receive: Receive, runtime: Runtime) -> RequestContext:
    """The request with its body read under the size limit."""
    headers = _headers(scope)
    body = await _read_body(receive, headers, runtime.limits.max_request_bytes)
    return request_context(scope, body, headers, runtime.limits, runtime.state)


async def _read_body(receive: Receive, headers: Mapping[str, str], limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RequestTooLargeError(
            f"Request body of {int(declared)} bytes exceeds the limit of {limit} bytes.",
            code="request_too_large",
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestTooLargeError(
                f"Request body exceeds the limit of {limit} bytes.", code="request_too_large"
            )
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def send_chunk(send: Send, data: bytes) -> None:
    if data:
        await send({"type": "http.response.body", "body": data, "more_body": True})


def id_headers(frontend: Frontend, request_id: str) -> list[tuple[bytes, bytes]]:
    """``x-request-id``, and the protocol's own name for it (Anthropic's ``request-id``)."""
    value = request_id.encode()
    headers = [(b"x-request-id", value)]
    if frontend.request_id_header != "x-request-id":
        headers.append((frontend.request_id_header.encode(), value))
    return headers


async def send_reply(send: Send, reply: WireReply, request_id: str, frontend: Frontend) -> None:
    headers = [
        (b"content-type", reply.media_type.encode()),
        (b"content-length", str(len(reply.body)).encode()),
        *id_headers(frontend, request_id),
    ]
    headers.extend((k.lower().encode(), v.encode()) for k, v in reply.headers.items())
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body, "more_body": False})


__all__ = [
    "Disconnected",
    "id_headers",
    "read_request",
    "request_context",
    "send_chunk",
    "send_reply",
]
