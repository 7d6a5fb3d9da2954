"""Record what a real agent client sends: ``python -m parity.record claude-code``.

The client (:mod:`parity.agents`) runs one-shot against its own protocol's
emulator on 127.0.0.1 (no LIP in between: the recording is the client's, not
LIP's), offline, in a fresh working directory and home. The emulator answers
the first request with a tool call (read a file in the working directory)
and the next with text, so the recording holds the client's first request
and its follow-up after a tool result. Each API request is written to
``testdata/clients/<client>-<version>/NN-<step>.json`` with what the parity
scenarios replay (:mod:`parity.recorded`): path, query, the headers that are
not credentials or transport, and the body. Machine-specific values (the
temporary directories, session, device and installation ids) are replaced by
fixed ones so that a re-recording diffs only where the client changed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from parity.agents import AGENTS, API_KEY, Agent, locate, scripted_run, workspace
from parity.recorded import CLIENTS_DIR, FILE_NAME, WORKDIR

__all__ = ["main", "record"]

HOME = "/home/user"
SESSION = "00000000-0000-4000-8000-000000000000"
_UUID = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_DEVICE = re.compile(r'(\\?"device_id\\?":\\?")[0-9a-f]{64}')
_UNIX_MS = re.compile(r'(\\?"turn_started_at_unix_ms\\?":)\d+')
_DROPPED_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "accept-encoding",
        "x-api-key",
        "authorization",
        "x-goog-api-key",
    }
)


def _normalise(text: str, work: str, home: str) -> str:
    text = text.replace(work, WORKDIR).replace(home, HOME)
    # Clients name per-project folders after the working directory.
    text = text.replace(work.replace("/", "-"), WORKDIR.replace("/", "-"))
    text = text.replace(Path(work).name, Path(WORKDIR).name)
    text = _DEVICE.sub(lambda m: m.group(1) + "0" * 64, text)
    text = _UNIX_MS.sub(lambda m: m.group(1) + "0", text)
    return _UUID.sub(SESSION, text)


def record(agent: Agent, cli: str, out: Path) -> list[Path]:
    """Run ``agent`` once against its emulator; write and return its requests."""
    from parity.protocols import emulator
    from refbackends.serving import serve_in_thread

    version = agent.version(cli)
    with workspace() as (work, home), serve_in_thread(emulator(agent.protocol, API_KEY)) as url:
        _, logged = scripted_run(agent, cli, url, url, work, home)
    folder = out / f"{agent.name}-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (step, entry) in enumerate(zip(agent.steps, logged, strict=False), start=1):
        headers = {k: v for k, v in sorted(entry["headers"].items()) if k not in _DROPPED_HEADERS}
        recording = {
            "client": agent.name,
            "version": version,
            "protocol": agent.protocol,
            "step": step,
            "method": entry["method"],
            "path": entry["path"],
            "query": entry["query"],
            "headers": headers,
            "body": entry["body"],
        }
        text = json.dumps(recording, indent=1, ensure_ascii=False) + "\n"
        path = folder / FILE_NAME.format(number=number, step=step)
        path.write_text(_normalise(text, work, home), encoding="utf-8")
        written.append(path)
    if len(written) != len(agent.steps):
        raise RuntimeError(f"{agent.name} sent {len(logged)} request(s), not {len(agent.steps)}")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parity.record", description=__doc__)
    parser.add_argument("agent", choices=sorted(AGENTS))
    parser.add_argument("--cli", help="the client's executable (default: parity.agents.locate)")
    parser.add_argument("--out", type=Path, default=CLIENTS_DIR)
    args = parser.parse_args(argv)
    agent = AGENTS[args.agent]
    cli = args.cli or locate(agent)
    if cli is None:
        parser.error(f"{agent.executable} not found: npm ci --prefix parity/js, or pass --cli")
    for path in record(agent, cli, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
