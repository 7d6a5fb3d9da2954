"""The drift gate: `python -m codegen --check` is clean on the repo and catches hand edits."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.codegen.conftest import REPO_ROOT, run_codegen

EDITED = "generated/lip_wire/openai/chat_completion.py"


def _copy_repo(dest: Path) -> Path:
    """Copy the committed specs/ and generated/ trees into ``dest``."""
    skip = shutil.ignore_patterns("__pycache__")
    for top in ("specs", "generated"):
        shutil.copytree(REPO_ROOT / top, dest / top, ignore=skip)
    return dest


def test_repo_matches_pinned_packages(fresh_build: Path) -> None:
    result = run_codegen("--check", "--against", str(fresh_build))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_hand_edit_fails_with_a_diff_naming_the_file(fresh_build: Path, tmp_path: Path) -> None:
    _copy_repo(tmp_path)
    target = tmp_path / EDITED
    text = target.read_text(encoding="utf-8")
    assert "    index: int\n" in text
    target.write_text(
        text.replace("    index: int\n", "    index: int | None\n", 1), encoding="utf-8"
    )

    result = run_codegen("--check", "--root", str(tmp_path), "--against", str(fresh_build))

    assert result.returncode == 1
    assert f"committed/{EDITED}" in result.stdout
    assert f"regenerated/{EDITED}" in result.stdout
    assert "-    index: int | None" in result.stdout
    assert "+    index: int" in result.stdout


def test_a_changed_vendor_spec_fails_with_a_diff(fresh_build: Path, tmp_path: Path) -> None:
    """What a vendor SDK bump looks like to CI: the extracted spec differs."""
    _copy_repo(tmp_path)
    spec = tmp_path / "specs" / "openai" / "chat_completion.json"
    text = spec.read_text(encoding="utf-8")
    assert '"system_fingerprint"' in text
    spec.write_text(
        text.replace('"system_fingerprint"', '"system_fingerprint_v2"'), encoding="utf-8"
    )

    result = run_codegen("--check", "--root", str(tmp_path), "--against", str(fresh_build))

    assert result.returncode == 1
    assert "specs/openai/chat_completion.json" in result.stdout
    assert "system_fingerprint_v2" in result.stdout


def test_version_mismatch_is_named(fresh_build: Path, tmp_path: Path) -> None:
    _copy_repo(tmp_path)
    manifest = tmp_path / "specs" / "MANIFEST.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"openai": "', '"openai": "0.0.1-was-', 1),
        encoding="utf-8",
    )

    result = run_codegen("--check", "--root", str(tmp_path), "--against", str(fresh_build))

    assert result.returncode == 1
    assert "installed package versions differ" in result.stdout
    assert "openai: manifest records 0.0.1-was-" in result.stdout


def test_stale_generated_file_is_reported(fresh_build: Path, tmp_path: Path) -> None:
    _copy_repo(tmp_path)
    stale = tmp_path / "generated" / "lip_wire" / "openai" / "old_schema.py"
    stale.write_text("# leftover\n", encoding="utf-8")

    result = run_codegen("--check", "--root", str(tmp_path), "--against", str(fresh_build))

    assert result.returncode == 1
    assert "generated/lip_wire/openai/old_schema.py" in result.stdout
