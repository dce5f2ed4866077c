"""Everything one application instance holds, built in one place and passed explicitly.

(A dependency container, not the Docker image: that one is `app/entrypoint.py`.)

`build_container(settings)` makes the engine, the session factory (its listeners — the
change feed, the search index, the answer cache's invalidation — belong to that factory,
never to SQLAlchemy's global `Session`), the answer cache's data version and SQLite's
write queue. `create_app` keeps the container on `app.state.container` and starts and
stops its background work in the lifespan; request dependencies read it with
`container_of(request)`. The CLI and the tests build theirs with the same function, so
their sessions behave as the app's do. Nothing here runs at import.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import HTTPConnection

from app.config import Settings
from app.db.session import make_engine, make_session_factory
from app.db.write_queue import WriteQueue
from app.http.data_version import DataVersion, drop_on_commit


@dataclass(frozen=True, kw_only=True)
class AppContainer:
    """One app's settings and the objects built from them (kept on `app.state.container`)."""

    settings: Settings
    engine: Engine
    # Every session of this app (requests, imports, seed) comes from here.
    sessions: sessionmaker[Session]
    # What the answer cache keys by; None when SCO_RESPONSE_CACHE=false.
    data_version: DataVersion | None
    # Write requests take turns here on SQLite (one writer at a time); None on PostgreSQL.
    write_queue: WriteQueue | None
    # An engine made by `build_container` is disposed of by `close`; a lent one is the
    # lender's (tests share one engine among many apps).
    owns_engine: bool

    def start(self) -> None:
        """Start the background work: the data version's refresher."""
        if self.data_version is not None:
            self.data_version.start()

    def close(self) -> None:
        """Stop the background work; close the engine's pooled connections if it is ours."""
        if self.data_version is not None:
            self.data_version.stop()
        if self.owns_engine:
            self.engine.dispose()


def _engine_for(settings: Settings) -> Engine:
    # Every admitted request may hold a connection (app.http.admission), and streamed CSV
    # downloads keep theirs: room for both beyond the default sizes.
    threads = settings.worker_threads
    return make_engine(settings.database_url, pool_size=max(10, threads), max_overflow=threads + 10)


def build_container(settings: Settings, *, engine: Engine | None = None) -> AppContainer:
    """The container for `settings`; `engine` (if given) is used instead of a new one."""
    owns_engine = engine is None
    engine = engine if engine is not None else _engine_for(settings)
    sessions = make_session_factory(engine)
    data_version = None
    if settings.response_cache:
        data_version = DataVersion(engine, ttl=settings.response_cache_ttl_ms / 1000)
        drop_on_commit(sessions, data_version)
    return AppContainer(
        settings=settings,
        engine=engine,
        sessions=sessions,
        data_version=data_version,
        write_queue=WriteQueue() if engine.dialect.name == "sqlite" else None,
        owns_engine=owns_engine,
    )


def container_of(connection: HTTPConnection) -> AppContainer:
    """The container of the app serving this request."""
    container: AppContainer = connection.app.state.container
    return container
