"""The parity matrix: scenarios x (frontend, backend) pairs, driven by the
official vendor SDKs over loopback, captured on both wire legs.

Rows (``parity/rows.yaml``) name features of a vendor surface and the
scenarios (``testdata/scenarios``) that prove them; :mod:`parity.harness`
runs them; :mod:`parity.matrix` derives every status from the run and
writes ``parity/MATRIX.md`` and ``parity/matrix.json``.
"""
