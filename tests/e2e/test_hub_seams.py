"""The two plug-in seams, over real sockets: a protocol and a backend kind
registered from outside, the shared-path rule, and how a backend that breaks
the contract reaches the client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence

import httpx
import pytest
from pydantic import BaseModel
from pydantic_core import to_json
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from lip.backends import BackendKind
from lip.canonical import (
    BlockFinished,
    BlockKind,
    BlockStarted,
    BlockTracker,
    Call,
    ErrorEvent,
    Event,
    FinishReason,
    InvalidRequestError,
    LipError,
    Message,
    ReasoningDelta,
    ResponseFinished,
    ResponseStarted,
    TextDelta,
    TextPart,
    UpstreamError,
    text_of,
)
from lip.canonical import (
    Response as CanonicalResponse,
)
from lip.config import parse_config
from lip.plugins import Plugins
from lip.protocols.base import (
    BackendCodec,
    ClientRequest,
    Frontend,
    ModelEntry,
    Operation,
    ProtocolPlugin,
    RequestContext,
    RouteDoc,
    RouteSpec,
    StreamDecoder,
    StreamEncoder,
    WireReply,
)
from lip.protocols.openai_chat import OpenAIChatCodec
from lip.protocols.openai_chat.upstream import ChatStreamDecoder
from lip.server import Runtime, create_app
from lip.sse import SSEEvent, encode_event
from refbackends.serving import serve_in_thread
from tests.e2e.conftest import serve_lip

# ---------------------------------------------------------------- a toy protocol
# Clients POST {"model", "say", "stream"?} to /toy/say; upstreams answer
# POST {base}/echo with {"heard"} or, streamed, SSE frames {"piece"} then {"end": true}.


class ToySay(BaseModel):
    model: str
    say: str
    stream: bool = False


class ToySaid(BaseModel):
    said: str


class ToyError(BaseModel):
    toy_error: str


class ToyFrontend(Frontend):
    name = "toy"
    routes = (
        RouteSpec("POST", "/toy/say", Operation.GENERATE),
        RouteSpec("GET", "/v1/models", Operation.LIST_MODELS),
    )
    prefixes = ("/toy/",)

    def recognizes(self, context: RequestContext) -> bool:
        return "x-toy-version" in context.headers

    def decode_request(self, context: RequestContext) -> ClientRequest:
        try:
            body = json.loads(context.body)
            model, say = body["model"], body["say"]
        except (ValueError, KeyError, TypeError):
            raise InvalidRequestError("a toy request is {model, say}") from None
        message = Message(role="user", parts=(TextPart(text=say),))
        call = Call(
            id="",
            protocol=self.name,
            model=model,
            messages=(message,),
            stream=bool(body.get("stream")),
        )
        return ClientRequest(call=call)

    def encode_response(self, response: CanonicalResponse, request: ClientRequest) -> WireReply:
        return WireReply(status=200, body=to_json({"said": text_of(response.output)}))

    def stream_encoder(self, request: ClientRequest) -> StreamEncoder:
        return ToyStreamEncoder()

    def encode_error(self, error: LipError) -> WireReply:
        return WireReply(status=418, body=to_json({"toy_error": error.message}))

    def encode_models(self, models: Sequence[ModelEntry]) -> WireReply:
        return WireReply(status=200, body=to_json({"toys": [m.id for m in models]}))

    def describe(self, route: RouteSpec) -> RouteDoc:
        if route.operation is Operation.GENERATE:
            return RouteDoc(summary="say", request=ToySay, reply=ToySaid, error=ToyError)
        return RouteDoc(summary="toys", error=ToyError)

    def encode_model(self, model: ModelEntry) -> WireReply:
        return WireReply(status=200, body=to_json({"toy": model.id}))


class ToyStreamEncoder(StreamEncoder):
    def encode(self, event: Event) -> bytes:
        if isinstance(event, TextDelta):
            return encode_event(json.dumps({"piece": event.text}))
        if isinstance(event, ErrorEvent):
            return encode_event(json.dumps({"toy_error": event.kind.value}))
        return b""


class ToyStreamDecoder(StreamDecoder):
    def __init__(self) -> None:
        self.blocks = BlockTracker("toy")
        self.started = self.ended = False

    def feed(self, frame: SSEEvent) -> list[Event]:
        data = json.loads(frame.data)
        out: list[Event] = []
        if not self.started:
            self.started = True
            out.append(ResponseStarted(id="toy-1", model="toy", created=0))
        if "piece" in data:
            self.blocks.text("t", data["piece"], out)
        if data.get("end"):
            self.ended = True
        return out

    def close(self) -> list[Event]:
        if not self.ended:
            raise UpstreamError("the toy upstream was cut")
        out: list[Event] = []
        self.blocks.finish_all(out)
        return [*out, ResponseFinished(finish_reason=FinishReason.STOP)]


class ToyCodec(BackendCodec):
    protocol = "toy"

    def path(self, model: str, *, stream: bool) -> str:
        return "/echo"

    def auth_headers(self, key: str) -> Mapping[str, str]:
        return {"x-toy-key": key}

    def encode_request(self, call: Call, model: str) -> bytes:
        return to_json(
            {"model": model, "say": text_of(call.messages[-1].parts), "stream": call.stream}
        )

    def decode_response(self, body: bytes) -> list[Event]:
        heard = json.loads(body)["heard"]
        return [
            ResponseStarted(id="toy-1", model="toy", created=0),
            BlockStarted(index=0, kind=BlockKind.TEXT),
            TextDelta(index=0, text=heard),
            BlockFinished(index=0),
            ResponseFinished(finish_reason=FinishReason.STOP),
        ]

    def stream_decoder(self) -> StreamDecoder:
        return ToyStreamDecoder()

    def decode_error(self, status: int, body: bytes, retry_after: float | None) -> LipError:
        return UpstreamError(f"the toy upstream failed with {status}")


TOY = ProtocolPlugin(name="toy", frontend=ToyFrontend(), codec=ToyCodec())
TOY_KIND = BackendKind(name="toy", apis={"toy": "toy"}, key_env=("TOY_KEY",))


def toy_upstream() -> Starlette:
    async def echo(request: Request) -> Response:
        body = await request.json()
        if request.headers.get("x-toy-key") != "toy-secret":
            return JSONResponse({}, status_code=401)
        if not body["stream"]:
            return JSONResponse({"heard": f"{body['model']} heard {body['say']}"})

        async def frames() -> AsyncIterator[bytes]:
            for word in body["say"].split():
                yield encode_event(json.dumps({"piece": word}))
            yield encode_event(json.dumps({"end": True}))

        return StreamingResponse(frames(), media_type="text/event-stream")

    return Starlette(routes=[Route("/echo", echo, methods=["POST"])])


@pytest.fixture(scope="module")
def toy_lip() -> Iterator[str]:
    with serve_in_thread(toy_upstream()) as upstream:
        config = parse_config(
            f"backends: [{{id: t, kind: toy, base_url: '{upstream}', models: ['*']}}]", env={}
        )
        plugins = Plugins.builtin().with_protocol(TOY).with_kind(TOY_KIND)
        runtime = Runtime(config, plugins=plugins, env={"TOY_KEY": "toy-secret"})
        with serve_lip(create_app(config, runtime=runtime)) as url:
            yield url


def test_a_registered_protocol_is_served_end_to_end(toy_lip: str) -> None:
    reply = httpx.post(f"{toy_lip}/toy/say", json={"model": "m1", "say": "hello"})
    assert reply.status_code == 200 and reply.json() == {"said": "m1 heard hello"}
    with httpx.stream(
        "POST", f"{toy_lip}/toy/say", json={"model": "m1", "say": "a b c", "stream": True}
    ) as streamed:
        pieces = [json.loads(line[6:]) for line in streamed.iter_lines() if line]
    assert pieces == [{"piece": "a"}, {"piece": "b"}, {"piece": "c"}]


def test_the_toy_protocol_has_its_own_errors(toy_lip: str) -> None:
    bad = httpx.post(f"{toy_lip}/toy/say", json={"nope": 1})
    assert bad.status_code == 418 and bad.json() == {"toy_error": "a toy request is {model, say}"}
    unknown = httpx.get(f"{toy_lip}/toy/unknown")
    assert unknown.status_code == 404 and "toy_error" in unknown.json()
    elsewhere = httpx.get(f"{toy_lip}/v1/unknown")  # OpenAI's prefix: OpenAI's shape
    assert elsewhere.status_code == 404 and "error" in elsewhere.json()


def test_the_toy_protocol_is_in_the_openapi_document(toy_lip: str) -> None:
    from openapi_spec_validator import validate

    document = httpx.get(f"{toy_lip}/openapi.json").json()
    validate(document)
    say = document["paths"]["/toy/say"]["post"]
    assert say["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("ToySay")
    assert say["responses"]["default"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ToyError"
    )
    # /v1/models is shared: documented once, in the first registered frontend's shape.
    models = document["paths"]["/v1/models"]["get"]
    assert models["tags"] == ["openai_chat"]


def test_shared_path_goes_to_the_protocol_that_recognizes_the_request(toy_lip: str) -> None:
    default = httpx.get(f"{toy_lip}/v1/models").json()
    assert default["object"] == "list"  # the first registered (OpenAI) owns it
    toy = httpx.get(f"{toy_lip}/v1/models", headers={"x-toy-version": "1"}).json()
    assert toy == {"toys": []}


# ------------------------------------------------- backends that break the rules


class Misbehaving(OpenAIChatCodec):
    """OpenAI Chat, with a planted bug: ``mode`` says where."""

    def __init__(self, mode: str) -> None:
        self.protocol = f"chat_{mode}"
        self.mode = mode

    def encode_request(self, call: Call, model: str) -> bytes:
        if self.mode == "crash":
            raise KeyError("a bug in LIP")
        return super().encode_request(call, model)

    def stream_decoder(self) -> StreamDecoder:
        return _Ungrammatical() if self.mode == "ungrammatical" else ChatStreamDecoder()


class _Ungrammatical(ChatStreamDecoder):
    """After the first text, a delta for a block that was never started."""

    def feed(self, frame: SSEEvent) -> list[Event]:
        events = super().feed(frame)
        if any(isinstance(e, TextDelta) for e in events):
            events.append(ReasoningDelta(index=9, text="stray"))
        return events


@pytest.fixture(scope="module")
def lip_with_bugs(emulator_url: str) -> Iterator[str]:
    plugins = Plugins.builtin()
    for mode in ("crash", "ungrammatical"):
        plugins = plugins.with_protocol(
            ProtocolPlugin(name=f"chat_{mode}", codec=Misbehaving(mode))
        ).with_kind(BackendKind(name=mode, apis={"chat": f"chat_{mode}"}))
    config = parse_config(
        f"""
backends:
  - {{id: crash, kind: crash, base_url: '{emulator_url}/v1', api_key: sk-upstream-secret-1234}}
  - {{id: bad, kind: ungrammatical, base_url: '{emulator_url}/v1', api_key: sk-upstream-secret-1234}}
  - {{id: emu, kind: openai-compatible, base_url: '{emulator_url}/v1', api_key: sk-upstream-secret-1234}}
""",
        env={},
    )
    runtime = Runtime(config, plugins=plugins, env={})
    with serve_lip(create_app(config, runtime=runtime)) as url:
        yield url


USER = [{"role": "user", "content": "one two three"}]


def test_a_lip_bug_is_a_500_in_the_clients_shape_and_never_fails_over(
    lip_with_bugs: str, emulator: httpx.Client
) -> None:
    reply = httpx.post(
        f"{lip_with_bugs}/v1/chat/completions", json={"model": "crash:m | emu:m", "messages": USER}
    )
    assert reply.status_code == 500
    assert reply.json()["error"]["type"] == "server_error"
    assert "bug" not in reply.text
    assert emulator.get("/requests").json()["data"] == []  # the second leg was never tried


def test_an_ungrammatical_decoder_gives_a_well_formed_in_stream_error(
    lip_with_bugs: str,
) -> None:
    body = {"model": "bad:m", "messages": USER, "stream": True}
    with httpx.stream("POST", f"{lip_with_bugs}/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        frames = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    chunks = [json.loads(f) for f in frames]
    assert any(c.get("choices") and c["choices"][0]["delta"].get("content") for c in chunks)
    assert chunks[-1] == {
        "error": {
            "message": "internal error while streaming",
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    assert "[DONE]" not in frames


# ---------------------------------------------- a rate limit in the middle of a stream

RATE_LIMIT = {
    "error": {
        "message": "Rate limit reached for requests",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }
}


def _rate_limited_upstream() -> Starlette:
    async def completions(request: Request) -> Response:
        chunk = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": "partial"},
                    "finish_reason": None,
                }
            ],
        }

        async def frames() -> AsyncIterator[bytes]:
            yield encode_event(json.dumps(chunk))
            yield encode_event(json.dumps(RATE_LIMIT))

        return StreamingResponse(frames(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


def test_a_mid_stream_rate_limit_reaches_the_client_as_a_rate_limit() -> None:
    with serve_in_thread(_rate_limited_upstream()) as upstream:
        config = parse_config(
            f"backends: [{{id: u, kind: openai-compatible, base_url: '{upstream}/v1', models: ['*']}}]",
            env={},
        )
        with serve_lip(create_app(config)) as url:
            body = {"model": "m", "messages": USER, "stream": True}
            with httpx.stream("POST", f"{url}/v1/chat/completions", json=body) as response:
                frames = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    error = json.loads(frames[-1])["error"]
    assert error["type"] == "requests" and error["code"] == "rate_limit_exceeded"
    assert "partial" in frames[0] or "partial" in frames[1]
