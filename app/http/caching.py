"""HTTP caching for every GET and HEAD: ETag, If-None-Match → 304, Cache-Control, Vary, gzip.

* ETag: a strong tag from the bytes of the answer (`app.http.etag.etag_of`), so it is equal
  in every process for the same data and changes with any byte. A tag the route set itself
  (item answers, for `If-Match`) is kept.
* Compression: bodies over 1 KiB are gzip-encoded when `Accept-Encoding` allows. The gzip
  representation is a different byte sequence, so its tag is the identity tag with `-gzip`
  inside the quotes; `If-None-Match` matches either form (the weak comparison of RFC 9110
  §13.1.2, with the encoding suffix ignored: `app.http.etag`; the headers are parsed by
  `app.http.headers`). Compression is deterministic (no timestamp in
  the gzip header), though the tag never depends on it.
* Cache-Control: `public, max-age=SCO_CACHE_MAX_AGE` on anonymous 2xx reads, `no-store`
  when the request carries `Authorization`, on `/health/*` and `/metrics`, and on errors.
* Vary: `Accept, Accept-Encoding` (CSV is negotiated by `Accept`).
* HEAD: answered as the GET of the same URL without its body, so every GET route has it
  (`curl -I` shows the headers a GET would get).

Bodies are buffered to hash them, up to BUFFER_LIMIT. A streamed answer (a CSV export sent in
chunks) that grows past it is passed on as it comes, without a computed ETag, and still
compressed on the fly; so a large export is never held whole in memory.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.entity_tags import etag_of
from app.http.asgi import HttpMiddleware
from app.http.etag import gzip_etag, names_state
from app.http.headers import accepts_coding, raw_headers

BUFFER_LIMIT = 8 * 1024 * 1024
GZIP_MINIMUM_SIZE = 1024
# Files with their own tag (the docs bundles) are compressed once, kept, and so can afford
# the better ratio; answers computed per request (a 500-row page, a CSV export streamed in
# chunks) use the fast level: about 3x quicker than level 6, some 30% more bytes.
GZIP_LEVEL = 6
GZIP_FAST_LEVEL = 1
GZIP_CACHE_MIN_SIZE = 64 * 1024
GZIP_CACHE_MAX_BYTES = 16 * 1024 * 1024
NO_STORE = "no-store"
NO_STORE_PREFIXES = ("/health/", "/metrics")
VARY_ON = ("Accept", "Accept-Encoding")
COMPRESSIBLE_TYPES = (
    b"application/json",
    b"application/problem+json",
    b"application/merge-patch+json",
    b"application/javascript",
    b"application/xml",
    # SDMX messages (`app.sdmx.media`): XML, JSON and CSV text.
    b"application/vnd.sdmx.",
    b"image/svg+xml",
    b"text/",
)
_READ_METHODS = frozenset({"GET", "HEAD"})
# Headers a 304 must not carry: they describe the body it does not have.
BODY_HEADERS = frozenset({b"content-length", b"content-type", b"content-encoding"})
_WATCHED = frozenset({b"etag", b"cache-control", b"vary", b"content-type", b"content-encoding"})

RawHeaders = list[tuple[bytes, bytes]]


def none_match(if_none_match: str, etag: str) -> bool:
    """True when `If-None-Match` names the current representation (or is `*`): the weak
    comparison of RFC 9110 §13.1.2, whatever the encoding the client got it in."""
    return names_state(if_none_match, etag, strong=False)


def accepts_gzip(accept_encoding: str) -> bool:
    """`gzip` acceptable: listed with a non-zero weight, or not listed and `*` is."""
    return accepts_coding(accept_encoding, "gzip")


def merge_vary(existing: str | None, names: Iterable[str]) -> str:
    values = [v.strip() for v in existing.split(",") if v.strip()] if existing else []
    known = {v.lower() for v in values}
    values += [name for name in names if name.lower() not in known]
    return ", ".join(values)


def gzip_compress(body: bytes, level: int = GZIP_LEVEL) -> bytes:
    """gzip with a zero timestamp: the same bytes in, the same bytes out."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 31)
    return compressor.compress(body) + compressor.flush()


class GzipCache:
    """Compressed bodies of large answers, by strong ETag, least recently used out first.

    The docs bundles (over 1 MB each) would otherwise be compressed again for every browser
    that loads /docs; a strong tag names exactly one byte sequence, and the compression is
    deterministic, so a stored result is always the right one. Only the event loop touches it.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[str, bytes] = OrderedDict()
        self.size = 0

    def compress(self, etag: str | None, body: bytes) -> bytes:
        if etag is None or etag.startswith("W/") or len(body) < GZIP_CACHE_MIN_SIZE:
            return gzip_compress(body)
        cached = self.items.get(etag)
        if cached is not None:
            self.items.move_to_end(etag)
            return cached
        compressed = gzip_compress(body)
        if len(compressed) <= self.max_bytes:
            self.items[etag] = compressed
            self.size += len(compressed)
            while self.size > self.max_bytes:
                _, evicted = self.items.popitem(last=False)
                self.size -= len(evicted)
        return compressed


gzip_cache = GzipCache(GZIP_CACHE_MAX_BYTES)


def _replaced(raw: RawHeaders, changes: dict[bytes, str | None]) -> RawHeaders:
    """`raw` with the named headers replaced (or removed, for None); names are lower case."""
    kept = [(name, value) for name, value in raw if name not in changes]
    return kept + [(name, v.encode("latin-1")) for name, v in changes.items() if v is not None]


def _has_length(start: Message) -> bool:
    return any(name == b"content-length" for name, _ in start["headers"])


class CachingMiddleware(HttpMiddleware):
    """ETag, conditional GET, Cache-Control, Vary and gzip, for every route at once."""

    def __init__(self, app: ASGIApp, *, max_age: int) -> None:
        super().__init__(app)
        self.public = f"public, max-age={max_age}"

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = raw_headers(
            scope["headers"], b"accept-encoding", b"if-none-match", b"authorization"
        )
        accept_encoding = headers.get(b"accept-encoding", b"").decode("latin-1")
        if_none_match = headers.get(b"if-none-match")
        keyed = b"authorization" in headers
        gzip_ok = accepts_gzip(accept_encoding) if accept_encoding else False
        method = scope["method"]
        read = method in _READ_METHODS
        if not read and not gzip_ok:
            await self.app(scope, receive, send)
            return
        if not read:
            cache_control = None
        elif keyed or scope["path"].startswith(NO_STORE_PREFIXES):
            cache_control = NO_STORE
        else:
            cache_control = self.public
        responder = _Responder(
            send,
            read=read,
            head=method == "HEAD",
            gzip_ok=gzip_ok,
            cache_control=cache_control,
            if_none_match=if_none_match.decode("latin-1")
            if read and if_none_match is not None
            else None,
        )
        if method != "HEAD":
            await self.app(scope, receive, responder.send)
            return
        # HEAD is GET without the body (RFC 9110 §9.3.2). The routes see a copy of the scope
        # that says GET: the server reads the method from its own scope while it writes the
        # answer (a HEAD answer is headers only, a GET one must carry Content-Length bytes),
        # so that scope must keep saying HEAD. What routing adds to the copy (the route, its
        # path parameters, a mount's root path) is copied back, for the outer layers' logs.
        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, responder.send)
        finally:
            scope.update((key, value) for key, value in as_get.items() if key != "method")


class _Responder:
    """The state of one answer on its way out: held start, buffered body, then the decision."""

    def __init__(
        self,
        send: Send,
        *,
        read: bool,
        head: bool,
        gzip_ok: bool,
        cache_control: str | None,
        if_none_match: str | None,
    ) -> None:
        self._send = send
        self.read = read
        self.head = head
        self.gzip_ok = gzip_ok
        self.cache_control = cache_control
        self.if_none_match = if_none_match
        self.start: Message | None = None
        self.found: dict[bytes, str] = {}
        self.chunks: list[bytes] = []
        self.size = 0
        self.passing = False  # headers sent: later body messages go straight through
        self.swallow = False  # a 304 was sent: the route's body is dropped
        self.compressor: zlib._Compress | None = None

    async def send(self, message: Message) -> None:
        if self.swallow:
            return
        if self.passing:
            await self._forward_body(message)
            return
        kind = message["type"]
        if kind == "http.response.start":
            self.start = message
            self.found = {
                name: value.decode("latin-1")
                for name, value in message["headers"]
                if name in _WATCHED
            }
            await self._on_start(message)
            return
        if kind != "http.response.body" or self.start is None:
            if self.start is not None:
                self.passing = True
                await self._send(self.start)
            await self._send(message)
            return
        body = message.get("body", b"")
        self.chunks.append(body)
        self.size += len(body)
        if not message.get("more_body", False):
            await self._send_whole(b"".join(self.chunks) if len(self.chunks) > 1 else body)
        elif self.size > BUFFER_LIMIT:
            await self._start_streaming()

    async def _on_start(self, start: Message) -> None:
        # A tag set by the route can be compared before any body is produced.
        etag = self.found.get(b"etag")
        if etag and self._is_fresh(start["status"], etag):
            length = next((v for k, v in start["headers"] if k == b"content-length"), b"")
            size = int(length) if length.isdigit() else None
            await self._send_not_modified(etag, compressed=self._would_compress(size))

    def _is_fresh(self, status: int, etag: str) -> bool:
        return (
            self.read
            and 200 <= status < 300
            and self.if_none_match is not None
            and none_match(self.if_none_match, etag)
        )

    def _would_compress(self, size: int | None) -> bool:
        content_type = self.found.get(b"content-type", "").encode("latin-1").lower()
        return (
            self.gzip_ok
            and b"content-encoding" not in self.found
            and content_type.startswith(COMPRESSIBLE_TYPES)
            and (size is None or size > GZIP_MINIMUM_SIZE)
        )

    def _cache_headers(self, status: int) -> dict[bytes, str | None]:
        """Cache-Control and Vary for a read answered with `status`; nothing for writes."""
        if not self.read:
            return {}
        changes: dict[bytes, str | None] = {b"vary": merge_vary(self.found.get(b"vary"), VARY_ON)}
        if status >= 400 or self.cache_control == NO_STORE:
            # Errors and keyed or operator answers are never stored, whoever said otherwise.
            changes[b"cache-control"] = NO_STORE
        elif b"cache-control" not in self.found and self.cache_control and status < 300:
            changes[b"cache-control"] = self.cache_control
        return changes

    async def _send_whole(self, body: bytes) -> None:
        start = self._held_start()
        status = start["status"]
        changes = self._cache_headers(status)
        compress = status >= 200 and status not in (204, 304) and self._would_compress(len(body))
        etag = None
        if self.read and 200 <= status < 300:
            etag = self.found.get(b"etag") or etag_of(body)
            if self._is_fresh(status, etag):
                await self._send_not_modified(etag, compressed=compress)
                return
            changes[b"etag"] = gzip_etag(etag) if compress else etag
        if status >= 200 and status not in (204, 304) and not _has_length(start):
            # A streamed answer that turned out small is whole here: say its length, so it
            # is not sent chunked (and a HEAD tells what the GET would send).
            changes[b"content-length"] = str(len(body))
        if compress:
            if b"etag" in self.found:  # a tag of the route's own: a file, or an item
                body = gzip_cache.compress(etag, body)
            else:
                body = gzip_compress(body, GZIP_FAST_LEVEL)
            changes[b"content-encoding"] = "gzip"
            changes[b"content-length"] = str(len(body))
            vary = changes.get(b"vary") or self.found.get(b"vary")
            changes[b"vary"] = merge_vary(vary, ("Accept-Encoding",))
        if changes:
            start["headers"] = _replaced(start["headers"], changes)
        self.passing = True
        await self._send(start)
        await self._emit(body, more=False)

    async def _send_not_modified(self, etag: str, *, compressed: bool) -> None:
        start = self._held_start()
        changes = self._cache_headers(200)
        changes[b"etag"] = gzip_etag(etag) if compressed else etag
        kept = [(k, v) for k, v in start["headers"] if k not in BODY_HEADERS]
        self.swallow = True
        await self._send(
            {"type": "http.response.start", "status": 304, "headers": _replaced(kept, changes)}
        )
        await self._send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _start_streaming(self) -> None:
        start = self._held_start()
        changes = self._cache_headers(start["status"])
        if self._would_compress(None):
            self.compressor = zlib.compressobj(GZIP_FAST_LEVEL, zlib.DEFLATED, 31)
            changes[b"content-length"] = None
            changes[b"content-encoding"] = "gzip"
            vary = changes.get(b"vary") or self.found.get(b"vary")
            changes[b"vary"] = merge_vary(vary, ("Accept-Encoding",))
            if b"etag" in self.found:
                changes[b"etag"] = gzip_etag(self.found[b"etag"])
        start["headers"] = _replaced(start["headers"], changes)
        self.passing = True
        await self._send(start)
        buffered, self.chunks = b"".join(self.chunks), []
        await self._forward_body(
            {"type": "http.response.body", "body": buffered, "more_body": True}
        )

    async def _forward_body(self, message: Message) -> None:
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        more = bool(message.get("more_body", False))
        data = message.get("body", b"")
        if self.compressor is not None:
            data = self.compressor.compress(data)
            if not more:
                data += self.compressor.flush()
        await self._emit(data, more=more)

    async def _emit(self, body: bytes, *, more: bool) -> None:
        # A HEAD answer keeps the GET's headers (Content-Length included) and drops the body.
        data = b"" if self.head else body
        await self._send({"type": "http.response.body", "body": data, "more_body": more})

    def _held_start(self) -> Message:
        if self.start is None:  # body before start: a broken app, not a client's doing
            raise RuntimeError("http.response.body sent before http.response.start")
        return self.start
