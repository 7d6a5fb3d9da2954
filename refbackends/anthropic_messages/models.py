"""The models the emulator lists, in the Models API's shape.

``GET /v1/models`` answers a page, newest first, ``{"data": [...],
"has_more", "first_id", "last_id"}`` (``limit`` 1-1000, default 20;
``after_id`` / ``before_id`` cursors); ``GET /v1/models/{model_id}`` one
model, found by id or by its alias (the id without its date).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from refbackends.anthropic_messages.errors import AnthropicError, invalid_request

__all__ = ["MODELS", "find_model", "model_page"]

# (id, display_name, created_at), newest first.
MODELS: tuple[tuple[str, str, str], ...] = (
    ("claude-opus-4-5-20251101", "Claude Opus 4.5", "2025-11-24T00:00:00Z"),
    ("claude-haiku-4-5-20251001", "Claude Haiku 4.5", "2025-10-15T00:00:00Z"),
    ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", "2025-09-29T00:00:00Z"),
    ("claude-opus-4-1-20250805", "Claude Opus 4.1", "2025-08-05T00:00:00Z"),
    ("claude-opus-4-20250514", "Claude Opus 4", "2025-05-22T00:00:00Z"),
    ("claude-sonnet-4-20250514", "Claude Sonnet 4", "2025-05-22T00:00:00Z"),
    ("claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", "2025-02-24T00:00:00Z"),
    ("claude-3-5-haiku-20241022", "Claude Haiku 3.5", "2024-10-22T00:00:00Z"),
)
_DATED = re.compile(r"-\d{8}$")
_DEFAULT_LIMIT = 20
_MAX_LIMIT = 1000


def find_model(wanted: str) -> dict[str, object] | None:
    """The model with id (or alias) ``wanted``, or None."""
    for model in MODELS:
        if wanted in (model[0], _DATED.sub("", model[0])):
            return _model_object(model)
    return None


def model_page(query: Mapping[str, str]) -> dict[str, object]:
    """One page of the list for the request's query, or a 400
    :class:`AnthropicError` for a bad ``limit`` (404 for an unknown cursor)."""
    raw_limit = query.get("limit")
    limit = _DEFAULT_LIMIT
    if raw_limit is not None:
        if not raw_limit.isdigit():
            raise invalid_request("limit: Input should be a valid integer")
        limit = int(raw_limit)
        if limit < 1:
            raise invalid_request("limit: Input should be greater than or equal to 1")
        if limit > _MAX_LIMIT:
            raise invalid_request(f"limit: Input should be less than or equal to {_MAX_LIMIT}")
    ids = [model[0] for model in MODELS]
    if "before_id" in query and "after_id" not in query:
        end = _position(ids, query["before_id"])
        start = max(end - limit, 0)
        has_more = start > 0
    else:
        start = _position(ids, query["after_id"]) + 1 if "after_id" in query else 0
        end = min(start + limit, len(MODELS))
        has_more = end < len(MODELS)
    chosen = MODELS[start:end]
    return {
        "data": [_model_object(model) for model in chosen],
        "has_more": has_more,
        "first_id": chosen[0][0] if chosen else None,
        "last_id": chosen[-1][0] if chosen else None,
    }


def _position(ids: list[str], cursor: str) -> int:
    if cursor not in ids:
        raise AnthropicError(404, f"model: {cursor}", type="not_found_error")
    return ids.index(cursor)


def _model_object(model: tuple[str, str, str]) -> dict[str, object]:
    model_id, display_name, created_at = model
    return {
        "type": "model",
        "id": model_id,
        "display_name": display_name,
        "created_at": created_at,
        "lifecycle": "active",
    }
