"""Backend adapters: one generic HTTP backend driven by a protocol codec, kinds as descriptors."""

from lip.backends.base import Backend, Target
from lip.backends.build import ResolvedBackend, build_backend, resolve_backends
from lip.backends.http import HTTPBackend
from lip.backends.kinds import BUILTIN_KINDS, BackendKind
from lip.backends.localstub import LocalStubBackend
from lip.backends.transport import UpstreamClient

__all__ = [
    "BUILTIN_KINDS",
    "Backend",
    "BackendKind",
    "HTTPBackend",
    "LocalStubBackend",
    "ResolvedBackend",
    "Target",
    "UpstreamClient",
    "build_backend",
    "resolve_backends",
]
