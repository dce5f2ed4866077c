"""Alembic from code: the CLI, the app's readiness check and the tests use these."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from app.package_data import package_folder


def alembic_config(database_url: str) -> Config:
    """Alembic's settings in code (alembic.ini serves the `alembic` command in a checkout):
    the migrations where this installation has them, the database of `database_url`."""
    config = Config()
    config.set_main_option("script_location", str(package_folder("migrations")))
    # `%` is Alembic's interpolation character; URLs may contain it (encoded passwords).
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "-1") -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revisions() -> set[str]:
    return set(_script().get_heads())


def known_revisions() -> set[str]:
    """Every revision of this code's migrations."""
    return {revision.revision for revision in _script().walk_revisions()}


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def current_revisions(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def is_at_head(connection: Connection) -> bool:
    return current_revisions(connection) == head_revisions()
