"""Security headers: the same set on every answer, and a Content-Security-Policy per media type.

JSON, CSV and problem answers get the strictest policy (`default-src 'none'`): nothing in
them should ever run in a browser. HTML pages (`/docs`, `/redoc`, `/`, meeting pages) get a
policy that loads scripts, styles and images from this origin only; an inline `<script>`
of such a page is allowed by its SHA-256 hash, computed here from the page itself, so no
page needs `'unsafe-inline'` for scripts (Swagger UI starts from one such script).
A route that sets its own Content-Security-Policy keeps it.

`Cross-Origin-Resource-Policy` is `cross-origin`: the API is public and meant to be read by
pages of other origins (through CORS), which `same-origin` would block.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import Message, Receive, Scope, Send

from app.http.asgi import HttpMiddleware

JSON_CSP = b"default-src 'none'; frame-ancestors 'none'"
HTML_CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Added to every answer (a route's own value of any of them is kept).
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"cross-origin"),
)
_CSP = b"content-security-policy"
_OWN_NAMES = frozenset(name for name, _ in SECURITY_HEADERS) | {_CSP}
# HTML bigger than this is sent without hashing its inline scripts (none of ours is close).
HTML_BUFFER_LIMIT = 2 * 1024 * 1024

_INLINE_SCRIPT = re.compile(rb"<script(?P<attrs>[^>]*)>(?P<code>.*?)</script\s*>", re.I | re.S)
_SRC_ATTR = re.compile(rb"\bsrc\s*=", re.I)
_TYPE_ATTR = re.compile(rb"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.I)
_SCRIPT_TYPES = frozenset({b"", b"module", b"text/javascript", b"application/javascript"})


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` plus those of SECURITY_HEADERS (and the JSON CSP) it does not already have."""
    present = {name.lower() for name, _ in headers if name.lower() in _OWN_NAMES}
    added = [header for header in SECURITY_HEADERS if header[0] not in present]
    if _CSP not in present:
        added.append((_CSP, JSON_CSP))
    return headers + added


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions (`'sha256-…'`) for each inline script the browser would run."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if _SRC_ATTR.search(attrs):
            continue
        type_match = _TYPE_ATTR.search(attrs)
        if type_match and type_match.group("type").lower() not in _SCRIPT_TYPES:
            continue  # data blocks (application/json, ld+json) are not executed
        digest = hashlib.sha256(match.group("code")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode() + "'")
    return hashes


def html_csp(html: bytes | None) -> bytes:
    hashes = inline_script_hashes(html) if html is not None else []
    return HTML_CSP_TEMPLATE.format(hashes="".join(" " + h for h in hashes)).encode()


class HtmlCspMiddleware(HttpMiddleware):
    """Give HTML answers a CSP that admits this origin's assets and the page's inline scripts.

    Sits inside the compression layer, so it reads the page as the route wrote it.
    Non-HTML answers pass through untouched (the outermost layer gives them the JSON CSP).
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        streaming = False

        async def send_with_csp(message: Message) -> None:
            nonlocal start, size, streaming
            if start is None and message["type"] == "http.response.start":
                if not _is_html_without_csp(message):
                    streaming = True
                    await send(message)
                    return
                start = message
                return
            if streaming or start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = bool(message.get("more_body", False))
            if more and size <= HTML_BUFFER_LIMIT:
                return
            html = b"".join(chunks) if not more else None
            start["headers"] = [*start["headers"], (_CSP, html_csp(html))]
            streaming = True
            await send(start)
            await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": more})

        await self.app(scope, receive, send_with_csp)


def _is_html_without_csp(message: Message) -> bool:
    html = False
    for name, value in message["headers"]:
        lowered = name.lower()
        if lowered == _CSP:
            return False
        if lowered == b"content-type" and value.lower().startswith(b"text/html"):
            html = True
    return html
