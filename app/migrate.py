"""Migrating a database: Alembic's migrations, then what the new columns need filled.

Migrations stay static (they never import the rules, which change after them); when one
adds a column that a rule computes (the ranges of figures, migration 0008), the rule fills
it here, right after, in one transaction. With nothing to fill it costs one question.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.changes.tracking import ACTOR_KEY
from app.db.diagnosis import MAINTENANCE_DATABASE, diagnose
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.trade.service import RecomputeResult, refresh_computed


def migrate(database_url: str, revision: str = "head") -> RecomputeResult | None:
    """Upgrade to `revision`; at head, compute what the stored figures lack."""
    upgrade(database_url, revision)
    if revision != "head":
        return None  # the models describe the head schema only
    engine = make_engine(database_url)
    try:
        # The app's kind of session: the recomputed figures appear in the change feed.
        with make_session_factory(engine).begin() as session:
            session.info[ACTOR_KEY] = "migration"
            return refresh_computed(session)
    finally:
        engine.dispose()


def create_missing_database(database_url: str) -> bool:
    """Create the PostgreSQL database of `database_url` when its server answers without it
    (`sco-api db upgrade --create`); True when it did. A SQLite file needs no such step: the
    migration makes it."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql" or not url.database:
        return False
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect():
            return False  # it is there
    except OperationalError as error:
        if diagnose(url, error).kind != "missing":
            raise
    finally:
        engine.dispose()
    server = create_engine(
        url.set(database=MAINTENANCE_DATABASE), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with server.connect() as connection:
            quoted = connection.dialect.identifier_preparer.quote(url.database)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        server.dispose()
    return True
