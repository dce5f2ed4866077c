"""An in-process cache of whole GET answers, valid while the data does not change.

Reads far outnumber writes, and most are repeats. The cache sits just outside the HTTP
caching layer and keeps the answer as that layer sent it (ETag, Vary, Cache-Control,
gzip included), keyed by the request (path, query, `Accept`, `Accept-Encoding`, and the
language the answer is given in, as `app.http.language` chooses it). An entry
is valid for one *data version* — the change feed's last seq, which every committed write
advances. So a hit costs no database round trip, no serialization, no hashing and no
compression, and `If-None-Match` against it is answered with 304 from the stored tag.
Identical requests that arrive while the first of them is being answered wait for it.

Writes in this process drop the cache at once (an event of the app's session factory after
each commit that changed data, `drop_on_commit`). Writes in other processes or hosts are
noticed when the version is next read by a background thread, which runs for the app's
lifespan: at most `ttl` seconds later (SCO_RESPONSE_CACHE_TTL_MS, default 100 ms).
Entries also expire after `max_age` seconds, for answers that depend on the date
(`/sco/members` without `as_of`). Answers to keyed requests (Authorization), errors,
`no-store` answers, streamed bodies and `/health`, `/metrics` are never cached.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.caching import BODY_HEADERS, none_match
from app.http.data_version import DataVersion
from app.http.headers import raw_headers
from app.http.language import language_of_scope

NEVER_CACHED_PREFIXES = ("/health", "/metrics")
NO_STORE = b"no-store"
MAX_BODY_BYTES = 2 * 1024 * 1024


@dataclass
class _Entry:
    version: tuple[int, int]
    stored_at: float
    etag: str
    headers: list[tuple[bytes, bytes]]
    not_modified_headers: list[tuple[bytes, bytes]]
    body: bytes


CacheKey = tuple[str, bytes, bytes, bytes, str]
HIT = (b"x-cache", b"hit")


@dataclass(frozen=True)
class _Question:
    """What a request whose answer may be cached asks: the headers its key and 304 read."""

    head: bool
    accept: bytes
    accept_encoding: bytes
    if_none_match: bytes | None
    # The language chosen from `?lang=` and `Accept-Language`, not the header as sent:
    # browsers word it in countless ways, and they all come down to three answers.
    language: str


def _question_of(scope: Scope) -> _Question | None:
    """The request's cache-relevant headers; None when its answer is never cached (not a
    GET or HEAD, `/health` or `/metrics`, or keyed by `Authorization`)."""
    method = scope["method"] if scope["type"] == "http" else ""
    if method not in ("GET", "HEAD") or scope["path"].startswith(NEVER_CACHED_PREFIXES):
        return None
    headers = raw_headers(
        scope["headers"], b"authorization", b"accept", b"accept-encoding", b"if-none-match"
    )
    if b"authorization" in headers:
        return None
    return _Question(
        head=method == "HEAD",
        accept=headers.get(b"accept", b""),
        accept_encoding=headers.get(b"accept-encoding", b""),
        if_none_match=headers.get(b"if-none-match"),
        language=language_of_scope(scope),
    )


class ResponseCacheMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        version: DataVersion,
        max_entries: int = 2048,
        max_age: float = 60.0,
    ) -> None:
        self.app = app
        self.version = version
        self.max_entries = max_entries
        self.max_age = max_age
        self.entries: OrderedDict[CacheKey, _Entry] = OrderedDict()
        # Misses being answered, by key: (data version, set when the answer is done).
        self.flights: dict[CacheKey, tuple[tuple[int, int], asyncio.Event]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        question = _question_of(scope)
        version = None if question is None else self.version.current()
        if question is None or version is None:
            await self.app(scope, receive, send)
            return
        key = (
            scope["path"],
            scope["query_string"],
            question.accept,
            question.accept_encoding,
            question.language,
        )
        entry = await self._entry_for(key, version)
        if entry is not None:
            self.entries.move_to_end(key)
            await self._answer_from(entry, question.if_none_match, head=question.head, send=send)
        elif question.head:  # its answer has no body to keep; the GET will fill the entry
            await self.app(scope, receive, send)
        else:
            await self._answer_and_keep(scope, receive, send, key, version)

    async def _entry_for(self, key: CacheKey, version: tuple[int, int]) -> _Entry | None:
        """The fresh entry for `key`, once an identical request being answered is done."""
        entry = self._fresh(key, version)
        flight = self.flights.get(key)
        if entry is None and flight is not None and flight[0] == version:
            # The same question is being answered right now (a popular page just after a
            # write): wait for that answer rather than ask the database once more.
            await flight[1].wait()
            entry = self._fresh(key, version)
        return entry

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: CacheKey, version: tuple[int, int]
    ) -> None:
        """Answer a miss, keeping the answer if it is cacheable; identical requests wait."""
        flight = self.flights[key] = (version, asyncio.Event())
        try:
            await self.app(scope, receive, _Recorder(self, key, version, send).send)
        finally:
            flight[1].set()  # waiters find the entry, or (an error, a stream) ask themselves
            if self.flights.get(key) is flight:
                del self.flights[key]

    def _fresh(self, key: CacheKey, version: tuple[int, int]) -> _Entry | None:
        entry = self.entries.get(key)
        if (
            entry is not None
            and entry.version == version
            and time.monotonic() - entry.stored_at < self.max_age
        ):
            return entry
        return None

    @staticmethod
    async def _answer_from(
        entry: _Entry, if_none_match: bytes | None, *, head: bool, send: Send
    ) -> None:
        if if_none_match is not None and none_match(if_none_match.decode("latin-1"), entry.etag):
            status, headers, body = 304, entry.not_modified_headers, b""
        else:
            status, headers, body = 200, entry.headers, b"" if head else entry.body
        await send({"type": "http.response.start", "status": status, "headers": [*headers, HIT]})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    def store(self, key: CacheKey, entry: _Entry) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


class _Recorder:
    """Passes the answer on unchanged, keeping a copy when it is cacheable."""

    def __init__(
        self, cache: ResponseCacheMiddleware, key: CacheKey, version: tuple[int, int], send: Send
    ) -> None:
        self.cache, self.key, self.version, self._send = cache, key, version, send
        self.headers: list[tuple[bytes, bytes]] = []
        self.etag: str | None = None
        self.chunks: list[bytes] = []
        self.size = 0

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._on_start(message)
        elif message["type"] == "http.response.body" and self.etag is not None:
            body: bytes = message.get("body", b"")
            self.size += len(body)
            # Streamed answers (large CSV exports) stay streamed: only one-piece bodies.
            if self.size > MAX_BODY_BYTES or message.get("more_body", False):
                self.etag, self.chunks = None, []
            else:
                self.chunks.append(body)
                self._keep(self.etag, b"".join(self.chunks))
        await self._send(message)

    def _on_start(self, start: Message) -> None:
        if start["status"] != 200:
            return
        headers: list[tuple[bytes, bytes]] = list(start.get("headers", []))
        for name, value in headers:
            if name == b"etag":
                self.etag = value.decode("latin-1")
            elif name == b"cache-control" and NO_STORE in value:
                self.etag = None
                return
        self.headers = headers

    def _keep(self, etag: str, body: bytes) -> None:
        not_modified = [(n, v) for n, v in self.headers if n not in BODY_HEADERS]
        entry = _Entry(self.version, time.monotonic(), etag, self.headers, not_modified, body)
        self.cache.store(self.key, entry)
