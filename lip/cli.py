"""Command line: ``lip serve | check-config | routes | inventory | keys new | parity | emulate``."""

from __future__ import annotations

import argparse
import importlib
import logging.config
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from lip.config import Config, ConfigError

if TYPE_CHECKING:
    from lip.backends import ResolvedBackend
    from lip.routing import Plan
    from lip.validation import ValidatedConfig

# Emulators users can run offline: name -> module exposing ``create_app()``.
_EMULATORS = {
    "openai-chat": "refbackends.openai_chat",
    "anthropic-messages": "refbackends.anthropic_messages",
    "openai-responses": "refbackends.openai_responses",
    "gemini": "refbackends.gemini",
}


def _load(path: str | None) -> Config:
    """Load and fully validate (backend kinds, keys, routes); exit 2 with the problem otherwise."""
    config, _ = _resolved(path)
    return config


def _resolved(path: str | None) -> tuple[Config, tuple[ResolvedBackend, ...]]:
    checked = _validated(path)
    return checked.config, checked.resolved


def _validated(path: str | None) -> ValidatedConfig:
    from lip.validation import validate_config

    try:
        return validate_config(path)
    except ConfigError as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    print(f"lip: {message}", file=sys.stderr)
    raise SystemExit(2)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    config = _load(args.config)
    host = args.host or config.server.host
    port = config.server.port if args.port is None else args.port
    workers = args.workers or config.server.workers
    if (problem := config.access.open_bind_problem(host)) is not None:
        _fail(problem)  # --host may override a loopback server.host
    if workers == 1:
        return _run_worker(args.config, config, args.log_level, host, port, sock=None)
    import inspect
    import os

    from lip.server.serving import log_config
    from lip.server.workers import listeners, supervise

    if not hasattr(os, "fork"):
        _fail("--workers needs a POSIX system (fork)")
    logging.config.dictConfig(log_config(args.log_level))
    # uvicorn's own default backlog, read without building a Config (which
    # would set up logging again).
    backlog = inspect.signature(uvicorn.Config).parameters["backlog"].default
    try:
        sockets = listeners(host, port, workers, backlog)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    # Listening from here on: a client connecting while the workers start up
    # (or while one is replaced) waits in a backlog instead of being refused.
    logging.getLogger("lip.server").info(
        "LIP listening on %s:%d with %d workers", host, sockets[0].getsockname()[1], workers
    )
    return supervise(
        sockets, lambda s: _run_worker(args.config, config, args.log_level, host, port, sock=s)
    )


def _run_worker(
    path: str | None,
    config: Config,
    log_level: str,
    host: str,
    port: int,
    sock: socket.socket | None,
) -> int:
    """One server process: its own app, runtime and upstream pools; SIGHUP
    (and with ``observability.reload.watch`` a change to the file) reloads
    ``path`` (lip.server.reload)."""
    import uvicorn

    from lip.server import ReloadableApp, server_options
    from lip.server.serving import draining_server, log_config

    try:
        app = ReloadableApp(path, watch_interval=1.0, handle_sighup=True, settle_heap=True)
    except ConfigError as exc:  # changed since _serve checked it
        _fail(str(exc))
    server_config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        log_config=log_config(log_level),
        access_log=config.server.access_log,
        timeout_graceful_shutdown=config.server.shutdown_timeout,
        **server_options(app),
    )
    server = draining_server(server_config, app, config.server.drain_delay)
    server.run(sockets=None if sock is None else [sock])
    return 0


def _check_config(args: argparse.Namespace) -> int:
    # _load exits 2 on any problem, a selector's with a caret under its position.
    config = _load(args.config)
    print(f"{args.config or '<embedded default>'}: OK ({len(config.backends)} backend(s))")
    return 0


def _routes(args: argparse.Namespace) -> int:
    from lip.routing import Planner

    config, resolved = _resolved(args.config)
    planner = Planner(config)
    print(f"default route: {config.routing.default_route or '(none)'}")
    if planner.default_plan is not None:
        _print_plan(planner.default_plan, "  ")
    print("backends:")
    for b in config.backends:
        models = ", ".join(b.models) or "(explicit selectors only)"
        mine = [r for r in resolved if r.config.id == b.id]
        if b.instances:
            where = f"{len(mine)} instance{'s' if len(mine) != 1 else ''}"
        else:
            where = mine[0].base_url or "(in process)"
        print(f"  {b.id:<16} {b.kind:<18} {where}  models: {models}")
        for client_model, upstream in b.model_map.items():
            print(f"  {'':<16} {'':<18} map {client_model} -> {upstream}")
        for r in mine:
            if r.instance is not None:
                weight = f"weight {r.instance.weight:g}"
                print(f"    {r.id:<14} {weight:<18} {r.base_url}")
    if config.routing.model_aliases:
        print("model aliases (applied in order):")
        ids = frozenset(b.id for b in config.backends)
        for alias, plan in zip(config.routing.model_aliases, planner.alias_plans, strict=True):
            print(f"  {alias.match} -> {alias.replace}")
            if plan is not None:
                _print_plan(plan, "    ")
            else:
                _print_template(alias.replace, ids, "    ")
    served = planner.models()
    if served:
        print("models:")
        for model, backend_id in served:
            print(f"  {model} -> {backend_id}")
    return 0


def _inventory(args: argparse.Namespace) -> int:
    import json

    from lip.inventory import build_inventory

    checked = _validated(args.config)
    inventory = build_inventory(checked.config, checked.plugins, checked.resolved, checked.planner)
    print(json.dumps(inventory.to_json(), indent=2))
    return 0


def _print_plan(plan: Plan, indent: str) -> None:
    legs = f"{plan.legs} leg{'s' if plan.legs != 1 else ''}"
    print(f"{indent}plan of {plan.selector!r}: {legs}, first output within {plan.ttft_timeout:g}s")
    for line in plan.outline():
        print(f"{indent}  {line}")


def _print_template(template: str, ids: frozenset[str], indent: str) -> None:
    """A template that uses the match's groups: its shape, group references as written."""
    from lip.routing import Leaf, SelectorError, parse

    print(f"{indent}(uses the match's groups: resolved on each call)")
    try:
        shape = parse(template, ids)
    except SelectorError:
        return  # may only parse once the groups are filled in
    if isinstance(shape.root, Leaf) and str(shape) == str(shape.root):
        return  # one plain leaf: the line above says it all
    print(f"{indent}shape: {shape}")
    for line in shape.outline():
        print(f"{indent}  {line}")


def _keys_new(args: argparse.Namespace) -> int:
    """Mint a client key: the key on the first line (shown once, never stored),
    its ``access.keys`` entry (id and hash) on the second."""
    import secrets

    import yaml
    from pydantic import ValidationError

    from lip.access import hash_key, new_key
    from lip.config import ClientKeyConfig

    key = new_key()
    entry = {"id": args.id or f"key-{secrets.token_hex(4)}", "hash": hash_key(key)}
    entry |= {name: getattr(args, name) for name in ("owner", "team") if getattr(args, name)}
    try:
        ClientKeyConfig.model_validate(entry)
    except ValidationError as exc:
        err = exc.errors(include_url=False, include_input=False)[0]
        _fail(f"--{err['loc'][0]}: {err['msg'].removeprefix('Value error, ')}")
    line = yaml.safe_dump(entry, default_flow_style=True, sort_keys=False, width=1 << 16)
    print(key)
    print(f"- {line.strip()}")
    print(
        "lip: the key is shown once: give it to the client. Add the line to "
        "access.keys (or access.keys_file); LIP keeps only the hash.",
        file=sys.stderr,
    )
    return 0


def _emulate(args: argparse.Namespace) -> int:
    import uvicorn

    from refbackends.serving import quiet_emulated_cuts

    module = importlib.import_module(_EMULATORS[args.protocol])
    app = module.create_app(api_key=args.api_key)
    quiet_emulated_cuts()  # scripted cuts are by design, not errors worth a traceback
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def _openapi(args: argparse.Namespace) -> int:
    import json

    from lip.plugins import Plugins
    from lip.server.openapi import openapi_document

    document = openapi_document(Plugins.builtin().frontends())
    if args.check:
        try:
            from openapi_spec_validator import validate
        except ImportError:
            _fail("--check needs openapi-spec-validator (pip install 'lip[test]')")
        validate(document)  # raises with the first problem
    print(json.dumps(document, indent=2))
    return 0


def _parity(argv: Sequence[str]) -> int:
    """``lip parity ...`` is ``python -m parity ...`` (its own options and help)."""
    from parity.__main__ import main as parity_main

    return parity_main(argv)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lip", description="LIP, the LLM Interactive Proxy")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the gateway (no --config: local stub on loopback)")
    serve.add_argument("--config", help="YAML config file")
    serve.add_argument("--host", help="override server.host")
    serve.add_argument("--port", type=int, help="override server.port")
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers", type=int, help="server processes on one socket (default: server.workers, 1)"
    )
    serve.set_defaults(func=_serve)

    check = sub.add_parser("check-config", help="validate a config file and exit")
    check.add_argument("--config", required=True)
    check.set_defaults(func=_check_config)

    routes = sub.add_parser("routes", help="show the default route, backends and models")
    routes.add_argument("--config")
    routes.set_defaults(func=_routes)

    inventory = sub.add_parser(
        "inventory",
        help="print, as JSON, the protocols, backend kinds, backends and plans a config serves",
    )
    inventory.add_argument("--config")
    inventory.set_defaults(func=_inventory)

    openapi = sub.add_parser("openapi", help="print LIP's OpenAPI document (GET /openapi.json)")
    openapi.add_argument(
        "--check", action="store_true", help="validate it with openapi-spec-validator first"
    )
    openapi.set_defaults(func=_openapi)

    keys = sub.add_parser("keys", help="client keys for access.mode: keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_new = keys_sub.add_parser("new", help="mint a client key and print its config entry")
    keys_new.add_argument("--id", help="the key's id (default: key-<random>)")
    keys_new.add_argument("--owner", help="who holds the key")
    keys_new.add_argument("--team", help="the holder's team")
    keys_new.set_defaults(func=_keys_new)

    sub.add_parser(
        "parity",
        help="run the parity matrix with the official SDKs (lip parity --help for its options)",
    )

    emulate = sub.add_parser("emulate", help="run a vendor API emulator for offline work")
    emulate.add_argument("protocol", choices=sorted(_EMULATORS))
    emulate.add_argument("--host", default="127.0.0.1")
    emulate.add_argument("--port", type=int, default=8081)
    emulate.add_argument("--api-key", help="require this key (default: accept any)")
    emulate.add_argument("--log-level", default="warning")
    emulate.set_defaults(func=_emulate)
    return parser


def _with_system_malloc(arguments: list[str]) -> None:
    """Re-run ``lip serve`` under ``PYTHONMALLOC=malloc`` (memory given back
    after a peak, lip.server.memory) unless the environment chose an allocator
    or the config turns reclaiming off. Replaces this process (same pid)."""
    import os

    if os.environ.get("PYTHONMALLOC") is not None or sys.implementation.name != "cpython":
        return
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return  # under a profiler or debugger: a new process would escape it
    if not sys.platform.startswith("linux"):
        return
    args = build_parser().parse_args(arguments)
    config = _load(args.config)
    if config.server.reclaim_memory <= 0:
        return
    env = {**os.environ, "PYTHONMALLOC": "malloc"}
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "lip.cli", *arguments], env)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["parity"]:
        return _parity(arguments[1:])
    if arguments[:1] == ["serve"] and argv is None:
        _with_system_malloc(arguments)
    args = build_parser().parse_args(arguments)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
