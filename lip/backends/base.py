"""The backend adapter seam: a target in, canonical events out."""

from __future__ import annotations

import abc
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from lip.backends.keys import Key, KeyPool
from lip.canonical import Call, Event


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Where one leg of a call goes: a configured backend and a model name."""

    backend_id: str
    model: str
    """The model name as the client-facing selector named it."""
    upstream_model: str
    """After the backend's ``model_map``: what is sent upstream."""
    selector: str
    key: Key | None = None
    """The upstream key the caller chose for this attempt (from the backend's
    :attr:`Backend.keys`); ``None``: the backend takes the next of its pool."""
    traceparent: str | None = None
    """The W3C ``traceparent`` naming this attempt's span, sent upstream when set."""

    def sent_with(self, key: Key | None, traceparent: str | None) -> Target:
        """This target for one attempt: with its key and ``traceparent``.

        Built field by field through the slots' own setters (a frozen
        dataclass's ``__init__``, ``dataclasses.replace`` or
        ``object.__setattr__`` look each one up again), on every upstream
        attempt."""
        sent = _new(Target)
        _BACKEND_ID(sent, self.backend_id)
        _MODEL(sent, self.model)
        _UPSTREAM_MODEL(sent, self.upstream_model)
        _SELECTOR(sent, self.selector)
        _KEY(sent, key)
        _TRACEPARENT(sent, traceparent)
        return sent


_new = object.__new__
_BACKEND_ID, _MODEL, _UPSTREAM_MODEL, _SELECTOR, _KEY, _TRACEPARENT = (
    vars(Target)[name].__set__
    for name in ("backend_id", "model", "upstream_model", "selector", "key", "traceparent")
)


class Backend(abc.ABC):
    """One configured upstream.

    ``stream`` yields a grammatical event stream (``ResponseStarted`` first,
    one terminal last) in batches: each batch holds the events that became
    available together (one upstream read), so that under load many events
    cost one hop and one client write. Failures before the first event are raised as
    :class:`lip.canonical.LipError` (nothing was shown to the client, so the
    executor may fail over); failures after it are yielded as ``ErrorEvent``
    or raised (the executor turns them into one). Closing the generator early
    (client gone) must release the upstream request at once.
    """

    keys: KeyPool | None = None
    """The upstream keys this backend sends (one or more); ``None`` for a backend
    that sends none (in-process kinds, keyless upstreams). A caller that picks
    ``Target.key`` from it reports the outcome to it (:meth:`KeyPool.report`);
    the backend reports only for the keys it took itself."""

    def __init__(self, backend_id: str) -> None:
        self.id = backend_id

    @abc.abstractmethod
    def stream(self, call: Call, target: Target) -> AsyncGenerator[list[Event], None]: ...

    async def count_tokens(self, call: Call, target: Target) -> int | None:
        """The upstream's own count of ``call``'s input tokens, or ``None`` when
        it has no way to count (the caller estimates)."""
        return None

    async def aclose(self) -> None:  # noqa: B027 - optional hook, most adapters own nothing
        """Release resources the adapter owns (the shared HTTP client is not one)."""


__all__ = ["Backend", "Target"]
