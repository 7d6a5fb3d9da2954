"""Deterministic content shared by every emulator: canned texts, word-level
chunking, token counts and stable identifiers.

Nothing here knows a wire protocol. Everything is a pure function of its
input, so two runs over the same requests produce byte-identical responses
(goldens depend on that).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

__all__ = [
    "LONG_TEXT",
    "REFUSAL_TEXT",
    "UNICODE_TEXT",
    "choose_tools",
    "count_tokens",
    "split_json_fragments",
    "split_words",
    "stable_hex",
    "stable_id",
    "truncate_words",
]

# Multi-byte on purpose: 2-byte (é, ö), 3-byte (CJK, ✨) and 4-byte (emoji,
# including a ZWJ sequence) UTF-8 sequences, so a test can split the byte
# stream inside a character. Words are space separated so streams emit many
# frames.
UNICODE_TEXT = "Héllo wörld! 你好， 世界。 こんにちは 世界 🌍🚀 naïve café ✨ 👩‍💻 résumé — Ελληνικά 한국어 😀 end"  # noqa: RUF001 (full-width punctuation on purpose)

REFUSAL_TEXT = "I'm sorry, but I can't help with that request."

_LONG_SENTENCE = "The quick brown fox jumps over the lazy dog while the emulator streams one deterministic word per frame."
# 18 words x 20 = 360 words: enough frames to exercise buffering and cuts.
LONG_TEXT = " ".join([_LONG_SENTENCE] * 20)

_WORD_PIECE = re.compile(r"\s*\S+|\s+$")
_JSON_PIECE = re.compile(r"\w+|\s+|[^\w\s]+")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


_T = TypeVar("_T")


def choose_tools(
    tools: Sequence[_T], named: str | None, count: int, name: Callable[[_T], str]
) -> list[_T]:
    """``count`` tools to call, deterministically: the named one (else the
    first) first, then the others in order, the first again when they run out."""
    first = next((t for t in tools if name(t) == named), tools[0])
    others = [t for t in tools if t is not first]
    return [first] + [others[k] if k < len(others) else first for k in range(count - 1)]


def split_words(text: str) -> list[str]:
    """Split text into word pieces, each carrying its leading whitespace
    (like model tokens: ``["Echo:", " hello", " world"]``).

    ``"".join(split_words(t)) == t`` for every ``t``.
    """
    return _WORD_PIECE.findall(text)


def truncate_words(text: str, limit: int) -> str:
    """The first ``limit`` word pieces of ``text``."""
    return "".join(split_words(text)[: max(limit, 0)])


def count_tokens(text: str) -> int:
    """The emulator's token count: whitespace-separated words."""
    return len(text.split())


def split_json_fragments(arguments: str) -> list[str]:
    """Split a JSON document into token-like fragments (``{"``, ``city``,
    ``":"``, ``Paris``, ``"}``) the way tool-call arguments are streamed.

    ``"".join(split_json_fragments(a)) == a`` for every ``a``.
    """
    return _JSON_PIECE.findall(arguments)


def stable_id(parts: Iterable[str | bytes], length: int) -> str:
    """A base62 identifier of ``length`` (<= 40) characters derived only
    from ``parts``."""
    number = int.from_bytes(_digest(parts), "big")
    chars: list[str] = []
    for _ in range(length):
        number, rest = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[rest])
    return "".join(chars)


def stable_hex(parts: Iterable[str | bytes], length: int) -> str:
    """A lowercase hex identifier of ``length`` (<= 64) characters derived
    only from ``parts``."""
    return _digest(parts).hex()[:length]


def _digest(parts: Iterable[str | bytes]) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        chunk = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.digest()
