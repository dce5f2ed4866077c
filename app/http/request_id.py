"""The request id: taken from `X-Request-ID` when sane, made otherwise, and put on every log line.

The id lives in a context variable for the duration of one request. Sync route handlers run
in worker threads that copy the context, so their log lines carry it too.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

# A client's id is echoed into headers and logs, so only a short, plain token is accepted.
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_from(header_value: str | None) -> str:
    """The client's id when it is a sane token, else a new uuid4 hex."""
    if header_value is not None and _SANE_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Sets `record.request_id` on records made before the record factory was installed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


_factory_installed = False


def install_log_record_factory() -> None:
    """Give every log record a `request_id` attribute, whichever handler formats it.

    A record factory (rather than a handler filter alone) also reaches handlers this module
    does not own, such as pytest's `caplog`.
    """
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True
