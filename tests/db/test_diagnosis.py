"""A PostgreSQL database that does not exist is told apart from a server that does not answer:
by `/health/ready` (503 naming the database and how to create it) and by `sco-api db
upgrade` (one line, no traceback)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app.db.diagnosis import diagnose
from app.main import create_app

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_URL = "postgresql+psycopg://postgres@127.0.0.1:1/sco?connect_timeout=2"


@pytest.fixture
def missing_database_url(postgres_base_url: str) -> str:
    """The URL of a database the test server does not have."""
    name = f"sco_missing_{uuid.uuid4().hex[:8]}"
    return make_url(postgres_base_url).set(database=name).render_as_string(hide_password=False)


def _connect_error(url: str) -> BaseException:
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{url} answered")


def test_ready_names_a_missing_database_and_how_to_create_it(missing_database_url: str) -> None:
    name = make_url(missing_database_url).database
    engine = create_engine(missing_database_url)
    try:
        with TestClient(create_app(engine=engine)) as client:
            response = client.get("/health/ready")
    finally:
        engine.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    assert detail.startswith(f"The database '{name}' does not exist; create it")
    assert f'CREATE DATABASE "{name}";' in detail
    assert "sco-api db upgrade" in detail
    assert "unreachable" not in detail
    assert "127.0.0.1" not in response.text  # the public answer names no host or user


def test_a_server_that_does_not_answer_is_unreachable() -> None:
    problem = diagnose(CLOSED_PORT_URL, _connect_error(CLOSED_PORT_URL))
    assert problem.kind == "unreachable"
    assert problem.message == (
        "The database is unreachable; check that PostgreSQL is running and accepts "
        "connections at 127.0.0.1:1."
    )


def test_a_missing_database_is_found_whatever_language_the_server_speaks(
    missing_database_url: str,
) -> None:
    # A server with another `lc_messages` words its error otherwise: it is asked instead.
    problem = diagnose(missing_database_url, RuntimeError("la base de données n'existe pas"))
    assert problem.kind == "missing"
    url = make_url(missing_database_url)
    assert f"createdb -h {url.host} -p {url.port} -U {url.username} {url.database}" in (
        problem.message
    )


def test_an_existing_database_is_not_called_missing(postgres_base_url: str) -> None:
    assert diagnose(postgres_base_url, RuntimeError("timeout")).kind == "unreachable"


def test_a_sqlite_file_that_cannot_be_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'sco.db'}"
    problem = diagnose(url, _connect_error(url))
    assert problem.kind == "unreachable"
    assert "no-such-folder" in problem.message
    assert "no-such-folder" not in problem.public_message


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_db_upgrade_says_in_one_line_that_the_database_is_missing(
    missing_database_url: str,
) -> None:
    url = make_url(missing_database_url)
    result = _cli(missing_database_url, "db", "upgrade")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sco-api: The database '{url.database}' does not exist")
    assert f"createdb -h {url.host} -p {url.port} -U {url.username} {url.database}" in lines[0]


def test_db_upgrade_says_in_one_line_that_the_server_is_unreachable() -> None:
    result = _cli(CLOSED_PORT_URL, "db", "upgrade")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "sco-api: The database is unreachable; check that PostgreSQL is running and accepts "
        "connections at 127.0.0.1:1."
    )
