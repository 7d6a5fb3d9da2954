"""``python -m parity`` (also ``lip parity``): run the matrix, check or rewrite it.

Without ``--write`` it exits 1 when a cell fails or when the committed
``parity/MATRIX.md`` / ``parity/matrix.json`` differ from what the code
produces (the diff is printed); with ``--write`` it rewrites them.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from parity import protocols
from parity.harness import run_all
from parity.matrix import build, load_rows, render_markdown, to_json
from parity.scenario import load_scenarios

HERE = Path(__file__).resolve().parent


def _diff(path: Path, fresh: str) -> list[str]:
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    return list(
        difflib.unified_diff(
            old.splitlines(), fresh.splitlines(), str(path), "produced by this code", lineterm=""
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lip parity", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite MATRIX.md and matrix.json")
    parser.add_argument("--scenarios", type=Path, default=HERE.parent / "testdata" / "scenarios")
    parser.add_argument("--rows", type=Path, default=HERE / "rows.yaml")
    parser.add_argument(
        "--out", type=Path, default=HERE, help="where MATRIX.md and matrix.json live"
    )
    parser.add_argument("--no-node", action="store_true", help="Python SDK drivers only")
    args = parser.parse_args(argv)
    if not args.scenarios.is_dir():
        print(f"lip parity: no scenarios at {args.scenarios} (use --scenarios)", file=sys.stderr)
        return 2
    scenarios = load_scenarios(args.scenarios)
    rows = load_rows(args.rows, scenarios)
    runs = run_all(scenarios, drivers=("python",) if args.no_node else ("python", "node"))
    matrix = build(rows, scenarios, runs, protocols.sdk_versions())
    outputs = {
        args.out / "matrix.json": to_json(matrix),
        args.out / "MATRIX.md": render_markdown(matrix),
    }
    failing = [
        f"{row['id']} @ {pair}"
        for row in matrix["rows"]  # type: ignore[attr-defined]
        for pair, cell in row["cells"].items()
        if cell["status"] == "failing"
    ]
    counts: dict[str, int] = {}
    for row in matrix["rows"]:  # type: ignore[attr-defined]
        for cell in row["cells"].values():
            counts[cell["status"]] = counts.get(cell["status"], 0) + 1
    print(f"{len(runs)} runs; cells: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for cell in failing:
        print(f"FAILING: {cell}")
    if args.write:
        for path, text in outputs.items():
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        return 1 if failing else 0
    stale = [line for path, text in outputs.items() for line in _diff(path, text)]
    if stale:
        print("\n".join(stale))
        print("the committed matrix differs from what the code produces (run: tox -e parity)")
    return 1 if failing or stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
