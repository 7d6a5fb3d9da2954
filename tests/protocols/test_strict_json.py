import pytest

from lip.protocols.strict_json import non_finite_number


@pytest.mark.parametrize(
    ("body", "token"),
    [
        (b'{"t": NaN}', "NaN"),
        (b'{"t": -Infinity}', "-Infinity"),
        (b'{"t": [1, 1e400]}', "1e400"),
        (b'{"t": 1E+999}', "1E+999"),
        (b'{"t": "NaN and Infinity and 1e400 in text are fine"}', None),
        (b'{"t": 1e300}', None),
        (b'{"t": 1.5}', None),
        (b"not json NaN", None),  # the frontend's own parser reports that one
    ],
)
def test_non_finite_numbers_are_found(body: bytes, token: str | None) -> None:
    assert non_finite_number(body) == token
