"""Client keys: hashing, minting, and verification by the key ring."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest

from lip.access.keys import INVALID_KEY, KeyRing, hash_key, new_key
from lip.canonical.errors import AuthenticationError
from lip.config import AccessConfig, ClientKeyConfig, ConfigError

ALICE = "lip-alice-canary-key-0123456789"
BOB = "lip-bob-canary-key-9876543210"


def _entry(**fields: object) -> ClientKeyConfig:
    return ClientKeyConfig.model_validate(fields)


def test_hash_key_shape() -> None:
    assert hash_key("abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()
    assert len(hash_key(ALICE)) == len("sha256:") + 64


def test_new_keys_are_long_random_and_prefixed() -> None:
    keys = {new_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(k.startswith("lip-") and len(k) >= 36 for k in keys)
    assert new_key(prefix="team-").startswith("team-")


def test_verify_by_hash_and_by_plain_key() -> None:
    ring = KeyRing([_entry(id="alice", hash=hash_key(ALICE)), _entry(id="bob", key=BOB)])
    assert len(ring) == 2
    assert ring.verify(ALICE).id == "alice"
    assert ring.verify(BOB).id == "bob"
    assert ring.plain_keys() == (BOB,)


def test_hash_is_accepted_in_upper_case() -> None:
    ring = KeyRing([_entry(id="alice", hash=hash_key(ALICE).upper().replace("SHA256", "sha256"))])
    assert ring.verify(ALICE).id == "alice"


def test_unknown_and_revoked_keys_get_one_message(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ring = KeyRing([_entry(id="alice", key=ALICE, revoked=True)])
    for presented in (ALICE, BOB, ""):
        with pytest.raises(AuthenticationError) as caught:
            ring.verify(presented)
        assert caught.value.message == INVALID_KEY
        assert caught.value.code == "invalid_api_key"
        assert (ALICE not in repr(caught.value)) and (BOB not in str(caught.value))
    assert "revoked client key 'alice'" in caplog.text
    assert ALICE not in caplog.text and BOB not in caplog.text


def test_duplicate_ids_and_keys_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="duplicate client key id 'a'"):
        KeyRing([_entry(id="a", key=ALICE), _entry(id="a", key=BOB)])
    with pytest.raises(ConfigError, match="client keys 'a' and 'b' are the same key") as caught:
        KeyRing([_entry(id="a", key=ALICE), _entry(id="b", hash=hash_key(ALICE))])
    assert ALICE not in str(caught.value)


def test_from_config_adds_the_keys_file_with_env(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.yaml"
    keys_file.write_text(
        f"- {{id: bob, key: '${{BOB_KEY}}', team: ml}}\n- {{id: carol, hash: '{hash_key('c' * 20)}'}}\n"
    )
    config = AccessConfig(
        mode="keys", keys=(_entry(id="alice", key=ALICE),), keys_file=str(keys_file)
    )
    ring = KeyRing.from_config(config, env={"BOB_KEY": BOB})
    assert ring.verify(BOB).team == "ml"
    assert ring.verify("c" * 20).id == "carol"
    assert ring.verify(ALICE).id == "alice"
    assert set(ring.plain_keys()) == {ALICE, BOB}


def test_an_id_in_both_config_and_keys_file_is_a_duplicate(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.yaml"
    keys_file.write_text(f"- {{id: alice, key: {BOB}}}\n")
    config = AccessConfig(
        mode="keys", keys=(_entry(id="alice", key=ALICE),), keys_file=str(keys_file)
    )
    with pytest.raises(ConfigError, match="duplicate client key id 'alice'"):
        KeyRing.from_config(config)
