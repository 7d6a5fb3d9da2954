"""Extract JSON Schema from the OpenAI and Anthropic Python SDKs.

Both SDKs are generated from the vendors' OpenAPI specs and keep wire field
names, so pydantic's own schema export is the wire schema (docs/design.md,
"Sources"): ``Model.model_json_schema()`` for response models and
``TypeAdapter(T).json_schema()`` for request TypedDicts and unions.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from pydantic import BaseModel, TypeAdapter

from codegen.registry import SpecSource
from codegen.schema_tree import Schema, defs, ref_to


def load_symbol(dotted: str) -> Any:
    """Import ``package.module.Name`` and return ``Name``."""
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _schema_of(obj: Any) -> Schema:
    # pydantic warns about defaults it cannot render; the SDK types are what
    # they are, and tests run with warnings as errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            return obj.model_json_schema()
        return TypeAdapter(obj).json_schema()


def _as_def(schema: Schema, name: str) -> Schema:
    """Move a model schema into ``$defs/<name>`` of a fresh document."""
    body = dict(schema)
    inner = body.pop("$defs", {})
    doc: Schema = {"$defs": dict(inner)}
    defs(doc)[name] = body
    return doc


def _error_envelope(obj: Any, root: str) -> Schema:
    # OpenAI error bodies are {"error": ErrorObject}; the SDK has no type for
    # the envelope because it unwraps it in its exception classes.
    doc = _as_def(_schema_of(obj), obj.__name__)
    doc.update(
        {
            "description": "Error body returned by the OpenAI API with a non-2xx status.",
            "properties": {"error": ref_to(obj.__name__)},
            "required": ["error"],
            "title": root,
            "type": "object",
        }
    )
    return doc


def _list_envelope(obj: Any, root: str) -> Schema:
    # GET /v1/models returns {"object": "list", "data": [Model]}; the SDK
    # only types the items (it pages over them).
    doc = _as_def(_schema_of(obj), obj.__name__)
    doc.update(
        {
            "description": "Body of GET /v1/models.",
            "properties": {
                "data": {"items": ref_to(obj.__name__), "type": "array"},
                "object": {"const": "list", "type": "string"},
            },
            "required": ["data", "object"],
            "title": root,
            "type": "object",
        }
    )
    return doc


def extract(source: SpecSource) -> Schema:
    """Return the raw (un-normalized) JSON Schema of one SDK-backed source."""
    obj = load_symbol(source.symbol)
    if source.method == "error_envelope":
        return _error_envelope(obj, source.root)
    if source.method == "list_envelope":
        return _list_envelope(obj, source.root)
    if source.method in ("model", "adapter"):
        return _schema_of(obj)
    raise ValueError(f"{source.symbol}: method {source.method!r} is not an SDK extraction")
