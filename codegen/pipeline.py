"""Build specs/ and generated/ from the pinned packages: extract, normalize, compile.

``build(root, out)`` writes a complete tree under ``out`` reading only the
hand-written inputs under ``root`` (the overlays); both ``python -m codegen``
(build, then sync into the repo) and ``--check`` (build, then compare) use it,
so the two can never disagree about what "up to date" means.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

from codegen.compiler import compile_module, render_package_init, templates
from codegen.manifest import MANIFEST, installed_versions, render_manifest
from codegen.normalize import normalize
from codegen.overlays import load_overlay, overlay_path
from codegen.registry import METHOD_TEXT, SOURCES, VENDORS, SpecSource, Vendor, by_vendor
from codegen.schema_tree import Schema

TITLES: dict[Vendor, str] = {
    "openai": "OpenAI (Chat Completions, Responses, Models)",
    "anthropic": "Anthropic Messages",
    "gemini": "Gemini generateContent (v1beta REST)",
}
HOW: dict[Vendor, str] = {
    "openai": "The openai SDK is generated from OpenAI's OpenAPI spec and keeps wire\n"
    "field names: response models via Model.model_json_schema(), request\n"
    "TypedDicts and unions via pydantic.TypeAdapter(T).json_schema().",
    "anthropic": "The anthropic SDK is generated from Anthropic's OpenAPI spec and keeps\n"
    "wire field names: response models via Model.model_json_schema(), request\n"
    "TypedDicts and unions via pydantic.TypeAdapter(T).json_schema(). The\n"
    "stream `ping` and `error` events are not in the SDK union: see overlays/.",
    "gemini": "google-genai types are SDK-shaped, so the wire authority is the protobuf\n"
    "descriptors in google-ai-generativelanguage (google.ai.generativelanguage_v1beta),\n"
    "walked into JSON Schema per the proto3 JSON mapping: camelCase json names,\n"
    "enums as strings, 64-bit integers as string-or-integer, oneofs as optional\n"
    "fields, well-known types (Struct, Value, Duration...) as their JSON forms.\n"
    "google-genai is only used by the tests as a cross-check.",
}


@dataclass
class BuildReport:
    """What a build did and how long each phase took (seconds)."""

    files: list[str] = field(default_factory=list)
    extract_s: float = 0.0
    compile_s: float = 0.0


def dump_json(doc: Schema) -> str:
    """Canonical JSON text for specs/: sorted keys, 2-space indent, final newline."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def extract_vendor(vendor: Vendor) -> dict[str, Schema]:
    """Extract the raw schemas of one vendor (runs in a worker process)."""
    out: dict[str, Schema] = {}
    for source in by_vendor(vendor):
        if source.method in ("proto", "proto_error"):
            from codegen.extract_proto import extract as extract_proto

            out[source.stem] = extract_proto(source)
        else:
            from codegen.extract_sdk import extract as extract_sdk

            out[source.stem] = extract_sdk(source)
    return out


def _compile_job(job: tuple[Schema, SpecSource, str | None]) -> str:
    return compile_module(*job)


def _executor(jobs: int) -> Executor:
    # spawn, not fork: forking a process that may already run threads (pytest,
    # an IDE) is unsafe and warns on newer Pythons.
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def _write(out: Path, rel: str, text: str, report: BuildReport) -> None:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report.files.append(rel)


def _copy_overlays(root: Path, out: Path) -> None:
    if root.resolve() == out.resolve():
        return
    for vendor in VENDORS:
        src = root / "specs" / vendor / "overlays"
        if src.is_dir():
            shutil.copytree(src, out / "specs" / vendor / "overlays", dirs_exist_ok=True)


def _source_text(vendor: Vendor, versions: dict[str, str]) -> str:
    sources = by_vendor(vendor)
    packages = sorted({(s.package, versions[s.package]) for s in sources})
    if vendor == "gemini":
        packages.append(("google-genai", versions["google-genai"]))
    return (
        templates()
        .get_template("SOURCE.j2")
        .render(
            vendor=vendor,
            how=HOW[vendor],
            packages=packages,
            sources=sources,
            versions=versions,
            method_text=METHOD_TEXT,
        )
    )


def build(root: Path, out: Path, jobs: int | None = None) -> BuildReport:
    """Extract, normalize and compile every source into ``out``.

    Overlays are read from ``<root>/specs/<vendor>/overlays`` and copied into
    ``out`` so the resulting tree is complete. ``jobs`` defaults to the CPU
    count capped at 2 (the CI machine has 2 cores).
    """
    jobs = jobs or min(2, os.cpu_count() or 1)
    report = BuildReport()
    versions = installed_versions()
    started = perf_counter()
    with _executor(jobs) as pool:
        raw: dict[tuple[str, str], Schema] = {}  # (vendor, stem): stems repeat across vendors
        for vendor, part in zip(VENDORS, pool.map(extract_vendor, VENDORS), strict=True):
            raw.update({(vendor, stem): schema for stem, schema in part.items()})
        report.extract_s = perf_counter() - started
        jobs_in: list[tuple[Schema, SpecSource, str | None]] = []
        for source in SOURCES:
            extracted = raw[(source.vendor, source.stem)]
            _write(out, source.spec_path, dump_json(extracted), report)
            ov_path = overlay_path(root / "specs", source.vendor, source.stem)
            ov_rel = ov_path.relative_to(root).as_posix() if ov_path.exists() else None
            schema = normalize(extracted, source, load_overlay(ov_path))
            jobs_in.append((schema, source, ov_rel))
        # Largest schemas first so the two workers finish close together.
        order = sorted(range(len(jobs_in)), key=lambda i: -len(json.dumps(jobs_in[i][0])))
        codes = dict(zip(order, pool.map(_compile_job, [jobs_in[i] for i in order]), strict=True))
    report.compile_s = perf_counter() - started - report.extract_s
    for i, source in enumerate(SOURCES):
        _write(out, source.module_path, codes[i], report)
    for vendor in VENDORS:
        init = render_package_init(vendor, TITLES[vendor], by_vendor(vendor))
        _write(out, f"generated/lip_wire/{vendor}/__init__.py", init, report)
        _write(out, f"specs/{vendor}/SOURCE", _source_text(vendor, versions), report)
    _write(out, "generated/lip_wire/__init__.py", _top_init(), report)
    _write(out, "generated/lip_wire/py.typed", "", report)
    _write(out, MANIFEST, render_manifest(versions), report)
    _copy_overlays(root, out)
    return report


def _top_init() -> str:
    return templates().get_template("top_init.py.j2").render(vendors=VENDORS)


def owned_files(tree: Path) -> Iterable[str]:
    """Files under ``tree`` that codegen produces (overlays and caches excluded)."""
    for top in ("specs", "generated"):
        base = tree / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(tree)
            parts = rel.parts
            if path.is_dir() or "__pycache__" in parts or "overlays" in parts:
                continue
            if path.suffix == ".pyc":
                continue
            yield rel.as_posix()
