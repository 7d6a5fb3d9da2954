"""Hand-written overlays: the wire facts the vendor packages lose.

An overlay is ``specs/<vendor>/overlays/<stem>.json``::

    {
      "$comment": "why this overlay exists",
      "ops": [
        {"$comment": "...", "op": "require", "path": "/$defs/X", "fields": ["a"]},
        {"op": "add", "path": "/$defs/PingEvent", "value": {...}},
        {"op": "add", "path": "/anyOf/-", "value": {"$ref": "#/$defs/PingEvent"}},
        {"op": "replace", "path": "/properties/error", "value": {...}},
        {"op": "remove", "path": "/properties/x"}
      ]
    }

Paths are JSON Pointers (RFC 6901) into the extracted schema exactly as it
is stored in ``specs/<vendor>/<stem>.json``. ``add``/``replace``/``remove``
follow JSON Patch (RFC 6902) but are strict: ``add`` refuses to overwrite an
existing member, ``replace``/``remove`` refuse a missing one, so an overlay
made obsolete by an SDK bump fails the build instead of silently drifting.
``require`` marks always-present fields required (and drops their ``None``
default) while keeping them nullable (docs/design.md, "Always-present-but-nullable").
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from codegen.schema_tree import Schema


class OverlayError(ValueError):
    """An overlay does not apply to the schema it targets."""


def overlay_path(specs_dir: Path, vendor: str, stem: str) -> Path:
    """Where the overlay of ``specs/<vendor>/<stem>.json`` lives."""
    return specs_dir / vendor / "overlays" / f"{stem}.json"


def load_overlay(path: Path) -> list[Schema]:
    """Read an overlay file and return its operations ([] if there is none)."""
    if not path.exists():
        return []
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or "$comment" not in doc or not isinstance(doc.get("ops"), list):
        raise OverlayError(f"{path}: expected an object with '$comment' and an 'ops' list")
    ops: list[Schema] = doc["ops"]
    return ops


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise OverlayError(f"bad JSON pointer {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _resolve(doc: Any, tokens: list[str], pointer: str) -> Any:
    node = doc
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise OverlayError(f"{pointer}: {token!r} not found (did the SDK change?)")
    return node


def _apply_one(doc: Schema, op: Schema) -> None:
    kind, pointer = op.get("op"), op.get("path")
    if not isinstance(pointer, str):
        raise OverlayError(f"op without a path: {op}")
    tokens = _tokens(pointer)
    if kind == "require":
        target = _resolve(doc, tokens, pointer)
        required: list[str] = target.setdefault("required", [])
        for name in op["fields"]:
            prop = _resolve(target, ["properties", name], f"{pointer}/properties/{name}")
            prop.pop("default", None)
            if name not in required:
                required.append(name)
        return
    if not tokens:
        raise OverlayError(f"{kind} on the document root is not supported")
    parent = _resolve(doc, tokens[:-1], pointer)
    last = tokens[-1]
    if kind == "add":
        value = copy.deepcopy(op["value"])
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if value in parent:
                raise OverlayError(f"{pointer}: value already present (overlay obsolete?)")
            parent.insert(index, value)
        elif last in parent:
            raise OverlayError(f"{pointer}: already exists (overlay obsolete?)")
        else:
            parent[last] = value
    elif kind in ("replace", "remove"):
        _resolve(parent, [last], pointer)
        if kind == "remove":
            del parent[int(last) if isinstance(parent, list) else last]
        else:
            parent[int(last) if isinstance(parent, list) else last] = copy.deepcopy(op["value"])
    else:
        raise OverlayError(f"{pointer}: unknown op {kind!r}")


def apply_overlay(schema: Schema, ops: list[Schema], label: str) -> Schema:
    """Return a copy of ``schema`` with the overlay operations applied in order."""
    doc = copy.deepcopy(schema)
    for op in ops:
        try:
            _apply_one(doc, op)
        except (KeyError, ValueError, TypeError) as exc:
            raise OverlayError(f"{label}: {exc}") from exc
    return doc
