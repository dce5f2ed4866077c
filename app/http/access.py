"""The outermost layer: request id, security headers, one access log line, metrics, last-resort 500.

Being outermost, it sees the final status of every answer (304, 413, 429 included) and the
full time taken, and its headers reach answers made by any inner layer.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qsl, urlencode

from starlette.types import Message, Receive, Scope, Send

from app.errors import AppError, problem_response
from app.http import metrics
from app.http.asgi import HttpMiddleware
from app.http.request_id import request_id_from, request_id_var
from app.http.security import with_security_headers

access_logger = logging.getLogger("app.access")
error_logger = logging.getLogger("app.errors")

# Query parameters whose values never reach a log line.
SECRET_PARAMETER_PARTS = ("key", "token", "secret", "password", "auth", "signature")
_SECRET_PARTS_BYTES = tuple(part.encode() for part in SECRET_PARAMETER_PARTS)


def loggable_query(query_string: bytes) -> str:
    """The query string with the values of secret-looking parameters replaced by `***`."""
    lowered = query_string.lower()
    if not any(part in lowered for part in _SECRET_PARTS_BYTES):
        # Nothing to hide (the usual case): no need to parse and re-encode every request's query.
        return query_string.decode("latin-1")
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    redacted = [
        (name, "***" if any(part in name.lower() for part in SECRET_PARAMETER_PARTS) else value)
        for name, value in pairs
    ]
    return urlencode(redacted, safe=",:*")


class RequestContextMiddleware(HttpMiddleware):
    """Request id in, request id out; security headers; access log and metrics per request."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started_at = time.perf_counter()
        incoming = next(
            (value for name, value in scope["headers"] if name == b"x-request-id"), None
        )
        request_id = request_id_from(incoming.decode("latin-1") if incoming else None)
        token = request_id_var.set(request_id)
        id_header = (b"x-request-id", request_id.encode())
        status = 500
        response_started = False

        async def send_with_context(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = with_security_headers([*message["headers"], id_header])
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        except Exception:
            # An error no handler took. Log it with the request id; the client gets a
            # problem+json without internals (and this request's headers).
            error_logger.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if response_started:
                raise
            response = problem_response(
                None,
                status=500,
                kind=AppError,
                detail="An unexpected error occurred; it has been logged.",
                instance=scope["path"],
            )
            await response(scope, receive, send_with_context)
        finally:
            duration = time.perf_counter() - started_at
            route = metrics.route_template(scope)
            metrics.observe(scope["method"], route, status, duration)
            self._log(scope, route, status, duration)
            request_id_var.reset(token)

    @staticmethod
    def _log(scope: Scope, route: str, status: int, duration: float) -> None:
        level = logging.WARNING if status >= 500 else logging.INFO
        if not access_logger.isEnabledFor(level):
            return
        method, path = scope["method"], scope["path"]
        duration_ms = duration * 1000
        client = scope.get("client")
        fields: dict[str, object] = {
            "method": method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(duration_ms, 2),
            "client": client[0] if client else None,
        }
        if scope.get("query_string"):
            fields["query"] = loggable_query(scope["query_string"])
        # makeRecord + handle is `log()` without the search for the calling source line,
        # which would always find this function: a measurable saving on every request.
        record = access_logger.makeRecord(
            access_logger.name,
            level,
            __file__,
            0,
            "%s %s %s %.1fms",
            (method, path, status, duration_ms),
            None,
            "access",
            fields,
        )
        access_logger.handle(record)
