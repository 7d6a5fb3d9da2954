"""Add ``discriminator`` to tagged unions and hoist them into named definitions.

Why (docs/design.md, "Facts the packages lose"): the SDK schemas express every union
as a plain ``anyOf``. Without a discriminator pydantic tries every member, so
an unknown event type yields hundreds of errors and validation is ~26x slower
(0.183 s vs 0.007 s for 2,000 events). datamodel-codegen drops the
discriminator where the union is also nullable or sits in array items, so
every discriminated union is hoisted into its own ``$defs`` entry (compiled to
a named ``TypeAliasType``) and referenced from where it was.

A union qualifies when it has at least two ``$ref`` members, every ``$ref``
member is an object with a *required* tag property (``type``, else ``role``)
whose value is a const or an enum, and no tag value repeats. Members that are
not ``$ref`` (``null``, strings, arrays) stay beside the hoisted union.
Unions with an optional tag (e.g. Responses input messages, where clients
omit ``"type": "message"``) are left alone on purpose: discriminating them
would reject valid requests.
"""

from __future__ import annotations

import json

from codegen.schema_tree import Schema, camel, defs, ref_name, ref_to, union_members, unique_name

TAG_KEYS = ("type", "role")


def _tag_values(member: Schema, key: str) -> list[str] | None:
    props = member.get("properties")
    if not isinstance(props, dict) or key not in member.get("required", []):
        return None
    tag = props.get(key)
    if not isinstance(tag, dict):
        return None
    if isinstance(tag.get("const"), str):
        return [tag["const"]]
    enum = tag.get("enum")
    if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
        return list(enum)
    return None


def _discriminator(refs: list[str], table: dict[str, Schema]) -> tuple[Schema, list[str]] | None:
    """The discriminator for members ``refs`` and the members it drops, or None.

    A repeated tag value keeps its first member: anthropic's MessageParam
    content accepts both ``TextBlockParam`` and the response ``TextBlock``
    (same ``"text"`` tag, same wire shape); the request-side type is listed
    first, and with extra fields allowed it carries the other's fields too.
    """
    for key in TAG_KEYS:
        mapping: dict[str, str] = {}
        dropped: list[str] = []
        for name in refs:
            values = _tag_values(table[name], key)
            if values is None:
                break
            fresh = [v for v in values if v not in mapping]
            if not fresh:
                dropped.append(name)
            mapping.update({v: ref_to(name)["$ref"] for v in fresh})
        else:
            return {"mapping": mapping, "propertyName": key}, dropped
    return None


class _Hoister:
    """Stateful pass: one instance per document, so hoisted names are unique."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.table = defs(schema)
        self.by_members: dict[str, str] = {}
        self.tags: set[tuple[str, str]] = set()  # (def name, tag property)

    def union(self, node: Schema, hint: str, top: bool) -> None:
        members = union_members(node)
        if members is None:
            return
        ref_names = [ref_name(m) for m in members]
        refs = [n for n in ref_names if n is not None and n in self.table]
        if len(refs) < 2 or len(refs) != sum(1 for n in ref_names if n is not None):
            return
        found = _discriminator(refs, self.table)
        if found is None:
            return
        disc, dropped = found
        refs = [n for n in refs if n not in dropped]
        key = str(disc["propertyName"])
        self.tags.update((name, key) for name in refs)
        signature = json.dumps([refs, disc], sort_keys=True)
        rest = [m for m in members if ref_name(m) is None]
        if top and not rest and not dropped:
            # The document root or a whole definition is the union: annotate
            # it in place instead of adding an alias of an alias.
            node.pop("anyOf", None)
            node["oneOf"] = [ref_to(n) for n in refs]
            node["discriminator"] = disc
            if node is not self.schema:
                self.by_members.setdefault(signature, hint)
            return
        name = self.by_members.get(signature)
        if name is None:
            name = unique_name(hint, self.table)
            self.table[name] = {"discriminator": disc, "oneOf": [ref_to(n) for n in refs]}
            if dropped:
                self.table[name]["description"] = (
                    "Discriminated on `"
                    + key
                    + "`; dropped members with a duplicate tag: "
                    + ", ".join(dropped)
                    + "."
                )
            self.by_members[signature] = name
        replaced = [ref_to(name), *rest]
        for key_name in ("anyOf", "oneOf"):
            node.pop(key_name, None)
        if len(replaced) == 1:
            node.update(replaced[0])
        else:
            node["anyOf"] = replaced

    def visit(self, node: Schema, hint: str, top: bool = False) -> None:
        """Process ``node`` and its sub-schemas; ``hint`` names hoisted unions."""
        for member in union_members(node) or []:
            self.visit(member, hint)
        items = node.get("items")
        if isinstance(items, dict):
            self.visit(items, hint + "Item")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            self.visit(extra, hint + "Value")
        props = node.get("properties")
        if isinstance(props, dict):
            for prop, sub in props.items():
                if isinstance(sub, dict):
                    self.visit(sub, hint + camel(prop))
        self.union(node, hint, top)


def add_discriminators(schema: Schema, root: str) -> set[tuple[str, str]]:
    """Discriminate and hoist every tagged union in ``schema`` (in place).

    Returns the ``(definition, property)`` pairs used as tags, so the enum
    widening pass leaves them closed (a widened tag cannot discriminate).
    """
    hoister = _Hoister(schema)
    table = hoister.table
    # The root first: a union shared by the root and nested definitions is
    # named after the root's field (``ResponseToolsItem``), not after
    # whichever nested definition sorts first.
    hoister.visit(schema, root, top=True)
    for name in sorted(table):
        hoister.visit(table[name], name, top=True)
    return hoister.tags
