"""Which requests skip Starlette's layers (:class:`lip.server.app.DirectPosts`)
and that the rest still get its routing and error shapes."""

from __future__ import annotations

from starlette.testclient import TestClient

from lip.config import load_config
from lip.server import create_app
from lip.server.app import DirectPosts

CHAT = {"model": "lip-stub", "messages": [{"role": "user", "content": "ping"}]}


def test_fixed_post_paths_go_straight_to_their_endpoints() -> None:
    app = create_app(load_config(None))
    direct = app.middleware_stack.app  # type: ignore[union-attr]
    assert isinstance(direct, DirectPosts)
    assert {"/v1/chat/completions", "/v1/messages", "/v1/responses"} <= set(direct.paths)
    assert not any("{" in path for path in direct.paths)  # Gemini's model paths: routed


def test_direct_and_routed_requests_answer_alike() -> None:
    with TestClient(create_app(load_config(None))) as client:
        direct = client.post("/v1/chat/completions", json=CHAT)
        assert direct.status_code == 200 and direct.headers["x-lip-request-id"]
        assert direct.json()["choices"][0]["message"]["content"] == "You said: ping"
        wrong_method = client.get("/v1/chat/completions")
        assert wrong_method.status_code == 405
        assert wrong_method.json()["error"]["type"] == "invalid_request_error"
        unknown = client.post("/v1/chat/completion", json=CHAT)
        assert unknown.status_code == 404 and "error" in unknown.json()


def test_a_root_path_goes_through_the_router() -> None:
    with TestClient(create_app(load_config(None)), root_path="/lip") as client:
        reply = client.post("/lip/v1/chat/completions", json=CHAT)
    assert reply.status_code == 200
