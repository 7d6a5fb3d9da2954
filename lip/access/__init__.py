"""Who may use LIP: client credentials, client keys, OIDC tokens, and the guard.

    credentials  read_credential: the one credential a request carries, from
                 any protocol's auth form (Bearer, x-api-key, x-goog-api-key, ?key=)
    keys         hash_key, new_key, KeyRing: client keys stored as SHA-256 digests
    oidc, jwks   TokenVerifier: JWT bearer tokens against a provider's JWKS
                 (imported only in ``oidc`` mode: needs ``lip[oidc]``)
    guard        Access (authenticate -> Principal, authorize), Principal

Configuration: :class:`lip.config.AccessConfig`. Failures are canonical
errors: :class:`~lip.canonical.errors.AuthenticationError` (401) and
:class:`~lip.canonical.errors.PermissionDeniedError` (403), whose messages
never repeat a credential.
"""

from lip.access.credentials import Credential, read_credential
from lip.access.guard import Access, Principal
from lip.access.keys import KeyRing, hash_key, new_key

__all__ = [
    "Access",
    "Credential",
    "KeyRing",
    "Principal",
    "hash_key",
    "new_key",
    "read_credential",
]
