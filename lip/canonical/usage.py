"""Token accounting, normalised across protocols."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    """Token counts; ``None`` means the upstream did not report that figure.

    ``input_tokens`` includes cached tokens (OpenAI semantics); protocols
    that report them separately (Anthropic) add them up when decoding.
    """

    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None
    reasoning_tokens: int | None = None

    @property
    def total_tokens(self) -> int | None:
        if self.input_tokens is None and self.output_tokens is None:
            return None
        return (self.input_tokens or 0) + (self.output_tokens or 0)

    def merged(self, later: Usage) -> Usage:
        """Combine two reports of the same response: later figures win when set."""
        return Usage(
            input_tokens=_pick(later.input_tokens, self.input_tokens),
            output_tokens=_pick(later.output_tokens, self.output_tokens),
            cached_input_tokens=_pick(later.cached_input_tokens, self.cached_input_tokens),
            cache_creation_input_tokens=_pick(
                later.cache_creation_input_tokens, self.cache_creation_input_tokens
            ),
            reasoning_tokens=_pick(later.reasoning_tokens, self.reasoning_tokens),
        )


def _pick(later: int | None, earlier: int | None) -> int | None:
    return earlier if later is None else later


__all__ = ["Usage"]
