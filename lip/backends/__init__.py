"""Backend adapters: a protocol codec + base URL + credentials + model map."""

from __future__ import annotations

from collections.abc import Callable

from lip.backends.base import Backend
from lip.backends.localstub import LocalStubBackend
from lip.backends.openai import OpenAIChatBackend
from lip.backends.transport import UpstreamClient
from lip.canonical import Limits
from lip.config import BackendConfig, BackendKind, Config


def _localstub(config: BackendConfig, http: UpstreamClient, limits: Limits) -> Backend:
    return LocalStubBackend(config.id)


# Explicit dispatch table: adding a kind without a factory fails at import.
_FACTORIES: dict[BackendKind, Callable[[BackendConfig, UpstreamClient, Limits], Backend]] = {
    BackendKind.OPENAI: OpenAIChatBackend,
    BackendKind.OPENAI_COMPATIBLE: OpenAIChatBackend,
    BackendKind.LOCALSTUB: _localstub,
}
assert set(_FACTORIES) == set(BackendKind), "every backend kind needs a factory"


def build_backends(config: Config, http: UpstreamClient, limits: Limits) -> dict[str, Backend]:
    """One adapter per configured backend, keyed by id."""
    return {b.id: _FACTORIES[b.kind](b, http, limits) for b in config.backends}


__all__ = ["Backend", "LocalStubBackend", "OpenAIChatBackend", "UpstreamClient", "build_backends"]
