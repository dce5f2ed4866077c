"""The `sco-api` command: serve, migrate, seed (and, as they land, import and keys)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app.config import get_settings

Handler = Callable[[argparse.Namespace], int]


def _serve(args: argparse.Namespace) -> int:
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


def _db_upgrade(args: argparse.Namespace) -> int:
    from app.db.migrations import upgrade

    upgrade(get_settings().database_url, args.revision)
    return 0


def _db_downgrade(args: argparse.Namespace) -> int:
    from app.db.migrations import downgrade

    downgrade(get_settings().database_url, args.revision)
    return 0


def _seed(_args: argparse.Namespace) -> int:
    from app.db.session import session_scope
    from app.seed import seed

    for session in session_scope(write=True):
        report = seed(session)
    print(
        f"seed: {sum(report.inserted.values())} inserted, "
        f"{sum(report.updated.values())} updated"
        + ("" if report.changed else " (already up to date)")
    )
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
