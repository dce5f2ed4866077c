"""Engines and session factories, configured for each database; no process-wide state.

Every session factory comes from `make_session_factory`, which attaches the change feed, the
search index and the past versions of observations to that factory (never to SQLAlchemy's
global `Session` class): every entry point (the API, the CLI, the container's entrypoint, the
tests) gets sessions that record their changes, keep the index current and keep each
observation's versions, and an import changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.changes.tracking import track_changes
from app.search.index import reindex
from app.trade.history import record_versions

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option that asks for a write transaction (`BEGIN IMMEDIATE` on SQLite), so that
# concurrent writers queue on the busy timeout instead of failing with "database is locked".
WRITE_OPTION = "sco_write"


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


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on `engine` that record every change, keep the search index current and keep
    the past versions of observations (`app.trade.history`).

    The listeners belong to this factory (its own `Session` subclass): sessions made
    elsewhere are untouched. A session on another bind (a test's rolled-back connection)
    comes from the same factory: `factory(bind=connection, ...)`.
    """
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    track_changes(factory, before_recording=(reindex,), when_recording=(record_versions,))
    return factory


def session_scope(sessions: sessionmaker[Session], *, write: bool = False) -> Iterator[Session]:
    """A session whose transaction commits on success and rolls back on any error."""
    session = sessions()
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
