"""Log records as one JSON line each (LOG_FORMAT=json, production) or as short text lines (LOG_FORMAT=text).

Both carry the id of the request or job being handled (masar.core.context), so one grep follows an action from
the request's line through the lines its worker job writes. This module imports nothing from Django: gunicorn's
master process formats its own lines with it before any Django setting is read.
"""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

from masar.core.context import current_request_id

# The attributes every LogRecord has; anything else on a record came from `extra=` and is written as a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}
# Extras never written: Django's `django.request` logger passes the request, whose repr carries the query string
# (tokens, personal search terms).
_UNWRITTEN_EXTRAS = frozenset({"request"})


def record_request_id(record: logging.LogRecord) -> str:
    """The request id the record was logged under: passed explicitly, else the one of the work in hand."""
    return getattr(record, "request_id", "") or current_request_id()


class JsonFormatter(logging.Formatter):
    """Render a record as one line of JSON: time, level, logger, message, request_id and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": record_request_id(record) or None,
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _UNWRITTEN_EXTRAS and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes the newlines of tracebacks and messages: one record is always one line.
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Render a record for a developer's terminal: time, level, [request id], logger and message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        # A copy: the record may go on to another handler, which must not see this one's placeholder.
        return super().format(logging.makeLogRecord({**vars(record), "request_id": record_request_id(record) or "-"}))
