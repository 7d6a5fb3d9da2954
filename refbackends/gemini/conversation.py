"""The API's checks on ``contents`` and what the emulator reads from them.

Checks (after the body parsed, :mod:`.proto_json`):

- every role is ``user`` or ``model`` (``function``, an older name for
  function results, and an empty role pass, as the API tolerates them):
  ``Please use a valid role: user, model.``;
- no content without parts (``contents.parts must not be empty.``), no part
  without a data field (``required oneof field 'data' must have one
  initialized field``), no function call or result without a name;
- every ``thoughtSignature`` sent back is one the emulator minted
  (``Corrupted thought signature.``); on models that require them (Gemini
  3) the first function call of each model turn since the last user message
  carries one.

Problems of the second kind are reported together, one ``* <Request>.<path>:
<problem>`` line each, as the API does (:class:`Problems`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from lip.canonical.json import JSONValue
from lip_wire.gemini import generate_content_request as w
from refbackends.content import count_tokens, split_json_fragments
from refbackends.gemini.errors import corrupted_signature, invalid_argument
from refbackends.gemini.models import ModelInfo
from refbackends.gemini.proto_json import decode_bytes
from refbackends.gemini.signatures import DUMMY_SIGNATURES, SignatureStore

__all__ = [
    "Problems",
    "check_contents",
    "check_signatures",
    "input_tokens",
    "last_user_text",
    "trailing_results",
]

_ROLES = ("user", "model", "function", "")
# Gemini bills an image (inline or by URI) as 258 tokens whatever its size.
_MEDIA_TOKENS = 258
_DATA_FIELDS = (
    "text",
    "inline_data",
    "function_call",
    "function_response",
    "file_data",
    "executable_code",
    "code_execution_result",
)
_NEWER_DATA_FIELDS = ("toolCall", "tool_call", "toolResponse", "tool_response")


class Problems:
    """Semantic problems of one request, raised together as one 400."""

    def __init__(self, request: str, prefix: str = "") -> None:
        self._request = request
        self._prefix = prefix
        self._lines: list[str] = []

    def add(self, path: str, problem: str) -> None:
        """Note ``problem`` at ``path`` (relative to the request being checked)."""
        at = f"{self._prefix}{path}".rstrip(".")
        where = f"{self._request}.{at}" if at else self._request
        self._lines.append(f"* {where}: {problem}\n")

    def raise_any(self) -> None:
        """Raise the API's 400 when any problem was noted."""
        if self._lines:
            raise invalid_argument("".join(self._lines))


def check_contents(
    contents: Sequence[w.Content], system: w.Content | None, problems: Problems
) -> None:
    """Roles (raised at once), then parts, noted in ``problems``."""
    for content in contents:
        if (content.role or "") not in _ROLES:
            raise invalid_argument("Please use a valid role: user, model.")
    if not contents:
        problems.add("contents", "contents is not specified")
    located = [(f"contents[{i}]", content) for i, content in enumerate(contents)]
    if system is not None:
        located.append(("system_instruction", system))
    for path, content in located:
        parts = content.parts or []
        if not parts:
            problems.add(f"{path}.parts", "contents.parts must not be empty.")
        for j, part in enumerate(parts):
            _check_part(part, f"{path}.parts[{j}]", problems)


def check_signatures(
    contents: Sequence[w.Content], model: ModelInfo, signatures: SignatureStore
) -> None:
    """Every signature sent back was minted; Gemini 3 wants them on calls."""
    for content in contents:
        for part in content.parts or []:
            sent = part.thought_signature
            if sent is None or sent in DUMMY_SIGNATURES:
                continue
            decoded = decode_bytes(sent)
            if decoded is None or not signatures.minted(decoded):
                raise corrupted_signature()
    if not model.signatures_required:
        return
    for index in range(_current_turn_start(contents), len(contents)):
        content = contents[index]
        calls = [part for part in content.parts or [] if part.function_call is not None]
        if content.role == "model" and calls and calls[0].thought_signature is None:
            name = calls[0].function_call.name if calls[0].function_call else ""
            raise invalid_argument(
                "Function call is missing a thought_signature in functionCall parts. This is "
                "required for tools to work correctly, and missing thought_signature may lead "
                f"to degraded model performance. Additional data, function call `{name}` , "
                f"position {index + 1}. Please refer to "
                "https://ai.google.dev/gemini-api/docs/thought-signatures for more details."
            )


def input_tokens(system: w.Content | None, contents: Sequence[w.Content]) -> int:
    """The emulator's prompt count: words of text, JSON fragments of calls
    and results (plus one each), 258 per media part."""
    total = 0
    for content in [*([system] if system is not None else []), *contents]:
        for part in content.parts or []:
            if part.text is not None:
                total += count_tokens(part.text)
            elif part.function_call is not None:
                total += _json_tokens(part.function_call.args or {})
            elif part.function_response is not None:
                total += _json_tokens(part.function_response.response or {})
            elif part.inline_data is not None or part.file_data is not None:
                total += _MEDIA_TOKENS
    return total


def last_user_text(contents: Sequence[w.Content]) -> str:
    """The text of the last user content that has any."""
    for content in reversed(contents):
        if content.role in ("model", "function"):
            continue
        texts = [part.text for part in content.parts or [] if part.text and not part.thought]
        if texts:
            return "".join(texts)
    return ""


def trailing_results(contents: Sequence[w.Content]) -> list[str]:
    """The function results the conversation ends with (JSON texts), if any."""
    if not contents:
        return []
    parts = contents[-1].parts or []
    results = [part.function_response for part in parts if part.function_response is not None]
    if not results or len(results) != len(parts):
        return []
    return [_json(result.response or {}) for result in results]


def _check_part(part: w.Part, path: str, problems: Problems) -> None:
    extra = part.model_extra or {}
    if not any(getattr(part, name) is not None for name in _DATA_FIELDS) and not any(
        extra.get(name) is not None for name in _NEWER_DATA_FIELDS
    ):
        problems.add(f"{path}.data", "required oneof field 'data' must have one initialized field")
    if part.function_call is not None and not part.function_call.name:
        problems.add(f"{path}.function_call.name", "Name cannot be empty.")
    if part.function_response is not None and not part.function_response.name:
        problems.add(f"{path}.function_response.name", "Name cannot be empty.")


def _current_turn_start(contents: Sequence[w.Content]) -> int:
    """Index after the last user content that is not only function results."""
    for index in range(len(contents) - 1, -1, -1):
        content = contents[index]
        parts = content.parts or []
        if content.role in ("user", None, "") and any(
            part.function_response is None for part in parts
        ):
            return index + 1
    return 0


def _json_tokens(value: JSONValue) -> int:
    return len(split_json_fragments(_json(value))) + 1


def _json(value: JSONValue) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
