"""Upstream HTTP clients compared in one run: what LIP's upstream client costs.

``python -m tests.bench.clients [--clients a,b] [--concurrency 16,1] [--seconds 4]
[--repeat 3]`` starts the null server (tests.bench.nullserver) and, for each
concurrency and client in turn (interleaved, ``--repeat`` rounds), a
subprocess that POSTs a small JSON body to it from that many tasks for
``--seconds``, reading every reply in full. It reports requests per second
and the client process's CPU per request (user + system, all threads: Rust
runtimes included), median of the rounds.

Clients: ``h1`` (LIP's own, lip.backends.h1), ``aiohttp`` (a raw
``ClientSession``, LIP's client before it), ``httpx-aiohttp`` (httpx's
request objects over aiohttp), ``httpx`` (httpx's own httpcore transport),
and when installed ``pyreqwest``, ``httpr`` and ``curl_cffi`` (not LIP
dependencies: install them into the venv to compare).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from tests.bench.servers import free_port, start_server

BODY = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hello " * 20}]}).encode()
HEADERS = {"content-type": "application/json", "authorization": "Bearer sk-bench"}
CLIENTS = ("h1", "aiohttp", "httpx-aiohttp", "httpx", "pyreqwest", "httpr", "curl_cffi")

Send = Callable[[], Awaitable[int]]


async def _client(
    name: str, url: str, concurrency: int
) -> tuple[Send, Callable[[], Awaitable[None]]]:
    if name == "aiohttp":
        import aiohttp

        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=concurrency * 2),
            cookie_jar=aiohttp.DummyCookieJar(),
        )

        async def send() -> int:
            async with session.post(url, data=BODY, headers=HEADERS) as reply:
                await reply.read()
                return reply.status

        return send, session.close
    if name == "h1":
        from lip.backends.h1 import Client, Timeouts

        client = Client(max_connections=concurrency * 2)
        endpoint = client.endpoint(url, HEADERS)
        timeouts = Timeouts(connect=10.0, read=60.0)

        async def send() -> int:
            reply = await client.post(endpoint, BODY, timeouts=timeouts)
            try:
                await reply.read(1 << 20)
            finally:
                reply.close()
            return reply.status

        return send, client.aclose
    if name in ("httpx-aiohttp", "httpx"):
        import httpx

        transport: httpx.AsyncBaseTransport
        if name == "httpx-aiohttp":
            from httpx_aiohttp import AiohttpTransport

            transport = AiohttpTransport()
        else:
            transport = httpx.AsyncHTTPTransport()
        target = httpx.URL(url)
        headers = httpx.Headers(HEADERS)

        async def send() -> int:
            request = httpx.Request("POST", target, content=BODY, headers=headers)
            reply = await transport.handle_async_request(request)
            await reply.aread()
            await reply.aclose()
            return reply.status_code

        return send, transport.aclose
    if name == "pyreqwest":
        from pyreqwest.client import ClientBuilder

        client = await ClientBuilder().max_connections(concurrency * 2).build().__aenter__()

        async def send() -> int:
            reply = await client.post(url).headers(HEADERS).body_bytes(BODY).build().send()
            await reply.bytes()
            return int(reply.status)

        return send, client.close
    if name == "httpr":
        import httpr

        client = httpr.AsyncClient()

        async def send() -> int:
            reply = await client.post(url, content=BODY, headers=HEADERS)
            return int(reply.status_code)

        async def close() -> None:
            await client.aclose()

        return send, close
    if name == "curl_cffi":
        from curl_cffi.requests import AsyncSession

        session = AsyncSession(max_clients=concurrency)

        async def send() -> int:
            reply = await session.post(url, data=BODY, headers=HEADERS)
            return int(reply.status_code)

        return send, session.close
    raise ValueError(name)


async def _drive(name: str, url: str, concurrency: int, seconds: float) -> dict[str, float]:
    send, close = await _client(name, url, concurrency)
    try:
        for _ in range(50):  # warm the pool
            assert await send() == 200
        done = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                assert await send() == 200
                done += 1

        usage = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    finally:
        await close()
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    return {"rps": done / elapsed, "cpu_us": cpu / done * 1e6}


def _child(args: argparse.Namespace) -> int:
    import uvloop

    result = uvloop.run(_drive(args.child, args.url, int(args.concurrency), args.seconds))
    print(json.dumps(result))
    return 0


def _available(name: str) -> bool:
    module = {
        "h1": "lip.backends.h1",
        "httpx-aiohttp": "httpx_aiohttp",
        "pyreqwest": "pyreqwest.client",
    }.get(name, name)
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--concurrency", default="16,1", help="comma-separated levels")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args)
    names = [n for n in args.clients.split(",") if _available(n)]
    skipped = sorted(set(args.clients.split(",")) - set(names))
    levels = [int(c) for c in str(args.concurrency).split(",")]
    results: dict[tuple[int, str], list[dict[str, float]]] = {
        (c, n): [] for c in levels for n in names
    }
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port("127.0.0.1")
        null = start_server(
            "null",
            [
                sys.executable,
                "-m",
                "tests.bench.nullserver",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            "127.0.0.1",
            port,
            Path(tmp),
        )
        try:
            for _ in range(args.repeat):
                for concurrency, name in results:
                    out = subprocess.run(
                        [
                            sys.executable, "-m", "tests.bench.clients", "--child", name,
                            "--url", f"http://127.0.0.1:{port}/v1/chat/completions",
                            "--concurrency", str(concurrency), "--seconds", str(args.seconds),
                        ],
                        capture_output=True, text=True, check=True,
                    )  # fmt: skip
                    results[(concurrency, name)].append(
                        json.loads(out.stdout.strip().splitlines()[-1])
                    )
        finally:
            null.stop()
    print(f"{args.seconds:g} s x {args.repeat} rounds, interleaved (median)")
    for level in levels:
        print(f"\nconcurrency {level}")
        print(f"{'client':<16}{'req/s':>10}{'CPU us/req':>12}")
        for (concurrency, name), runs in results.items():
            if concurrency == level:
                rps = statistics.median(r["rps"] for r in runs)
                cpu = statistics.median(r["cpu_us"] for r in runs)
                print(f"{name:<16}{rps:>10,.0f}{cpu:>12.1f}")
    if skipped:
        print(f"not installed: {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
