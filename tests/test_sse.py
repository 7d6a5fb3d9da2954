"""SSE framing is indifferent to how the network splits bytes (WHATWG rules)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lip.sse import SSEDecoder, SSEEvent, encode_event

STREAM = (
    '\ufeffevent: message_start\r\ndata: {"a": "h\u00e9\u4e16\U0001f600"}\r\n\r\n'
    ": keep-alive comment\n\n"
    "id: 7\nretry: 1500\ndata: line one\ndata:line two\n\n"
    "data: [DONE]\r\r"
).encode()

EXPECTED = [
    SSEEvent('{"a": "h\u00e9\u4e16\U0001f600"}', "message_start"),
    SSEEvent("line one\nline two", None, "7", 1500),
    SSEEvent("[DONE]", None, "7", None),
]


def _decode(pieces: list[bytes]) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events: list[SSEEvent] = []
    for piece in pieces:
        events += decoder.feed(piece)
    return events + decoder.close()


def test_whole_stream_in_one_read() -> None:
    assert _decode([STREAM]) == EXPECTED


def test_byte_by_byte_splits_inside_utf8_and_crlf() -> None:
    assert _decode([bytes([b]) for b in STREAM]) == EXPECTED


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=20))
def test_arbitrary_chunk_boundaries(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    pieces = [STREAM[a:b] for a, b in zip([0, *points], [*points, len(STREAM)], strict=True)]
    assert _decode(pieces) == EXPECTED


def test_incomplete_final_event_is_discarded() -> None:
    assert _decode([b"data: complete\n\ndata: cut off"]) == [SSEEvent("complete")]


def test_empty_data_and_field_without_colon() -> None:
    assert _decode([b"data\n\nevent: x\n\n"]) == [SSEEvent("")]


@given(st.text(), st.one_of(st.none(), st.from_regex(r"[a-z_]{1,12}", fullmatch=True)))
def test_encode_decode_round_trip(data: str, event: str | None) -> None:
    normalised = data.replace("\r\n", "\n").replace("\r", "\n")
    assert _decode([encode_event(data, event)]) == [SSEEvent(normalised, event)]


def test_unfinished_event_is_bounded() -> None:
    import pytest

    from lip.sse import SSEFrameTooLarge

    decoder = SSEDecoder(max_event_chars=100)
    assert decoder.feed(b"data: " + b"x" * 50 + b"\n\n") == [SSEEvent("x" * 50)]
    with pytest.raises(SSEFrameTooLarge):
        for _ in range(10):  # a line that never ends
            decoder.feed(b"y" * 20)
    decoder = SSEDecoder(max_event_chars=100)
    with pytest.raises(SSEFrameTooLarge):
        for _ in range(10):  # many data lines, never a blank line
            decoder.feed(b"data: " + b"z" * 20 + b"\n")


def test_a_long_event_in_many_reads_is_reassembled_once() -> None:
    """Each read is scanned once (a 4 MB event used to be re-scanned per read)."""
    data = "é" * (1 << 20)
    wire = f"data: {data}\r".encode() + b"\ndata: tail\r\n\r\n"
    decoder = SSEDecoder(max_event_chars=8 << 20)
    events = []
    for i in range(0, len(wire), 4093):  # odd size: splits inside UTF-8 and CRLF
        events += decoder.feed(wire[i : i + 4093])
    assert [e.data for e in events] == [f"{data}\ntail"]
    assert decoder.close() == []


def test_cr_ending_a_read_then_lf_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\n") == []
    assert [e.data for e in decoder.feed(b"\r\n")] == ["a"]


_LINES = st.sampled_from(
    ["data: x", "data:y", "data", "event: e", "", ": c", "id: 1", "retry: 5", "data: \u00e9"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_LINES, st.sampled_from(["\n", "\r\n", "\r"])), max_size=30),
    st.lists(st.integers(min_value=0, max_value=400), max_size=12),
)
def test_any_line_endings_split_anywhere_decode_alike(
    lines: list[tuple[str, str]], cuts: list[int]
) -> None:
    # LF-only reads take a faster path than reads with CR in them: wherever the
    # cuts fall, both must agree with the stream decoded line by line.
    stream = "".join(line + end for line, end in lines).encode()
    points = sorted({c for c in cuts if c <= len(stream)})
    pieces = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    one_line_at_a_time = [(line + end).encode() for line, end in lines]
    assert _decode(pieces) == _decode(one_line_at_a_time)
