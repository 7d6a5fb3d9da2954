"""Rows x pairs -> statuses, derived from a harness run and never written by hand.

A cell's status, from its row's scenarios in that pair (every driver, every
mode):

* ``failing``: a run did not match its scenario, or the backend's emulator
  disagrees with the official SDK on one of these scenarios;
* ``unsupported``: the pair cannot express any of the scenarios (the
  frontend's request cannot say it, the backend's protocol cannot answer it
  that way, or the local stub cannot play it);
* ``projected``: all passed and the row documents a loss the protocol forces;
* ``rejected``: all passed and every scenario is one LIP refuses with a 4xx
  before any upstream sees it;
* ``lossless``: all passed (for a same-protocol pair, the upstream also got
  exactly what the client sent).

A row has a cell for each pair whose frontend or backend speaks the row's
surface. A cell whose row has some scenarios the pair cannot express says
which.
``parity/matrix.json`` is sorted and has no timestamps, so two runs of the
same code give the same bytes; ``parity/MATRIX.md`` is the same for people.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from parity.harness import EMULATOR_CHECKS, PAIRS, Pair, Run
from parity.scenario import Scenario

__all__ = ["Row", "build", "load_rows", "render_markdown", "to_json"]

Status = Literal["lossless", "projected", "rejected", "unsupported", "failing"]
SNAPSHOTS = "tests/parity/__snapshots__/test_parity.ambr"


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    surface: str
    feature: str
    doc: str
    scenarios: tuple[str, ...] = Field(min_length=1)
    projection: str | None = None


def load_rows(path: Path, scenarios: Sequence[Scenario]) -> tuple[Row, ...]:
    rows = tuple(Row.model_validate(r) for r in yaml.safe_load(path.read_text(encoding="utf-8")))
    known = {s.id for s in scenarios}
    seen: set[str] = set()
    for row in rows:
        if row.id in seen:
            raise ValueError(f"{path}: row {row.id!r} is defined twice")
        seen.add(row.id)
        missing = [s for s in row.scenarios if s not in known]
        if missing:
            raise ValueError(f"{path}: row {row.id!r} names unknown scenarios {missing}")
    return rows


def _emulator_check(backend: str) -> Pair | None:
    return next((p for p in EMULATOR_CHECKS if p.backend == backend), None)


def _cell(
    row: Row, pair: Pair, runs: Sequence[Run], by_id: dict[str, Scenario]
) -> dict[str, object]:
    mine = [r for r in runs if r.pair == pair.name and r.scenario in row.scenarios]
    check = _emulator_check(pair.backend)
    emulator_failures = sorted(
        {
            r.scenario
            for r in runs
            if check is not None
            and r.pair == check.name
            and r.scenario in row.scenarios
            and r.outcome == "fail"
        }
    )
    failures = sorted(
        {
            f"{r.scenario} [{r.driver} {r.mode}]: {p}"
            for r in mine
            if r.outcome == "fail"
            for p in r.problems[:1]
        }
    )
    unsupported = sorted({r.scenario for r in mine if r.outcome == "unsupported"})
    supported = [s for s in row.scenarios if s not in unsupported]
    status: Status
    if failures or emulator_failures or not mine:
        status = "failing"
    elif not supported:
        status = "unsupported"
    elif row.projection is not None and pair.frontend != pair.backend:
        status = "projected"  # a loss between protocols: a protocol loses nothing to itself
    elif all(by_id[s].rejected_before_network for s in supported):
        status = "rejected"
    else:
        status = "lossless"
    evidence = [f"testdata/scenarios/{s}.yaml" for s in supported or row.scenarios]
    evidence += sorted(
        {
            f"{SNAPSHOTS}::test_wire[{r.scenario}-{r.pair}-{r.mode}]"
            for r in mine
            if r.driver == "python" and r.outcome != "unsupported"
        }
    )
    cell: dict[str, object] = {"status": status, "evidence": evidence}
    if unsupported:
        reasons = {r.scenario: r.problems[0] if r.problems else "" for r in mine}
        cell["unsupported"] = {s: reasons.get(s, "") for s in unsupported}
    if failures:
        cell["failures"] = failures
    if emulator_failures:
        cell["emulator_disagrees_with_sdk"] = emulator_failures
    return cell


def build(
    rows: Sequence[Row],
    scenarios: Sequence[Scenario],
    runs: Sequence[Run],
    sdks: dict[str, str],
    pairs: Sequence[Pair] = PAIRS,
) -> dict[str, object]:
    """The matrix as plain data (what matrix.json holds)."""
    by_id = {s.id: s for s in scenarios}
    checks = {}
    for check in EMULATOR_CHECKS:
        outcome = {}
        for scenario in scenarios:
            mine = [r for r in runs if r.pair == check.name and r.scenario == scenario.id]
            if mine:
                failed = [r for r in mine if r.outcome == "fail"]
                outcome[scenario.id] = (
                    "disagrees"
                    if failed
                    else "agrees"
                    if any(r.outcome == "pass" for r in mine)
                    else "not applicable"
                )
        checks[check.name] = outcome
    return {
        "pairs": [p.name for p in pairs],
        "sdks": dict(sorted(sdks.items())),
        "snapshots": SNAPSHOTS,
        "rows": [
            {
                "id": row.id,
                "surface": row.surface,
                "feature": row.feature,
                "doc": row.doc,
                "scenarios": list(row.scenarios),
                **({"projection": row.projection} if row.projection else {}),
                "cells": {
                    p.name: _cell(row, p, runs, by_id)
                    for p in pairs
                    if row.surface in (p.frontend, p.backend)
                },
            }
            for row in rows
        ],
        "emulator_checks": checks,
    }


def to_json(matrix: dict[str, object]) -> str:
    return json.dumps(matrix, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_BADGE = {
    "lossless": "lossless",
    "projected": "projected",
    "rejected": "rejected before network",
    "unsupported": "unsupported",
    "failing": "**FAILING**",
}


def render_markdown(matrix: dict[str, object]) -> str:
    """MATRIX.md: one table per surface, a status per row and pair, linked to its evidence."""
    pairs: list[str] = matrix["pairs"]  # type: ignore[assignment]
    rows: list[dict[str, object]] = matrix["rows"]  # type: ignore[assignment]
    sdks: dict[str, str] = matrix["sdks"]  # type: ignore[assignment]
    out = [
        "# LIP parity matrix",
        "",
        "Generated by `tox -e parity` from `parity/rows.yaml` and the scenarios in",
        "`testdata/scenarios/`; do not edit. Every cell is derived from a run of the",
        "official SDKs against LIP over loopback sockets, both wire legs captured",
        f"(goldens: `{matrix['snapshots']}`).",
        "",
        "SDKs: " + ", ".join(f"{k} {v}" for k, v in sdks.items()) + ".",
        "",
        "Statuses: **lossless** (everything carried), **projected** (a documented loss the",
        "protocol forces), **rejected before network** (a clear 4xx, the upstream saw",
        "nothing), **unsupported** (the pair cannot express the scenario), **FAILING**.",
        "",
    ]
    for surface in sorted({str(r["surface"]) for r in rows}):
        mine = [r for r in rows if r["surface"] == surface]
        columns = [p for p in pairs if any(p in r["cells"] for r in mine)]  # type: ignore[operator]
        out += [f"## {surface}", "", "| row | feature | " + " | ".join(columns) + " |"]
        out.append("|---|---|" + "---|" * len(columns))
        notes: list[str] = []
        for row in mine:
            cells: dict[str, dict[str, object]] = row["cells"]  # type: ignore[assignment]
            rendered = []
            for pair in columns:
                cell = cells[pair]
                evidence: list[str] = cell["evidence"]  # type: ignore[assignment]
                badge = _BADGE[str(cell["status"])]
                link = f"[{badge}](../{evidence[0]})"
                if "unsupported" in cell and cell["status"] != "unsupported":
                    link += " (partly)"
                rendered.append(link)
            out.append(
                f"| `{row['id']}` | [{row['feature']}]({row['doc']}) | "
                + " | ".join(rendered)
                + " |"
            )
            if "projection" in row:
                notes.append(f"- `{row['id']}`: {row['projection']}")
        if notes:
            out += ["", "Projections:", "", *notes]
        out.append("")
    checks: dict[str, dict[str, str]] = matrix["emulator_checks"]  # type: ignore[assignment]
    out += ["## Emulators against the official SDKs", ""]
    for name, outcome in checks.items():
        disagree = sorted(s for s, o in outcome.items() if o == "disagrees")
        agree = sum(o == "agrees" for o in outcome.values())
        out.append(
            f"- `{name}`: agrees on {agree} scenarios"
            + (f"; **disagrees** on {', '.join(disagree)}" if disagree else "")
            + "."
        )
    out.append("")
    return "\n".join(out)
