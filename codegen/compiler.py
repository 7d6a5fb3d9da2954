"""Compile normalized schemas into pydantic v2 modules with datamodel-codegen.

Base flags: pydantic v2 models for Python 3.11, ``Annotated`` fields, unknown
fields allowed, no timestamp, black + isort formatting. The extra ones and why:
- ``use_type_alias``: discriminated unions become named ``TypeAliasType``s
  that keep ``Field(discriminator=...)`` even where the field is nullable or
  a list item (RootModel wrappers would force ``.root`` on every access);
- ``enum_field_as_literal="all"``: after widening only tags remain as enums,
  and a tag must be a ``Literal`` for pydantic to discriminate on it;
- ``use_double_quotes`` plus a private formatter config: the output must not
  depend on whichever ``[tool.black]``/``[tool.isort]`` the caller's working
  directory happens to have.

And one edit of the output: every model is ``defer_build=True``. A model's
validator is then built on its first use, for that model alone, instead of
at import for every class of the module: a server that never sees a
protocol does not hold its validators (the Responses modules alone held
about 10 MiB more when built eagerly), and one that does builds only the
roots it validates against.
"""

from __future__ import annotations

import json
import re
import tempfile
import warnings
from functools import cache
from pathlib import Path

import isort
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from codegen.registry import SpecSource
from codegen.schema_tree import Schema

LINE_LENGTH = 88
_FORMATTER_CONFIG = f"""\
[tool.black]
line-length = {LINE_LENGTH}

[tool.isort]
profile = "black"
line_length = {LINE_LENGTH}
"""
TEMPLATES = Path(__file__).parent / "templates"


@cache
def templates() -> Environment:
    """The jinja2 environment for codegen's own templates."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # renders Python and plain text, never HTML
    )


def is_union_root(schema: Schema) -> bool:
    """True when the document root is a union rather than an object."""
    return "properties" not in schema and ("oneOf" in schema or "anyOf" in schema)


def _generate(
    schema: Schema, class_name: str, header: str, settings: Path, snake_case: bool
) -> str:
    # Imported here: datamodel-codegen is heavy and only compile workers need it.
    from datamodel_code_generator import InputFileType, LiteralType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import Formatter

    # datamodel-codegen warns about black/isort becoming optional extras and
    # about experimental flags; both are pinned, and tests treat warnings as
    # errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = generate(
            json.dumps(schema, sort_keys=True),
            input_file_type=InputFileType.JsonSchema,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            class_name=class_name,
            use_annotated=True,
            extra_fields="allow",
            disable_timestamp=True,
            formatters=[Formatter.BLACK, Formatter.ISORT],
            use_standard_collections=True,
            use_union_operator=True,
            field_constraints=True,
            use_double_quotes=True,
            use_schema_description=True,
            use_type_alias=True,
            enum_field_as_literal=LiteralType.All,
            custom_file_header=header,
            settings_path=settings,
            snake_case_field=snake_case,
            allow_population_by_field_name=snake_case,
        )
    if not isinstance(code, str):
        raise TypeError(f"{class_name}: datamodel-codegen returned {type(code).__name__}")
    return code


def _add_root_model(code: str, root: str, alias: str) -> str:
    # Append ``class Root(RootModel[RootUnion])`` (the template is already in
    # black style) and let isort merge the added import with datamodel-codegen's
    # own; re-running black over a 5,000-line module would cost ~4 s.
    body = templates().get_template("root_model.py.j2").render(root=root, alias=alias)
    code = re.sub(
        r"^from __future__ import annotations\n",
        "from __future__ import annotations\n\nfrom pydantic import RootModel\n",
        code,
        count=1,
        flags=re.M,
    )
    return isort.code(code.rstrip("\n") + "\n" + body, profile="black", line_length=LINE_LENGTH)


def compile_module(schema: Schema, source: SpecSource, overlay_path: str | None) -> str:
    """Return the Python source of ``lip_wire.<vendor>.<stem>`` for ``schema``."""
    header = (
        templates()
        .get_template("module_header.py.j2")
        .render(
            spec_path=source.spec_path,
            overlay_path=overlay_path,
            root=source.root,
            symbol=source.symbol,
        )
        .rstrip("\n")
    )
    union_root = is_union_root(schema)
    class_name = f"{source.root}Union" if union_root else source.root
    with tempfile.TemporaryDirectory(prefix="lip-codegen-fmt-") as tmp:
        settings = Path(tmp)
        (settings / "pyproject.toml").write_text(_FORMATTER_CONFIG, encoding="utf-8")
        code = _generate(schema, class_name, header, settings, source.snake_case_fields)
    code = code.replace(_CONFIG, _CONFIG_DEFERRED)
    if union_root:
        code = _add_root_model(code, source.root, class_name)
    return code.rstrip("\n") + "\n"


# How datamodel-codegen opens every model's config (extra_fields="allow"), and
# the same with the validator built on first use (see the module docstring).
_CONFIG = '    model_config = ConfigDict(\n        extra="allow",\n'
_CONFIG_DEFERRED = (
    '    model_config = ConfigDict(\n        defer_build=True,\n        extra="allow",\n'
)


def render_package_init(vendor: str, title: str, sources: tuple[SpecSource, ...]) -> str:
    """Source of ``lip_wire/<vendor>/__init__.py`` (docstring only, no imports)."""
    text = (
        templates()
        .get_template("package_init.py.j2")
        .render(vendor=vendor, title=title, sources=sources)
    )
    return text
