"""Application factory: middleware, error handlers and routers."""

from __future__ import annotations

from fastapi import FastAPI

from app import __version__
from app.areas.router import router as areas_router
from app.errors import install_error_handlers
from app.health.router import router as health_router

API_PREFIX = "/api/v1"

DESCRIPTION = """
Open data on **Shanghai Cooperation Organisation (SCO) trade**: trade statistics with
every figure traced to its source, and the records of SCO trade meetings — who met,
where and when, which delegations came, what was presented.

* Reads are public. Writes need `Authorization: Bearer <api key>` with scope `write`.
* Lists are `{"items": [...], "next_cursor": ...}` with `?limit=` (max 500) and `?cursor=`.
* Errors are RFC 9457 `application/problem+json`.
"""

OPENAPI_TAGS = [
    {"name": "areas", "description": "Countries, groups and SCO membership history."},
    {"name": "health", "description": "Liveness and readiness for operators."},
]


def create_app() -> FastAPI:
    app = FastAPI(
        title="SCO Trade API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
    )
    install_error_handlers(app)
    app.include_router(areas_router, prefix=API_PREFIX)
    app.include_router(health_router)
    return app


app = create_app()
