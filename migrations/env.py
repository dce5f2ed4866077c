"""Alembic environment: runs migrations online against `sqlalchemy.url` (batch mode on SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, pool

import app.db.models  # noqa: F401  (registers every table on Base.metadata)
from app.config import get_settings
from app.db.base import Base
from app.db.session import make_engine

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


# Tables managed by hand-written migrations, not by the ORM metadata (FTS5 virtual table
# and its shadow tables; the PostgreSQL tsvector table): autogenerate must not drop them.
UNMANAGED_TABLE_PREFIX = "search_index"
# Indexes on expressions that differ by database (migration 0005), that one database only
# has (0007), or on an expression (0008's identity of a figure): not on the models.
UNMANAGED_INDEX_PREFIXES = (
    "ix_" + UNMANAGED_TABLE_PREFIX,
    "ix_trade_observations_value_",
    "ix_trade_observations_sqlite_",
    "uq_trade_observations_identity",
)


def _include_object(
    _object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name and name.startswith(UNMANAGED_INDEX_PREFIXES))


def _run(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        _migrate(connection)
        return
    # Batch mode on SQLite copies a table and drops the original, and SQLite refuses to drop a
    # table that other rows point at while foreign keys are enforced. They are switched off
    # for the migration (on the driver's connection, outside any transaction: SQLite ignores
    # the pragma inside one), and every reference is checked once it is done.
    driver = connection.connection.driver_connection
    assert driver is not None  # noqa: S101  (a live connection always has one)
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        _migrate(connection)
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left broken references: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place: batch mode recreates the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
