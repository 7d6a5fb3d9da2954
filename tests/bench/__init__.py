"""Loopback benchmark of LIP against the OpenAI Chat emulator: a report
(``python -m tests.bench.run``), not a test suite. See :mod:`tests.bench.run`."""
