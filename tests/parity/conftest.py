"""One harness run per test session, shared by every parity test.

``LIP_PARITY_ONLY=a,b`` restricts the run to those scenarios (the matrix
test then checks only the rows they fully cover)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from parity.harness import Run, default_scenarios_dir, run_all
from parity.scenario import Scenario, load_scenarios


def all_scenarios() -> tuple[Scenario, ...]:
    return load_scenarios(default_scenarios_dir())


def selected_scenarios() -> tuple[Scenario, ...]:
    only = [s for s in os.environ.get("LIP_PARITY_ONLY", "").split(",") if s]
    return tuple(s for s in all_scenarios() if not only or s.id in only)


@pytest.fixture(scope="session")
def parity_runs() -> Sequence[Run]:
    return run_all(selected_scenarios())
