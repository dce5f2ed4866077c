"""Request hygiene: request ids, body limits (413), media types (415), CORS, security headers."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse

from app.config import Settings, get_settings
from app.errors import install_error_handlers
from app.http.middleware import install_middleware
from tests.conftest import make_client_app

PATH = "/api/v1/areas"
MIB = 1024 * 1024


def _settings(**update: object) -> Settings:
    return get_settings().model_copy(update={"rate_limit": 0, **update})


def _bare_app(settings: Settings | None = None) -> FastAPI:
    """The middleware stack around routes that echo a body, fail, and serve HTML."""
    app = FastAPI()
    install_error_handlers(app)
    install_middleware(app, settings or _settings())

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.post("/api/v1/trade/imports")
    async def bulk(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("an internal detail that must not leak")

    @app.get("/page")
    def page() -> HTMLResponse:
        return HTMLResponse("<html><script>start()</script><script src='/x.js'></script></html>")

    return app


# Request id


def test_request_id_is_echoed_when_sane(client: TestClient) -> None:
    response = client.get(PATH, headers={"X-Request-ID": "client-id_1.2"})
    assert response.headers["x-request-id"] == "client-id_1.2"


@pytest.mark.parametrize("given", [None, "", "has space", "x" * 129, "semi;colon", "a/b"])
def test_request_id_is_created_when_missing_or_not_sane(client: TestClient, given: str) -> None:
    headers = {"X-Request-ID": given} if given is not None else {}
    response = client.get(PATH, headers=headers)
    generated = response.headers["x-request-id"]
    assert generated != given
    assert len(generated) == 32
    int(generated, 16)


def test_request_id_on_errors_too(client: TestClient) -> None:
    response = client.get("/no/such/path", headers={"X-Request-ID": "abc"})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "abc"


def test_every_log_line_of_a_request_carries_its_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get(PATH, headers={"X-Request-ID": "trace-me"})
    access = [r for r in caplog.records if r.name == "app.access"]
    assert len(access) == 1
    record = access[0]
    assert record.request_id == "trace-me"  # type: ignore[attr-defined]
    assert record.method == "GET"  # type: ignore[attr-defined]
    assert record.path == PATH  # type: ignore[attr-defined]
    assert record.route == PATH  # type: ignore[attr-defined]
    assert record.status == 200  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


def test_access_log_never_holds_authorization_or_secret_query_values(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get(
            PATH,
            params={"kind": "country", "api_key": "s3cret"},
            headers={"Authorization": "Bearer topsecret"},
        )
    record = next(r for r in caplog.records if r.name == "app.access")
    logged = str(vars(record))
    assert "s3cret" not in logged
    assert "topsecret" not in logged
    assert record.query == "kind=country&api_key=***"  # type: ignore[attr-defined]


def test_unhandled_error_is_a_500_problem_logged_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with TestClient(_bare_app(), raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "boom-1"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "internal detail" not in response.text
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors
    assert errors[0].request_id == "boom-1"  # type: ignore[attr-defined]
    assert errors[0].exc_info is not None


# Body size (413)


def test_declared_body_over_the_limit_is_413_before_reading(client: TestClient) -> None:
    response = client.post(
        PATH,
        content=b"{" + b" " * MIB + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 413
    assert str(MIB) in body["detail"]


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def test_chunked_body_over_the_limit_is_413_while_streaming() -> None:
    with TestClient(_bare_app()) as client:
        response = client.post(
            "/echo", content=_chunks(2 * MIB), headers={"Content-Type": "application/json"}
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.json()["status"] == 413
        small = client.post(
            "/echo", content=_chunks(1000), headers={"Content-Type": "application/json"}
        )
    assert small.status_code == 200
    assert small.json() == {"received": 1000}


def test_body_limit_is_a_setting_with_a_larger_one_for_bulk_import() -> None:
    settings = _settings(max_body_bytes=1000, import_max_bytes=4096)
    with TestClient(_bare_app(settings)) as client:
        json_type = {"Content-Type": "application/json"}
        assert client.post("/echo", content=b"x" * 1001, headers=json_type).status_code == 413
        assert client.post("/echo", content=b"x" * 1000, headers=json_type).status_code == 200
        csv_type = {"Content-Type": "text/csv"}
        bulk = client.post("/api/v1/trade/imports", content=b"x" * 3000, headers=csv_type)
        assert bulk.status_code == 200
        too_big = client.post("/api/v1/trade/imports", content=b"x" * 5000, headers=csv_type)
        assert too_big.status_code == 413


# Media type (415)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_unaccepted_media_type_is_415(client: TestClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(PATH, content=b'{"code": "ZZZ"}', headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 415
    assert "application/json" in response.headers["accept-post"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/merge-patch+json",
        "application/vnd.example+json",
        "text/csv",
    ],
)
def test_accepted_media_types_pass(content_type: str) -> None:
    with TestClient(_bare_app()) as client:
        response = client.post("/echo", content=b"{}", headers={"Content-Type": content_type})
    assert response.status_code == 200


def test_bodiless_post_needs_no_media_type() -> None:
    with TestClient(_bare_app()) as client:
        assert client.post("/echo").status_code == 200


# CORS


@pytest.fixture
def cors_client(db_session: Session, engine: Engine) -> Iterator[TestClient]:
    app = make_client_app(
        db_session, engine, _settings(cors_origins=["https://allowed.example"], rate_limit=100)
    )
    with TestClient(app) as client:
        yield client


def test_cors_allows_a_configured_origin(cors_client: TestClient) -> None:
    response = cors_client.get(PATH, headers={"Origin": "https://allowed.example"})
    assert response.headers["access-control-allow-origin"] == "https://allowed.example"
    exposed = response.headers["access-control-expose-headers"].lower()
    for name in ("etag", "link", "x-request-id", "ratelimit", "ratelimit-policy", "retry-after"):
        assert name in exposed
    assert "Origin" in response.headers["vary"]


def test_cors_preflight(cors_client: TestClient) -> None:
    response = cors_client.options(
        PATH,
        headers={
            "Origin": "https://allowed.example",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert response.status_code == 200
    assert "PATCH" in response.headers["access-control-allow-methods"]
    assert response.headers["x-request-id"]


def test_cors_denies_other_origins(cors_client: TestClient) -> None:
    response = cors_client.get(PATH, headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = cors_client.options(
        PATH,
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 400


def test_no_cors_without_configured_origins(client: TestClient) -> None:
    response = client.get(PATH, headers={"Origin": "https://allowed.example"})
    assert "access-control-allow-origin" not in response.headers


# Security headers


def test_security_headers_on_json_answers_and_errors(client: TestClient) -> None:
    for response in (client.get(PATH), client.get("/no/such/path")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cross-origin-resource-policy"] == "cross-origin"
        csp = response.headers["content-security-policy"]
        assert csp == "default-src 'none'; frame-ancestors 'none'"


def test_html_pages_get_a_csp_that_admits_their_own_inline_scripts() -> None:
    with TestClient(_bare_app()) as client:
        response = client.get("/page")
    csp = response.headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(b"start()").digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_docs_page_csp_admits_swagger_ui(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp
    assert "style-src 'self' 'unsafe-inline'" in csp
