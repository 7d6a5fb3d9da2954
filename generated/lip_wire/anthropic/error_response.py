# generated from specs/anthropic/error_response.json by codegen; do not edit
# overlay applied: specs/anthropic/overlays/error_response.json
# root: ErrorResponse (anthropic.types.shared.error_response.ErrorResponse)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class ErrorObject(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    message: str
    type: Annotated[
        str,
        Field(
            description="Known values (open set, widened to a string): `invalid_request_error`, `authentication_error`, `billing_error`, `permission_error`, `not_found_error`, `request_too_large`, `rate_limit_error`, `timeout_error`, `api_error`, `overloaded_error`."
        ),
    ]


class ErrorResponse(BaseModel):
    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
    )
    error: ErrorObject
    request_id: str | None = None
    type: Literal["error"]
