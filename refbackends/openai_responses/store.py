"""What the emulated API remembers between requests, in memory and bounded.

- Responses created with ``store`` not false (:class:`StoredResponse`): the
  Response object ``GET /v1/responses/{id}`` returns, and the input the
  model saw (earlier turns of a ``previous_response_id`` chain included),
  which ``input_items`` lists and a continuation builds on.
- Every ``encrypted_content`` handed to a client, stored or not: the API
  accepts a reasoning item's encrypted content back only when it minted it
  (a client cannot forge reasoning), and parity tests rely on that check to
  prove opaque reasoning state round-trips unchanged.

Both are FIFO-bounded (the oldest entries go first). A :class:`ResponseStore`
belongs to one app instance, never to a module global.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from lip.canonical.json import JSONObject, JSONValue

__all__ = ["ResponseStore", "StoredResponse"]


@dataclass(frozen=True)
class StoredResponse:
    """One stored response: ``body`` is the Response object, ``input_items``
    the input the model saw, each with its ``id``."""

    id: str
    body: JSONObject
    input_items: tuple[JSONObject, ...]

    @property
    def output(self) -> list[JSONObject]:
        """The response's output items."""
        items = self.body.get("output")
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    def history(self) -> list[JSONObject]:
        """What a continuation of this response starts from: its input, then its output."""
        return [*self.input_items, *self.output]


class ResponseStore:
    """Stored responses (by id) and minted encrypted contents, both bounded."""

    def __init__(self, capacity: int = 1000, minted_capacity: int = 20_000) -> None:
        self._responses: OrderedDict[str, StoredResponse] = OrderedDict()
        self._minted: OrderedDict[str, None] = OrderedDict()
        self._capacity = capacity
        self._minted_capacity = minted_capacity

    def put(self, stored: StoredResponse) -> None:
        """Keep ``stored`` (replacing one with the same id)."""
        self._responses.pop(stored.id, None)
        self._responses[stored.id] = stored
        while len(self._responses) > self._capacity:
            self._responses.popitem(last=False)

    def get(self, response_id: str) -> StoredResponse | None:
        """The stored response, or None."""
        return self._responses.get(response_id)

    def delete(self, response_id: str) -> bool:
        """Forget a response; False when it was not stored."""
        return self._responses.pop(response_id, None) is not None

    def find_item(self, item_id: str) -> JSONObject | None:
        """An input or output item of a stored response, newest response first."""
        for stored in self._newest_first():
            for item in stored.history():
                if item.get("id") == item_id:
                    return item
        return None

    def mint(self, content: str) -> None:
        """Remember an ``encrypted_content`` handed to a client."""
        self._minted.pop(content, None)
        self._minted[content] = None
        while len(self._minted) > self._minted_capacity:
            self._minted.popitem(last=False)

    def minted(self, content: JSONValue) -> bool:
        """Whether ``content`` is an encrypted content this store minted."""
        return isinstance(content, str) and content in self._minted

    def _newest_first(self) -> Iterator[StoredResponse]:
        return reversed(self._responses.values())
