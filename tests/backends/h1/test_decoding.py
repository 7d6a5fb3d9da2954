"""Content-Encoding: decoded as it streams, at any chunk boundary, in bounded steps."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import pytest

from lip.backends.h1 import Client, ProtocolError, Timeouts
from lip.backends.h1.decoding import PIECE, Decoder, Decoders
from tests.backends.h1.rawserver import Seen, serve

TIMEOUTS = Timeouts(connect=5.0, read=5.0)
TEXT = b"".join(b'data: {"n": %d, "text": "hello world"}\n\n' % n for n in range(300))


def _deflate(data: bytes, wbits: int) -> bytes:
    encoder = zlib.compressobj(wbits=wbits)
    return encoder.compress(data) + encoder.flush()


ENCODED = {
    "gzip": gzip.compress(TEXT),
    "x-gzip": gzip.compress(TEXT),
    "deflate": _deflate(TEXT, zlib.MAX_WBITS),
    "deflate-raw": _deflate(TEXT, -zlib.MAX_WBITS),
}


def _decode_all(decoder: Decoder, pieces: list[bytes]) -> bytes:
    out = []
    for piece in pieces:
        out.append(decoder.feed(piece))
        while decoder.pending:
            out.append(decoder.more())
    out.append(decoder.flush())
    return b"".join(out)


@pytest.mark.parametrize("name", sorted(ENCODED))
@pytest.mark.parametrize("size", [1, 2, 3, 100, 1 << 20])
def test_any_chunk_boundary_decodes_the_same(name: str, size: int) -> None:
    data = ENCODED[name]
    decoder = Decoders().decoder(name.removesuffix("-raw"))
    assert decoder is not None
    pieces = [data[i : i + size] for i in range(0, len(data), size)]
    assert _decode_all(decoder, pieces) == TEXT


def test_gzip_members_one_after_another() -> None:
    decoder = Decoders().decoder("gzip")
    assert decoder is not None
    assert _decode_all(decoder, [gzip.compress(b"one ") + gzip.compress(b"two")]) == b"one two"


def test_a_compression_bomb_is_decoded_a_bounded_step_at_a_time() -> None:
    bomb = gzip.compress(bytes(50 * 1024 * 1024))  # 50 MiB of zeros in ~50 KiB
    decoder = Decoders().decoder("gzip")
    assert decoder is not None
    steps = [decoder.feed(bomb)]
    while decoder.pending and len(steps) < 5:
        steps.append(decoder.more())
    assert all(len(step) <= PIECE for step in steps) and decoder.pending


def test_a_body_that_does_not_decode_is_a_protocol_error() -> None:
    decoder = Decoders().decoder("gzip")
    assert decoder is not None
    with pytest.raises(ProtocolError, match="gzip"):
        decoder.feed(b"\x1f\x8b\x08\x00not gzip at all, not at all")


def test_identity_and_unknown_encodings_pass_through() -> None:
    decoders = Decoders()
    assert decoders.decoder(None) is None and decoders.decoder("identity") is None
    assert decoders.decoder("zstd") is None


def test_br_when_brotli_is_installed() -> None:
    brotli = pytest.importorskip("brotli")
    decoders = Decoders()
    assert "br" in decoders.accepted
    decoder = decoders.decoder("br")
    assert decoder is not None
    data = brotli.compress(TEXT)
    assert _decode_all(decoder, [data[i : i + 7] for i in range(0, len(data), 7)]) == TEXT
    bomb = decoders.decoder("br")
    assert bomb is not None
    first = bomb.feed(brotli.compress(bytes(10 * 1024 * 1024)))
    assert len(first) < 4 * PIECE and bomb.pending  # brotli stops growing its buffer past PIECE


@pytest.mark.anyio
@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_compressed_event_stream_arrives_event_by_event(encoding: str) -> None:
    """Each event is flushed by the upstream (Z_SYNC_FLUSH) and must reach the
    consumer before the next one is even sent."""
    events = [b'data: {"n": %d}\n\n' % n for n in range(4)]
    delivered = asyncio.Event()

    async def stream(seen: Seen, writer: asyncio.StreamWriter) -> bool:
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        encoder = zlib.compressobj(wbits=wbits)
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"content-encoding: %s\r\ntransfer-encoding: chunked\r\n\r\n" % encoding.encode()
        )
        for event in events:
            piece = encoder.compress(event) + encoder.flush(zlib.Z_SYNC_FLUSH)
            writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            await writer.drain()
            delivered.clear()
            await asyncio.wait_for(delivered.wait(), 2.0)  # the client has this event
        tail = encoder.flush()
        writer.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))
        return True

    async with serve(stream) as (url, _):
        client = Client()
        response = await client.post(client.endpoint(url, {}), b"", timeouts=TIMEOUTS)
        received = []
        async for chunk in response:
            received.append(chunk)
            delivered.set()
        response.close()
        await client.aclose()
    assert received == events
