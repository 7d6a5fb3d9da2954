"""Sending pre-rendered response bodies with scripted timing, cuts and stalls.

:class:`ScriptedResponse` is a Starlette response (an ASGI callable) that
sends its body as a list of frames: it waits ``delay_ms`` before the first
byte (status line and headers included) and ``chunk_delay_ms`` between
frames. It does not watch for the client leaving: every emulator app is
wrapped in :class:`refbackends.exchange.ExchangeObserver`, which cancels it
the moment the client disconnects, even in the middle of a sleep.

An upstream cut (``cut=True``) sends the frames it was given and then raises
:class:`EmulatedCut` out of the ASGI app. The server has already started the
response, so uvicorn closes the TCP connection without the terminating
zero-length chunk (or short of ``Content-Length``). An httpx client sees the
frames, then ``httpx.RemoteProtocolError`` ("peer closed connection without
sending complete message body"): exactly what a real mid-body upstream drop
looks like, and unlike a clean end of a truncated stream.

An upstream stall (``stall=True``) sends the frames it was given and then
nothing more, holding the connection open until the client goes away; after
:data:`STALL_CAP_S` it gives up and drops the connection like a cut, so a
forgotten client cannot pin a server task forever.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from refbackends.scripting import Script

__all__ = ["STALL_CAP_S", "EmulatedCut", "ScriptedResponse", "scripted_response"]

# Ten minutes: longer than any test or client timeout waits on a stall.
STALL_CAP_S = 600.0


class EmulatedCut(Exception):
    """Raised on purpose, after the response started, to drop the connection
    mid-body. :func:`refbackends.serving.quiet_emulated_cuts` keeps it out of
    the server's error log."""


class ScriptedResponse(Response):
    """A response whose body is ``frames``, sent one ASGI message each.

    ``content_length`` (when given) is declared even if a cut or a stall
    sends less, which is how either looks on a unary response; without it
    the body is chunked (streams).
    """

    def __init__(
        self,
        frames: Sequence[bytes],
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        content_length: int | None = None,
        delay_ms: int = 0,
        chunk_delay_ms: int = 0,
        cut: bool = False,
        stall: bool = False,
    ) -> None:
        self.frames = list(frames)
        self.status_code = status_code
        self.media_type = media_type
        self.delay_ms = delay_ms
        self.chunk_delay_ms = chunk_delay_ms
        self.cut = cut
        self.stall = stall
        self.background = None
        all_headers = dict(headers or {})
        if content_length is not None:
            all_headers["content-length"] = str(content_length)
        self.body = b""
        self.init_headers(all_headers)
        if content_length is None:
            # init_headers adds content-length: 0 for an empty body; frames
            # are streamed, so the length is unknown up front.
            self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.delay_ms:
            await anyio.sleep(self.delay_ms / 1000)
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        for index, frame in enumerate(self.frames):
            if index and self.chunk_delay_ms:
                await anyio.sleep(self.chunk_delay_ms / 1000)
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        if self.stall:
            # Only the client's disconnect (ExchangeObserver cancels this
            # sleep) or the cap ends a stall.
            await anyio.sleep(STALL_CAP_S)
            raise EmulatedCut(f"emulated stall after {len(self.frames)} frame(s) gave up")
        if self.cut:
            raise EmulatedCut(f"emulated upstream cut after {len(self.frames)} frame(s)")
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def scripted_response(
    frames: list[bytes],
    headers: Mapping[str, str],
    script: Script | None,
    *,
    status: int,
    media_type: str,
    unary: bool,
) -> ScriptedResponse:
    """Apply the script's timing, ``Retry-After``, cut and stall to a response.

    A cut stream sends its first ``cut_after`` frames; a cut unary body its
    first ``cut_after`` bytes (never all of them) under the full
    ``Content-Length``. Either way the connection then drops. A stall
    (``stall_after``) counts the same way but then holds the connection
    open, sending nothing; a stream stalled past its last frame still never
    ends. When both are set the smaller count wins (a tie stalls).
    """
    script = script or Script()
    headers = dict(headers)
    if script.retry_after is not None:
        headers["retry-after"] = str(script.retry_after)
    stall = script.stall_after is not None and (
        script.cut_after is None or script.stall_after <= script.cut_after
    )
    keep = script.stall_after if stall else script.cut_after
    length: int | None = None
    if unary:
        length = len(frames[0])
        if keep is not None:
            frames = [frames[0][: min(keep, max(length - 1, 0))]]
    elif keep is not None:
        frames = frames[:keep]
    return ScriptedResponse(
        frames,
        status_code=status,
        headers=headers,
        media_type=media_type,
        content_length=length,
        delay_ms=script.delay_ms,
        chunk_delay_ms=script.chunk_delay_ms,
        cut=keep is not None and not stall,
        stall=stall,
    )
