"""Application factory: middleware, error handlers and routers."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from app import __version__
from app.areas.router import router as areas_router
from app.changes.router import router as changes_router
from app.config import Settings, get_settings
from app.container import AppContainer, build_container
from app.db import models as all_models  # noqa: F401  (registers every mapper up front)
from app.errors import install_error_handlers
from app.health.router import router as health_router
from app.http.docs import install_docs
from app.http.middleware import install_middleware
from app.http.negotiation import require_acceptable
from app.http.validation import install_validation, reject_repeated
from app.meetings.router import router as meetings_router
from app.organizations.router import router as organizations_router
from app.people.router import router as people_router
from app.reports.router import router as reports_router
from app.sdmx.router import router as sdmx_router
from app.search.router import router as search_router
from app.sources.router import router as sources_router
from app.trade.router import router as trade_router
from app.web.router import install_pages

API_PREFIX = "/api/v1"

DESCRIPTION = """
Open data on **Shanghai Cooperation Organisation (SCO) trade**: trade statistics with
every figure traced to its source, and the records of SCO trade meetings — who met,
where and when, which delegations came, what was presented.

* Reads are public. Writes need `Authorization: Bearer <api key>` with scope `write`.
* Lists are `{"items": [...], "next_cursor": ...}` with `?limit=` (max 500) and `?cursor=`.
* Errors are RFC 9457 `application/problem+json`.
"""

# `/`: the host that serves the document, wherever the API is deployed (a relative URL, so
# the committed document names no host).
SERVERS = [{"url": "/", "description": "The server this document is served from."}]
# The code's licence, as pyproject.toml states it. The figures are what their sources
# published; each record names its source.
LICENSE = {"name": "MIT", "identifier": "MIT"}
# No address: the project publishes none yet, and an invented one would mislead (the
# document's contact object takes only absolute URLs).
CONTACT = {"name": "SCO Trade API maintainers"}

OPENAPI_TAGS = [
    {"name": "areas", "description": "Countries, groups and SCO membership history."},
    {"name": "organizations", "description": "Bodies, ministries, agencies, associations."},
    {"name": "people", "description": "People and the posts they held."},
    {"name": "meetings", "description": "SCO trade meetings, sessions and delegations."},
    {"name": "reports", "description": "Documents presented at meetings."},
    {"name": "sources", "description": "The publications every fact is traced to."},
    {"name": "trade", "description": "Trade indicators, observations, series and checks."},
    {"name": "search", "description": "Full-text search over meetings, reports, people..."},
    {"name": "changes", "description": "The change feed, for keeping a copy in sync."},
    {"name": "health", "description": "Liveness and readiness for operators."},
    {"name": "pages", "description": "HTML pages for people: the overview and each meeting."},
]


def _lifespan(container: AppContainer) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in anyio's default thread pool (40 threads unless told).
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = container.settings.worker_threads
        container.start()
        # The OpenAPI document takes about half a second to build: built now, beside the
        # first requests, `/docs` never waits for it (a request that comes first waits for
        # this build rather than starting its own: `app.openapi.install_openapi`).
        if container.settings.openapi_at_start:
            threading.Thread(target=app.openapi, name="openapi-build", daemon=True).start()
        try:
            yield
        finally:
            container.close()

    return lifespan


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application for `settings` (default: the environment's).

    `engine`, when given, is used instead of one made from `settings.database_url` (tests
    share one engine per database among many apps). The container — engine, sessions,
    answer cache — is kept on `app.state.container`; its background work runs for the
    lifespan.
    """
    container = build_container(settings or get_settings(), engine=engine)
    app = FastAPI(
        lifespan=_lifespan(container),
        title="SCO Trade API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
        servers=SERVERS,
        license_info=LICENSE,
        contact=CONTACT,
        docs_url=None,
        redoc_url=None,
        # Before every route's own parameters: a write's answer is one `Accept` admits (406;
        # reads are checked as they answer), and no single-valued query parameter is
        # repeated (422).
        dependencies=[Depends(require_acceptable), Depends(reject_repeated)],
    )
    app.state.container = container
    install_error_handlers(app)
    install_validation(app)
    install_middleware(app, container.settings, data_version=container.data_version)
    install_docs(app)
    install_pages(app)
    for router in (
        areas_router,
        organizations_router,
        people_router,
        meetings_router,
        reports_router,
        sources_router,
        trade_router,
        search_router,
        changes_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    # SDMX REST 2.1 has a base path of its own (`/sdmx/2.1`), outside the API's.
    app.include_router(sdmx_router)
    app.include_router(health_router)
    return app


def __getattr__(name: str) -> FastAPI:
    # `uvicorn app.main:app` (`sco-api serve`, the Docker image's entrypoint) asks for
    # `app` once per worker: it is built from the environment when asked for (each time),
    # so that importing this module (for `create_app`) reads no setting and builds nothing.
    if name == "app":
        return create_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
