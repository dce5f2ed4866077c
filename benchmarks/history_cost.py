"""What keeping past versions of observations costs (`app.trade.history`), on SQLite and PostgreSQL.

    python -m benchmarks.history_cost [--rows 10000] [--reads 100000] [--backends sqlite,postgresql]

Import: the same N-row import (`app.trade.importers.pipeline.import_file`, in-process, one
transaction as `sco-api import` runs it) with the versions hook and with a session factory
that lacks only that hook, on fresh databases holding the seed plus the synthetic areas and
sources: N new rows, the same file again (nothing changes), then every value changed.

Latest reads: the SQL p50 of the first page of the default listing and of two documented
filters, on M generated observations (`benchmarks.generate`), with no versions and then with
three versions of every observation (two closed, one open, written directly), to show that
latest reads do not look at the versions; and the same pages `as_of` 36 hours ago (the
middle version of each).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.changes.tracking import track_changes
from app.console import ProgressBar
from app.db.keyset import AnySelect, PageParams, apply_keyset
from app.db.session import make_session_factory, session_scope
from app.search.index import reindex
from app.trade.importers.base import ImportOptions
from app.trade.importers.pipeline import import_file
from app.trade.models import trade_observation_versions
from app.trade.repository import (
    ObsAsOf,
    ObservationFilters,
    observation_columns,
    observation_order,
    observations_statement,
)
from benchmarks import generate
from benchmarks.scale import DEFAULT_PG_SERVER, database

VERSIONS = trade_observation_versions


def _without_versions(engine: Engine) -> sessionmaker[Session]:
    """The app's session factory less the versions hook (the feed and the index as usual)."""
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    track_changes(factory, before_recording=(reindex,))
    return factory


def _csv(rows: int, *, bump: bool) -> bytes:
    """N generated rows as an import CSV; `bump`: every value one unit higher."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        generate.write_csv(path, rows, areas=generate.DEFAULT_AREAS, seed_value=7)
        text_rows = path.read_text(encoding="utf-8")
    if not bump:
        return text_rows.encode()
    reader = csv.DictReader(io.StringIO(text_rows, newline=""))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\r\n")
    writer.writeheader()
    for row in reader:
        writer.writerow({**row, "value": str(Decimal(row["value"]) + 1)})
    return out.getvalue().encode()


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(VERSIONS)).scalar_one())


def _timed_import(sessions: sessionmaker[Session], raw: bytes) -> float:
    started = time.perf_counter()
    for session in session_scope(sessions, write=True):
        import_file(session, raw, "csv", ImportOptions())
    return time.perf_counter() - started


def measure_import(backend: str, rows: int, workdir: Path, pg_server: str) -> list[str]:
    new, changed = _csv(rows, bump=False), _csv(rows, bump=True)
    lines = []
    results: dict[bool, list[float]] = {}
    for keep in (False, True):
        with database(backend, rows, workdir, pg_server, f"history{int(keep)}") as url:
            engine = generate.prepare(url)
            generate.fill(engine, 0)  # the synthetic areas and sources, no observations
            sessions = make_session_factory(engine) if keep else _without_versions(engine)
            before = _count(engine)
            results[keep] = [_timed_import(sessions, raw) for raw in (new, new, changed)]
            made = _count(engine) - before
            engine.dispose()
        lines.append(
            f"  {backend:10} versions {'on ' if keep else 'off'}: "
            + ", ".join(f"{t:6.2f} s" for t in results[keep])
            + f"   ({made} versions written)"
        )
    ratios = [on / off for on, off in zip(results[True], results[False], strict=True)]
    lines.append(f"  {backend:10} on / off:     " + ", ".join(f"{r:6.2f} x" for r in ratios))
    return lines


def _fetch(connection: Connection, statement: AnySelect) -> object:
    return connection.execute(statement).all()


def _p50(run: Callable[[], object], repeat: int = 200) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _queries() -> dict[str, ObservationFilters]:
    codes = generate.usable_codes()[:3]
    return {
        "default first page": ObservationFilters(),
        "reporter": ObservationFilters(reporters=[codes[0]]),
        "reporter+partner+indicator": ObservationFilters(
            reporters=[codes[0]], partners=[codes[1]], indicators=["trade_turnover"]
        ),
    }


def measure_reads(backend: str, rows: int, workdir: Path, pg_server: str) -> list[str]:
    lines = []
    with database(backend, rows, workdir, pg_server, "historyreads") as url:
        engine = generate.prepare(url)
        generate.fill(engine, rows)
        statements = {
            name: apply_keyset(
                observations_statement(filters), observation_order(None), PageParams()
            )
            for name, filters in _queries().items()
        }
        found: dict[str, list[float]] = {name: [] for name in statements}
        for per_observation in (0, 3):
            generate.add_versions(engine, per_observation)
            with engine.connect() as connection:
                for name, statement in statements.items():
                    found[name].append(_p50(partial(_fetch, connection, statement)))
        past = _as_of_statements(datetime.now(UTC) - timedelta(hours=36))
        with engine.connect() as connection:
            as_of = {
                name: _p50(partial(_fetch, connection, statement))
                for name, statement in past.items()
            }
        versions = _count(engine)
        engine.dispose()
    for name, (without, with_three) in found.items():
        lines.append(
            f"  {backend:10} {name:28} {without:7.3f} ms -> {with_three:7.3f} ms "
            f"({with_three / without:4.2f} x; {versions} versions); "
            f"as_of 36 h ago {as_of[name]:7.3f} ms"
        )
    return lines


def _as_of_statements(moment: datetime) -> dict[str, AnySelect]:
    """The same first pages as they stood at `moment` (the `as_of` read path)."""
    columns = observation_columns("typed", as_of=True)
    return {
        name: apply_keyset(
            observations_statement(filters, columns, ObsAsOf),
            observation_order(None, as_of=True),
            PageParams(),
        ).params(as_of=moment)
        for name, filters in _queries().items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows per import")
    parser.add_argument(
        "--reads", type=int, default=100_000, help="observations for reads (0: skip)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    args = parser.parse_args(argv)
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    with tempfile.TemporaryDirectory() as folder, ProgressBar("history cost") as progress:
        workdir = Path(folder)
        progress.begin(len(backends) * (2 if args.reads else 1))
        progress.echo(f"import of {args.rows} rows: new, same again, every value changed")
        for backend in backends:
            progress.step(f"{backend}: imports")
            progress.echo("\n".join(measure_import(backend, args.rows, workdir, args.pg_server)))
        if args.reads:
            progress.echo(
                f"latest reads at {args.reads} observations, SQL p50: no versions -> 3 each"
            )
            for backend in backends:
                progress.step(f"{backend}: reads")
                progress.echo(
                    "\n".join(measure_reads(backend, args.reads, workdir, args.pg_server))
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
