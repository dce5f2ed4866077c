"""Rate limiting per API key or client address, with the `limits` package.

* Who: a request with `Authorization` is counted under a hash of that header (the key is
  never stored or logged); any other under the client address (as uvicorn reports it, which
  honours `X-Forwarded-For` from trusted proxies).
* How much: `SCO_RATE_LIMIT` requests per minute, in fixed one-minute windows (limits'
  fixed-window strategy: a window starts with a client's first request; a client can spend
  a window's quota at its end and the next one's at the start).
* Where counts live: `SCO_RATE_LIMIT_STORAGE`: `memory://` counts per process; with several
  workers or hosts use `redis://host:port`, so the limit holds across all of them (about
  two Redis round trips per request).
* What a client sees: `RateLimit-Policy: "default";q=600;w=60` and
  `RateLimit: "default";r=<remaining>;t=<seconds to reset>` (IETF httpapi draft) on every
  counted answer; over the limit a 429 problem with `Retry-After`.
* `/health/*` and `/metrics` are not counted: probes and scrapers must always get through.
* The storage down: requests are let through (fail open) and a warning is logged at most
  once a minute; the storage is tried again after a few seconds.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Protocol

from limits import RateLimitItemPerMinute
from limits.aio.storage import RedisStorage
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import TooManyRequests, problem_response

logger = logging.getLogger("app.http.rate_limit")

POLICY_NAME = "default"
WINDOW_SECONDS = 60
EXEMPT_PREFIXES = ("/health/", "/metrics")
# Redis answers on the same network in well under a millisecond; waiting longer than this
# for it would slow every request, so it counts as down instead.
REDIS_TIMEOUT_SECONDS = 0.5
RETRY_STORAGE_AFTER_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0


class Counter(Protocol):
    """A fixed-window counter: add one hit to `key`, say the count and when the window ends."""

    async def hit(self, key: str, window_seconds: int) -> tuple[int, float]: ...


class InProcessCounter:
    """Fixed windows in a dict, for `memory://` (one process counts its own requests).

    `limits`' in-memory storage spends about 15 µs a request on locks and expiry timers,
    as much as a cached answer costs in all; a dict on the event loop's thread needs
    neither (only the loop touches it). Ended windows are swept when the dict has grown.
    """

    def __init__(self, sweep_above: int = 10_000) -> None:
        self.windows: dict[str, list[float]] = {}  # key -> [window end (epoch s), count]
        self.sweep_above = sweep_above

    async def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        now = time.time()
        window = self.windows.get(key)
        if window is None or window[0] <= now:
            if len(self.windows) >= self.sweep_above:
                self._sweep(now)
            window = self.windows[key] = [now + window_seconds, 0]
        window[1] += 1
        return int(window[1]), window[0]

    def _sweep(self, now: float) -> None:
        self.windows = {key: w for key, w in self.windows.items() if w[0] > now}
        # Still full of live windows: let the dict grow rather than sweep on every request.
        self.sweep_above = max(self.sweep_above, 2 * len(self.windows))


class RedisCounter:
    """`limits`' Redis storage: the count is shared by every worker and host."""

    def __init__(self, storage: RedisStorage) -> None:
        self.storage = storage

    async def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        # FixedWindowRateLimiter.hit + get_window_stats in two storage calls instead of
        # three: the count after the increment already says what remains.
        count = await self.storage.incr(key, window_seconds)
        return count, await self.storage.get_expiry(key)


def make_storage(uri: str) -> Counter:
    """The counter store for `memory://` or `redis://…` (`rediss://`, `async+redis://` too)."""
    uri = uri.removeprefix("async+")
    if uri.startswith("memory://"):
        return InProcessCounter()
    if not uri.startswith(("redis://", "rediss://", "redis+unix://")):
        raise ValueError(f"SCO_RATE_LIMIT_STORAGE must be memory:// or redis://…, not {uri!r}")
    storage = storage_from_string(
        "async+" + uri,
        implementation="redispy",
        wrap_exceptions=True,
        key_prefix="sco-ratelimit",
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    if not isinstance(storage, RedisStorage):  # pragma: no cover - the scheme decides
        raise TypeError(f"unexpected storage {storage!r}")
    return RedisCounter(storage)


def client_identity(scope: Scope) -> tuple[str, str]:
    """(`key`, hash of the Authorization header) or (`ip`, client address)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return "key", hashlib.sha256(value).hexdigest()[:32]
    client = scope.get("client")
    return "ip", client[0] if client else "unknown"


class RateLimitMiddleware:
    """Count each request against its client's quota; answer 429 past it."""

    def __init__(self, app: ASGIApp, *, per_minute: int, storage_uri: str) -> None:
        self.app = app
        self.item = RateLimitItemPerMinute(per_minute)
        self.storage = make_storage(storage_uri)
        self.window = self.item.get_expiry()
        # limits' own key layout (`LIMITER/<kind>/<who>/<amount>/1/minute`, as `key_for` makes
        # it), so counts in Redis carry over from earlier releases.
        self.key_suffix = "/" + self.item.key_for().removeprefix("LIMITER/")
        self.policy = f'"{POLICY_NAME}";q={per_minute};w={WINDOW_SECONDS}'.encode()
        self._retry_storage_at = 0.0
        self._last_warning_at = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        verdict = await self._hit(client_identity(scope))
        if verdict is None:  # storage unreachable: fail open
            await self.app(scope, receive, send)
            return
        allowed, remaining, reset_in = verdict
        headers = [
            (b"ratelimit-policy", self.policy),
            (b"ratelimit", f'"{POLICY_NAME}";r={remaining};t={reset_in}'.encode()),
        ]
        if not allowed:
            retry_after = str(max(reset_in, 1))
            response = problem_response(
                None,
                status=429,
                kind=TooManyRequests,
                detail=(
                    f"More than {self.item.amount} requests in a minute; "
                    f"retry after {retry_after} seconds."
                ),
                instance=scope["path"],
                headers={"Retry-After": retry_after, "Cache-Control": "no-store"},
            )
            response.raw_headers.extend(headers)
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], *headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _hit(self, identity: tuple[str, str]) -> tuple[bool, int, int] | None:
        now = time.monotonic()
        if now < self._retry_storage_at:
            return None
        key = f"LIMITER/{identity[0]}/{identity[1]}{self.key_suffix}"
        try:
            count, reset_at = await self.storage.hit(key, self.window)
        except Exception as exc:  # any storage failure must not turn into a 500
            self._retry_storage_at = now + RETRY_STORAGE_AFTER_SECONDS
            if now - self._last_warning_at >= WARN_EVERY_SECONDS:
                self._last_warning_at = now
                logger.warning("rate limit storage unreachable, not limiting: %s", exc)
            return None
        reset_in = max(0, math.ceil(reset_at - time.time()))
        return count <= self.item.amount, max(0, self.item.amount - count), reset_in
