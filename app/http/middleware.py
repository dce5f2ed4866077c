"""Cross-cutting HTTP behaviour installed on the whole application.

Every layer is a plain ASGI middleware (no `BaseHTTPMiddleware`: it costs a task and a
stream per request). From the outside in:

1. RequestContextMiddleware: request id, security headers, access log, metrics, last-resort 500.
1b. Http10LengthMiddleware: an HTTP/1.0 client gets a streamed body whole, with Content-Length
   (it knows no chunked coding).
2. CORSMiddleware (only when `SCO_CORS_ORIGINS` is set): preflights and CORS headers, also
   on the 429/413/415 answers of the layers below.
3. RateLimitMiddleware (unless `SCO_RATE_LIMIT=0`): 429 before any work is done.
4. BodyLimitMiddleware: 413 and 415 before the route reads a body.
5. ResponseCacheMiddleware (unless `SCO_RESPONSE_CACHE=false`): whole GET answers, as the
   caching layer sent them, kept while the data version is unchanged.
6. AdmissionMiddleware: at most SCO_WORKER_THREADS requests at work at once; the others
   wait on the event loop (a cache hit never waits).
7. CachingMiddleware: ETag, 304, Cache-Control, Vary, gzip.
8. HtmlCspMiddleware: a CSP for HTML pages, from the uncompressed page.
9. AcceptableMiddleware: a 406 in place of a read's answer that `Accept` admits none of.
10. LanguageHeadersMiddleware: `Content-Language` and `Vary: Accept-Language` on the answers
   of routes that chose a language (`app.http.language`).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app.config import Settings
from app.http.access import RequestContextMiddleware
from app.http.admission import AdmissionMiddleware
from app.http.body_limits import BodyLimitMiddleware
from app.http.caching import CachingMiddleware
from app.http.data_version import DataVersion
from app.http.http10 import Http10LengthMiddleware
from app.http.language import LanguageHeadersMiddleware
from app.http.logging import configure_logging
from app.http.negotiation import AcceptableMiddleware
from app.http.rate_limit import RateLimitMiddleware
from app.http.response_cache import ResponseCacheMiddleware
from app.http.security import HtmlCspMiddleware

IMPORT_PATH = "/api/v1/trade/imports"
# What the bulk import takes besides JSON and CSV: compressed files and tab-separated text
# (Comtrade's bulk downloads); its route says which format is sent as which.
IMPORT_MEDIA_TYPES = frozenset({"application/gzip", "application/x-gzip", "text/plain"})
CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CORS_REQUEST_HEADERS = [
    "Accept",
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
]
CORS_EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "RateLimit",
    "RateLimit-Policy",
    "X-Request-ID",
]


def install_middleware(
    app: FastAPI, settings: Settings, *, data_version: DataVersion | None = None
) -> None:
    """Install every middleware, innermost first (Starlette wraps each new one around the rest).

    The answer cache is installed when there is a `data_version` to key it by (the app's
    container has one unless `SCO_RESPONSE_CACHE=false`).
    """
    configure_logging(settings.log_level, settings.log_format)
    app.add_middleware(LanguageHeadersMiddleware)
    app.add_middleware(AcceptableMiddleware)
    app.add_middleware(HtmlCspMiddleware)
    app.add_middleware(CachingMiddleware, max_age=settings.cache_max_age)
    app.add_middleware(AdmissionMiddleware, limit=settings.worker_threads)
    if data_version is not None:
        app.add_middleware(ResponseCacheMiddleware, version=data_version)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        per_path={IMPORT_PATH: settings.import_max_bytes},
        media_types_per_path={IMPORT_PATH: IMPORT_MEDIA_TYPES},
    )
    if settings.rate_limit > 0:
        app.add_middleware(
            RateLimitMiddleware,
            per_minute=settings.rate_limit,
            storage_uri=settings.rate_limit_storage,
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=CORS_METHODS,
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=600,
        )
    app.add_middleware(Http10LengthMiddleware)
    app.add_middleware(RequestContextMiddleware)
