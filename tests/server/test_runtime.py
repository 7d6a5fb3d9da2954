"""The runtime: what it builds from config (the scrubber's credentials, the state store)."""

from __future__ import annotations

from pathlib import Path

from lip.config import parse_config
from lip.server.runtime import Runtime
from lip.server.state import MemoryStore, SQLiteStore


def test_proxy_passwords_and_keys_are_scrubbed() -> None:
    config = parse_config(
        """
backends:
  - {id: a, kind: openai-compatible, base_url: 'http://127.0.0.1:9/v1',
     api_key: sk-upstream-key-000000, proxy: 'http://proxyuser:pr0xy-passw0rd@127.0.0.1:3128'}
""",
        env={},
    )
    runtime = Runtime(config, env={})
    said = runtime.scrubber(
        "via proxyuser:pr0xy-passw0rd@127.0.0.1:3128 with sk-upstream-key-000000"
    )
    assert "pr0xy-passw0rd" not in said and "sk-upstream-key-000000" not in said


def test_the_state_store_follows_config(tmp_path: Path) -> None:
    base = "backends: [{id: s, kind: localstub}]\n"
    assert isinstance(Runtime(parse_config(base, env={}), env={}).state, MemoryStore)
    path = tmp_path / "state.db"
    kept = parse_config(base + f"server: {{state: {{path: '{path}', max_entries: 2}}}}\n", env={})
    store = Runtime(kept, env={}).state
    assert isinstance(store, SQLiteStore)
    for key in "abc":
        store.put(key, b"v")
    assert [store.get(k) for k in "abc"] == [None, b"v", b"v"]
