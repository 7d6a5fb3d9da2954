"""Content-Encoding decoders (RFC 9110 section 8.4): streaming and bounded.

Each piece of the body is decoded as it arrives (an SSE stream sent with
gzip still arrives event by event), and no step yields more than
:data:`PIECE` bytes: what a small input expands into past that is left for
the next step (``pending``), so a compression bomb costs no more memory than
the consumer asks for. gzip and deflate are built in; br is decoded when the
``brotli`` module (1.2 or later, whose output can be bounded) is installed
(its steps stop growing their buffer once past :data:`PIECE`, so they may
overshoot it by one buffer growth).
An encoding with no decoder is handed over as it came, as before.
"""

from __future__ import annotations

import importlib
import zlib
from types import ModuleType
from typing import Protocol

from lip.backends.h1.errors import ProtocolError

PIECE = 64 * 1024
"""Most bytes one decoding step yields."""


class Decoder(Protocol):
    """Turns encoded body pieces into decoded ones, a bounded step at a time."""

    @property
    def pending(self) -> bool:
        """Whether input already fed holds more output (call :meth:`more`)."""
        ...

    def feed(self, data: bytes) -> bytes: ...

    def more(self) -> bytes: ...

    def flush(self) -> bytes:
        """What is left once the body has ended."""
        ...


class ZlibDecoder:
    """gzip (``wbits`` 31; members one after another) or deflate: zlib-wrapped as
    the RFC says, or raw as some servers send it, told apart by the first two bytes."""

    __slots__ = ("_decoder", "_encoding", "_head", "_tail", "_wbits")

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else 0
        self._decoder = zlib.decompressobj(self._wbits) if self._wbits else None
        self._head = b""
        self._tail = b""

    @property
    def pending(self) -> bool:
        return bool(self._tail)

    def feed(self, data: bytes) -> bytes:
        if self._decoder is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            self._wbits = zlib.MAX_WBITS if _zlib_header(data) else -zlib.MAX_WBITS
            self._decoder = zlib.decompressobj(self._wbits)
        return self._step(data)

    def more(self) -> bytes:
        return self._step(self._tail)

    def flush(self) -> bytes:
        if self._decoder is None:
            return b""
        try:
            return self._decoder.flush()
        except zlib.error:
            raise ProtocolError(f"the body does not decode as {self._encoding}") from None

    def _step(self, data: bytes) -> bytes:
        decoder = self._decoder
        assert decoder is not None
        try:
            out = decoder.decompress(data, PIECE)
        except zlib.error:
            raise ProtocolError(f"the body does not decode as {self._encoding}") from None
        rest = decoder.unused_data if decoder.eof else b""
        if rest.startswith(b"\x1f\x8b") and self._wbits > zlib.MAX_WBITS:
            self._decoder = zlib.decompressobj(self._wbits)  # the next gzip member
            self._tail = rest
        else:
            self._tail = decoder.unconsumed_tail
        return out


def _zlib_header(data: bytes) -> bool:
    # RFC 1950 section 2.2: method 8 (deflate) and a header that is a multiple of 31.
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


class BrotliDecoder:
    """br, through the ``brotli`` module's bounded ``process``."""

    __slots__ = ("_decoder", "_error", "_pending")

    def __init__(self, module: ModuleType) -> None:
        self._decoder = module.Decompressor()
        self._error: type[Exception] = module.error
        self._pending = False

    @property
    def pending(self) -> bool:
        return self._pending

    def feed(self, data: bytes) -> bytes:
        return self._step(data)

    def more(self) -> bytes:
        return self._step(b"")

    def flush(self) -> bytes:
        return b""

    def _step(self, data: bytes) -> bytes:
        try:
            out: bytes = self._decoder.process(data, output_buffer_limit=PIECE)
            # Past the limit, process() must be called with no input until it
            # can take more: the output it still holds is pending.
            self._pending = not self._decoder.can_accept_more_data()
        except self._error:
            raise ProtocolError("the body does not decode as br") from None
        return out


def _brotli() -> ModuleType | None:
    try:
        module = importlib.import_module("brotli")
    except ImportError:
        return None
    return module if hasattr(module.Decompressor, "can_accept_more_data") else None


class Decoders:
    """The decoder for a reply's ``Content-Encoding``; br when ``brotli`` is there."""

    __slots__ = ("_brotli",)

    def __init__(self) -> None:
        self._brotli = _brotli()

    @property
    def accepted(self) -> tuple[str, ...]:
        """The encodings decoded, in the order worth asking for."""
        return ("gzip", "deflate", "br") if self._brotli is not None else ("gzip", "deflate")

    def decoder(self, encoding: str | None) -> Decoder | None:
        """``None`` for identity, and for an encoding with no decoder here."""
        if not encoding:
            return None
        name = encoding.strip().lower()
        if name in ("gzip", "x-gzip"):
            return ZlibDecoder("gzip")
        if name == "deflate":
            return ZlibDecoder("deflate")
        if name == "br" and self._brotli is not None:
            return BrotliDecoder(self._brotli)
        return None


__all__ = ["PIECE", "BrotliDecoder", "Decoder", "Decoders", "ZlibDecoder"]
