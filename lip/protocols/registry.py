"""The protocols LIP ships: adding one is one package and one line here."""

from __future__ import annotations

from lip.protocols import openai_chat
from lip.protocols.base import ProtocolPlugin

BUILTIN_PROTOCOLS: tuple[ProtocolPlugin, ...] = (openai_chat.PLUGIN,)

__all__ = ["BUILTIN_PROTOCOLS"]
