"""Cross-check the descriptor-derived Gemini models against google-genai.

docs/design.md, "Where the vendor schemas come from": the protobuf descriptors are the wire authority and
google-genai is only a cross-check. Its pydantic types use camelCase aliases
for the same wire names, so for each pair the field names must agree except
for the differences listed here (SDK-only or Vertex-only fields, and fields
the pinned descriptors do not have yet). A pin bump that changes either side
fails this test, so the difference gets reviewed rather than drifting.
"""

from __future__ import annotations

import warnings

import pytest
from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from lip_wire.gemini import generate_content_request as req
from lip_wire.gemini import generate_content_response as resp

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from google.genai import types as genai

# (google-genai type, our type, names only google-genai has, names only we have)
PAIRS: list[tuple[type[BaseModel], type[BaseModel], set[str], set[str]]] = [
    (genai.GenerateContentResponse, resp.GenerateContentResponse,
     {"automaticFunctionCallingHistory", "createTime", "modelStatus", "parsed", "sdkHttpResponse"},
     set()),
    (genai.Candidate, resp.Candidate, {"continuationToken"}, {"groundingAttributions"}),
    (genai.Content, resp.Content, set(), set()),
    (genai.Part, resp.Part,
     {"audioMetadata", "audioTranscription", "documentMetadata", "mediaProcessing",
      "mediaResolution", "speechMetadata", "spreadsheetMetadata", "toolCall", "toolResponse"},
     set()),
    (genai.GenerateContentResponseUsageMetadata, resp.GenerateContentResponseUsageMetadata,
     {"trafficType"}, set()),
    (genai.FunctionCall, resp.FunctionCall, {"partialArgs", "willContinue"}, set()),
    (genai.FunctionDeclaration, req.FunctionDeclaration, set(), set()),
    (genai.FunctionResponse, req.FunctionResponse, set(), set()),
    (genai.Tool, req.Tool,
     {"enterpriseWebSearch", "exaAiSearch", "mcpServers", "parallelAiSearch", "retrieval"},
     set()),
    (genai.ToolConfig, req.ToolConfig, {"includeServerSideToolInvocations"}, set()),
    (genai.FunctionCallingConfig, req.FunctionCallingConfig,
     {"streamFunctionCallArguments"}, set()),
    (genai.GenerationConfig, req.GenerationConfig,
     {"audioTimestamp", "audioTranscriptionConfig", "enableAffectiveDialog",
      "modelSelectionConfig", "responseFormat", "routingConfig", "translationConfig"},
     {"imageConfig", "responseJsonSchemaOrdered"}),
    (genai.Schema, req.Schema, {"additionalProperties", "defs", "ref"}, set()),
    (genai.SafetySetting, req.SafetySetting, {"method"}, set()),
    (genai.Blob, req.Blob, {"displayName"}, set()),
]  # fmt: skip


def _wire_names(model: type[BaseModel]) -> set[str]:
    return {field.alias or to_camel(name) for name, field in model.model_fields.items()}


@pytest.mark.parametrize(
    ("theirs", "ours", "sdk_only", "wire_only"), PAIRS, ids=lambda v: getattr(v, "__name__", "")
)
def test_field_names_agree_with_google_genai(
    theirs: type[BaseModel], ours: type[BaseModel], sdk_only: set[str], wire_only: set[str]
) -> None:
    their_names, our_names = _wire_names(theirs), _wire_names(ours)
    assert their_names - our_names == sdk_only
    assert our_names - their_names == wire_only
