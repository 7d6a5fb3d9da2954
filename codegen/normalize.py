"""Turn an extracted vendor schema into the schema LIP compiles.

Each pass fixes one fact listed in docs/design.md, "Facts the packages lose"; the
order matters and is spelled out in :func:`normalize`. The input is never
mutated, and every pass is deterministic (no sets leak into output order).
"""

from __future__ import annotations

import copy
import json
import re

from codegen.discriminators import add_discriminators
from codegen.overlays import apply_overlay
from codegen.registry import SpecSource
from codegen.schema_tree import (
    Schema,
    camel,
    defs,
    ref_name,
    ref_to,
    referenced_defs,
    transform,
    union_members,
    unique_name,
    walk,
)

# pydantic names colliding models "<module path>__<Class>", e.g.
# "openai__types__chat__chat_completion_custom_tool_param__Custom".
_MODULE_DEF = re.compile(r"^(?:[a-z0-9_]+__)+(?P<module>[a-z0-9_]+)__(?P<cls>[A-Za-z0-9_]+)$")


def rename_module_defs(schema: Schema) -> Schema:
    """Give pydantic's module-qualified definition names readable class names.

    ``..__chat_completion_custom_tool_param__Custom`` becomes
    ``ChatCompletionCustomToolParamCustom``: module + class stays unique and is
    stable across runs, unlike datamodel-codegen's numbered fallbacks.
    """
    table = defs(schema)
    renames: dict[str, str] = {}
    taken = {n for n in table if not _MODULE_DEF.match(n)}
    for name in sorted(table):
        match = _MODULE_DEF.match(name)
        if match:
            new = unique_name(camel(match["module"]) + match["cls"], taken)
            taken.add(new)
            renames[name] = new
    if not renames:
        return schema

    def fix(node: Schema) -> Schema:
        target = ref_name(node)
        if target in renames:
            node["$ref"] = ref_to(renames[target])["$ref"]
        return node

    out = transform(schema, fix)
    out["$defs"] = {renames.get(k, k): v for k, v in defs(out).items()}
    for holder in walk(out):  # discriminator mappings written by overlays
        mapping = holder.get("discriminator", {}).get("mapping", {})
        for tag, ref in mapping.items():
            name = ref.removeprefix("#/$defs/")
            mapping[tag] = ref_to(renames.get(name, name))["$ref"]
    return out


def strip_titles(schema: Schema) -> Schema:
    """Drop ``title`` keywords: pydantic derives them from names, they add noise only."""

    def fix(node: Schema) -> Schema:
        node.pop("title", None)
        return node

    return transform(schema, fix)


def strip_formats(schema: Schema) -> Schema:
    """Drop string ``format``s so values stay strings and round-trip byte for byte.

    datamodel-codegen maps ``date-time`` to ``AwareDatetime`` (re-serialized
    in pydantic's own style) and ``path`` (an SDK upload convenience, not a
    wire type) to ``pathlib.Path``; a proxy must re-emit what it received.
    The wire format stays documented in the description.
    """

    def fix(node: Schema) -> Schema:
        fmt = node.pop("format", None)
        if isinstance(fmt, str) and fmt != "path":
            note = f"Format: `{fmt}`."
            node["description"] = (
                f"{node['description']}\n\n{note}" if node.get("description") else note
            )
        return node

    return transform(schema, fix)


def _canonical(node: Schema) -> str:
    # Variants may list the same Literal in different orders (anthropic 2.12
    # has ``speed`` as fast|standard in one, standard|fast in the other).
    def fix(sub: Schema) -> Schema:
        if isinstance(sub.get("enum"), list):
            sub["enum"] = sorted(sub["enum"], key=json.dumps)
        return sub

    return json.dumps(transform(node, fix), sort_keys=True)


def merge_variants(schema: Schema, label: str) -> Schema:
    """Merge the streaming/non-streaming request TypedDicts into one object.

    The SDK types ``create()`` params as ``NonStreaming | Streaming`` that
    differ only in ``stream`` (``false|null`` vs ``true``). The gateway wants
    one object with ``stream: bool | None``; any other difference fails loudly
    so an SDK change cannot be merged away silently.
    """
    names = [ref_name(m) for m in union_members(schema) or []]
    table = defs(schema)
    if len(names) < 2 or any(n is None or n not in table for n in names):
        raise ValueError(f"{label}: expected a root union of request variants")
    variants = [table[n] for n in names if n is not None]
    props: dict[str, Schema] = {}
    for variant in variants:
        for key, value in variant.get("properties", {}).items():
            if key in props and _canonical(props[key]) != _canonical(value):
                if key != "stream":
                    raise ValueError(f"{label}: variants disagree on {key!r}")
                value = {"anyOf": [{"type": "boolean"}, {"type": "null"}]}
            if key not in props or key == "stream":
                props[key] = value
    required = [
        key
        for key in variants[0].get("required", [])
        if all(key in v.get("required", []) for v in variants) and key != "stream"
    ]
    base = {k: v for k, v in variants[0].items() if k not in ("properties", "required")}
    return {"$defs": table, **base, "properties": props, "required": required}


def _known_values(description: str | None, values: list[str]) -> str:
    listed = ", ".join(f"`{v}`" for v in values)
    note = f"Known values (open set, widened to a string): {listed}."
    return f"{description}\n\n{note}" if description else note


def _widen_in(prop: Schema) -> list[str]:
    """Replace string enums inside one property schema, return the values."""
    found: list[str] = []
    stack = [prop]
    while stack:
        node = stack.pop()
        enum = node.get("enum")
        if isinstance(enum, list) and len(enum) > 1 and all(isinstance(v, str) for v in enum):
            found.extend(v for v in enum if v not in found)
            node.pop("enum")
            node["type"] = "string"
        stack.extend(union_members(node) or [])
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                stack.append(node[key])
    return found


def widen_enums(schema: Schema, tags: set[tuple[str, str]]) -> None:
    """Widen closed string enums to plain strings, in place.

    Vendors extend finish/stop reasons, model ids, error types and most other
    enums between SDK releases (docs/design.md, "Closed enums"), and a proxy must
    carry values it has not seen yet, so every multi-value string enum becomes
    ``str`` with its known values kept in the description. Union tags (the
    discriminators) and single-value consts stay closed.
    """
    owners: list[tuple[str, Schema]] = [(name, d) for name, d in defs(schema).items()]
    owners.append(("", schema))
    for owner, node in owners:
        enum = node.get("enum")
        if isinstance(enum, list) and len(enum) > 1 and all(isinstance(v, str) for v in enum):
            node.pop("enum")
            node.update(type="string", description=_known_values(node.get("description"), enum))
        for prop, sub in (node.get("properties") or {}).items():
            if (owner, prop) in tags or not isinstance(sub, dict):
                continue
            values = _widen_in(sub)
            if values:
                sub["description"] = _known_values(sub.get("description"), values)


def _inline_string_aliases(schema: Schema) -> Schema:
    # A widened enum definition is now just ``{"type": "string"}``; inlining
    # it avoids a ``Foo = str`` alias per former enum.
    table = defs(schema)
    aliases = {
        name: d
        for name, d in table.items()
        if d.get("type") == "string" and set(d) <= {"type", "description"}
    }

    def fix(node: Schema) -> Schema:
        target = ref_name(node)
        if target in aliases:
            merged = dict(aliases[target])
            merged.update({k: v for k, v in node.items() if k != "$ref"})
            return merged
        return node

    return transform(schema, fix)


def simplify_unions(schema: Schema) -> Schema:
    """Drop duplicate union members (``str | str`` after widening model ids)."""

    def fix(node: Schema) -> Schema:
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if not isinstance(members, list):
                continue
            unique: list[Schema] = []
            for member in members:
                if member not in unique:
                    unique.append(member)
            if len(unique) == 1 and ref_name(unique[0]) is None and "discriminator" not in node:
                node.pop(key)
                node.update({k: v for k, v in unique[0].items() if k not in node})
            else:
                node[key] = unique
        return node

    return transform(schema, fix)


def prune_defs(schema: Schema) -> Schema:
    """Drop definitions nothing refers to (merged variants, replaced unions)."""
    keep = referenced_defs(schema)
    schema["$defs"] = {k: v for k, v in defs(schema).items() if k in keep}
    if not schema["$defs"]:
        del schema["$defs"]
    return schema


def sorted_json(schema: Schema) -> Schema:
    """Return ``schema`` with every mapping's keys sorted (stable output)."""
    result: Schema = json.loads(json.dumps(schema, sort_keys=True))
    return result


def normalize(raw: Schema, source: SpecSource, overlay: list[Schema]) -> Schema:
    """Return the compile-ready schema for one source.

    Order: overlays first (their JSON pointers address the stored spec), then
    names, request merge, discriminators (before widening, which must skip
    tag properties), enum widening, union clean-up, pruning, sorting.
    """
    schema = apply_overlay(copy.deepcopy(raw), overlay, source.spec_path)
    schema = strip_formats(strip_titles(rename_module_defs(schema)))
    if source.merge_variants:
        schema = merge_variants(schema, source.spec_path)
    schema = prune_defs(schema)
    tags = add_discriminators(schema, source.root)
    widen_enums(schema, tags)
    schema = simplify_unions(_inline_string_aliases(schema))
    return sorted_json(prune_defs(schema))
