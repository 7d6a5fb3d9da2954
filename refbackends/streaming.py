"""Sending pre-rendered response bodies with scripted timing and cuts.

:class:`ScriptedResponse` is a Starlette response (an ASGI callable) that
sends its body as a list of frames: it waits ``delay_ms`` before the first
byte (status line and headers included), ``chunk_delay_ms`` between frames,
and stops as soon as the client disconnects.

An upstream cut (``cut=True``) sends the frames it was given and then raises
:class:`EmulatedCut` out of the ASGI app. The server has already started the
response, so uvicorn closes the TCP connection without the terminating
zero-length chunk (or short of ``Content-Length``). An httpx client sees the
frames, then ``httpx.RemoteProtocolError`` ("peer closed connection without
sending complete message body"): exactly what a real mid-body upstream drop
looks like, and unlike a clean end of a truncated stream.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import anyio
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from refbackends.scripting import Script

__all__ = ["EmulatedCut", "ScriptedResponse"]


class EmulatedCut(Exception):
    """Raised on purpose, after the response started, to drop the connection
    mid-body. :func:`refbackends.serving.quiet_emulated_cuts` keeps it out of
    the server's error log."""


class ScriptedResponse(Response):
    """A response whose body is ``frames``, sent one ASGI message each.

    ``content_length`` (when given) is declared even if a cut sends less,
    which is how a cut looks on a unary response; without it the body is
    chunked (streams).
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
    ) -> None:
        self.frames = list(frames)
        self.status_code = status_code
        self.media_type = media_type
        self.delay_ms = delay_ms
        self.chunk_delay_ms = chunk_delay_ms
        self.cut = cut
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
        finished = False

        async def watch_disconnect(cancel: anyio.CancelScope) -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    cancel.cancel()
                    return

        async with anyio.create_task_group() as group:
            group.start_soon(watch_disconnect, group.cancel_scope)
            finished = await self._send_frames(send)
            group.cancel_scope.cancel()
        if finished and self.cut:
            raise EmulatedCut(f"emulated upstream cut after {len(self.frames)} frame(s)")

    async def _send_frames(self, send: Send) -> bool:
        if self.delay_ms:
            await anyio.sleep(self.delay_ms / 1000)
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        for index, frame in enumerate(self.frames):
            if index and self.chunk_delay_ms:
                await anyio.sleep(self.chunk_delay_ms / 1000)
            await send({"type": "http.response.body", "body": frame, "more_body": True})
        if not self.cut:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        return True


def scripted_response(
    frames: list[bytes],
    headers: Mapping[str, str],
    script: Script | None,
    *,
    status: int,
    media_type: str,
    unary: bool,
) -> ScriptedResponse:
    """Apply the script's timing, ``Retry-After`` and cut to a response.

    A cut stream sends its first ``cut_after`` frames; a cut unary body its
    first ``cut_after`` bytes (never all of them) under the full
    ``Content-Length``. Either way the connection then drops.
    """
    script = script or Script()
    headers = dict(headers)
    if script.retry_after is not None:
        headers["retry-after"] = str(script.retry_after)
    length: int | None = None
    if unary:
        length = len(frames[0])
        if script.cut_after is not None:
            frames = [frames[0][: min(script.cut_after, max(length - 1, 0))]]
    elif script.cut_after is not None:
        frames = frames[: script.cut_after]
    return ScriptedResponse(
        frames,
        status_code=status,
        headers=headers,
        media_type=media_type,
        content_length=length,
        delay_ms=script.delay_ms,
        chunk_delay_ms=script.chunk_delay_ms,
        cut=script.cut_after is not None,
    )
