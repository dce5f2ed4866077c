"""Liveness and readiness: ready only when the database answers and its schema is at head."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from app.db.migrations import downgrade, upgrade
from app.db.session import make_engine
from app.main import create_app


def test_live(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_ready_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "head"}
    assert response.headers["cache-control"] == "no-store"


def _app_on(engine: Engine) -> FastAPI:
    return create_app(engine=engine)


@pytest.fixture(
    params=[
        "sqlite:////nonexistent-directory-of-sco-tests/sco.db",
        "postgresql+psycopg://postgres@127.0.0.1:1/postgres?connect_timeout=2",
    ],
    ids=["sqlite", "postgresql"],
)
def unreachable_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    # create_engine, not make_engine: that one would create the SQLite file's directory.
    engine = create_engine(request.param)
    yield engine
    engine.dispose()


def test_ready_is_503_when_the_database_is_unreachable(unreachable_engine: Engine) -> None:
    with TestClient(_app_on(unreachable_engine)) as client:
        response = client.get("/health/ready")
        live = client.get("/health/live")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 503
    assert body["detail"].startswith("The database is unreachable; check that ")
    assert "127.0.0.1" not in response.text  # no connection details leak
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["cache-control"] == "no-store"
    assert live.status_code == 200  # alive all the same: restarting would not help


@pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)
def test_ready_is_503_when_migrations_are_not_at_head(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    downgrade(empty_database_url, "base")
    engine = make_engine(empty_database_url)
    try:
        with TestClient(_app_on(engine)) as client:
            response = client.get("/health/ready")
    finally:
        engine.dispose()
    assert response.status_code == 503
    assert response.json()["detail"] == "The database schema is not at the newest migration."
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["cache-control"] == "no-store"


def test_the_thread_pool_of_sync_routes_has_the_configured_size() -> None:
    import anyio.to_thread

    from app.config import Settings

    app = create_app(Settings(SCO_WORKER_THREADS=3, SCO_RATE_LIMIT=0))

    def pool_size() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    with TestClient(app) as client:
        assert client.portal is not None
        assert client.portal.call(pool_size) == 3
