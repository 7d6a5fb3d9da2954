"""A scenario's :class:`RequestSpec` as a Gemini ``generateContent`` request body.

https://ai.google.dev/api/generate-content. The model is not in the body
(it is in the path): the rendered request carries it as ``model`` for the
driver, which passes it to the SDK. Streaming is the method
(``streamGenerateContent``), so ``stream`` changes nothing here. How the
neutral request becomes Gemini's:

- leading ``system`` and ``developer`` messages -> ``systemInstruction``,
  one text part each, in order;
- user turns -> ``user`` contents, assistant turns -> ``model`` contents
  (text parts; ``data:`` images as ``inlineData``, others as ``fileData``
  with the MIME type the URL's extension says);
- assistant tool calls -> ``functionCall`` parts (``id``, ``name``, ``args``
  as an object); ``tool`` messages -> ``functionResponse`` parts named after
  the call they answer (Gemini matches responses by name and order), with
  the call's ``id``, in one ``user`` content that the user's own words
  after them join; a result's text is the ``response`` object when it is
  a JSON object, else ``{"result": <text>}`` (the SDKs' own convention);
- an assistant turn's reasoning -> a ``thought: true`` part before its
  answer, the signature as its ``thoughtSignature`` (the opaque bytes the
  upstream handed out: the signature text's UTF-8 bytes, base64 on the
  wire), and on the turn's first function call too, where Gemini puts it; a
  turn without a signature signs its first call with the API's documented
  dummy, as a client does with calls whose signature it does not have;
- tools -> one ``functionDeclarations`` tool, ``parameters`` in Gemini's
  schema (OpenAPI types in upper case, :func:`gemini_schema`); tool choice
  auto / none / required / named -> ``toolConfig.functionCallingConfig``
  mode ``AUTO`` / ``NONE`` / ``ANY`` / ``ANY`` with
  ``allowedFunctionNames``;
- ``generationConfig``: ``maxOutputTokens``, ``temperature``, ``topP``,
  ``stopSequences``, ``seed``, ``candidateCount``; JSON output ->
  ``responseMimeType: application/json`` with the schema as
  ``responseJsonSchema`` (Gemini always holds the output to the schema, so
  ``strict`` has nothing to say); reasoning effort ->
  ``thinkingConfig.thinkingLevel`` with ``includeThoughts`` (the thoughts
  are what the client reads as reasoning).

An image's ``detail`` is a hint with no per-part field in the API versions
the SDKs call (Gemini's per-part ``mediaResolution`` is v1alpha): left out.
What Gemini cannot say raises :class:`parity.render.Unsupported` with the
reason.
"""

from __future__ import annotations

import base64
import json
import mimetypes

from parity.recorded import OPTIONS
from parity.render import Unsupported
from parity.scenario import ContentSpec, MessageSpec, RequestSpec

__all__ = ["gemini_schema", "render", "replayed"]

Raw = dict[str, object]

DUMMY = "skip_thought_signature_validator"
"""The signature a client sends with a function call whose signature it does
not have (https://ai.google.dev/gemini-api/docs/thought-signatures): Gemini 3
refuses unsigned calls in the current turn."""

_FIELDS = frozenset(
    {"cachedContent", "contents", "generationConfig", "safetySettings", "systemInstruction",
     "toolConfig", "tools"}
)  # fmt: skip
"""Request fields the API names (a scenario's raw ``extra`` fields must be among them)."""

# JSON Schema keywords Gemini's Schema (an OpenAPI 3.0 subset) has, by their Gemini names.
_SCHEMA_WORDS = {
    "description": "description",
    "enum": "enum",
    "format": "format",
    "required": "required",
    "title": "title",
    "default": "default",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "minItems": "minItems",
    "maxItems": "maxItems",
    "minLength": "minLength",
    "maxLength": "maxLength",
    "minProperties": "minProperties",
    "maxProperties": "maxProperties",
}


def gemini_schema(schema: dict[str, object]) -> Raw:
    """A JSON Schema in Gemini's ``Schema`` form: types in upper case, a
    ``["x", "null"]`` type as ``nullable``; a keyword it has no form for
    raises :class:`Unsupported`."""
    out: Raw = {}
    for key, value in schema.items():
        if key == "type":
            types = value if isinstance(value, list) else [value]
            named = [t for t in types if t != "null"]
            if len(named) != 1:
                raise Unsupported(f"Gemini's schema has one type per schema, not {value!r}")
            out["type"] = str(named[0]).upper()
            if len(named) != len(types):
                out["nullable"] = True
        elif key == "properties" and isinstance(value, dict):
            out["properties"] = {name: gemini_schema(sub) for name, sub in value.items()}
        elif key == "items" and isinstance(value, dict):
            out["items"] = gemini_schema(value)
        elif key == "anyOf" and isinstance(value, list):
            out["anyOf"] = [gemini_schema(sub) for sub in value]
        elif key in _SCHEMA_WORDS:
            out[_SCHEMA_WORDS[key]] = value
        else:
            raise Unsupported(f"Gemini's schema has no {key!r} (parametersJsonSchema would)")
    return out


def _image(part: ContentSpec) -> Raw:
    url = part.image_url or ""
    if url.startswith("data:"):
        head, _, data = url.partition(",")
        if not head.endswith(";base64"):
            raise Unsupported(f"Gemini inline data is base64: {head}")
        mime = head.removeprefix("data:").removesuffix(";base64")
        return {"inlineData": {"mimeType": mime, "data": data}}
    guessed, _ = mimetypes.guess_type(url)
    if guessed is None:
        raise Unsupported(f"Gemini fileData needs a MIME type, and {url!r} does not say one")
    return {"fileData": {"mimeType": guessed, "fileUri": url}}


def _parts(content: str | tuple[ContentSpec, ...] | None) -> list[Raw]:
    if content is None or content == "":
        return []
    if isinstance(content, str):
        return [{"text": content}]
    return [{"text": p.text} if p.text is not None else _image(p) for p in content]


def _text(message: MessageSpec, what: str) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    if content is None or any(p.text is None for p in content):
        raise Unsupported(f"Gemini {what} are text only")
    return "".join(p.text or "" for p in content)


def _signature(signature: str) -> str:
    return base64.b64encode(signature.encode("utf-8")).decode("ascii")


def _model_turn(message: MessageSpec) -> Raw:
    parts: list[Raw] = []
    if message.reasoning is not None:
        thought: Raw = {"text": message.reasoning, "thought": True}
        if message.signature is not None:
            thought["thoughtSignature"] = _signature(message.signature)
        parts.append(thought)
    parts += _parts(message.content)
    for number, call in enumerate(message.tool_calls):
        try:
            args = json.loads(call.arguments)
        except ValueError:
            args = None
        if not isinstance(args, dict):
            raise Unsupported("Gemini function call args are a JSON object, not text")
        part: Raw = {"functionCall": {"id": call.id, "name": call.name, "args": args}}
        if number == 0:
            signature = message.signature
            part["thoughtSignature"] = _signature(signature) if signature is not None else DUMMY
        parts.append(part)
    return {"role": "model", "parts": parts}


def _response(message: MessageSpec, names: dict[str, str]) -> Raw:
    call = message.tool_call_id or ""
    if call not in names:
        raise Unsupported("a Gemini function response names the function it answers")
    text = _text(message, "function responses")
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    response = value if isinstance(value, dict) else {"result": text}
    return {"functionResponse": {"id": call, "name": names[call], "response": response}}


def _contents(request: RequestSpec) -> tuple[Raw | None, list[Raw]]:
    """``systemInstruction`` and ``contents``."""
    system: list[Raw] = []
    contents: list[Raw] = []
    names: dict[str, str] = {}  # call id -> function name
    answering = False  # the last content holds function responses, and no words yet
    for message in request.messages:
        if message.role in ("system", "developer"):
            if contents:
                raise Unsupported(
                    "Gemini has one systemInstruction, before the conversation: "
                    "no system turn later in it"
                )
            system.append({"text": _text(message, "system instructions")})
        elif message.role == "assistant":
            names.update({call.id: call.name for call in message.tool_calls})
            contents.append(_model_turn(message))
            answering = False
        elif message.role == "tool":
            part = _response(message, names)
            if answering:
                contents[-1]["parts"].append(part)  # type: ignore[attr-defined]
            else:
                contents.append({"role": "user", "parts": [part]})
            answering = True
        elif answering:
            contents[-1]["parts"] += _parts(message.content)  # type: ignore[operator]
            answering = False
        else:
            contents.append({"role": "user", "parts": _parts(message.content)})
    return ({"parts": system} if system else None), contents


def _refuse_inexpressible(request: RequestSpec) -> None:
    if request.parallel_tool_calls is False:
        raise Unsupported("Gemini has no switch to turn parallel function calls off")
    if request.user is not None:
        raise Unsupported("Gemini has no end-user field")
    if request.metadata:
        raise Unsupported("Gemini's generateContent has no metadata")
    if not request.include_usage:
        raise Unsupported("Gemini streams always carry usageMetadata; a client cannot decline it")
    if any(tool.strict for tool in request.tools):
        raise Unsupported("Gemini function declarations have no strict mode")
    unknown = next((k for k in request.extra if k not in _FIELDS), None)
    if unknown is not None:
        raise Unsupported(f"{unknown!r} is not a Gemini generateContent field")


def _tool_config(choice: str | dict[str, str] | None) -> Raw | None:
    if choice is None:
        return None
    if isinstance(choice, dict):
        calling: Raw = {"mode": "ANY", "allowedFunctionNames": [choice["name"]]}
    else:
        calling = {"mode": {"auto": "AUTO", "none": "NONE", "required": "ANY"}[choice]}
    return {"functionCallingConfig": calling}


def _generation(request: RequestSpec) -> Raw:
    config: Raw = {}
    for key, value in (
        ("maxOutputTokens", request.max_output_tokens),
        ("temperature", request.temperature),
        ("topP", request.top_p),
        ("seed", request.seed),
        ("candidateCount", request.choices),
    ):
        if value is not None:
            config[key] = value
    if request.stop:
        config["stopSequences"] = list(request.stop)
    fmt = request.response_format
    if fmt is not None and fmt.type != "text":
        config["responseMimeType"] = "application/json"
        if fmt.type == "json_schema":
            config["responseJsonSchema"] = fmt.schema_ or {}
    if request.reasoning_effort is not None:
        level = request.reasoning_effort.upper()
        config["thinkingConfig"] = {"thinkingLevel": level, "includeThoughts": True}
    return config


def render(request: RequestSpec, model: str, *, stream: bool) -> dict[str, object]:
    """The request body, with ``model`` for the driver (``stream`` is the method's)."""
    del stream  # streamGenerateContent takes the same body
    _refuse_inexpressible(request)
    system, contents = _contents(request)
    body: dict[str, object] = {"model": model, "contents": contents}
    if system is not None:
        body["systemInstruction"] = system
    if request.tools:
        declarations = []
        for tool in request.tools:
            declaration: Raw = {"name": tool.name}
            if tool.description is not None:
                declaration["description"] = tool.description
            declaration["parameters"] = gemini_schema(tool.parameters)
            declarations.append(declaration)
        body["tools"] = [{"functionDeclarations": declarations}]
    tool_config = _tool_config(request.tool_choice)
    if tool_config is not None:
        body["toolConfig"] = tool_config
    generation = _generation(request)
    if generation:
        body["generationConfig"] = generation
    for key, value in request.extra.items():
        if key == "generationConfig" and isinstance(value, dict):
            generation.update(value)
            body["generationConfig"] = generation
        else:
            body[key] = value
    if request.pad_to_bytes is not None:
        parts = contents[-1]["parts"]
        parts.append({"text": "x" * request.pad_to_bytes})  # type: ignore[attr-defined]
    return body


_SET_BY_THE_SDK = frozenset({"x-goog-api-client", "accept-language", "sec-fetch-mode"})
"""Headers of a recorded Gemini client that its SDK (``x-goog-api-client``)
or Node's fetch set, not the client: replaying them would only disguise the
replaying SDK."""


def replayed(params: dict[str, object]) -> dict[str, object]:
    """A recorded Gemini request (:func:`parity.recorded.replay_params`)
    without what the replaying SDK sets itself: those headers, and the
    ``alt=sse`` query every SDK stream asks for."""
    options = params.get(OPTIONS)
    if not isinstance(options, dict):
        return params
    headers = {k: v for k, v in options["headers"].items() if k not in _SET_BY_THE_SDK}
    query = {k: v for k, v in options["query"].items() if k != "alt"}
    if query:
        raise Unsupported(f"the Gemini SDKs take no query parameters of a client's: {query}")
    body = {k: v for k, v in params.items() if k != OPTIONS}
    return {**body, OPTIONS: {"headers": headers, "query": {}}} if headers else body
