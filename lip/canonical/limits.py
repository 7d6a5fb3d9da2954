"""Size limits applied where LIP buffers data it does not control."""

from __future__ import annotations

from dataclasses import dataclass

from lip.canonical.errors import InvalidRequestError


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """``max_request_bytes`` bounds a client body; ``max_response_bytes`` bounds
    what :func:`lip.canonical.collect` folds (text + arguments + reasoning);
    ``max_events`` bounds the number of events one response may carry."""

    max_request_bytes: int = 10 * 1024 * 1024
    max_response_bytes: int = 32 * 1024 * 1024
    max_events: int = 1_000_000
    max_messages: int = 10_000
    """Messages (or turns, or input items) in one request."""
    max_parts: int = 10_000
    """Content parts in one request, all messages together."""
    max_tools: int = 1_024
    """Tool declarations in one request."""

    def check_counts(self, *, messages: int, parts: int, tools: int, where: str = "") -> None:
        """Refuse a request holding more than the limits allow, before any work
        proportional to its size. ``where`` prefixes the param (``messages``,
        ``tools``) with the protocol's own field path when it differs."""
        for count, limit, param, what in (
            (messages, self.max_messages, "messages", "messages"),
            (parts, self.max_parts, "messages", "content parts"),
            (tools, self.max_tools, "tools", "tools"),
        ):
            if count > limit:
                raise InvalidRequestError(
                    f"The request holds {count} {what}; this server accepts at most {limit}.",
                    param=where + param,
                    code="array_above_max_length",
                )


DEFAULT_LIMITS = Limits()

__all__ = ["DEFAULT_LIMITS", "Limits"]
