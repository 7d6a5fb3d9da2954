"""Fixtures for the codegen tests: one fresh build per session (it takes ~30 s)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_codegen(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m codegen ARGS`` from the repo root with this interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """specs/ + generated/ rebuilt from the installed pinned packages, once.

    Built with ``python -m codegen --out`` (the same ``build()`` that
    ``--check`` runs); the drift tests then compare with ``--check --against``.
    """
    out = tmp_path_factory.mktemp("codegen-build")
    result = run_codegen("--out", str(out))
    assert result.returncode == 0, result.stderr
    yield out
