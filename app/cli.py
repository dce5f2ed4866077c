"""The `sco-api` command: serve, migrate, seed (and, as they land, import and keys)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import OperationalError

from app.config import Settings, get_settings
from app.errors import AppError
from app.vocabulary import IMPORT_FORMATS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.trade.importers.pipeline import ImportResult

# Every command gets the settings `main` read from the environment, once.
Handler = Callable[[argparse.Namespace, Settings], int]


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


def _serve(args: argparse.Namespace, _settings: Settings) -> int:
    import uvicorn

    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        access_log=False,  # the request-logging middleware writes one structured line each
    )
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from app.migrate import migrate

    refreshed = migrate(settings.database_url, args.revision)
    if refreshed is not None:
        print(f"db upgrade: computed the ranges of {refreshed.bounds_set} figure(s)")
    return 0


def _db_downgrade(args: argparse.Namespace, settings: Settings) -> int:
    from app.db.migrations import downgrade

    downgrade(settings.database_url, args.revision)
    return 0


def _seed(_args: argparse.Namespace, settings: Settings) -> int:
    from app.seed import seed

    with _session(settings, write=True) as session:
        report = seed(session)
    print(
        f"seed: {sum(report.inserted.values())} inserted, "
        f"{sum(report.updated.values())} updated"
        + (f", {sum(report.deleted.values())} withdrawn" if report.deleted else "")
        + ("" if report.changed else " (already up to date)")
    )
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from app.changes.tracking import ACTOR_KEY
    from app.trade.importers.base import ImportOptions
    from app.trade.importers.formats import format_of_file
    from app.trade.importers.pipeline import import_file

    path = Path(args.file)
    file_format = args.format or format_of_file(path)
    raw = path.read_bytes()
    try:
        with _session(settings, write=True) as session:
            session.info[ACTOR_KEY] = "cli-import"
            result = import_file(session, raw, file_format, ImportOptions(args.source))
    except AppError as error:
        print(f"sco-api: {error.detail}", file=sys.stderr)
        for field_error in error.errors or []:
            where = f"line {field_error.line}: " if field_error.line else ""
            print(f"  {where}{field_error.field}: {field_error.message}", file=sys.stderr)
        return 1
    print("\n".join(import_summary(path.name, result)))
    return 0


def import_summary(name: str, result: ImportResult) -> list[str]:
    """The lines `sco-api import` prints: what was read, written and left out, and why."""
    from app.trade.importers.base import SKIPS

    skipped = sum(result.skipped.values())
    derived = result.derived
    lines = [
        f"import {name} ({result.format}): {result.received:,} rows, {result.figures:,} figures",
        f"  {result.inserted:,} inserted, {result.updated:,} updated, "
        f"{result.unchanged:,} unchanged, {skipped:,} skipped",
    ]
    width = len(f"{max(result.skipped.values(), default=0):,}")
    lines += [
        f"    {count:>{width},}  {SKIPS[reason]}"
        for reason, count in sorted(result.skipped.items(), key=lambda item: -item[1])
    ]
    lines.append(
        f"  derived figures: {derived['inserted']:,} inserted, {derived['updated']:,} updated, "
        f"{derived['deleted']:,} deleted; {derived['preferred_changed']:,} preferred flags "
        "changed"
    )
    return lines


def _keys_create(args: argparse.Namespace, settings: Settings) -> int:
    from app.auth.service import create_key

    with _session(settings, write=True) as session:
        key = create_key(session, name=args.name, scope=args.scope)
    print(f"Created key {args.name!r} with scope {args.scope!r}. It is shown only once:")
    print(key)
    return 0


def _keys_list(_args: argparse.Namespace, settings: Settings) -> int:
    from app.auth.service import list_keys

    def shown(moment: object) -> str:
        return moment.isoformat() if isinstance(moment, datetime) else "-"

    with _session(settings) as session:
        keys = list_keys(session)
    print(f"{'NAME':<24} {'SCOPE':<6} {'CREATED':<26} {'LAST USED':<26} REVOKED")
    for key in keys:
        print(
            f"{key.name:<24} {key.scope:<6} {shown(key.created_at):<26} "
            f"{shown(key.last_used_at):<26} {shown(key.revoked_at)}"
        )
    return 0


def _keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from app.auth.service import revoke_key

    with _session(settings, write=True) as session:
        revoke_key(session, args.name)
    print(f"Revoked key {args.name!r}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sco-api", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=_serve)

    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    db_up = db.add_parser("upgrade", help="apply migrations (default: to head)")
    db_up.add_argument("revision", nargs="?", default="head")
    db_up.set_defaults(handler=_db_upgrade)
    db_down = db.add_parser("downgrade", help="revert migrations (default: one step)")
    db_down.add_argument("revision", nargs="?", default="-1")
    db_down.set_defaults(handler=_db_downgrade)

    seed = commands.add_parser("seed", help="load seed_data/ (idempotent)")
    seed.set_defaults(handler=_seed)

    importer = commands.add_parser(
        "import",
        help="import observations from a file: the API's CSV or JSON, COW or Comtrade",
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

    keys = commands.add_parser("keys", help="API keys for writes").add_subparsers(
        dest="keys_command", required=True
    )
    keys_create = keys.add_parser("create", help="create a key; prints it once, on the last line")
    keys_create.add_argument("--name", required=True)
    keys_create.add_argument("--scope", choices=["read", "write"], default="write")
    keys_create.set_defaults(handler=_keys_create)
    keys.add_parser("list", help="names, scopes and times (never the keys)").set_defaults(
        handler=_keys_list
    )
    keys_revoke = keys.add_parser("revoke", help="revoke a key; effective immediately")
    keys_revoke.add_argument("name")
    keys_revoke.set_defaults(handler=_keys_revoke)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    settings = get_settings()
    try:
        return handler(args, settings)
    except AppError as error:
        print(f"sco-api: {error.detail}", file=sys.stderr)
        return 2
    except OperationalError as error:
        # One line that says what to do (`createdb …`, or start the server), not a traceback.
        from app.db.diagnosis import diagnose

        print(f"sco-api: {diagnose(settings.database_url, error).message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
