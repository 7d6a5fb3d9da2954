"""codegen: compile vendor wire schemas into ``lip_wire`` pydantic models.

Pipeline (one module per step; docs/design.md records every fact):

1. ``registry``: the schemas LIP needs, the package symbol each comes from,
   and the module / root class name it compiles to (a contract for lip/).
2. ``extract_sdk`` / ``extract_proto``: pull JSON Schema out of the pinned
   packages only (OpenAI/Anthropic SDK pydantic types; Gemini protobuf
   descriptors), stored verbatim with sorted keys as ``specs/<vendor>/*.json``.
3. ``overlays``: hand-written JSON patches in ``specs/<vendor>/overlays/``
   for facts the packages lose (always-present nullable fields, Anthropic
   ``ping``/``error`` events, open error types).
4. ``normalize`` (+ ``discriminators``): readable names, merged request
   variants, discriminated + hoisted unions, widened enums, pruned defs.
5. ``compiler``: datamodel-codegen with the flags in codegen/compiler.py, jinja2 headers.
6. ``pipeline`` builds a full tree; ``drift`` compares or syncs it;
   ``manifest`` records and checks package versions.

Entry points: ``python -m codegen`` (regenerate in place) and
``python -m codegen --check [--root DIR]`` (exit 1 with a diff on drift).
"""
