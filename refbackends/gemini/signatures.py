"""The ``thoughtSignature`` values the emulated API handed out.

The API takes a signature back only when it minted it (a client cannot
forge a model's reasoning state: ``Corrupted thought signature.``), and
parity tests rely on that check to prove the opaque state round-trips
unchanged through a gateway. Signatures are bytes on the wire (base64 in
JSON, either alphabet, padding optional), so they are kept and compared as
bytes. The store is FIFO-bounded and belongs to one app instance.

Two strings are accepted without minting, as the API documents for
clients that must send a signature they do not have:
``skip_thought_signature_validator`` and
``context_engineering_is_the_way_to_go``.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["DUMMY_SIGNATURES", "SignatureStore"]

DUMMY_SIGNATURES = frozenset(
    {"skip_thought_signature_validator", "context_engineering_is_the_way_to_go"}
)


class SignatureStore:
    """Minted signatures, oldest forgotten first past ``capacity``."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._minted: OrderedDict[bytes, None] = OrderedDict()
        self._capacity = capacity

    def mint(self, signature: bytes) -> None:
        """Remember a signature handed to a client."""
        self._minted.pop(signature, None)
        self._minted[signature] = None
        while len(self._minted) > self._capacity:
            self._minted.popitem(last=False)

    def minted(self, signature: bytes) -> bool:
        """Whether ``signature`` was handed out (and not yet forgotten)."""
        return signature in self._minted
