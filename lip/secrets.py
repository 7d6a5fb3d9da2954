"""Keeping credentials out of everything LIP says: replies, in-stream errors, logs.

Upstreams echo keys back (``Incorrect API key provided: sk-...``), and their
text reaches clients in 4xx messages and log lines. A :class:`Scrubber`
knows every configured credential and the shapes vendor keys have, and
replaces them; the executor applies it to every error leaving a backend, and
:class:`ScrubbingFilter` to every record of LIP's loggers (and the server's).
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable

__all__ = ["REDACTED", "SCRUBBED", "Scrubber", "ScrubbingFilter", "install_log_scrubber"]

REDACTED = "[redacted]"
SCRUBBED = "lip_scrubbed"
"""A log record attribute: set true, the record's message and arguments were
scrubbed by whoever made it, and :class:`ScrubbingFilter` leaves them as they are."""

# Shapes of vendor credentials, whatever their value: OpenAI / Anthropic
# (sk-..., sk-ant-...), Google API keys (AIza...), LIP client keys (lip-...),
# and bearer tokens.
_SHAPED = (
    r"\bsk-[A-Za-z0-9_\-]{8,}",
    r"\bAIza[0-9A-Za-z_\-]{20,}",
    r"\blip-[A-Za-z0-9_\-]{32,}",  # LIP's own client keys (lip keys new)
    r"(?i:\bbearer\s+)[A-Za-z0-9._~+/=\-]{8,}",
    # Gemini's ?key= in a logged URL, whatever the key (a wrong one included).
    r"(?<=[?&]key=)[^&#\s\"']+",
)
_MIN_SECRET = 6  # shorter configured values would redact ordinary words


class Scrubber:
    """Replaces the given secrets and anything shaped like a key with ``[redacted]``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = frozenset(s for s in secrets if len(s) >= _MIN_SECRET)
        exact = sorted(self._secrets, key=len, reverse=True)  # longest first: no partial hits
        self._pattern = re.compile("|".join([*map(re.escape, exact), *_SHAPED]))

    def __call__(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text)

    def merged(self, other: Scrubber) -> Scrubber:
        """One scrubber for both sets of secrets."""
        return Scrubber(self._secrets | other._secrets)


class ScrubbingFilter(logging.Filter):
    """Scrubs a record's message and traceback before any handler formats it."""

    def __init__(self, scrubber: Scrubber) -> None:
        super().__init__()
        self.scrubber = scrubber

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SCRUBBED, False) and not (record.exc_info or record.exc_text):
            return True
        args = record.args
        if isinstance(args, tuple) and record.name == "uvicorn.access":
            # Its formatter unpacks the args (client, method, path, version,
            # status): scrub each one and keep the shape.
            record.args = tuple(self.scrubber(a) if isinstance(a, str) else a for a in args)
            record.msg = self.scrubber(str(record.msg))
        else:
            record.msg = self.scrubber(record.getMessage())
            record.args = None
        if record.exc_info:
            text = "".join(traceback.format_exception(*record.exc_info))
            record.exc_text = self.scrubber(text.rstrip("\n"))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.scrubber(record.exc_text)
        return True


_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def install_log_scrubber(scrubber: Scrubber) -> None:
    """Attach ``scrubber`` to LIP's loggers and the server's (idempotent per logger:
    a second app in the same process widens the existing filter)."""
    names = [
        name for name in logging.root.manager.loggerDict if name == "lip" or name.startswith("lip.")
    ]
    for name in ("lip", *names, *_SERVER_LOGGERS):
        logger = logging.getLogger(name)
        existing = next((f for f in logger.filters if isinstance(f, ScrubbingFilter)), None)
        if existing is None:
            logger.addFilter(ScrubbingFilter(scrubber))
        else:
            existing.scrubber = existing.scrubber.merged(scrubber)
