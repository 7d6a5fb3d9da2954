"""Pool isolation, measured: does a backend saturated with long streams delay
requests to another backend?

``python -m tests.bench.isolation [--streams 1000] [--probes 20]`` starts two
OpenAI Chat emulators ("busy" and "calm") and ``lip serve`` in front of both,
each its own process on loopback. It times ``--probes`` sequential unary
requests to the calm backend, then opens ``--streams`` slow streams (a word
every 200 ms) through LIP to the busy backend and, once every one of them has
sent its first chunk, times the same probes again. It reports the p50 and
max of both, and the p50 added by the saturation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import aiohttp
import httpx

from tests.bench.servers import API_KEY, free_port, start_server

_CONFIG = """\
server: {{host: 127.0.0.1, port: {port}}}
backends:
  - {{id: busy, kind: openai-compatible, base_url: 'http://127.0.0.1:{busy}/v1',
      api_key: {key}, models: [busy-model], max_connections: {pool}}}
  - {{id: calm, kind: openai-compatible, base_url: 'http://127.0.0.1:{calm}/v1',
      api_key: {key}, models: [calm-model]}}
"""
_USER = [{"role": "user", "content": "hi"}]


async def _probe(session: aiohttp.ClientSession, url: str, count: int) -> list[float]:
    body = {"model": "calm-model", "messages": _USER}
    times: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        async with session.post(url, json=body) as reply:
            await reply.read()
            assert reply.status == 200, reply.status
        times.append((time.perf_counter() - start) * 1000)
    return times


async def _hold(
    session: aiohttp.ClientSession, url: str, started: asyncio.Event, counter: list[int], total: int
) -> None:
    body = {"model": "busy-model", "stream": True, "messages": _USER}
    async with session.post(url, json=body) as reply:
        assert reply.status == 200, reply.status
        await reply.content.readline()
        counter[0] += 1
        if counter[0] == total:
            started.set()
        async for _ in reply.content:
            pass


async def _measure(lip: str, streams: int, probes: int) -> dict[str, object]:
    url = f"{lip}/v1/chat/completions"
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await _probe(session, url, 5)  # warm-up
        baseline = await _probe(session, url, probes)
        started = asyncio.Event()
        counter = [0]
        holders = [
            asyncio.create_task(_hold(session, url, started, counter, streams))
            for _ in range(streams)
        ]
        opened = time.perf_counter()
        await asyncio.wait_for(started.wait(), 120)
        ramp = time.perf_counter() - opened
        loaded = await _probe(session, url, probes)
        for task in holders:
            task.cancel()
        await asyncio.gather(*holders, return_exceptions=True)
    return {
        "streams": streams,
        "ramp_s": round(ramp, 2),
        "baseline_p50_ms": round(statistics.median(baseline), 2),
        "baseline_max_ms": round(max(baseline), 2),
        "loaded_p50_ms": round(statistics.median(loaded), 2),
        "loaded_max_ms": round(max(loaded), 2),
        "added_p50_ms": round(statistics.median(loaded) - statistics.median(baseline), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        work = Path(tmp)
        ports = {}
        for name in ("busy", "calm"):
            port = free_port("127.0.0.1")
            argv_ = [python, "-m", "lip.cli", "emulate", "openai-chat", "--port", str(port)]
            server = start_server(name, [*argv_, "--api-key", API_KEY], "127.0.0.1", port, work)
            stack.callback(server.stop)
            ports[name] = port
        scripts = [{"scenario": "long", "chunk_delay_ms": 200}] * args.streams
        httpx.post(
            f"http://127.0.0.1:{ports['busy']}/__emulator__/scripts", json=scripts, timeout=30
        ).raise_for_status()
        lip_port = free_port("127.0.0.1")
        config = work / "lip.yaml"
        config.write_text(
            _CONFIG.format(
                port=lip_port,
                busy=ports["busy"],
                calm=ports["calm"],
                key=API_KEY,
                pool=args.streams + 16,
            )
        )
        argv_ = [
            python,
            "-m",
            "lip.cli",
            "serve",
            "--config",
            str(config),
            "--log-level",
            "warning",
        ]
        lip = start_server("lip", argv_, "127.0.0.1", lip_port, work)
        stack.callback(lip.stop)
        result = asyncio.run(_measure(f"http://127.0.0.1:{lip_port}", args.streams, args.probes))
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
