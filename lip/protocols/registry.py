"""The protocols LIP ships: adding one is one package and one line here."""

from __future__ import annotations

from lip.protocols import anthropic_messages, gemini, openai_chat, openai_responses
from lip.protocols.base import ProtocolPlugin

# Order matters on shared paths: the first registered owns them by default.
BUILTIN_PROTOCOLS: tuple[ProtocolPlugin, ...] = (
    openai_chat.PLUGIN,
    anthropic_messages.PLUGIN,
    openai_responses.PLUGIN,
    gemini.PLUGIN,
)

__all__ = ["BUILTIN_PROTOCOLS"]
