"""The base of LIP's string enums.

A :class:`~enum.StrEnum` member is a ``str`` and equals its value
(``FinishReason.STOP == "stop"``), but :class:`~enum.Enum` hashes a member by
its *name*, in Python: the member and the string it equals land in different
buckets of a dict, and every hash is a Python call. :class:`ValueEnum` hashes
a member as the string it is, by ``str``'s own hash: equal values, equal
hashes, and a member in a dict key (the observers key their caches on
outcomes and finish reasons, per call) costs what a string does.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ValueEnum"]


class ValueEnum(StrEnum):
    """A :class:`~enum.StrEnum` whose members hash as their values."""

    __hash__ = str.__hash__
