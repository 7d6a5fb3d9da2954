"""Checks of what LIP builds itself against the generated wire models.

Every body LIP sends (upstream requests, unary replies, model listings) is
built from data already validated on the way in, so on the production hot
path re-validating it would only repeat work on every request. The test
suite turns the checks on (``LIP_WIRE_CHECKS=1``, set by ``tests/conftest.py``
before LIP is imported, and inherited by the servers the tests start), so a
translation that builds an off-spec body fails there, as an internal error
naming the first problem.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from lip.canonical import InternalError

_enabled = os.environ.get("LIP_WIRE_CHECKS", "") == "1"


def enabled() -> bool:
    return _enabled


def set_enabled(value: bool) -> None:
    global _enabled
    _enabled = value


def check(model: type[BaseModel], body: Mapping[str, Any], what: str) -> None:
    """With checks on, raise :class:`InternalError` if ``body`` is not a valid
    ``model``; with them off, do nothing."""
    if not _enabled:
        return
    try:
        model.model_validate(body)
    except ValidationError as exc:
        raise InternalError(f"built an invalid {what}: {exc.errors()[0]['msg']}") from None


__all__ = ["check", "enabled", "set_enabled"]
