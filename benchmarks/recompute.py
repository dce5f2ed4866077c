"""How long recomputing takes with the import declarations of the COW seed's size.

    python -m benchmarks.recompute [--pairs 40000] [--backends sqlite,postgresql]

For each backend, a fresh database is migrated and seeded (every ISO country, the SCO
memberships), then `--pairs` country pairs, each with both import declarations (A's
imports from B and B's from A), go in through the bulk import path
(`app.trade.importers.pipeline.import_file`, which recomputes). The pairs are those with a
state that ever was an SCO member, year by year from 1992, as the COW seed will load
(1992-2014 holds some 56,000 such pairs). Printed, in seconds:

* the import, its recompute included (the derived turnovers of every pair, both ways,
  and the SCO totals of every year);
* `recompute` once more, with nothing to change;
* one declaration's value changed (as a PATCH does), then `recompute` scoped to its year
  (what the PATCH runs), and, for comparison, the full `recompute` (rolled back each);
* `recompute` after every derived figure was deleted, so all of them are written anew.

Each as wall-clock seconds and, in brackets, the CPU seconds of the benchmark's process.

Nothing is asserted: the figures are for reading (DESIGN: benchmarks, never timed tests).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.areas.countries import iso_country_rows
from app.areas.repository import member_codes_as_of
from app.console import ProgressBar
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.seed import seed
from app.sources.models import Source
from app.trade import service
from app.trade.importers.base import ImportOptions
from app.trade.importers.pipeline import import_file
from app.trade.models import TradeObservation
from benchmarks.run import machine, table, warn_if_busy
from benchmarks.scale import DEFAULT_PG_SERVER, database

SOURCE = "bench-declarations"
FIRST_YEAR, LAST_YEAR = 1992, 2024
T = TypeVar("T")


def pairs_with_a_member(session: Session, count: int) -> Iterator[tuple[str, str, int]]:
    """`count` (country, country, year) of which one ever was an SCO member state (as the
    COW seed: none has left, so today's members), year by year from 1992."""
    countries = [row["code"] for row in iso_country_rows()]
    members = set(member_codes_as_of(session, datetime.now(UTC).date()))
    made = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for index, first in enumerate(countries):
            for second in countries[index + 1 :]:
                if first in members or second in members:
                    yield first, second, year
                    made += 1
                    if made == count:
                        return
    raise SystemExit(f"only {made} pairs with a member state from {FIRST_YEAR} to {LAST_YEAR}")


def declarations(pairs: Iterator[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """Both import declarations of each pair, in millions of USD to the cent (as COW)."""
    rows: list[dict[str, Any]] = []
    for number, (first, second, year) in enumerate(pairs):
        for reporter, partner in ((first, second), (second, first)):
            value = Decimal(1_000_000 + (number * 7919 + len(rows) * 104729) % 900_000_000)
            rows.append(
                {
                    "reporter": reporter,
                    "partner": partner,
                    "indicator": "imports",
                    "year": year,
                    "value": str(value * 10_000),
                    "precision": "10000",
                    "source_id": SOURCE,
                }
            )
    return rows


def timed(work: Callable[[], T]) -> tuple[T, str]:
    """`work`'s result and "wall s (CPU s)": the CPU seconds of this process, which other
    processes on a busy machine do not inflate (a database server's own work is not in it)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, f"{time.perf_counter() - start:.1f} ({time.process_time() - cpu:.1f})"


def patched(factory: sessionmaker[Session], *, scoped: bool) -> str:
    """The recompute after one declaration's value changed: of its year, or of everything
    (`scoped=False`). Rolled back: every run starts from the same figures."""
    with factory() as session:
        row = session.scalars(
            select(TradeObservation)
            .where(TradeObservation.indicator == "imports")
            .order_by(TradeObservation.id)
            .limit(1)
        ).one()
        year = row.year
        row.value += 1
        session.flush()
        _, spent = timed(lambda: service.recompute(session, {year} if scoped else None))
        session.rollback()
    return spent


def measure(url: str, pairs: int) -> list[str]:
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        seed(session, data_sets=False)
        session.add(Source(id=SOURCE, title="Benchmark declarations", url="https://example.org"))
    with factory() as session:
        rows = declarations(pairs_with_a_member(session, pairs))
    raw = json.dumps(rows).encode()
    with factory.begin() as session:
        result, imported = timed(lambda: import_file(session, raw, "json", ImportOptions()))
    derived_count = result.derived.get("inserted", 0)
    with factory.begin() as session:
        _, again = timed(lambda: service.recompute(session))
    scoped, full = patched(factory, scoped=True), patched(factory, scoped=False)
    with factory.begin() as session:
        session.execute(delete(TradeObservation).where(TradeObservation.status == "derived"))
        _, anew = timed(lambda: service.recompute(session))
    with factory() as session:
        stored = session.scalar(select(func.count()).select_from(TradeObservation))
    engine.dispose()
    return [
        f"{len(rows):,}",
        f"{derived_count:,}",
        f"{stored:,}",
        imported,
        again,
        scoped,
        full,
        anew,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=40_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    args = parser.parse_args()
    print(machine())
    warn_if_busy()
    results = []
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory() as workdir, ProgressBar("recompute") as progress:
        progress.begin(len(backends))
        for backend in backends:
            progress.step(backend)
            with database(backend, args.pairs, Path(workdir), args.pg_server, "recompute") as url:
                results.append([backend, *measure(url, args.pairs)])
    header = [
        "backend",
        "declarations",
        "derived",
        "rows after",
        "import + recompute s",
        "recompute, no change s",
        "PATCH, scoped s",
        "PATCH, full s",
        "recompute, all anew s",
    ]
    print(table(results, header, left=1))


if __name__ == "__main__":
    main()
