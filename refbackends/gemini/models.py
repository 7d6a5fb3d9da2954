"""The models the emulator knows, and the Models API's shapes for them.

``GET /{v}/models`` answers ``{"models": [...], "nextPageToken"?}``
(``pageSize`` 1-1000, default 50; ``pageToken`` from the previous page);
``GET /{v}/models/{model}`` one model. Each model says what the API's
validation needs: the methods it supports and its thinking settings
(``thinkingBudget`` range, whether 0 turns thinking off, the
``thinkingLevel`` values it takes).

Generation is not limited to these names: like the other emulators, any
model name is served (as :data:`GENERIC`, which takes every thinking
setting), so scenarios and routes can name any model. Known models that do
not generate (embedding) answer 404 there, as the API does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lip.canonical.json import JSONObject
from refbackends.gemini.errors import bad_request, invalid_argument

__all__ = ["GENERIC", "MODELS", "ModelInfo", "find_model", "model_object", "model_page"]

_GENERATE = ("generateContent", "countTokens", "createCachedContent", "batchGenerateContent")
_DEFAULT_PAGE = 50
_MAX_PAGE = 1000


@dataclass(frozen=True)
class ModelInfo:
    """One model. ``budget`` is the ``thinkingBudget`` range (None: no
    thinking); ``can_disable`` whether a budget of 0 turns thinking off;
    ``levels`` the ``thinkingLevel`` values it takes (none: levels are
    refused); ``signatures_required`` whether function calls sent back in the
    current turn must carry their ``thoughtSignature`` (Gemini 3)."""

    id: str
    display_name: str
    description: str
    methods: tuple[str, ...] = _GENERATE
    input_limit: int = 1_048_576
    output_limit: int = 65_536
    budget: tuple[int, int] | None = (0, 24_576)
    can_disable: bool = True
    levels: tuple[str, ...] = ()
    signatures_required: bool = False

    @property
    def thinking(self) -> bool:
        return self.budget is not None


MODELS: tuple[ModelInfo, ...] = (
    ModelInfo(
        "gemini-2.5-flash",
        "Gemini 2.5 Flash",
        "Stable version of Gemini 2.5 Flash, our mid-size multimodal model that supports up to "
        "1 million tokens, released in June of 2025.",
    ),
    ModelInfo(
        "gemini-2.5-flash-lite",
        "Gemini 2.5 Flash-Lite",
        "Stable version of Gemini 2.5 Flash-Lite, released in July of 2025",
        budget=(512, 24_576),
    ),
    ModelInfo(
        "gemini-2.5-pro",
        "Gemini 2.5 Pro",
        "Stable release (June 17th, 2025) of Gemini 2.5 Pro",
        budget=(128, 32_768),
        can_disable=False,
    ),
    ModelInfo(
        "gemini-3-pro-preview",
        "Gemini 3 Pro Preview",
        "Gemini 3 Pro Preview",
        budget=(128, 32_768),
        can_disable=False,
        levels=("LOW", "HIGH"),
        signatures_required=True,
    ),
    ModelInfo(
        "gemini-3-flash-preview",
        "Gemini 3 Flash Preview",
        "Gemini 3 Flash Preview",
        levels=("MINIMAL", "LOW", "MEDIUM", "HIGH"),
        signatures_required=True,
    ),
    ModelInfo(
        "gemini-embedding-001",
        "Gemini Embedding 001",
        "Obtain a distributed representation of a text.",
        methods=("embedContent", "countTextTokens", "countTokens", "asyncBatchEmbedContent"),
        input_limit=2048,
        output_limit=1,
        budget=None,
    ),
)

GENERIC = ModelInfo(
    "generic",
    "Any model",
    "A model name the emulator does not list; it takes every thinking setting.",
    budget=(0, 32_768),
    levels=("MINIMAL", "LOW", "MEDIUM", "HIGH"),
)


def find_model(name: str) -> ModelInfo | None:
    """The listed model called ``name`` (with or without ``models/``), or None."""
    wanted = name.removeprefix("models/")
    return next((model for model in MODELS if model.id == wanted), None)


def model_object(model: ModelInfo) -> JSONObject:
    """A ``Model`` resource as the API lists it."""
    body: JSONObject = {
        "name": f"models/{model.id}",
        "version": "001",
        "displayName": model.display_name,
        "description": model.description,
        "inputTokenLimit": model.input_limit,
        "outputTokenLimit": model.output_limit,
        "supportedGenerationMethods": list(model.methods),
    }
    if "generateContent" in model.methods:
        body |= {"temperature": 1, "topP": 0.95, "topK": 64, "maxTemperature": 2}
    if model.thinking:
        body["thinking"] = True
    return body


def model_page(query: Mapping[str, str]) -> JSONObject:
    """One page of the list, or the API's 400 for a bad ``pageSize`` or
    ``pageToken``."""
    raw_size = query.get("pageSize", str(_DEFAULT_PAGE))
    if not raw_size.isdigit():
        raise bad_request(
            [("page_size", f"Invalid value at 'page_size' (TYPE_INT32), \"{raw_size}\"")]
        )
    size = min(int(raw_size), _MAX_PAGE) or _DEFAULT_PAGE
    token = query.get("pageToken", "")
    start = 0
    if token:
        ids = [model.id for model in MODELS]
        if token not in ids:
            raise invalid_argument("Invalid page token.")
        start = ids.index(token)
    chosen = MODELS[start : start + size]
    page: JSONObject = {"models": [model_object(model) for model in chosen]}
    if start + size < len(MODELS):
        page["nextPageToken"] = MODELS[start + size].id
    return page
