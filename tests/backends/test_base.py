"""The backend seam's :class:`Target`: one attempt's copy keeps every field."""

from __future__ import annotations

import dataclasses

from pydantic import SecretStr

from lip.backends import Target
from lip.backends.keys import Key


def test_an_attempts_target_is_the_same_target_with_its_key_and_traceparent() -> None:
    target = Target(backend_id="b", model="m", upstream_model="u", selector="b:m")
    key = Key(SecretStr("sk-test-0123456789"))
    sent = target.sent_with(key, "00-" + "a" * 32 + "-" + "b" * 16 + "-01")
    assert type(sent) is Target
    assert sent == dataclasses.replace(target, key=key, traceparent=sent.traceparent)
    assert [getattr(sent, f.name) for f in dataclasses.fields(Target)] == [
        "b",
        "m",
        "u",
        "b:m",
        key,
        sent.traceparent,
    ]
    assert hash(sent) == hash(dataclasses.replace(sent))
    assert target.sent_with(None, None) == target
