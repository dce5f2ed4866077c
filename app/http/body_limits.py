"""Request bodies: too large → 413 before they are read whole; wrong media type → 415.

Size: a declared `Content-Length` over the limit is refused before the route runs; a body
sent without one (chunked) is counted as it arrives and refused the moment it passes the
limit, whatever the route was doing with it. The limit is `SCO_MAX_BODY_BYTES`; a path may
have its own (bulk import: `SCO_IMPORT_MAX_BYTES`), given as a path → bytes mapping.

Media type: a POST, PUT or PATCH that carries a body must say it is JSON
(`application/json`, `application/merge-patch+json`, any `application/*+json`) or CSV
(`text/csv`); a path may take more (bulk import: gzip and plain text), given as a path →
media types mapping.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PayloadTooLarge, UnsupportedMediaType, problem_response
from app.http.asgi import HttpMiddleware
from app.http.headers import raw_headers

ACCEPTED_MEDIA_TYPES = frozenset({"application/json", "application/merge-patch+json", "text/csv"})
_TYPED_METHODS = frozenset({"POST", "PUT", "PATCH"})
_ACCEPTED_LIST = "application/json, application/merge-patch+json, text/csv"


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_detail(limit))


def too_large_detail(limit: int) -> str:
    return f"The request body is larger than the limit of {limit} bytes."


def media_type_accepted(content_type: str, also: frozenset[str] | None = None) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return (
        media_type in ACCEPTED_MEDIA_TYPES
        or media_type in (also or ())
        or (media_type.startswith("application/") and media_type.endswith("+json"))
    )


def _too_large(path: str, limit: int) -> Response:
    return problem_response(
        None,
        status=413,
        kind=PayloadTooLarge,
        detail=too_large_detail(limit),
        instance=path,
        headers={"Connection": "close"},
    )


def _unsupported(path: str, method: str, content_type: str | None) -> Response:
    said = f"Content-Type {content_type!r}" if content_type else "A body without Content-Type"
    # RFC 9110 §15.5.16: tell the client what it may send instead.
    advertise = "Accept-Patch" if method == "PATCH" else "Accept-Post"
    return problem_response(
        None,
        status=415,
        kind=UnsupportedMediaType,
        detail=f"{said} is not supported; send one of {_ACCEPTED_LIST}.",
        instance=path,
        headers={advertise: _ACCEPTED_LIST},
    )


class BodyLimitMiddleware(HttpMiddleware):
    """413 for bodies over the limit (declared or counted), 415 for unaccepted media types."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        per_path: Mapping[str, int] | None = None,
        media_types_per_path: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes
        self.per_path = dict(per_path or {})
        self.media_types_per_path = dict(media_types_per_path or {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = raw_headers(
            scope["headers"], b"content-length", b"content-type", b"transfer-encoding"
        )
        content_length = _text(headers.get(b"content-length"))
        content_type = _text(headers.get(b"content-type"))
        chunked = b"transfer-encoding" in headers
        declared = int(content_length) if content_length and content_length.isdigit() else None
        if not declared and not chunked:  # no body: nothing to check (the usual GET)
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = self.per_path.get(path, self.max_bytes)
        if declared is not None and declared > limit:
            await _too_large(path, limit)(scope, receive, send)
            return
        if scope["method"] in _TYPED_METHODS and not (
            content_type and media_type_accepted(content_type, self.media_types_per_path.get(path))
        ):
            await _unsupported(path, scope["method"], content_type)(scope, receive, send)
            return
        await _CountingCall(self.app, limit)(scope, receive, send)


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")


class _CountingCall:
    """One request whose body is counted as it is read."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.received = 0
        self.exceeded = False
        self.started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.limit:
                    self.exceeded = True
                    raise BodyTooLarge(self.limit)
            return message

        async def guarded_send(message: Message) -> None:
            if self.exceeded:
                # Whatever the route made of the interrupted body, the answer is the 413.
                if message["type"] == "http.response.start" and not self.started:
                    self.started = True
                    await _too_large(scope["path"], self.limit)(scope, receive, send)
                return
            if message["type"] == "http.response.start":
                self.started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not self.exceeded:
                raise
            if not self.started:
                self.started = True
                await _too_large(scope["path"], self.limit)(scope, receive, send)
