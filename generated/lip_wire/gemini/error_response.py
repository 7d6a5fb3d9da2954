# generated from specs/gemini/error_response.json by codegen; do not edit
# overlay applied: specs/gemini/overlays/error_response.json
# root: ErrorResponse (google.rpc.status_pb2.Status)
# regenerate: python -m codegen (drift check: python -m codegen --check)

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Status(BaseModel):
    """
    Proto message google.rpc.Status.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    code: int | None = None
    details: list[dict[str, Any]] | None = None
    message: str | None = None
    status: Annotated[
        str | None,
        Field(description="The google.rpc.Code name, e.g. INVALID_ARGUMENT."),
    ] = None


class ErrorResponse(BaseModel):
    """
    Error body returned by Google APIs with a non-2xx status.
    """

    model_config = ConfigDict(
        defer_build=True,
        extra="allow",
        populate_by_name=True,
    )
    error: Status
