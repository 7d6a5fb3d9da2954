"""Command line: ``python -m codegen [--check] [--root DIR]``.

- ``python -m codegen``: regenerate specs/ and generated/ in place.
- ``python -m codegen --check [--root DIR]``: regenerate into a temp dir and
  exit 1 with a unified diff when DIR (default: the repo root) differs, or
  when installed package versions differ from specs/MANIFEST.json.
- ``--out DIR``: only build a fresh tree into DIR (no compare).
- ``--against DIR``: with ``--check``, compare with a tree already built by
  ``--out`` instead of rebuilding (lets a test session build once).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from time import perf_counter

REPO_ROOT = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail with a diff on drift")
    parser.add_argument(
        "--root", type=Path, default=REPO_ROOT, help="tree holding specs/ and generated/"
    )
    parser.add_argument("--out", type=Path, help="build a fresh tree into this directory only")
    parser.add_argument(
        "--against", type=Path, help="with --check: compare with this pre-built tree"
    )
    parser.add_argument(
        "--jobs", type=int, default=None, help="worker processes (default: min(2, cpus))"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit status."""
    from codegen.drift import compare, report, sync
    from codegen.pipeline import build

    args = _parser().parse_args(argv)
    root: Path = args.root.resolve()
    started = perf_counter()
    if args.out is not None:
        result = build(root, args.out.resolve(), args.jobs)
        print(f"codegen: built {len(result.files)} files into {args.out} "
              f"(extract {result.extract_s:.1f}s, compile {result.compile_s:.1f}s, "
              f"total {perf_counter() - started:.1f}s)", file=sys.stderr)  # fmt: skip
        return 0
    with tempfile.TemporaryDirectory(prefix="lip-codegen-") as tmp:
        built = args.against.resolve() if args.against is not None else Path(tmp)
        if args.against is None:
            result = build(root, built, args.jobs)
            timing = f"extract {result.extract_s:.1f}s, compile {result.compile_s:.1f}s, "
        else:
            timing = ""
        if args.check:
            drift = compare(root, built)
            sys.stdout.write(report(drift, root))
            print(
                f"codegen: check took {timing}total {perf_counter() - started:.1f}s",
                file=sys.stderr,
            )
            return 0 if drift.clean else 1
        changed = sync(built, root)
        for rel in changed:
            print(f"updated {rel}")
        print(f"codegen: {len(changed)} file(s) changed under {root} ({timing}"
              f"total {perf_counter() - started:.1f}s)", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
