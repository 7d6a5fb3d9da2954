"""Backend kinds: each is one descriptor, and these are the ones LIP ships.

A kind says which wire protocol(s) it speaks (``apis``: config's ``api``
value -> protocol name, the first being the default), where its upstream
lives by default, where its key comes from, and what config must give.
HTTP kinds are served by :class:`lip.backends.http.HTTPBackend` with the
protocol's codec; an in-process kind (the local stub) brings its own factory.
A protocol name the registry does not know yet makes the kind (or that api)
reserved: config naming it is refused with a clear message at startup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lip.backends.base import Backend
from lip.backends.localstub import LocalStubBackend
from lip.config import BackendConfig


@dataclass(frozen=True, slots=True, kw_only=True)
class BackendKind:
    name: str
    apis: Mapping[str, str] = field(default_factory=dict)
    """Config ``api`` value -> protocol name; the first entry is the default."""
    default_base_url: str | None = None
    key_env: tuple[str, ...] = ()
    """Environment variables tried in order when config gives no key; each is read
    as a pool (``NAME``, ``NAME_2`` ... ``NAME_32``) and the first that gives
    any key wins (:func:`lip.backends.build.keys_from_env`)."""
    key_required: bool = False
    default_headers: Mapping[str, str] = field(default_factory=dict)
    in_process: Callable[[BackendConfig], Backend] | None = None
    """Factory for a kind with no HTTP upstream."""

    @property
    def default_api(self) -> str | None:
        return next(iter(self.apis), None)


BUILTIN_KINDS: tuple[BackendKind, ...] = (
    BackendKind(
        name="openai",
        apis={"chat": "openai_chat", "responses": "openai_responses"},
        default_base_url="https://api.openai.com/v1",
        key_env=("OPENAI_API_KEY",),
        key_required=True,
    ),
    BackendKind(
        name="openai-compatible",
        apis={"chat": "openai_chat", "responses": "openai_responses"},
    ),
    BackendKind(
        name="anthropic",
        apis={"messages": "anthropic_messages"},
        default_base_url="https://api.anthropic.com/v1",
        key_env=("ANTHROPIC_API_KEY",),
        key_required=True,
        default_headers={"anthropic-version": "2023-06-01"},
    ),
    BackendKind(
        name="gemini",
        apis={"generate_content": "gemini"},
        default_base_url="https://generativelanguage.googleapis.com/v1beta",
        key_env=("GEMINI_API_KEY", "GOOGLE_API_KEY"),
        key_required=True,
    ),
    BackendKind(name="localstub", in_process=lambda config: LocalStubBackend(config.id)),
)

__all__ = ["BUILTIN_KINDS", "BackendKind"]
