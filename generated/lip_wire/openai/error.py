# generated from specs/openai/error.json by codegen; do not edit
# overlay applied: specs/openai/overlays/error.json
# root: ErrorResponse (openai.types.shared.ErrorObject)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class MisalignmentSteer(BaseModel):
    """
    An optional public continuation instruction.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    message: str


class Misalignment(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    detailed_explanation: str | None = None
    error_type: Annotated[
        str | None,
        Field(
            description="Known values (open set, widened to a string): `potentially_unintended_data_transfer`, `potentially_unintended_data_access`, `potentially_unintended_destructive_activity`, `other`."
        ),
    ] = None
    review_target: str | None = None
    steer: MisalignmentSteer | None = None


class ErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    code: str | None
    message: str
    misalignment: Misalignment | None = None
    param: str | None
    type: str


class ErrorResponse(BaseModel):
    """
    Error body returned by the OpenAI API with a non-2xx status.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error: ErrorObject
