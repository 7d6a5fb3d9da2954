"""Wire captures: a recording loopback proxy, and captures made comparable.

:class:`RecordingProxy` sits between two parties on 127.0.0.1 (a client and
LIP, or LIP and an emulator), forwards every byte unchanged, and parses both
directions with h11 into :class:`Exchange` records — what was really on the
socket, chunked framing and connection cuts included. :func:`normalise`
renders an exchange as stable text for a golden file: ids, timestamps and
per-chunk padding replaced, everything else (field order too) kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import h11

__all__ = ["Exchange", "RecordingProxy", "normalise", "recording_proxy"]


@dataclass
class Exchange:
    """One request and its response as they crossed the socket."""

    started: float
    method: str
    target: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: bytes = b""
    complete: bool = False
    """False when the connection ended before the response did."""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.response_headers if k == name), None)


class _Connection:
    """Both directions of one proxied connection; pairs requests with responses."""

    def __init__(self, sink: RecordingProxy) -> None:
        self._sink = sink
        self._requests = h11.Connection(our_role=h11.SERVER)  # parses what the client sends
        self._responses = h11.Connection(our_role=h11.CLIENT)  # parses what the server sends
        self._pending: list[Exchange] = []  # requests awaiting their response, in order
        self._building: Exchange | None = None
        self._answering: Exchange | None = None

    def from_client(self, data: bytes) -> None:
        self._requests.receive_data(data)
        while True:
            event = self._requests.next_event()
            if event in (h11.NEED_DATA, h11.PAUSED) or isinstance(event, h11.ConnectionClosed):
                return
            if isinstance(event, h11.Request):
                # Recorded from its first line: a server may answer (413) and close
                # before the body has arrived.
                self._building = Exchange(
                    started=time.monotonic(),
                    method=event.method.decode(),
                    target=event.target.decode(),
                    request_headers=[(k.decode(), v.decode()) for k, v in event.headers],
                    request_body=b"",
                )
                self._pending.append(self._building)
                self._sink._add(self._building)
                if self._answering is None:
                    self._expect_response()
                    self._drain_responses()
            elif isinstance(event, h11.Data) and self._building is not None:
                self._building.request_body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage) and self._building is not None:
                self._building = None
                # h11 wants its side of the cycle done before the next request.
                self._requests.send(
                    h11.Response(status_code=200, headers=[("content-length", "0")])
                )
                self._requests.send(h11.EndOfMessage())
                self._requests.start_next_cycle()

    def _expect_response(self) -> None:
        if not self._pending:
            return
        exchange = self._pending[0]
        self._responses.send(
            h11.Request(method=exchange.method, target=exchange.target, headers=[("host", "x")])
        )
        self._responses.send(h11.EndOfMessage())
        self._answering = exchange

    def from_server(self, data: bytes) -> None:
        self._responses.receive_data(data)
        self._drain_responses()

    def _drain_responses(self) -> None:
        while self._answering is not None:
            event = self._responses.next_event()
            if event in (h11.NEED_DATA, h11.PAUSED) or isinstance(event, h11.ConnectionClosed):
                return
            exchange = self._answering
            if isinstance(event, h11.Response):
                exchange.status = event.status_code
                exchange.response_headers = [(k.decode(), v.decode()) for k, v in event.headers]
            elif isinstance(event, h11.Data):
                exchange.response_body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                exchange.complete = True
                self._pending.pop(0)
                self._answering = None
                if self._responses.our_state is h11.MUST_CLOSE:
                    return
                self._responses.start_next_cycle()
                self._expect_response()

    def closed_by_server(self) -> None:
        try:
            self._responses.receive_data(b"")  # end of file
            self._drain_responses()
        except h11.RemoteProtocolError:
            pass  # a cut mid-body: the exchange stays incomplete


class RecordingProxy:
    """Forwards ``127.0.0.1:<port>`` to ``target`` and records every exchange."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._lock = threading.RLock()  # parsing (under it) adds exchanges (under it)
        self._exchanges: list[Exchange] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self.url = ""
        self.problems: list[str] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def _add(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)

    def mark(self) -> int:
        with self._lock:
            return len(self._exchanges)

    def since(self, mark: int) -> list[Exchange]:
        """The exchanges whose request arrived after ``mark``, in arrival order."""
        with self._lock:
            return list(self._exchanges[mark:])

    def start(self) -> str:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0), self._loop
        )
        self._server = future.result(5)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        connection = _Connection(self)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.close()
            return

        async def pump(
            src: asyncio.StreamReader, dst: asyncio.StreamWriter, from_client: bool
        ) -> None:
            parse: Callable[[bytes], None] | None = (
                connection.from_client if from_client else connection.from_server
            )
            try:
                while data := await src.read(65536):
                    # Parsed before it is passed on: by the time a party has read
                    # the last byte of a message, the capture holds all of it.
                    if parse is not None:
                        with self._lock:
                            try:
                                parse(data)
                            except h11.ProtocolError as exc:  # keep forwarding, stop parsing
                                self.problems.append(f"unparseable HTTP on the wire: {exc}")
                                parse = None
                    dst.write(data)
                    await dst.drain()
            except ConnectionError:
                pass
            finally:
                if not from_client:
                    with self._lock:
                        connection.closed_by_server()
                dst.close()

        with contextlib.suppress(asyncio.CancelledError):  # the proxy is stopping
            await asyncio.gather(
                pump(reader, up_writer, True),
                pump(up_reader, writer, False),
                return_exceptions=True,
            )


@contextmanager
def recording_proxy(url: str) -> Iterator[RecordingProxy]:
    """A proxy in front of ``http://127.0.0.1:<port>``, for the duration of the block."""
    host, port = url.removeprefix("http://").split(":")
    proxy = RecordingProxy(host, int(port))
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


# ------------------------------------------------------------------ normalising

_VOLATILE_KEYS = {"created": 0, "created_at": 0, "completed_at": 0, "obfuscation": "<padding>"}
_ID = re.compile(r"^(chatcmpl|stub)-[A-Za-z0-9_-]+$")
# Responses ids LIP mints from its random request id (32 hex digits), an
# item's with its output index after it; upstream ids pass as they came.
_MINTED = re.compile(r"^(resp|msg|fc|rs)_[0-9a-f]{32}([0-9a-f]{4})?$")
# A Gemini reply's responseId as LIP mints it: its random request id.
_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
# An emulator's request id in an error body: unique per request it received,
# so it depends on which requests the emulator saw before.
_EMULATED_REQUEST = re.compile(r"^req_[A-Za-z0-9]+$")
_KEPT_HEADERS = ("content-type", "retry-after")


def _stable(value: object, key: str | None = None) -> object:
    if isinstance(value, dict):
        return {k: _stable(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    if key in _VOLATILE_KEYS and value is not None:
        return _VOLATILE_KEYS[key]
    if key == "id" and isinstance(value, str) and _ID.match(value):
        return value.split("-", 1)[0] + "-<id>"
    if key == "responseId" and isinstance(value, str) and _REQUEST_ID.match(value):
        return "<id>"
    if key == "request_id" and isinstance(value, str) and _EMULATED_REQUEST.match(value):
        return "req_<id>"
    minted = _MINTED.match(value) if key in ("id", "item_id") and isinstance(value, str) else None
    if minted:
        return f"{minted[1]}_<id>{minted[2] or ''}"
    return value


def _json_text(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return json.dumps(_stable(value), ensure_ascii=False, separators=(",", ":"))


_LARGE = 16_384


def _body(body: bytes, content_type: str) -> list[str]:
    if len(body) > _LARGE:  # limit tests: the size is the point, not the bytes
        return [f"<body over {_LARGE} bytes>"]
    text = body.decode("utf-8", errors="replace")
    if "event-stream" in content_type:
        lines = []
        for line in text.splitlines():
            name, colon, value = line.partition(":")
            if colon and name in ("data", "event") and value.startswith(" "):
                value = value[1:]
            lines.append(f"{name}: {_json_text(value)}" if name == "data" and colon else line)
        return lines
    return [_json_text(text)] if text else []


def normalise(exchange: Exchange) -> str:
    """The exchange as stable text: request line, kept headers, bodies."""
    headers = dict(exchange.request_headers)
    out = [f">>> {exchange.method} {exchange.target}"]
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > _LARGE:
        # A server may refuse it on the header alone: how much of the body crossed
        # before it closed the connection is timing, not behaviour.
        out.append(f"<body over {_LARGE} bytes>")
    else:
        out += _body(exchange.request_body, headers.get("content-type", ""))
    out.append(f"<<< {exchange.status}{'' if exchange.complete else ' (connection cut)'}")
    out += [f"{k}: {v}" for k, v in exchange.response_headers if k in _KEPT_HEADERS]
    out += _body(exchange.response_body, exchange.header("content-type") or "")
    return "\n".join(out)
