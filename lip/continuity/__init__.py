"""Attempt lineage: what happened to each client call, kept for diagnostics."""

from lip.continuity.observer import CallObserver, Lineage, Observers
from lip.continuity.records import Attempt, CallOutcome, CallRecord, Outcome
from lip.continuity.store import LineageStore, MemoryLineage, SQLiteLineage

__all__ = [
    "Attempt",
    "CallObserver",
    "CallOutcome",
    "CallRecord",
    "Lineage",
    "LineageStore",
    "MemoryLineage",
    "Observers",
    "Outcome",
    "SQLiteLineage",
]
