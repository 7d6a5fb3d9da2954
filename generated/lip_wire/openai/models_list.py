# generated from specs/openai/models_list.json by codegen; do not edit
# root: ModelsList (openai.types.Model)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """
    Describes an OpenAI model offering that can be used with the API.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    created: int
    id: str
    object: Literal["model"]
    owned_by: str
    shutdown_date: str | None = None


class ModelsList(BaseModel):
    """
    Body of GET /v1/models.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    data: list[Model]
    object: Literal["list"]
