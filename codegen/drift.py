"""Compare a committed tree with a fresh build, and sync a build into the repo.

This is the CI gate for vendor API changes (docs/design.md, "Drift"): a
bumped pin or a hand edit under specs/ or generated/ shows up as a readable
unified diff, and a package version that differs from specs/MANIFEST.json is
named before any diff.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path

from codegen.manifest import version_mismatches
from codegen.pipeline import owned_files

MAX_LINES_PER_FILE = 60
MAX_LINES_TOTAL = 400


@dataclass(frozen=True)
class Drift:
    """The result of a check: empty lists mean the tree is up to date."""

    versions: list[str]
    changed: list[str]  # relative paths that differ, are missing or are extra
    diff: str

    @property
    def clean(self) -> bool:
        """True when nothing differs."""
        return not self.versions and not self.changed


def _read(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines(keepends=True)
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        return ["<binary file>\n"]


def _file_diff(committed: Path, built: Path, rel: str) -> list[str]:
    lines = list(
        difflib.unified_diff(
            _read(committed / rel),
            _read(built / rel),
            fromfile=f"committed/{rel}",
            tofile=f"regenerated/{rel}",
            n=2,
        )
    )
    lines = [
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    ]
    if len(lines) > MAX_LINES_PER_FILE:
        hidden = len(lines) - MAX_LINES_PER_FILE
        lines = [*lines[:MAX_LINES_PER_FILE], f"... {hidden} more diff lines in {rel}\n"]
    return lines


def compare(committed: Path, built: Path) -> Drift:
    """Diff the codegen-owned files of ``committed`` against ``built``.

    Overlays are inputs, not outputs, so they are not compared; every other
    file under specs/ and generated/ must match byte for byte, and files that
    exist on only one side count as changed.
    """
    left, right = set(owned_files(committed)), set(owned_files(built))
    changed = sorted(
        rel
        for rel in left | right
        if rel not in left
        or rel not in right
        or (committed / rel).read_bytes() != (built / rel).read_bytes()
    )
    out: list[str] = []
    for rel in changed:
        if len(out) >= MAX_LINES_TOTAL:
            out.append(f"... diff truncated; {len(changed)} files differ in total\n")
            break
        if rel not in right:
            out.append(f"only in committed tree (stale, would be deleted): {rel}\n")
        else:
            out.extend(_file_diff(committed, built, rel))
    return Drift(versions=version_mismatches(committed), changed=changed, diff="".join(out))


def report(drift: Drift, committed: Path) -> str:
    """The text ``--check`` prints: version mismatches, changed files, the diff."""
    if drift.clean:
        return f"codegen: specs/ and generated/ under {committed} are up to date\n"
    parts = [f"codegen: drift under {committed}\n"]
    if drift.versions:
        parts.append("installed package versions differ from specs/MANIFEST.json:\n")
        parts.extend(f"  {line}\n" for line in drift.versions)
    if drift.changed:
        parts.append(
            f"{len(drift.changed)} file(s) differ from what the pinned packages produce:\n"
        )
        parts.extend(f"  {rel}\n" for rel in drift.changed)
        parts.append("\n" + drift.diff)
    if drift.versions:
        parts.append("\nfix: install the pinned versions (pip install -e '.[codegen]'); for a\n")
        parts.append("deliberate bump, run `python -m codegen` and review the diff.\n")
    else:
        parts.append("\nfix: run `python -m codegen` and review the diff; never hand-edit\n")
        parts.append("specs/*.json or generated/ (change codegen/ or specs/<vendor>/overlays/).\n")
    return "".join(parts)


def sync(built: Path, root: Path) -> list[str]:
    """Make the codegen-owned files of ``root`` equal to ``built``; return changed paths."""
    drift = compare(root, built)
    right = set(owned_files(built))
    for rel in drift.changed:
        target = root / rel
        if rel in right:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built / rel, target)
        else:
            target.unlink()
    return drift.changed
