"""`/docs` and `/redoc` load nothing from outside this service."""

from __future__ import annotations

import re
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.main import create_app

ASSET_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
EXPECTED_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


def _assets(html: str) -> list[str]:
    return ASSET_REFERENCE.findall(html)


@pytest.mark.parametrize(
    ("page", "title"),
    [("/docs", "SCO Trade API - Swagger UI"), ("/redoc", "SCO Trade API - ReDoc")],
)
def test_docs_pages_reference_only_local_assets(client: TestClient, page: str, title: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f"<title>{title}</title>" in response.text
    assets = _assets(response.text)
    assert assets, "the page loads its scripts from somewhere"
    assert all(url.startswith("/static/docs/") for url in assets), assets
    assert "//" not in response.text.replace("://", ""), "no protocol-relative URL"
    assert "cdn." not in response.text
    assert "fonts.googleapis" not in response.text
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        expected = next(v for k, v in EXPECTED_TYPES.items() if url.endswith(k))
        assert expected in asset.headers["content-type"], (url, asset.headers["content-type"])


def test_swagger_ui_points_at_the_document_and_sends_it_nowhere(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "url: '/openapi.json'" in html
    # Swagger UI would otherwise post the document to swagger.io's validator.
    assert '"validatorUrl": null' in html


def test_redoc_asset_is_redoc_2(client: TestClient) -> None:
    # ReDoc 3's standalone bundle does not start from FastAPI's `<redoc spec-url>` tag.
    html = client.get("/redoc").text
    assert '<redoc spec-url="/openapi.json"></redoc>' in html
    script = client.get("/static/docs/redoc.standalone.js").text
    version = re.search(r'ReDoc Version: ","(\d+)\.(\d+)\.(\d+)"', script)
    assert version is not None, "the bundle names its version"
    assert version.group(1) == "2"


def test_swagger_ui_bundle_is_version_5(client: TestClient) -> None:
    script = client.get("/static/docs/swagger-ui-bundle.js").text
    version = re.search(r'PACKAGE_VERSION:"(\d+)\.(\d+)\.(\d+)"', script)
    assert version is not None, "the bundle names its version"
    assert version.group(1) == "5"


def test_oauth2_redirect_page_and_document_are_served(client: TestClient) -> None:
    assert client.get("/docs/oauth2-redirect").status_code == 200
    document = client.get("/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"] == "SCO Trade API"


def test_docs_pages_are_not_operations_of_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/docs", "/redoc", "/docs/oauth2-redirect"} & paths.keys()
    assert not any(path.startswith("/static") for path in paths)


def test_unknown_docs_asset_is_a_problem(client: TestClient) -> None:
    response = client.get("/static/docs/no-such-file.js")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_the_document_is_built_at_start_up_and_answered_with_its_tag(engine: Engine) -> None:
    # The default settings (the tests' own apps do not build the document at start).
    app = create_app(Settings(SCO_RESPONSE_CACHE=False), engine=engine)
    with TestClient(app) as started:
        for builder in [t for t in threading.enumerate() if t.name == "openapi-build"]:
            builder.join(timeout=30)
        # Built by the start-up, before any request asked for it.
        assert app.openapi_schema is not None
        first = started.get("/openapi.json")
        again = started.get("/openapi.json", headers={"If-None-Match": first.headers["etag"]})
    assert first.status_code == 200
    assert first.json() == app.openapi_schema
    assert again.status_code == 304
