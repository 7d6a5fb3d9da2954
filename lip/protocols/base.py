"""What a protocol's frontend offers the server (one implementation per protocol)."""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field

from lip.canonical import Call, Event, LipError, Response


@dataclass(frozen=True, slots=True, kw_only=True)
class WireReply:
    """A complete HTTP reply in the client's protocol."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


class StreamEncoder(abc.ABC):
    """Per-response state turning canonical events into the protocol's SSE bytes."""

    media_type: str = "text/event-stream; charset=utf-8"

    @abc.abstractmethod
    def encode(self, event: Event) -> bytes:
        """Bytes to send for ``event`` (possibly empty: not every event has a frame)."""

    def close(self) -> bytes:
        """Bytes to send after the terminal event (e.g. OpenAI's ``[DONE]``)."""
        return b""


class Frontend(abc.ABC):
    """wire request -> :class:`Call`; events / :class:`Response` -> wire."""

    name: str

    @abc.abstractmethod
    def decode_request(self, body: bytes, headers: Mapping[str, str]) -> Call:
        """Validate and translate; raise :class:`LipError` (never anything else) on bad input."""

    @abc.abstractmethod
    def encode_response(self, response: Response, call: Call) -> WireReply:
        """The unary reply."""

    @abc.abstractmethod
    def stream_encoder(self, call: Call) -> StreamEncoder:
        """A fresh encoder for one streamed reply."""

    @abc.abstractmethod
    def encode_error(self, error: LipError) -> WireReply:
        """The protocol's HTTP error reply for ``error``."""


__all__ = ["Frontend", "StreamEncoder", "WireReply"]
