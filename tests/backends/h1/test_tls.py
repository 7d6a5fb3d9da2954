"""TLS to the upstream: a private CA from config, refusal without it, SNI."""

from __future__ import annotations

import ssl

import pytest

from lip.backends.h1 import Client, ConnectError, Timeouts
from tests.backends.h1.conftest import Certs
from tests.backends.h1.rawserver import serve

TIMEOUTS = Timeouts(connect=5.0, read=5.0)


async def _status(client: Client, url: str, tls: ssl.SSLContext | None) -> int:
    response = await client.post(
        client.endpoint(f"{url}/v1", {}, tls=tls), b"{}", timeouts=TIMEOUTS
    )
    try:
        await response.read(1000)
        return response.status
    finally:
        response.close()


@pytest.mark.anyio
async def test_a_private_ca_from_its_file_is_trusted(certs: Certs) -> None:
    async with serve(tls=certs.server_context()) as (url, log):
        client = Client()
        tls = client.tls(ca_file=str(certs.ca_file))
        assert await _status(client, url, tls) == 200
        assert await _status(client, url, tls) == 200
        await client.aclose()
    assert log.connections == 1  # kept alive over TLS too


@pytest.mark.anyio
async def test_a_certificate_from_an_unknown_ca_is_refused(certs: Certs) -> None:
    async with serve(tls=certs.server_context()) as (url, log):
        client = Client()
        with pytest.raises(ConnectError, match="TLS"):
            await _status(client, url, None)  # the system's CAs
        await client.aclose()
    assert log.requests == []


@pytest.mark.anyio
async def test_verification_is_off_only_when_asked(certs: Certs) -> None:
    async with serve(tls=certs.server_context()) as (url, _):
        client = Client()
        assert await _status(client, url, client.tls(verify=False)) == 200
        await client.aclose()


@pytest.mark.anyio
async def test_sni_and_the_certificate_name_are_the_host(certs: Certs) -> None:
    context = certs.server_context()
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment]
    async with serve(tls=context) as (url, _):
        client = Client()
        tls = client.tls(ca_file=str(certs.ca_file))
        assert await _status(client, url.replace("127.0.0.1", "localhost"), tls) == 200
        await client.aclose()
    assert names == ["localhost"]


def test_an_unreadable_ca_file_is_an_error() -> None:
    with pytest.raises(OSError):
        Client().tls(ca_file="/nonexistent/ca.pem")
