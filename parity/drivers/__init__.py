"""Official vendor SDKs as parity clients: one module per frontend protocol and language."""
