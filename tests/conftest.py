import os

# Before LIP is imported: every body LIP builds is checked against the wire
# models in the tests, and in the servers they start (lip.protocols.wire_checks).
os.environ["LIP_WIRE_CHECKS"] = "1"

import pytest

from lip.protocols import wire_checks

wire_checks.set_enabled(True)  # in case a plugin imported LIP first


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
