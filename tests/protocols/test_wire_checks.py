"""The wire checks: on in the test suite, and an off-spec body LIP built is an
internal error naming the problem; off, nothing is validated."""

from __future__ import annotations

import pytest

from lip.canonical import InternalError
from lip.protocols import wire_checks
from lip_wire.openai.models_list import ModelsList


def test_the_suite_runs_with_the_checks_on() -> None:
    assert wire_checks.enabled()


def test_an_off_spec_body_is_an_internal_error_only_when_enabled() -> None:
    bad = {"object": "list", "data": [{"id": 1}]}
    with pytest.raises(InternalError, match="built an invalid model list"):
        wire_checks.check(ModelsList, bad, "model list")
    wire_checks.set_enabled(False)
    try:
        wire_checks.check(ModelsList, bad, "model list")  # production: not re-validated
    finally:
        wire_checks.set_enabled(True)
