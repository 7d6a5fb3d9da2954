"""What can go wrong between LIP and an upstream, as the HTTP/1.1 client sees it.

::

    TransportError
     ├── ConnectError          no connection (refused, DNS, TLS, a proxy said no)
     │    └── ConnectTimeout   not connected within the connect timeout
     ├── ReadTimeout           the upstream was silent for longer than the read timeout
     ├── ProtocolError         the reply is not valid HTTP (or its body does not decode)
     └── ConnectionClosed      the connection ended before the reply did

Messages say what happened, never the URL, a header or a body: the backend
adapter maps each class to LIP's taxonomy with the backend's id.
"""

from __future__ import annotations


class TransportError(Exception):
    """Any failure of one request on the wire."""


class ConnectError(TransportError):
    """The connection (or its TLS handshake, or a proxy tunnel) could not be set up."""


class ConnectTimeout(ConnectError):
    """Setting up the connection took longer than the connect timeout."""


class ReadTimeout(TransportError):
    """No byte of the reply arrived within the read timeout."""


class ProtocolError(TransportError):
    """The upstream's bytes are not a valid HTTP/1.1 reply."""


class ConnectionClosed(TransportError):
    """The connection ended before the reply was complete."""


__all__ = [
    "ConnectError",
    "ConnectTimeout",
    "ConnectionClosed",
    "ProtocolError",
    "ReadTimeout",
    "TransportError",
]
