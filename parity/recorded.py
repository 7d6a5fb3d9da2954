"""Requests recorded from real agent clients, replayed as parity scenarios.

A scenario's request may be a recording (``request.recorded``, a path under
``testdata/clients/``) instead of neutral messages: what a real client sent
(:mod:`parity.record`), replayed through the official SDK of its protocol
with the same body and the headers that are the client's own (beta flags,
version, app name), to every backend. Only a client of the recording's
protocol can send it; other frontends report the scenario unsupported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "CLIENTS_DIR",
    "FILE_NAME",
    "OPTIONS",
    "PROMPT_FILE",
    "WORKDIR",
    "Recording",
    "load",
    "replay_params",
]

CLIENTS_DIR = Path(__file__).resolve().parents[1] / "testdata" / "clients"
FILE_NAME = "{number:02d}-{step}.json"
PROMPT_FILE = "hello.txt"
"""The file the recorded client is asked about (and reads with its tool)."""
WORKDIR = "/work/project"
"""The recorded client's working directory, as written in recordings."""
OPTIONS = "_options"
"""Key of a rendered request holding per-request ``headers`` and ``query`` for the
drivers (a client constructed with them as defaults), not part of the body."""

# Set by every SDK on its own: replaying the recorded values would only
# disguise the replaying SDK.
_SDK_HEADERS = frozenset({"accept", "content-type", "user-agent"})


@dataclass(frozen=True)
class Recording:
    client: str
    version: str
    protocol: str
    step: str
    path: str
    query: str
    headers: dict[str, str]
    body: dict[str, Any]


@cache
def load(name: str) -> Recording:
    """``testdata/clients/<name>``, e.g. ``claude-code-2.1.332/01-first.json``."""
    data = json.loads((CLIENTS_DIR / name).read_text(encoding="utf-8"))
    return Recording(
        client=data["client"],
        version=data["version"],
        protocol=data["protocol"],
        step=data["step"],
        path=data["path"],
        query=data["query"],
        headers=data["headers"],
        body=data["body"],
    )


def replay_params(recording: Recording, model: str) -> dict[str, Any]:
    """The recorded body for ``model`` (without ``stream``: the driver's mode
    sets it), with the recorded headers and query under :data:`OPTIONS`."""
    params = {k: v for k, v in recording.body.items() if k != "stream"}
    params["model"] = model
    headers = {
        k: v
        for k, v in recording.headers.items()
        if k not in _SDK_HEADERS and not k.startswith("x-stainless-")
    }
    query = dict(pair.split("=", 1) for pair in recording.query.split("&") if "=" in pair)
    params[OPTIONS] = {"headers": headers, "query": query}
    return params
