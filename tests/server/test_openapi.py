"""LIP's OpenAPI document: valid OpenAPI 3.1, covering every route the server
mounts, built from the generated wire models, the same from the CLI and the
server."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest
from openapi_spec_validator import validate
from starlette.routing import Route
from starlette.testclient import TestClient

from lip.cli import main
from lip.config import load_config
from lip.plugins import Plugins
from lip.server import create_app
from lip.server.openapi import openapi_document
from lip_wire.openai.chat_completion_request import ChatCompletionRequest


@pytest.fixture(scope="module")
def document() -> dict[str, object]:
    return openapi_document(Plugins.builtin().frontends())


def test_the_document_is_valid_openapi_3_1(document: dict[str, object]) -> None:
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_every_mounted_route_is_documented(document: dict[str, object]) -> None:
    app = create_app(load_config())
    paths = document["paths"]
    assert isinstance(paths, dict)
    mounted = {
        (method.lower(), route.path.replace(":path}", "}"))
        for route in app.routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(method, path) for path, item in paths.items() for method in item}
    assert mounted == documented


def test_schemas_come_from_the_generated_wire_models(document: dict[str, object]) -> None:
    operation = document["paths"]["/v1/chat/completions"]["post"]  # type: ignore[index]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = ref.rsplit("/", 1)[1]
    schema = document["components"]["schemas"][name]  # type: ignore[index]
    expected = ChatCompletionRequest.model_json_schema()
    assert set(schema["properties"]) == set(expected["properties"])
    assert set(schema["required"]) == set(expected["required"])
    # Every status the connection layer or the protocol may answer is documented
    # with the protocol's error body.
    responses = operation["responses"]
    for status in ("400", "404", "408", "413", "429", "431", "500", "502", "503", "504"):
        body = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert body.endswith("ErrorResponse") and "anthropic" not in body
    stream = responses["200"]["content"]["text/event-stream"]["schema"]
    assert stream["properties"]["data"]["anyOf"][0] == {"const": "[DONE]"}


def test_served_document_equals_the_cli_output(document: dict[str, object]) -> None:
    with TestClient(create_app(load_config())) as client:
        served = client.get("/openapi.json")
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/json"
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["openapi", "--check"]) == 0
    assert json.loads(out.getvalue()) == served.json() == json.loads(json.dumps(document))
