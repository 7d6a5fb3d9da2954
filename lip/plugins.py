"""The registration seam: which protocols and backend kinds a server runs.

``Plugins.builtin()`` is what LIP ships (``lip/protocols/registry.py`` and
``lip/backends/kinds.py``); :meth:`Plugins.with_protocol` and
:meth:`Plugins.with_kind` add more without touching server code::

    plugins = Plugins.builtin().with_protocol(my_protocol).with_kind(my_kind)
    app = create_app(config, plugins=plugins)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from lip.backends.kinds import BUILTIN_KINDS, BackendKind
from lip.protocols.base import BackendCodec, Frontend, ProtocolPlugin
from lip.protocols.registry import BUILTIN_PROTOCOLS


@dataclass(frozen=True, slots=True)
class Plugins:
    """Registered protocols (in registration order, which the shared-path rule
    uses) and backend kinds. Names are unique."""

    protocols: tuple[ProtocolPlugin, ...] = ()
    kinds: tuple[BackendKind, ...] = ()

    def __post_init__(self) -> None:
        for label, names in (
            ("protocol", [p.name for p in self.protocols]),
            ("backend kind", [k.name for k in self.kinds]),
        ):
            duplicate = next((n for n in names if names.count(n) > 1), None)
            if duplicate is not None:
                raise ValueError(f"{label} {duplicate!r} is registered twice")

    @classmethod
    def builtin(cls) -> Plugins:
        return cls(protocols=BUILTIN_PROTOCOLS, kinds=BUILTIN_KINDS)

    def with_protocol(self, protocol: ProtocolPlugin) -> Plugins:
        return replace(self, protocols=(*self.protocols, protocol))

    def with_kind(self, kind: BackendKind) -> Plugins:
        return replace(self, kinds=(*self.kinds, kind))

    def frontends(self) -> tuple[Frontend, ...]:
        return tuple(p.frontend for p in self.protocols if p.frontend is not None)

    def codecs(self) -> Mapping[str, BackendCodec]:
        return {p.name: p.codec for p in self.protocols if p.codec is not None}

    def kind_table(self) -> Mapping[str, BackendKind]:
        return {k.name: k for k in self.kinds}


__all__ = ["Plugins"]
