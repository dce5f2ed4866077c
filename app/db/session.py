"""Engine and session factory: one engine per process, configured for each database."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.changes.tracking import install_change_tracking
from app.config import get_settings
from app.search.index import install_search_indexing

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option that asks for a write transaction (`BEGIN IMMEDIATE` on SQLite), so that
# concurrent writers queue on the busy timeout instead of failing with "database is locked".
WRITE_OPTION = "sco_write"

# Every session of every entry point (API, CLI, tests) records changes and keeps the search
# index current in the transaction that makes the change.
install_change_tracking()
install_search_indexing()


def _configure_sqlite(engine: Engine, directory: Path | None) -> None:
    @event.listens_for(engine, "do_connect")
    def _before_connect(*_args: Any) -> None:
        # The file's folder is made when the first connection needs it: making an engine
        # (for an app that only renders its OpenAPI document) touches no disk.
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off; `_on_begin` emits BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine for `database_url` with the settings each dialect needs."""
    url = make_url(database_url)
    in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    if "poolclass" in kwargs or in_memory:  # pools without a size
        kwargs.pop("pool_size", None)
        kwargs.pop("max_overflow", None)
    if url.get_backend_name() == "sqlite":
        directory = Path(url.database).parent if not in_memory and url.database else None
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine, directory)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
    return create_engine(url, **kwargs)


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    # Every admitted request may hold a connection (app.http.admission), and streamed CSV
    # downloads keep theirs: room for both beyond the default sizes.
    threads = settings.worker_threads
    return make_engine(settings.database_url, pool_size=max(10, threads), max_overflow=threads + 10)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False, autoflush=False)


def session_scope(
    *, write: bool = False, factory: sessionmaker[Session] | None = None
) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error."""
    session = (factory or get_sessionmaker())()
    try:
        if write:
            session.connection(execution_options={WRITE_OPTION: True})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
