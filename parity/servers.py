"""What one harness worker serves on 127.0.0.1, and the upstream scripted per request.

Every backend protocol's emulator behind a recording proxy (the upstream
leg), LIP routed to them and to the local stub behind another recording
proxy (the client leg), and one more proxy straight in front of each
emulator (its own SDKs drive it there, for the emulator checks).

What an emulator answers is scripted for one request at a time
(:meth:`Servers.script`): the script is queued just before the request
that needs it, and a script that no request took (LIP refused the request
first, or the client never sent it) is dropped before the next one, so it
can never answer a later request.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

import httpx

from parity import protocols
from parity.capture import Exchange, RecordingProxy, recording_proxy

__all__ = ["CLIENT_KEY", "MAX_BODY_BYTES", "UPSTREAM_KEY", "Legs", "Servers"]

UPSTREAM_KEY = "sk-parity-upstream-0000"
CLIENT_KEY = "sk-parity-client-0000"
MAX_BODY_BYTES = 262_144
"""LIP's body limit in the harness (the limits scenarios go past it)."""


@dataclass
class Legs:
    """Where the proxies' recordings stood when a request started."""

    client: RecordingProxy
    upstream: RecordingProxy | None
    client_mark: int
    upstream_mark: int

    def since(self) -> tuple[list[Exchange], list[Exchange]]:
        """The client leg's and the upstream leg's exchanges since then."""
        upstream = self.upstream.since(self.upstream_mark) if self.upstream is not None else []
        return self.client.since(self.client_mark), upstream


class Servers:
    """Emulators, LIP and the recording proxies, for the backends named."""

    def __init__(self, stack: ExitStack, backends: set[str]) -> None:
        from lip.config import parse_config
        from lip.server import create_app, server_options
        from refbackends.serving import serve_in_thread

        self.emulators: dict[str, str] = {}
        self.upstream_proxies: dict[str, RecordingProxy] = {}
        self._controls: dict[str, httpx.Client] = {}
        self._unconsumed: set[str] = set()
        entries = []
        for backend in sorted(backends - {"localstub"}):
            url = stack.enter_context(serve_in_thread(protocols.emulator(backend, UPSTREAM_KEY)))
            self.emulators[backend] = url
            proxy = stack.enter_context(recording_proxy(url))
            self.upstream_proxies[backend] = proxy
            entries.append(protocols.lip_backend(backend, proxy.url, UPSTREAM_KEY))
            control = httpx.Client(base_url=f"{url}/__emulator__", timeout=10)
            self._controls[backend] = stack.enter_context(control)
        entries.append("  - {id: localstub, kind: localstub, models: [lip-stub]}")
        config = parse_config(
            f"server: {{max_body_bytes: {MAX_BODY_BYTES}}}\nbackends:\n" + "\n".join(entries),
            env={},
        )
        app = create_app(config)
        lip = stack.enter_context(serve_in_thread(app, lifespan="on", options=server_options(app)))
        self.lip = stack.enter_context(recording_proxy(lip))
        self.direct = {
            name: stack.enter_context(recording_proxy(url)) for name, url in self.emulators.items()
        }

    def legs(self, backend: str, *, via_lip: bool) -> Legs:
        """Marks on the client leg (to LIP, or straight to the emulator) and
        the upstream leg (LIP to the emulator; none without LIP)."""
        client = self.lip if via_lip else self.direct[backend]
        upstream = self.upstream_proxies.get(backend) if via_lip else None
        return Legs(client, upstream, client.mark(), upstream.mark() if upstream else 0)

    def script(self, backend: str, script: dict[str, object] | None) -> None:
        """What ``backend``'s emulator does with the next request (its
        default behaviour for None)."""
        control = self._controls.get(backend)
        if control is None:
            return
        if backend in self._unconsumed:
            control.delete("/scripts").raise_for_status()
            self._unconsumed.discard(backend)
        if script is not None:
            control.post("/scripts", json=[script]).raise_for_status()
            self._unconsumed.add(backend)

    def taken(self, backend: str, upstream: list[Exchange]) -> None:
        """A request ended; ``upstream`` is what reached ``backend``'s emulator
        meanwhile. A queued script that nothing took is dropped next time."""
        if upstream:
            self._unconsumed.discard(backend)

    def problems(self) -> list[str]:
        proxies = (self.lip, *self.upstream_proxies.values(), *self.direct.values())
        return [problem for proxy in proxies for problem in proxy.problems]
