"""The parity suite is a gate: a one-line translator bug, made in a copy of the
tree, fails it with a readable wire diff and a changed matrix cell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
ENCODER = "lip/protocols/openai_chat/response.py"
# The bug: the stream encoder stops sending the usage chunk clients asked for.
SOUND = "                if self._include_usage:\n                    out += self._usage_chunk()\n"
BROKEN = "                pass  # usage dropped\n"


def _copy_tree(dest: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__", "node_modules", ".venv", "*.egg-info")
    for top in ("lip", "parity", "refbackends", "generated", "testdata"):
        shutil.copytree(ROOT / top, dest / top, ignore=skip)
    (dest / "tests").mkdir()
    for name in ("__init__.py", "conftest.py"):
        shutil.copy(ROOT / "tests" / name, dest / "tests" / name)
    shutil.copytree(ROOT / "tests" / "parity", dest / "tests" / "parity", ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    (dest / "parity" / "js" / "node_modules").symlink_to(ROOT / "parity" / "js" / "node_modules")


def test_dropping_streamed_usage_fails_with_a_wire_diff_and_a_failing_cell(
    tmp_path: Path,
) -> None:
    _copy_tree(tmp_path)
    encoder = tmp_path / ENCODER
    source = encoder.read_text(encoding="utf-8")
    assert SOUND in source
    encoder.write_text(source.replace(SOUND, BROKEN), encoding="utf-8")

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/parity/test_parity.py",
        ],
        cwd=tmp_path,
        env={**os.environ, "LIP_PARITY_ONLY": "text_basic", "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    # what the SDKs saw
    assert "usage.input: expected 5, got None" in out
    # the client leg's golden: the usage chunk is the missing line
    assert "test_wire[text_basic-openai_chat->openai_chat-stream]" in out
    assert '"choices":[],"usage":{"prompt_tokens":5' in out
    # the matrix: the row's cell turned failing
    assert "the matrix changed" in out
    assert '-  "status": "lossless"' in out or '-   "status": "lossless"' in out
    assert '"status": "failing"' in out
