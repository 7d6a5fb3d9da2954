"""TLS to an upstream: the system's CAs unless a CA bundle is given; SNI is the host."""

from __future__ import annotations

import ssl


def tls_context(*, ca_file: str | None = None, verify: bool = True) -> ssl.SSLContext:
    """A client context: certificates checked against the system's CAs, or only
    against ``ca_file`` (PEM) when given; ``verify=False`` checks nothing (an
    explicit opt-out, never a default). Raises ``OSError`` / ``ssl.SSLError``
    when ``ca_file`` cannot be read."""
    context = ssl.create_default_context(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    # This client speaks HTTP/1.1 only: say so, so no server picks h2.
    context.set_alpn_protocols(["http/1.1"])
    return context


__all__ = ["tls_context"]
