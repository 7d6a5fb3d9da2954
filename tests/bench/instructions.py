"""Instructions per request, counted: what observability (and access
control) adds to LIP's own work, free of the host's noise.

``python -m tests.bench.instructions [--requests 2000] [--each] [--access]`` needs
valgrind. It starts the mock upstream, then runs LIP's ASGI app in a child
process under cachegrind (``--cache-sim=no``) and drives requests through it
in process, 16 at a time (no client sockets: the upstream is reached over
loopback, the replies are read from the app's ``send``). Each configuration
runs twice, with ``--requests`` and with a fifth as many, each after the
same warm-up; the difference of the two counts over the difference of the
requests is the instructions per request, the child's start-up and warm-up
cancelled out. ``PYTHONHASHSEED`` is fixed, so a rerun counts the same to
within about half a percent.

The configurations: plain LIP (the main bench's config), and LIP with
metrics, tracing (spans built, ``OTEL_TRACES_EXPORTER=none``) and a JSON
access log (its lines written to ``/dev/null``); with ``--each``, also each
of the three alone; with ``--access``, also the main bench's ``lip-limits``
and ``lip-auth`` (a client key with limits, then a budget too: each request
presents the key, is authenticated, admitted, settled and charged).

An instruction count is not time: the main bench's
``observability_c16_throughput_obs_over_plain`` stays the measure of record.
What the count gives is a figure that does not move with the host, so that a
change that removes work shows it, and where the added work is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import logging.config
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench.cliargs import positive_int
from tests.bench.servers import (
    _ACCESS_SECTION,
    _BUDGET_LINE,
    _OBSERVABILITY_ENV,
    _OBSERVABILITY_SECTION,
    API_KEY,
    CLIENT_KEY,
    launch,
)

_BODY = json.dumps(
    {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Say hello to the benchmark"}],
    }
).encode()
_CONCURRENCY = 16
_WARMUP = 400
# The main bench's observability section, and each of its observers on its own.
_SECTIONS = {
    line.split(":")[0].strip(): line + "\n" for line in _OBSERVABILITY_SECTION.splitlines()[1:]
}
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


async def _drive(app: object, requests: int, key: str = API_KEY) -> None:
    """``requests`` chat completions through ``app``, 16 at a time, each
    presenting ``key``; each must be a 200."""
    headers = [
        (b"host", b"lip"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(_BODY)).encode()),
        (b"authorization", b"Bearer " + key.encode()),
    ]

    async def one() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/v1/chat/completions",
            "raw_path": b"/v1/chat/completions",
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8080),
            "state": {},
        }
        done = asyncio.Event()
        body = [_BODY]

        async def receive() -> dict[str, object]:
            if body:
                return {"type": "http.request", "body": body.pop(), "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        status: list[int] = []

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))  # type: ignore[call-overload]

        await app(scope, receive, send)  # type: ignore[operator]
        done.set()
        if status != [200]:
            raise RuntimeError(f"a request was answered {status}")

    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    share, extra = divmod(requests, _CONCURRENCY)
    await asyncio.gather(*(worker(share + (i < extra)) for i in range(_CONCURRENCY)))


async def _child(config: Path, requests: int, key: str) -> None:
    """Serve ``config`` in process: start-up, the warm-up, ``requests``
    (presenting ``key``), shut-down."""
    from lip.server.reload import ReloadableApp
    from lip.server.serving import log_config

    logging.config.dictConfig(log_config("warning"))
    for handler in logging.getLogger("lip.access").handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 (for the process's life)
    app = ReloadableApp(str(config))
    inbox: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    lifespan = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)  # type: ignore[arg-type]
    )
    started = await outbox.get()
    if started["type"] != "lifespan.startup.complete":
        raise RuntimeError(f"LIP did not start: {started}")
    await _drive(app, _WARMUP, key)
    await _drive(app, requests, key)
    await inbox.put({"type": "lifespan.shutdown"})
    await lifespan


def _count(config: Path, requests: int, env: dict[str, str], access: bool) -> int:
    """The instructions one child runs (start-up, warm-up, ``requests``)."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "tests.bench.instructions",
        "--child",
        str(config),
        "--requests",
        str(requests),
        *(["--client-key"] if access else []),
    ]
    done = subprocess.run(
        command, env={**os.environ, "PYTHONHASHSEED": "0", **env}, capture_output=True, text=True
    )
    found = _REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"the counted child failed:\n{done.stderr[-2000:]}")
    return int(found[1].replace(",", ""))


def _per_request(config: Path, requests: int, env: dict[str, str], access: bool) -> float:
    few = max(1, requests // 5)
    with ThreadPoolExecutor(2) as pool:  # the two counts at once, one per core
        low, high = pool.map(lambda n: _count(config, n, env, access), (few, requests))
    return (high - low) / (requests - few)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=positive_int, default=2000)
    parser.add_argument("--each", action="store_true", help="also each observer alone")
    parser.add_argument(
        "--access",
        action="store_true",
        help="also access control: a client key with limits (lip-limits), and a budget (lip-auth)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--client-key", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        import uvloop

        uvloop.run(_child(args.child, args.requests, CLIENT_KEY if args.client_key else API_KEY))
        return 0
    if subprocess.run(["valgrind", "--version"], capture_output=True).returncode != 0:
        print("valgrind is needed (apt-get install valgrind)", file=sys.stderr)
        return 2
    # name -> (what the config gets appended, the environment, whether the
    # requests present the client key of the access section)
    variants: dict[str, tuple[str, dict[str, str], bool]] = {"LIP": ("", {}, False)}
    if args.each:
        for name, section in _SECTIONS.items():
            variants[f"LIP, {name} alone"] = (
                f"observability:\n{section}",
                _OBSERVABILITY_ENV,
                False,
            )
    every = "".join(_SECTIONS.values())  # the whole section
    variants["LIP, metrics+traces+log"] = (f"observability:\n{every}", _OBSERVABILITY_ENV, False)
    if args.access:
        access = _ACCESS_SECTION.format(client_key=CLIENT_KEY, model="gpt-4o-mini")
        variants["LIP, key+limits"] = (access.replace(_BUDGET_LINE, ""), {}, True)
        variants["LIP, key+limits+budget"] = (access, {}, True)
    with tempfile.TemporaryDirectory() as work, launch("127.0.0.1", Path(work)) as servers:
        base = servers.lip_config.read_text()
        print(f"Instructions per request (cachegrind; in process, concurrency {_CONCURRENCY})")
        plain = None
        for index, (name, (extra, env, keyed)) in enumerate(variants.items()):
            config = Path(work) / f"variant-{index}.yaml"
            config.write_text(base + extra)
            counted = _per_request(config, args.requests, env, keyed)
            if plain is None:
                plain = counted
                print(f"  {name:28s} {counted / 1e3:8.1f}k")
            else:
                added = counted - plain
                share = added / plain * 100
                print(f"  {name:28s} {counted / 1e3:8.1f}k  {added / 1e3:+7.1f}k ({share:+.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
