"""Label values of the metrics a finished call moves, bounded by the config:
a backend or model the config does not name is ``other``, so a client cannot
make the series grow without end."""

from __future__ import annotations

from typing import Final

from lip.config import Config
from lip.continuity import Attempt, CallOutcome, CallRecord, Outcome

__all__ = ["CallLabels"]

_GLOB = frozenset("*?[")
_OUTCOMES: Final[dict[Outcome | CallOutcome | None, str]] = {
    None: "unknown",
    **{o: o.value for o in Outcome},
    **{o: o.value for o in CallOutcome},
}


class CallLabels:
    """Label values from the config (see :mod:`lip.observe.metrics`)."""

    def __init__(self, config: Config) -> None:
        models: set[str] = {m for m in config.prices if not _GLOB & set(m)}
        backends: set[str] = set()
        for backend in config.backends:
            backends.update(backend.upstream_ids())
            models.update(m for m in backend.models if not _GLOB & set(m))
            models.update(backend.model_map)
            models.update(backend.model_map.values())
        self._models = frozenset(models)
        self._backends = frozenset(backends)
        self._metrics_path = config.observability.metrics.path

    def backend(self, attempt: Attempt | None) -> str:
        if attempt is None:
            return "none"
        return attempt.backend_id if attempt.backend_id in self._backends else "other"

    def model(self, attempt: Attempt | None) -> str:
        if attempt is None:
            return "unknown"
        return attempt.model if attempt.model in self._models else "other"

    def path_group(self, record: CallRecord) -> str:
        path = record.path
        if record.protocol is not None:
            return "generate"
        if path in ("/healthz", "/readyz"):
            return "health"
        if path == self._metrics_path:
            return "metrics"
        if path.startswith("/diagnostics/"):
            return "diagnostics"
        if path == "/openapi.json":
            return "openapi"
        return "other"

    @staticmethod
    def outcome(outcome: Outcome | CallOutcome | None) -> str:
        return _OUTCOMES[outcome]

    @staticmethod
    def client(subject: str | None) -> str:
        """A key id or ``oidc:<subject>``; open access (``ip:<address>``) is anonymous."""
        if subject is None or subject.startswith("ip:"):
            return "anonymous"
        return subject

    @staticmethod
    def status_class(status: int | None) -> str:
        """``2xx``...; ``none`` when the client left before any reply was sent."""
        return "none" if status is None else f"{status // 100}xx"
