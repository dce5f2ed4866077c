"""Process-wide logging: JSON lines or console text (`SCO_LOG_FORMAT`), each with the request id.

`configure_logging` is called once per application (from `install_middleware`); calling it
again replaces this module's handler instead of adding a second one, so tests that build
many applications do not multiply log lines. Handlers it does not own (pytest's) are kept.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Literal

import orjson

from app.http.request_id import RequestIdFilter, install_log_record_factory

# Attributes every LogRecord has; anything else on a record came from `extra=` and is data.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", logging.INFO, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}

_HANDLER_MARK = "_sco_handler"


class _Clock:
    """Formats record times; the date-and-seconds part is computed once per second."""

    def __init__(self, pattern: str, *, utc: bool) -> None:
        self.pattern = pattern
        self.convert = time.gmtime if utc else time.localtime
        self.second = -1
        self.prefix = ""

    def __call__(self, created: float) -> str:
        second = int(created)
        if second != self.second:
            self.second, self.prefix = second, time.strftime(self.pattern, self.convert(second))
        return f"{self.prefix}.{int((created - second) * 1000):03d}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and the extras."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = _Clock("%Y-%m-%dT%H:%M:%S", utc=True)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.clock(record.created) + "Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry, default=str).decode()


class ConsoleFormatter(logging.Formatter):
    """`time LEVEL logger [request id] message` for a person reading a terminal."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = _Clock("%Y-%m-%d %H:%M:%S", utc=False)

    def format(self, record: logging.LogRecord) -> str:
        # Written out rather than through a `%(...)s` template: this runs for every request.
        request_id = getattr(record, "request_id", None) or "-"
        line = (
            f"{self.clock(record.created)} {record.levelname:<7} {record.name} "
            f"[{request_id}] {record.getMessage()}"
        )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + record.exc_text
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


def configure_logging(level: str, log_format: Literal["json", "console"]) -> None:
    """Route every logger (uvicorn's included) through one handler on the root logger."""
    install_log_record_factory()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter() if log_format == "json" else ConsoleFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn installs its own handlers before it imports the app; send its lines through
    # ours so they share the format. Its access log would repeat the middleware's line.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
