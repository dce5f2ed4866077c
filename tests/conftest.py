"""Test fixtures: every API test runs on SQLite and on PostgreSQL.

Each backend gets a fresh database per test session, migrated by Alembic (never
`create_all`) and seeded once; each test then runs inside a transaction that is rolled
back, so tests never see each other's writes. PostgreSQL comes from `TEST_DATABASE_URL`
(a server where databases can be created); without it those tests are skipped, loudly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.dependencies import get_session, get_write_session
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.main import create_app
from app.seed import seed

BACKENDS = ["sqlite", "postgresql"]
PG_SKIP_REASON = (
    "PostgreSQL tests skipped: TEST_DATABASE_URL is not set or the server is unreachable "
    "(`.ci/run` and `make test` set it to the local server)"
)


def _admin_url(base_url: str) -> str:
    return make_url(base_url).set(database="postgres").render_as_string(hide_password=False)


def create_postgres_database(base_url: str) -> str:
    """Create an empty, uniquely named database on the server of `base_url`; return its URL."""
    name = f"sco_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_admin_url(base_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip(PG_SKIP_REASON)
    try:
        engine = create_engine(_admin_url(base))
        with engine.connect():
            pass
        engine.dispose()
    except OperationalError:
        pytest.skip(PG_SKIP_REASON)
    return base


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the backend named by `request.param`."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = create_postgres_database(request.getfixturevalue("postgres_base_url"))
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated and seeded database, shared by the tests of one backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'sco.db'}"
    else:
        url = create_postgres_database(request.getfixturevalue("postgres_base_url"))
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    engine.dispose()
    try:
        yield url
    finally:
        if request.param == "postgresql":
            drop_postgres_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: Engine) -> sessionmaker[Session]:
    """The app's kind of session factory: its sessions record changes and keep the index."""
    return make_session_factory(engine)


@pytest.fixture
def backend(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture
def db_session(engine: Engine, sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    session = sessions(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def make_client_app(
    db_session: Session, engine: Engine, settings: Settings | None = None
) -> FastAPI:
    # The response cache follows the data version of the configured database, not of this
    # rolled-back test transaction: tests of the cache build their own app.
    # No OpenAPI build at each start either: half a second of CPU per test's app
    # (tests/http/test_docs.py checks the build at start-up with an app of its own).
    settings = (settings or Settings()).model_copy(
        update={"response_cache": False, "openapi_at_start": False}
    )
    app = create_app(settings, engine=engine)

    def _session() -> Iterator[Session]:
        try:
            yield db_session
            db_session.commit()  # releases the test's savepoint; the outer transaction rolls back
        except BaseException:
            db_session.rollback()
            raise

    # Every request of the test shares its rolled-back session (made by the same
    # `make_session_factory` as the app's own, so with the same listeners).
    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[get_write_session] = _session
    return app


@pytest.fixture
def app(db_session: Session, engine: Engine) -> FastAPI:
    return make_client_app(db_session, engine)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def write_key(db_session: Session) -> str:
    from app.auth.service import create_key

    key = create_key(db_session, name="test-writer", scope="write")
    db_session.commit()  # survives a request's rollback; the test's outer transaction does not
    return key


@pytest.fixture
def read_key(db_session: Session) -> str:
    from app.auth.service import create_key

    key = create_key(db_session, name="test-reader", scope="read")
    db_session.commit()
    return key


@pytest.fixture
def revoked_key(db_session: Session) -> str:
    from app.auth.service import create_key, revoke_key

    key = create_key(db_session, name="test-revoked", scope="write")
    revoke_key(db_session, "test-revoked")
    db_session.commit()
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
