"""The state store: values by key, bounded by entries and bytes (least
recently used first out), each kept for its ttl; SQLite keeps them across
instances."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lip.protocols.base import StateStore
from lip.server.state import MemoryStore, SQLiteStore

Factory = Callable[..., StateStore]


@pytest.fixture(params=["memory", "sqlite"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    opened: list[SQLiteStore] = []

    def factory(
        *, max_entries: int = 100, max_bytes: int = 1 << 20, ttl: float = 60.0
    ) -> StateStore:
        if request.param == "memory":
            return MemoryStore(max_entries=max_entries, max_bytes=max_bytes, ttl=ttl)
        store = SQLiteStore(
            tmp_path / "state.db", max_entries=max_entries, max_bytes=max_bytes, ttl=ttl
        )
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


def test_put_get_delete(make: Factory) -> None:
    store = make()
    assert store.get("k") is None and store.delete("k") is False
    store.put("k", b"one")
    store.put("k", b"two")  # replaces
    assert store.get("k") == b"two"
    assert store.delete("k") is True
    assert store.get("k") is None and store.delete("k") is False


def test_the_least_recently_used_entries_go_first(make: Factory) -> None:
    store = make(max_entries=3)
    for key in "abc":
        store.put(key, key.encode())
        time.sleep(0.002)  # distinct use times for SQLite
    assert store.get("a") == b"a"  # used again: now the newest
    time.sleep(0.002)
    store.put("d", b"d")
    time.sleep(0.002)
    store.put("e", b"e")
    assert [k for k in "abcde" if store.get(k) is not None] == ["a", "d", "e"]


def test_entries_go_to_stay_within_the_byte_budget(make: Factory) -> None:
    store = make(max_bytes=10)
    for key in "abcd":
        store.put(key, b"xxxx")
        time.sleep(0.002)
    assert [k for k in "abcd" if store.get(k) is not None] == ["c", "d"]  # 8 bytes of 10


def test_a_value_larger_than_the_budget_is_not_kept(make: Factory) -> None:
    store = make(max_bytes=10)
    store.put("k", b"small")
    store.put("k", b"x" * 11)
    assert store.get("k") is None
    store.put("other", b"x" * 10)  # exactly the budget fits
    assert store.get("other") == b"x" * 10


def test_no_entries_allowed_keeps_nothing(make: Factory) -> None:
    store = make(max_entries=0)
    store.put("k", b"v")
    assert store.get("k") is None


def test_entries_expire_after_their_ttl(make: Factory) -> None:
    store = make(ttl=0.05)
    store.put("old", b"v")
    assert store.get("old") == b"v"
    time.sleep(0.1)
    assert store.get("old") is None
    store.put("new", b"w")
    assert store.get("new") == b"w"


def test_memory_store_counts_what_it_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("lip.server.state.time.monotonic", lambda: now[0])
    store = MemoryStore(max_entries=10, max_bytes=100, ttl=10.0)
    store.put("a", b"123")
    store.put("b", b"4567")
    assert (len(store), store.size) == (2, 7)
    now[0] += 11.0
    assert store.get("a") is None  # expired, and dropped when found so
    assert (len(store), store.size) == (1, 4)
    store.delete("b")
    assert (len(store), store.size) == (0, 0)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abcdefgh"), st.binary(max_size=40) | st.none()), max_size=40
    ),
    st.integers(0, 5),
    st.integers(0, 100),
)
def test_memory_store_stays_within_its_bounds(
    ops: list[tuple[str, bytes | None]], max_entries: int, max_bytes: int
) -> None:
    store = MemoryStore(max_entries=max_entries, max_bytes=max_bytes, ttl=60.0)
    held: dict[str, bytes] = {}
    for key, value in ops:
        if value is None:
            store.delete(key)
            held.pop(key, None)
        else:
            store.put(key, value)
            held[key] = value
        assert len(store) <= max_entries and store.size <= max_bytes
        # Whatever is still there is the value last put (never a stale one).
        kept = {k: v for k in held if (v := store.get(k)) is not None}
        assert kept == {k: held[k] for k in kept}
        assert store.size == sum(len(v) for v in kept.values())


def test_sqlite_keeps_values_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = SQLiteStore(path, max_entries=10, max_bytes=1000, ttl=60.0)
    first.put("k", b"kept")
    first.put("gone", b"x")
    first.delete("gone")
    first.close()
    second = SQLiteStore(path, max_entries=10, max_bytes=1000, ttl=60.0)
    try:
        assert second.get("k") == b"kept" and second.get("gone") is None
    finally:
        second.close()


def test_sqlite_honours_smaller_bounds_when_reopened(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    first = SQLiteStore(path, max_entries=10, max_bytes=1000, ttl=60.0)
    for key in "abcde":
        first.put(key, b"vv")
        time.sleep(0.002)
    first.close()
    second = SQLiteStore(path, max_entries=2, max_bytes=1000, ttl=60.0)
    try:
        second.put("f", b"vv")
        assert [k for k in "abcdef" if second.get(k) is not None] == ["e", "f"]
    finally:
        second.close()


def test_two_sqlite_instances_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    one = SQLiteStore(path, max_entries=10, max_bytes=1000, ttl=60.0)
    two = SQLiteStore(path, max_entries=10, max_bytes=1000, ttl=60.0)
    try:
        one.put("k", b"from one")
        assert two.get("k") == b"from one"
        assert two.delete("k") and one.get("k") is None
    finally:
        one.close()
        two.close()
