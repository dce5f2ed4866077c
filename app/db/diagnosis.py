"""Why a database cannot be used, said so that an operator knows what to do.

A PostgreSQL server that answers but has no database of the configured name and a server
that does not answer at all fail alike (`OperationalError` on connect), yet need different
fixes: the first wants `createdb`, the second a running, reachable server. The readiness
probe and the CLI say which it is.

The server's own message is read first (`database "x" does not exist`); servers that
speak another language are asked directly: a connection to their `postgres` database
tells whether the server answers and whether the named database is among its databases.

Every CLI command but `db upgrade` needs a database that is there and migrated
(`migrated_database_problem`): it looks without creating anything (connecting to a SQLite
file that is not there would make an empty one) and names where it looked.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.db.migrations import current_revisions, head_revisions, known_revisions

MISSING_DATABASE = re.compile(r'database "[^"]*" does not exist')
MAINTENANCE_DATABASE = "postgres"
PROBE_TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class DatabaseProblem:
    """What is wrong: `missing` (the server answers, the database is not there),
    `unreachable` (no answer, or one that says nothing more), `absent` (no SQLite file),
    `unmigrated` (no migration applied), `behind` or `ahead` (of this code's migrations)."""

    kind: str
    database: str
    fix: str  # what an operator can do, naming hosts and users (for the CLI and logs)
    public_fix: str  # the same without them (for an answer anyone may read)
    finding: str = ""  # what is wrong, where the kind alone does not say it

    @property
    def message(self) -> str:
        return self._say(self.fix)

    @property
    def public_message(self) -> str:
        return self._say(self.public_fix)

    def _say(self, fix: str) -> str:
        if self.finding:
            return f"{self.finding}; {fix}"
        if self.kind == "missing":
            return f"The database {self.database!r} does not exist; {fix}"
        return f"The database is unreachable; {fix}"


def _createdb_command(url: URL) -> str:
    words = ["createdb"]
    if url.host:
        words += ["-h", url.host]
    if url.port:
        words += ["-p", str(url.port)]
    if url.username:
        words += ["-U", url.username]
    words.append(url.database or "")
    return " ".join(shlex.quote(word) for word in words)


def _absent_on_server(url: URL) -> bool:
    """Whether the server answers and lists no database of `url`'s name."""
    engine = create_engine(
        url.set(database=MAINTENANCE_DATABASE),
        connect_args={"connect_timeout": PROBE_TIMEOUT_SECONDS},
        poolclass=NullPool,
    )
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
        return found is None
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def diagnose(database_url: str | URL, error: BaseException) -> DatabaseProblem:
    """What `error`, raised on connecting to `database_url`, means for an operator."""
    url = make_url(database_url)
    name = url.database or ""
    backend = url.get_backend_name()
    if backend == "postgresql" and name:
        if MISSING_DATABASE.search(str(error)) or _absent_on_server(url):
            create = f'`CREATE DATABASE "{name.replace(chr(34), chr(34) * 2)}";` in psql'
            then = "then run `sco-api db upgrade`"
            return DatabaseProblem(
                "missing",
                name,
                fix=f"create it with `{_createdb_command(url)}` (or {create}), {then} "
                "(or both at once: `sco-api db upgrade --create`).",
                public_fix=f"create it ({create}, or `createdb`), {then}.",
            )
        where = f"{url.host or 'localhost'}:{url.port or 5432}"
        return DatabaseProblem(
            "unreachable",
            name,
            fix=f"check that PostgreSQL is running and accepts connections at {where}.",
            public_fix="check that PostgreSQL is running and accepts connections.",
        )
    if backend == "sqlite":
        return DatabaseProblem(
            "unreachable",
            name,
            fix=f"check that the folder of the SQLite file {name!r} exists and is writable.",
            public_fix="check that the folder of the SQLite file exists and is writable.",
        )
    fix = "check DATABASE_URL and that the server answers."
    return DatabaseProblem("unreachable", name, fix=fix, public_fix=fix)


def shown_url(database_url: str | URL) -> str:
    """The URL as it may be printed: the password hidden."""
    return make_url(database_url).render_as_string(hide_password=True)


def sqlite_file(database_url: str | URL) -> Path | None:
    """The file of a SQLite database (made absolute, as the process sees it), or None for an
    in-memory database or another backend."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


def location(database_url: str | URL) -> str:
    """The database as a person looks for it: a SQLite file's path, else the URL without
    its password."""
    path = sqlite_file(database_url)
    return str(path) if path is not None else shown_url(database_url)


def migrated_database_problem(database_url: str) -> DatabaseProblem | None:
    """Why the database of `database_url` cannot serve a command that needs it at the newest
    migration, or None. Creates nothing: a SQLite file that is not there is reported."""
    url = make_url(database_url)
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        return DatabaseProblem(
            "absent",
            url.database or "",
            finding=f"No database at {path} (DATABASE_URL={shown_url(url)})",
            fix="create it with `sco-api db upgrade`, or set DATABASE_URL to your database.",
            public_fix="create it with `sco-api db upgrade`.",
        )
    postgresql = url.get_backend_name() == "postgresql"
    connect_args = {"connect_timeout": PROBE_TIMEOUT_SECONDS} if postgresql else {}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    except SQLAlchemyError as error:
        return diagnose(url, error)
    finally:
        engine.dispose()
    return _revision_problem(url, current)


def _revision_problem(url: URL, current: set[str]) -> DatabaseProblem | None:
    """What a database at revisions `current` lacks for this code, or None."""
    heads = head_revisions()
    if current == heads:
        return None
    where, name = location(url), url.database or ""
    upgrade = "run `sco-api db upgrade`."
    if not current:
        finding = f"The database at {where} is not migrated (it has no tables of this service)"
        return DatabaseProblem("unmigrated", name, finding=finding, fix=upgrade, public_fix=upgrade)
    at = f"The database at {where} is at revision {', '.join(sorted(current))}"
    if current - known_revisions():
        finding = f"{at}, which this version of sco-api does not know (a newer one migrated it)"
        newer = "install that newer version."
        return DatabaseProblem("ahead", name, finding=finding, fix=newer, public_fix=newer)
    finding = f"{at}, not at the newest ({', '.join(sorted(heads))})"
    return DatabaseProblem("behind", name, finding=finding, fix=upgrade, public_fix=upgrade)
