"""Dependencies point down (docs/design.md, "Layout"): each layer imported
alone, in a fresh interpreter, loads nothing above it."""

from __future__ import annotations

import subprocess
import sys

import pytest

# module -> packages it must not load
RULES = {
    "lip.canonical": ("lip.protocols", "lip.backends", "lip.routing", "lip.server", "lip_wire"),
    "lip.access": ("lip.protocols", "lip.backends", "lip.routing", "lip.server", "lip_wire"),
    "lip.protocols.registry": ("lip.backends", "lip.routing", "lip.server", "refbackends"),
    "lip.backends": ("lip.routing", "lip.server", "refbackends"),
    "lip.routing": ("lip.server", "refbackends"),
    "lip.server": ("refbackends",),
    "lip.cli": ("refbackends", "lip.server", "uvicorn"),
}


@pytest.mark.parametrize("module", sorted(RULES))
def test_layer_imports_nothing_above_it(module: str) -> None:
    probe = (
        f"import sys, {module}\n"
        f"print('\\n'.join(sorted(m for m in sys.modules if m.split('.')[0] in ('lip', 'lip_wire', 'refbackends', 'uvicorn'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()
    forbidden = [m for m in loaded for p in RULES[module] if m == p or m.startswith(f"{p}.")]
    assert forbidden == []
