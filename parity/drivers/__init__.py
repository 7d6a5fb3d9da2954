"""Official vendor SDKs as parity clients: one module per frontend protocol and language.

Each Python driver module has ``connect(base_url, api_key, options)``, which
builds the SDK's client as its users build it, and ``run(client, params,
mode)``, one request read the way ``mode`` says. A client is built once per
server, key and per-request options and reused (:class:`Clients`), as an
application keeps its client.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from parity.observation import Observation, ObservedError
from parity.recorded import OPTIONS
from parity.scenario import Mode

__all__ = ["Clients", "Driver", "Options", "client_options", "read", "sdk_kwargs"]


@dataclass(frozen=True)
class Options:
    """Per-request headers and query of a recorded client, which a driver's
    client takes as its defaults."""

    headers: dict[str, str]
    query: dict[str, str]

    @property
    def key(self) -> str:
        return json.dumps([self.headers, self.query], sort_keys=True)


class Driver(Protocol):
    """What a Python driver module has."""

    def connect(self, base_url: str, api_key: str, options: Options | None) -> Any: ...

    def run(self, client: Any, params: dict[str, Any], mode: Mode) -> Observation: ...


def client_options(params: dict[str, Any]) -> tuple[dict[str, Any], Options | None]:
    """The request body without its per-request options, and those options."""
    options = params.get(OPTIONS)
    if not options:
        return params, None
    body = {k: v for k, v in params.items() if k != OPTIONS}
    return body, Options(headers=dict(options["headers"]), query=dict(options["query"]))


class Clients:
    """SDK clients by frontend, server, key and options, built on first use
    and closed together."""

    def __init__(self) -> None:
        self._open: dict[tuple[str, str, str, str], Any] = {}

    def get(
        self,
        frontend: str,
        connect: Callable[[str, str, Options | None], Any],
        base_url: str,
        api_key: str,
        options: Options | None,
    ) -> Any:
        key = (frontend, base_url, api_key, options.key if options is not None else "")
        client = self._open.get(key)
        if client is None:
            client = self._open[key] = connect(base_url, api_key, options)
        return client

    def close(self) -> None:
        for client in self._open.values():
            client.close()
        self._open.clear()


def sdk_kwargs(method: Callable[..., Any], params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as keywords of an SDK method: arguments it does not name (a
    recorded client's beta arguments) go in ``extra_body``, as a client
    sending them would."""
    named = inspect.signature(method).parameters
    extra = {k: v for k, v in params.items() if k not in named}
    if not extra:
        return params
    return {**{k: v for k, v in params.items() if k in named}, "extra_body": extra}


def read(
    mode: Mode,
    *,
    unary: Callable[[], Observation],
    stream: Callable[[], Observation],
    helper: Callable[[], Observation],
    error: Callable[[Exception, bool], ObservedError],
) -> Observation:
    """Read one reply the way ``mode`` says; a unary call that raises is the
    error the SDK reported (the stream readers report their own)."""
    if mode == "stream":
        return stream()
    if mode == "stream_helper":
        return helper()
    try:
        return unary()
    except Exception as exc:
        seen = error(exc, False)
        return Observation(status=seen.status, error=seen)
