"""Reading the client credential from every protocol's auth form."""

from __future__ import annotations

import pytest

from lip.access.credentials import MAX_CREDENTIAL, Credential, read_credential
from lip.canonical.errors import AuthenticationError

SECRET = "lip-canary-credential-0123456789"


@pytest.mark.parametrize(
    ("headers", "query", "source"),
    [
        ({"authorization": f"Bearer {SECRET}"}, {}, "authorization"),
        ({"authorization": f"bearer   {SECRET}  "}, {}, "authorization"),  # scheme is caseless
        ({"x-api-key": SECRET}, {}, "x-api-key"),
        ({"x-goog-api-key": SECRET}, {}, "x-goog-api-key"),
        ({}, {"key": SECRET}, "query key"),
    ],
)
def test_each_form(headers: dict[str, str], query: dict[str, str], source: str) -> None:
    assert read_credential(headers, query) == Credential(SECRET, source)


def test_none_or_empty_is_no_credential() -> None:
    assert read_credential({}, {}) is None
    assert read_credential({"x-api-key": " ", "authorization": "Bearer "}, {"key": ""}) is None


def test_the_same_value_in_several_forms_is_one_credential() -> None:
    headers = {"authorization": f"Bearer {SECRET}", "x-api-key": SECRET}
    assert read_credential(headers, {"key": SECRET}) == Credential(SECRET, "authorization")


def test_different_values_conflict_without_repeating_either() -> None:
    with pytest.raises(AuthenticationError) as caught:
        read_credential({"x-api-key": SECRET, "x-goog-api-key": "other-value-xyz"}, {})
    assert caught.value.message == (
        "conflicting client credentials: x-api-key, x-goog-api-key carry different values; send one"
    )
    assert caught.value.code == "conflicting_credentials"
    assert SECRET not in str(caught.value) and "other-value-xyz" not in repr(caught.value)


@pytest.mark.parametrize("value", [f"Basic {SECRET}", SECRET, f"Token {SECRET}"])
def test_authorization_must_be_bearer(value: str) -> None:
    with pytest.raises(AuthenticationError, match="must be 'Bearer <client key>'") as caught:
        read_credential({"authorization": value, "x-api-key": SECRET}, {})
    assert SECRET not in str(caught.value)


def test_overlong_credential() -> None:
    with pytest.raises(AuthenticationError, match="over 16384 characters"):
        read_credential({"x-api-key": "k" * (MAX_CREDENTIAL + 1)}, {})


def test_repr_hides_the_secret() -> None:
    assert SECRET not in repr(Credential(SECRET, "x-api-key"))
