"""What every emulator's wire tests share: posting a body, reading named SSE
frames, queueing scripts, waiting for the request log to show something."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

Event = dict[str, Any]


def post_json(
    http: httpx.Client, path: str, payload: object, headers: Mapping[str, str]
) -> httpx.Response:
    """POST ``payload`` as JSON to ``path`` (bytes are sent as they are)."""
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return http.post(path, content=content, headers=dict(headers))


def sse_events(text: str) -> list[Event]:
    """The events of an SSE body; every frame is ``event: <type>`` then
    ``data: <json>`` whose ``type`` is that same name."""
    events: list[Event] = []
    for frame in text.split("\n\n"):
        if not frame:
            continue
        name_line, data_line = frame.split("\n")
        assert name_line.startswith("event: ") and data_line.startswith("data: ")
        payload = json.loads(data_line.removeprefix("data: "))
        assert payload["type"] == name_line.removeprefix("event: ")
        events.append(payload)
    return events


def queue(http: httpx.Client, *scripts: object) -> None:
    """Append ``scripts`` to the emulator's queue."""
    http.post("/__emulator__/scripts", json=list(scripts)).raise_for_status()


def wait_for_request(
    http: httpx.Client,
    predicate: Callable[[Event], bool],
    *,
    timeout: float = 10.0,
    interval: float = 0.01,
) -> Event:
    """The newest entry of the emulator's request log (``GET
    /__emulator__/requests``) for which ``predicate`` holds, polling until
    one does; fails the test after ``timeout`` seconds, showing the log.

    The log is updated in place as exchanges progress, e.g. to wait until
    the emulator has seen its client leave::

        entry = wait_for_request(http, lambda e: e["disconnected_at"] is not None)
    """
    deadline = time.monotonic() + timeout
    while True:
        entries: list[Event] = http.get("/__emulator__/requests").json()["data"]
        for entry in reversed(entries):
            if predicate(entry):
                return entry
        if time.monotonic() > deadline:
            raise AssertionError(f"no logged request matched within {timeout}s: {entries}")
        time.sleep(interval)
