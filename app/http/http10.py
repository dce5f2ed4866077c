"""HTTP/1.0 clients get every body with a Content-Length, never chunked.

HTTP/1.0 has no chunked transfer coding, and a server must not send `Transfer-Encoding` to
a client that did not say HTTP/1.1 (RFC 9112 §6.1). A streamed answer (a CSV export sent
in pieces, a large page compressed on the fly) has no length when it starts, and uvicorn
then chunks it whatever the request's version. So for an HTTP/1.0 request such an answer
is collected first — in memory up to SPOOL_MEMORY_BYTES, then in a temporary file, so a
large export is never held whole in memory — and sent with its Content-Length. HTTP/1.1
clients keep the streaming.
"""

from __future__ import annotations

import tempfile
from typing import IO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SPOOL_MEMORY_BYTES = 1024 * 1024
SEND_BYTES = 64 * 1024
# Statuses that never carry a body, so they need no length.
_BODILESS = frozenset({204, 304})


def _sized(message: Message) -> bool:
    """Whether an answer's start says how long its body is (or that it has none)."""
    if message["status"] < 200 or message["status"] in _BODILESS:
        return True
    return any(name.lower() == b"content-length" for name, _ in message.get("headers", []))


class Http10LengthMiddleware:
    """Collect the streamed answers of HTTP/1.0 requests and send them with Content-Length."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("http_version") != "1.0"
            or scope["method"] == "HEAD"  # no body is sent, so nothing is chunked
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None  # held: the answer has no length yet

        # A spooled file stays in memory until it grows past SPOOL_MEMORY_BYTES.
        with tempfile.SpooledTemporaryFile(SPOOL_MEMORY_BYTES) as spool:

            async def send_sized(message: Message) -> None:
                nonlocal start
                if message["type"] == "http.response.start" and not _sized(message):
                    start = message
                    return
                if start is None or message["type"] != "http.response.body":
                    await send(message)
                    return
                spool.write(message.get("body", b""))
                if not message.get("more_body", False):
                    await _send_spooled(start, spool, send)

            await self.app(scope, receive, send_sized)


async def _send_spooled(start: Message, spool: IO[bytes], send: Send) -> None:
    length = spool.tell()
    headers = [
        (name, value)
        for name, value in start.get("headers", [])
        if name.lower() not in (b"content-length", b"transfer-encoding")
    ]
    headers.append((b"content-length", str(length).encode()))
    await send({**start, "headers": headers})
    spool.seek(0)
    sent = 0
    while True:
        chunk = spool.read(SEND_BYTES)
        sent += len(chunk)
        more = sent < length
        await send({"type": "http.response.body", "body": chunk, "more_body": more})
        if not more:
            return
