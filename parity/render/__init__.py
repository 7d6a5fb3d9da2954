"""Neutral scenario requests -> each frontend protocol's request body."""
