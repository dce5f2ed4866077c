"""`/docs` (Swagger UI) and `/redoc` (ReDoc 2) served entirely from this process.

FastAPI's defaults load both from a CDN, so they show a blank page on a machine without
internet. The assets come from the `fastapi-offline` package (swagger-ui-dist 5 and
ReDoc 2 standalone; ReDoc 3's file does not start from FastAPI's `<redoc>` tag) and are
served under `/static/docs/`. Call `install_docs` before any other `/static` mount, so that
mount does not shadow this one.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

from app.openapi import install_openapi

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
DOCS_STATIC_URL = "/static/docs"
DOCS_ASSETS = Path(str(files("fastapi_offline").joinpath("static")))

# `validatorUrl: null` stops Swagger UI from sending the document to swagger.io's
# online validator: the docs must make no request outside this service.
SWAGGER_UI_PARAMETERS: dict[str, Any] = {"validatorUrl": None, "displayOperationId": True}


def install_docs(app: FastAPI) -> None:
    """Serve the docs pages and their assets locally; publish the completed OpenAPI document."""
    install_openapi(app)
    app.mount(DOCS_STATIC_URL, StaticFiles(directory=DOCS_ASSETS), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url

    def _root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    # `response_class` says what they answer (HTML), which `Accept` is compared with.
    @app.get(DOCS_URL, include_in_schema=False, response_class=HTMLResponse)
    async def swagger_ui(request: Request) -> HTMLResponse:
        """Interactive documentation (Swagger UI)."""
        root = _root(request)
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{DOCS_STATIC_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_STATIC_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_STATIC_URL}/favicon.png",
            oauth2_redirect_url=root + oauth2_redirect_url if oauth2_redirect_url else None,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={**SWAGGER_UI_PARAMETERS, **(app.swagger_ui_parameters or {})},
        )

    if oauth2_redirect_url:

        @app.get(oauth2_redirect_url, include_in_schema=False, response_class=HTMLResponse)
        async def swagger_ui_redirect() -> HTMLResponse:
            """Swagger UI's OAuth2 redirect page."""
            return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False, response_class=HTMLResponse)
    async def redoc(request: Request) -> HTMLResponse:
        """Reference documentation (ReDoc)."""
        root = _root(request)
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{DOCS_STATIC_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_STATIC_URL}/favicon.png",
            with_google_fonts=False,
        )
