"""JSON numbers as RFC 8259 defines them, for every frontend.

Python's and pydantic's parsers accept ``NaN``, ``Infinity`` and numbers that
overflow to infinity (``1e400``); a gateway that accepts them forwards bodies
no upstream can parse. The fast path is a byte search; only a body that
might hold such a token is parsed a second time to be sure (it may be text
inside a string).
"""

from __future__ import annotations

import json
import math
import re

__all__ = ["non_finite_number"]

_SUSPECT = re.compile(rb"NaN|Infinity|[0-9][eE][+]?[0-9]{3,}")


class _Found(Exception):
    def __init__(self, token: str) -> None:
        self.token = token


def _constant(token: str) -> float:
    raise _Found(token)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Found(text)
    return value


def non_finite_number(body: bytes) -> str | None:
    """The first number in ``body`` that JSON cannot carry (``NaN``, ``Infinity``,
    an overflowing exponent), or ``None``. A body that is not JSON at all is left
    to the frontend's own parser and error."""
    if not _SUSPECT.search(body):
        return None
    try:
        json.loads(body, parse_constant=_constant, parse_float=_float)
    except _Found as found:
        return found.token
    except ValueError:
        return None
    return None
