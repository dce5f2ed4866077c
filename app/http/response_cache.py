"""An in-process cache of whole GET answers, valid while the data does not change.

Reads far outnumber writes, and most are repeats. The cache sits just outside the HTTP
caching layer and keeps the answer as that layer sent it (ETag, Vary, Cache-Control,
gzip included), keyed by the request (path, query, `Accept`, `Accept-Encoding`). An entry
is valid for one *data version* — the change feed's last seq, which every committed write
advances. So a hit costs no database round trip, no serialization, no hashing and no
compression, and `If-None-Match` against it is answered with 304 from the stored tag.
Identical requests that arrive while the first of them is being answered wait for it.

Writes in this process drop the cache at once (a session event after each commit that
changed data). Writes in other processes or hosts are noticed when the version is next
read by a background thread: at most `ttl` seconds later (SCO_RESPONSE_CACHE_TTL_MS,
default 100 ms).
Entries also expire after `max_age` seconds, for answers that depend on the date
(`/sco/members` without `as_of`). Answers to keyed requests (Authorization), errors,
`no-store` answers, streamed bodies and `/health`, `/metrics` are never cached.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.changes.tracking import CHANGED_KEY
from app.http.caching import BODY_HEADERS, none_match

NEVER_CACHED_PREFIXES = ("/health", "/metrics")
NO_STORE = b"no-store"
MAX_BODY_BYTES = 2 * 1024 * 1024


class DataVersion:
    """The last change-feed seq, refreshed every `ttl` seconds by a background thread.

    Requests only read the last value: the event loop never waits for the database (a
    blocking read there could wait for a pooled connection held by requests that need the
    loop to finish, and deadlock). Local writes bump a generation at once.
    """

    def __init__(self, engine_factory: Callable[[], Engine], ttl: float) -> None:
        self._engine_factory = engine_factory
        self._ttl = max(ttl, 0.01)
        self._value: int | None = None
        # Bumped by every local write: a local write is seen at once, before the database
        # value is read again.
        self._local = 0
        self._started = False
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        self._local += 1

    def current(self) -> tuple[int, int] | None:
        if not self._started:
            self._start()
        value = self._value
        return None if value is None else (value, self._local)

    def refresh(self) -> None:
        try:
            with self._engine_factory().connect() as connection:
                value = connection.execute(
                    text("SELECT value FROM change_counter WHERE id = 1")
                ).scalar()
        except SQLAlchemyError:
            value = None  # no version, no caching: answers go to the database
        self._value = int(value) if value is not None else None

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            this = weakref.ref(self)
            threading.Thread(target=_refresh_loop, args=(this,), daemon=True).start()


def _refresh_loop(reference: weakref.ref[DataVersion]) -> None:
    """Refresh until the version object is gone (its app was dropped)."""
    while (version := reference()) is not None:
        version.refresh()
        pause = version._ttl
        del version
        time.sleep(pause)


@dataclass
class _Entry:
    version: tuple[int, int]
    stored_at: float
    etag: str
    headers: list[tuple[bytes, bytes]]
    not_modified_headers: list[tuple[bytes, bytes]]
    body: bytes


CacheKey = tuple[str, bytes, bytes, bytes]
HIT = (b"x-cache", b"hit")


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
        _watch_commits(version)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"] if scope["type"] == "http" else ""
        if method not in ("GET", "HEAD") or scope["path"].startswith(NEVER_CACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        accept = accept_encoding = b""
        if_none_match: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                await self.app(scope, receive, send)
                return
            if name == b"accept":
                accept = value
            elif name == b"accept-encoding":
                accept_encoding = value
            elif name == b"if-none-match":
                if_none_match = value
        version = self.version.current()
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], accept, accept_encoding)
        entry = self._fresh(key, version)
        flight = self.flights.get(key)
        if entry is None and flight is not None and flight[0] == version:
            # The same question is being answered right now (a popular page just after a
            # write): wait for that answer rather than ask the database once more.
            await flight[1].wait()
            entry = self._fresh(key, version)
        if entry is not None:
            self.entries.move_to_end(key)
            await self._answer_from(entry, if_none_match, head=method == "HEAD", send=send)
            return
        if method == "HEAD":  # its answer has no body to keep; the GET will fill the entry
            await self.app(scope, receive, send)
            return
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


_watched: weakref.WeakSet[DataVersion] = weakref.WeakSet()


def _watch_commits(version: DataVersion) -> None:
    """Drop the cache after every commit in this process that changed data."""
    _watched.add(version)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)


def _after_commit(session: Session) -> None:
    if session.info.pop(CHANGED_KEY, False):
        for version in list(_watched):
            version.invalidate()
