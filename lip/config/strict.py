"""The base every config model shares: strict, frozen, never quoting input."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    # Unknown keys are errors: a typo in a config file must not be ignored.
    # A ValidationError's text never quotes the input: a config holds API keys
    # and secrets, and an object-level error's input is the whole object.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
"""The shape of a backend, instance or client key id (used in route selectors)."""

__all__ = ["ID_PATTERN", "Strict"]
