"""LIP's own OpenAPI 3.1 document: every route it serves, from the generated
wire models each frontend names (:meth:`Frontend.describe`).

Served at ``GET /openapi.json`` and printed by ``lip openapi``. Vendor request
schemas are the ones LIP validates against, so the document tells a client
(and a fuzzer) exactly what LIP accepts and in what shape it answers,
errors included.
"""

from __future__ import annotations

import http
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from lip import __version__
from lip.protocols.base import Frontend, RouteDoc, RouteSpec

_REF = "#/components/schemas/{model}"
_PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")

_CONNECTION_ERRORS = (400, 408, 431, 503)
"""What the connection layer may answer on any route (malformed HTTP, slow
client, oversized head, connection cap), in the route's error shape."""

_HEALTH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"type": "string"},
        "backends": {"type": "array", "items": {"type": "string"}},
    },
}


def openapi_document(frontends: Sequence[Frontend]) -> dict[str, Any]:
    """The document for the routes ``frontends`` declare, plus health and itself."""
    described: list[tuple[Frontend, RouteSpec, RouteDoc]] = []
    seen: set[tuple[str, str]] = set()
    for frontend in frontends:
        for route in frontend.routes:
            key = (route.method.upper(), route.path)
            if key in seen:  # a shared path: the first registered frontend's shape
                continue
            seen.add(key)
            described.append((frontend, route, frontend.describe(route)))

    models: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {}
    for _, _, doc in described:
        for model in (doc.request, doc.reply, doc.stream_event, doc.error):
            if model is not None:
                models[(model, "validation")] = None
    refs, schemas = models_json_schema(list(models), ref_template=_REF)

    def ref(model: type[BaseModel]) -> dict[str, Any]:
        return dict(refs[(model, "validation")])

    paths: dict[str, dict[str, Any]] = {}
    for frontend, route, doc in described:
        path = _PATH_PARAM.sub(r"{\1}", route.path)
        operation: dict[str, Any] = {
            "operationId": _operation_id(route),
            "summary": doc.summary,
            "tags": [frontend.name],
            "responses": _responses(doc, ref),
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _PATH_PARAM.findall(route.path)
        ]
        if parameters:
            operation["parameters"] = parameters
        if doc.request is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(doc.request)}},
            }
        paths.setdefault(path, {})[route.method.lower()] = operation

    for path, summary in (
        ("/healthz", "liveness"),
        ("/readyz", "readiness (503 while starting or draining)"),
    ):
        paths[path] = {
            "get": {
                "operationId": path.strip("/"),
                "summary": summary,
                "tags": ["lip"],
                "responses": {
                    code: {
                        "description": http.HTTPStatus(int(code)).phrase,
                        "content": {"application/json": {"schema": _HEALTH_SCHEMA}},
                    }
                    for code in (("200", "503") if path == "/readyz" else ("200",))
                },
            }
        }
    paths["/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "this document",
            "tags": ["lip"],
            "responses": {
                "200": {
                    "description": "LIP's OpenAPI document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "LIP, the LLM Interactive Proxy",
            "version": __version__,
            "description": (
                "Vendor wire protocols served by LIP. Request and reply schemas are "
                "the vendors' own, generated from their SDKs; every error answers in "
                "the client protocol's error shape."
            ),
        },
        "paths": paths,
        "components": {"schemas": schemas.get("$defs", {})},
    }


def _operation_id(route: RouteSpec) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", _PATH_PARAM.sub(r"\1", route.path)).strip("_")
    return f"{route.method.lower()}_{words}"


def _event_data(doc: RouteDoc, event: dict[str, Any]) -> dict[str, Any]:
    payload = {"type": "string", "contentMediaType": "application/json", "contentSchema": event}
    if doc.stream_sentinel is None:
        return payload
    return {"anyOf": [{"const": doc.stream_sentinel}, payload]}


def _responses(doc: RouteDoc, ref: Any) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    if doc.reply is not None:
        content: dict[str, Any] = {"application/json": {"schema": ref(doc.reply)}}
        if doc.stream_event is not None:
            # OpenAPI 3.1 reads an event stream's schema as one event's.
            content["text/event-stream"] = {
                "schema": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {
                        "event": {"type": "string"},
                        "data": _event_data(doc, ref(doc.stream_event)),
                    },
                }
            }
        description = "the reply" + (
            "; when streamed, an SSE stream of events whose JSON data is described by contentSchema"
            if doc.stream_event is not None
            else ""
        )
        responses["200"] = {"description": description, "content": content}
    error = {"application/json": {"schema": ref(doc.error)}}
    for status in sorted({*doc.error_statuses, *_CONNECTION_ERRORS}):
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = "error"
        responses[str(status)] = {"description": phrase, "content": error}
    responses["default"] = {"description": "any other error", "content": error}
    return responses


__all__ = ["openapi_document"]
