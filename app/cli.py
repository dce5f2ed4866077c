"""The `sco-api` command: serve, migrate, seed, import, keys (argparse, one module).

Every command that needs the database looks before it touches it (`_require_database`);
every failure is one line on stderr that says what to do, with a non-zero exit status, and
never a traceback (unless `--traceback` asks for one of an unexpected error).
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings
from app.vocabulary import IMPORT_FORMATS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.errors import AppError, FieldError
    from app.seed import SeedReport
    from app.trade.importers.pipeline import ImportResult

DESCRIPTION = (
    "Serve the SCO Trade API, migrate and seed its database, import trade figures and "
    "manage the API keys of writers."
)
# Every command gets the settings read from the environment, once, before it runs.
Handler = Callable[[argparse.Namespace, Settings], int]

# Exit statuses: the work was refused (a file with bad rows, a key that is not there), the
# command could not run (usage, a missing file or database), the user interrupted it.
REFUSED = 1
CANNOT_RUN = 2
INTERRUPTED = 130
BROKEN_PIPE = 141  # as a shell reports a process ended by SIGPIPE


class CommandError(Exception):
    """A command cannot go on: one line for stderr that says what to do, and the exit status."""

    def __init__(self, message: str, status: int = CANNOT_RUN) -> None:
        super().__init__(message)
        self.status = status


def _require_database(settings: Settings, *, migrated: bool = True) -> None:
    """Stop, naming where it looked, unless the database is there (and at the newest
    migration); never creates it, as connecting to a missing SQLite file would."""
    from app.db.diagnosis import migrated_database_problem

    problem = migrated_database_problem(settings.database_url)
    if problem is None or (not migrated and problem.kind in ("behind", "ahead")):
        return
    raise CommandError(problem.message)


@contextmanager
def _session(settings: Settings, *, write: bool = False) -> Iterator[Session]:
    """A session of the app's container (it records changes as the API's sessions do):
    committed when the `with` block ends, rolled back on an error; then the container closes.
    """
    from app.container import build_container  # imported late: `sco-api --help` stays quick
    from app.db.session import session_scope

    container = build_container(settings)
    try:
        yield from session_scope(container.sessions, write=write)
    finally:
        container.close()


def _where(database_url: str) -> str:
    from app.db.diagnosis import location

    return location(database_url)


# --- serve ------------------------------------------------------------------------------


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    _require_database(settings)
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        access_log=False,  # the request-logging middleware writes one structured line each
    )
    return 0


# --- db ---------------------------------------------------------------------------------


def _revision_line(database_url: str) -> str:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from app.db.migrations import current_revisions, head_revisions

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    finally:
        engine.dispose()
    if not current:
        return "has no migration applied"
    newest = " (the newest)" if current == head_revisions() else ""
    return f"is at revision {', '.join(sorted(current))}{newest}"


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from app.migrate import create_missing_database, migrate

    url = settings.database_url
    if args.create and create_missing_database(url):
        print(f"db upgrade: created the database {_where(url)}")
    refreshed = migrate(url, args.revision)
    if refreshed is not None and refreshed.bounds_set:
        print(f"db upgrade: computed the ranges of {refreshed.bounds_set:,} figure(s)")
    print(f"db upgrade: the database at {_where(url)} {_revision_line(url)}")
    return 0


def _db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from app.db.migrations import downgrade

    _require_database(settings, migrated=False)
    downgrade(settings.database_url, args.revision)
    url = settings.database_url
    print(f"db downgrade: the database at {_where(url)} {_revision_line(url)}")
    return 0


# --- seed -------------------------------------------------------------------------------


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    from app.console import ProgressBar
    from app.seed import seed

    _require_database(settings)
    with ProgressBar("seed") as progress, _session(settings, write=True) as session:
        report = seed(session, data_sets=not args.no_data_sets, progress=progress)
    print("\n".join(seed_summary(report)))
    return 0


def seed_summary(report: SeedReport) -> list[str]:
    """The lines `sco-api seed` prints: the totals, then what changed of each kind."""
    from app.console import table

    counts = ("CREATED", "UPDATED", "WITHDRAWN")
    changes = report.by_kind()
    shown = [index for index in range(len(counts)) if any(row[1 + index] for row in changes)]
    lines = [report.summary()]
    if changes:
        headers = ["", *(counts[index] for index in shown)]
        rows = [
            [_kind_name(row[0]), *(f"{row[1 + index]:,}" for index in shown)] for row in changes
        ]
        lines += table(headers, rows, numbers=range(1, len(headers)), indent="  ")
    return lines


def _kind_name(kind: str) -> str:
    """A kind of record in words (`trade indicators`); a data set's file name as it is."""
    return kind if "." in kind else kind.replace("_", " ")


# --- import -----------------------------------------------------------------------------


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from app.changes.tracking import ACTOR_KEY
    from app.console import ProgressBar
    from app.errors import AppError
    from app.trade.importers.base import ImportOptions
    from app.trade.importers.formats import format_of_file
    from app.trade.importers.pipeline import import_file

    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror or error}") from error
    file_format = args.format or format_of_file(path)
    _require_database(settings)
    try:
        with (
            ProgressBar(f"import {path.name}") as progress,
            _session(settings, write=True) as session,
        ):
            session.info[ACTOR_KEY] = "cli-import"
            options = ImportOptions(args.source)
            result = import_file(session, raw, file_format, options, progress=progress)
    except AppError as error:
        for line in refusal_lines(path.name, error):
            print(line, file=sys.stderr)
        return REFUSED
    print("\n".join(import_summary(path.name, result)))
    return 0


def refusal_lines(name: str, error: AppError) -> list[str]:
    """Why an import was refused: its summary, then each problem, with the file's line."""
    listed = [_problem_line(problem) for problem in error.errors or []]
    if len(listed) == 1 and error.errors and error.errors[0].line is None:
        return [f"sco-api: {name}: {listed[0].strip()}"]  # the summary would say it twice
    return [f"sco-api: {name}: {error.detail}", *listed]


# The importers name the parts of an HTTP body (`body`, `body.header`, `body[3]`); from the
# command line the body is the file.
FILE_WORDS = (("body.header", "header"), ("body", "file"))


def _problem_line(problem: FieldError) -> str:
    field = problem.field
    for http, words in FILE_WORDS:
        if field == http or field.startswith((f"{http}.", f"{http}[")):
            field = words + field.removeprefix(http)
            break
    where = f"line {problem.line}: " if problem.line else ""
    return f"  {where}{field}: {problem.message}"


def import_summary(name: str, result: ImportResult) -> list[str]:
    """The lines `sco-api import` prints: what was read, written and left out, and why."""
    from app.console import counted
    from app.trade.importers.base import SKIPS

    skipped = sum(result.skipped.values())
    lines = [
        f"import {name} ({result.format}): {counted(result.received, 'row')}, "
        f"{counted(result.figures, 'figure')}",
        f"  {result.inserted:,} inserted, {result.updated:,} updated, "
        f"{result.unchanged:,} unchanged, {skipped:,} skipped",
    ]
    width = len(f"{max(result.skipped.values(), default=0):,}")
    lines += [
        f"    {count:>{width},}  {SKIPS[reason]}"
        for reason, count in sorted(result.skipped.items(), key=lambda item: -item[1])
    ]
    derived = result.derived
    if derived:
        lines.append(
            f"  derived figures: {derived['inserted']:,} inserted, {derived['updated']:,} "
            f"updated, {derived['deleted']:,} deleted; "
            f"{counted(derived['preferred_changed'], 'preferred flag')} changed"
        )
    return lines


# --- keys -------------------------------------------------------------------------------


def _keys_create(args: argparse.Namespace, settings: Settings) -> int:
    from app.auth.service import create_key

    _require_database(settings)
    with _session(settings, write=True) as session:
        key = create_key(session, name=args.name, scope=args.scope)
    print(f"Created key {args.name!r} with scope {args.scope!r}. It is shown only once:")
    print(key)
    return 0


def _moment(value: object) -> str:
    """A time of the key list: UTC to the second; `-` for none."""
    if not isinstance(value, datetime):
        return "-"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _keys_list(_args: argparse.Namespace, settings: Settings) -> int:
    from app.auth.service import list_keys
    from app.console import table

    _require_database(settings)
    with _session(settings) as session:
        keys = list_keys(session)
    if not keys:
        print("No API keys yet; create one with `sco-api keys create --name NAME`.")
        return 0
    rows = [
        [
            key.name,
            key.scope,
            _moment(key.created_at),
            _moment(key.last_used_at),
            _moment(key.revoked_at),
        ]
        for key in keys
    ]
    headers = ["NAME", "SCOPE", "CREATED (UTC)", "LAST USED (UTC)", "REVOKED (UTC)"]
    print("\n".join(table(headers, rows)))
    return 0


def _keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from app.auth.service import revoke_key

    _require_database(settings)
    with _session(settings, write=True) as session:
        revoke_key(session, args.name)
    print(f"Revoked key {args.name!r}.")
    return 0


# --- the parser -------------------------------------------------------------------------


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Defaults shown where there is one (not `None`, not an off switch); text of several
    lines (the epilog) kept as written, the rest wrapped."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False):
            return action.help
        return super()._get_help_string(action)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


HELP_WIDTH = 88


def epilog() -> str:
    """The main help's end: every setting of the environment with its default (their one
    home is `app.config.Settings`), and the exit statuses."""
    lines = ["environment (a .env file in the current folder is read too):"]
    for field in Settings.model_fields.values():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, bool):
            default = str(default).lower()  # as the environment spells it
        shown = "" if default in (None, [], "") else f" (default: {default})"
        lines.append(f"  {field.alias}")
        lines += textwrap.wrap(
            f"{field.description}{shown}",
            HELP_WIDTH,
            initial_indent=" " * 6,
            subsequent_indent=" " * 6,
            break_on_hyphens=False,
        )
    lines += [
        "",
        f"exit status: 0 done, {REFUSED} refused (a file with bad rows, an unknown key), "
        f"{CANNOT_RUN} cannot run",
        f"(usage, a missing file or database), {INTERRUPTED} interrupted.",
    ]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sco-api",
        description=DESCRIPTION,
        epilog=epilog(),
        formatter_class=_HelpFormatter,
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        help="on an unexpected error, show where it happened (for a bug report)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        group: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        summary: str,
        description: str | None = None,
    ) -> argparse.ArgumentParser:
        return group.add_parser(
            name, help=summary, description=description, formatter_class=_HelpFormatter
        )

    serve = command(
        commands,
        "serve",
        "serve the HTTP API (the database must be migrated: `sco-api db upgrade`)",
        description="Serve the HTTP API on HOST:PORT; the database is not migrated here.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.set_defaults(handler=_serve)

    db = command(commands, "db", "migrate the database (DATABASE_URL)").add_subparsers(
        dest="db_command", required=True, metavar="COMMAND"
    )
    db_up = command(
        db,
        "upgrade",
        "apply migrations, creating a SQLite file if there is none",
        description="Apply the migrations to the database of DATABASE_URL (a SQLite file and "
        "its folder are created if missing), then fill what new columns need.",
    )
    db_up.add_argument("revision", nargs="?", default="head", help="the revision to reach")
    db_up.add_argument(
        "--create",
        action="store_true",
        help="create the PostgreSQL database first if the server does not have it",
    )
    db_up.set_defaults(handler=_db_upgrade)
    db_down = command(db, "downgrade", "revert migrations")
    db_down.add_argument(
        "revision", nargs="?", default="-1", help="the revision to go back to (-1: one step)"
    )
    db_down.set_defaults(handler=_db_downgrade)

    seed = command(
        commands,
        "seed",
        "load the seed data (idempotent: a second run changes nothing)",
        description="Load the seed data shipped with sco-api (seed_data/ in a checkout) into "
        "the migrated database, in one transaction.",
    )
    seed.add_argument(
        "--no-data-sets",
        action="store_true",
        help="leave out the published data sets (the COW figures, some 68,000): the "
        "press-release figures, meetings and references alone, in seconds",
    )
    seed.set_defaults(handler=_seed)

    importer = command(
        commands,
        "import",
        "import observations from a file: the API's CSV or JSON, COW or Comtrade",
        description="Import trade observations, all or nothing; importing a file again "
        "changes nothing. Gzip-compressed files are read as they are.",
    )
    importer.add_argument("file", help="path to the file (.csv, .json, .csv.gz, ...)")
    importer.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="the file's layout: csv/json (the API's own; default by the extension: .csv "
        "or .csv.gz is csv, anything else json), cow (Correlates of War dyadic trade 4.0), "
        "comtrade (UN Comtrade CSV)",
    )
    importer.add_argument(
        "--source",
        help="source id the figures cite: for cow (default cow-trade-4-0, the COW codebook) "
        "and comtrade (required)",
    )
    importer.set_defaults(handler=_import)

    keys = command(commands, "keys", "API keys for writes").add_subparsers(
        dest="keys_command", required=True, metavar="COMMAND"
    )
    keys_create = command(keys, "create", "create a key; prints it once, on the last line")
    keys_create.add_argument("--name", required=True, help="a name to know the key by")
    keys_create.add_argument(
        "--scope", choices=["read", "write"], default="write", help="what the key may do"
    )
    keys_create.set_defaults(handler=_keys_create)
    command(keys, "list", "names, scopes and times (never the keys)").set_defaults(
        handler=_keys_list
    )
    keys_revoke = command(keys, "revoke", "revoke a key; effective immediately")
    keys_revoke.add_argument("name", help="the key's name")
    keys_revoke.set_defaults(handler=_keys_revoke)
    return parser


# --- running a command ------------------------------------------------------------------


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}={problem.get('input')!r}: "
            f"{problem['msg']}"
            for problem in error.errors()
        )
        raise CommandError(f"a setting of the environment is not valid: {problems}") from error


def _run(args: argparse.Namespace) -> int:
    from alembic.util import CommandError as AlembicError
    from sqlalchemy.exc import OperationalError

    from app.errors import AppError

    settings = _settings()
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except AppError as error:
        raise CommandError(error.detail, REFUSED) from error
    except AlembicError as error:
        raise CommandError(f"alembic: {error}") from error
    except OperationalError as error:
        # One line that says what to do (`createdb …`, or start the server), not a traceback.
        from app.db.diagnosis import diagnose

        raise CommandError(diagnose(settings.database_url, error).message) from error


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`sco-api keys list | head -1`): nothing is wrong, and nothing
        # more can be said; stdout goes nowhere so that closing it at exit raises no more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except CommandError as error:
        print(f"sco-api: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print("sco-api: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        raise  # not an error of the command: `main` ends quietly
    except Exception as error:
        if args.traceback:
            raise
        print(
            f"sco-api: unexpected error: {type(error).__name__}: {error} "
            "(run again with --traceback to see where, and report it)",
            file=sys.stderr,
        )
        return REFUSED


if __name__ == "__main__":
    sys.exit(main())
