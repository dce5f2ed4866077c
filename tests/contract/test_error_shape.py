"""No stack trace, SQL, driver name or file path ever reaches a client, even from a 500.

tests/contract/test_errors.py checks the problem shape of every 4xx; this forces the failures that
carry internals — an unexpected exception, a database error — and reads what comes back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.db.dependencies import get_session
from app.main import create_app

LEAKY_QUERY = " ".join(("SELECT", "*", "FROM", "meetings"))
# What an internal error drags along, and must not leak.
INTERNALS = (
    "Traceback",
    "traceback",
    'File "',
    "sqlalchemy",
    "psycopg",
    "sqlite3",
    "SELECT",
    "FROM meetings",
    "/work/",
    ".py",
    "RuntimeError",
    "OperationalError",
    "secret-detail",
)


def _assert_no_internals(text: str) -> None:
    leaked = [marker for marker in INTERNALS if marker in text]
    assert not leaked, (leaked, text)


def test_an_unexpected_exception_is_a_bare_500_problem(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_session() -> Iterator[Session]:
        # What a real failure message holds: the query and the file it came from.
        raise RuntimeError(f"secret-detail: {LEAKY_QUERY} failed in {Path(__file__).resolve()}")
        yield  # pragma: no cover

    app.dependency_overrides[get_session] = broken_session
    response = client.get("/api/v1/meetings")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "instance"}
    assert body["detail"] == "An unexpected error occurred; it has been logged."
    _assert_no_internals(response.text)
    _assert_no_internals(str(response.headers))
    # The operator gets the whole story in the log, with the request id.
    assert "secret-detail" in caplog.text
    assert response.headers["x-request-id"]


def test_a_database_error_leaks_no_sql(tmp_path: Path) -> None:
    # A database without the tables: every query fails inside the driver.
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(engine=engine)

    def empty_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    app.dependency_overrides[get_session] = empty_session
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            for path in (
                "/api/v1/meetings",
                "/api/v1/meetings/2024-04-30-astana-swg-trade-facilitation",
                "/api/v1/trade/observations?reporter=KAZ",
                "/api/v1/search?q=astana",
            ):
                response = client.get(path)
                assert response.status_code >= 500, (path, response.text)
                assert response.headers["content-type"] == "application/problem+json"
                _assert_no_internals(response.text)
    finally:
        engine.dispose()
