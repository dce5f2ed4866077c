"""Fill a database with a synthetic trade-observation matrix, or write it as an import CSV.

    python -m benchmarks.generate --observations 100000 --database-url sqlite:///./data/bench.db
    python -m benchmarks.generate --observations 100000 --csv /tmp/observations.csv

The database is migrated (Alembic) and seeded (`app.seed.seed`) first, so the real areas,
indicators and sources exist. The synthetic rows then go in with bulk inserts (DBAPI
executemany on SQLite, COPY on PostgreSQL), never through the ORM or the API:

* areas: every free code `X??` and `Q??` (alpha-3 codes ISO leaves unassigned or user-assigned;
  a code the seed already has, such as QAT, is skipped), named "Synthetic area ...";
* sources: three synthetic sources (priority 100, 80, 40) — synthetic figures are never
  attributed to a real publication;
* observations: ≈200 reporters x 200 partners x 30 years (1995-2024) x 3 indicators x 1-3
  sources per key (1.5 on average), filled pair by pair in "square shells" (the first k
  areas trade with each other before area k+1 appears), so that at any N the data is a
  dense k x k block with complete series, like a dataset that grows by adding countries.
  Exactly one row per key is preferred (the highest-priority source), every row has a
  source (the `provenance` check), and the CSV holds the same rows in the export columns.

Re-running replaces the synthetic rows. The change counter is bumped so that anything keyed
on the data version sees new data. The search index is not touched (no synthetic text).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, text
from sqlalchemy.engine import make_url

from app.areas.models import Area
from app.changes.tracking import COUNTER_ROW_ID
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory, session_scope
from app.db.statistics import refresh_statistics
from app.db.types import UTCDateTime
from app.package_data import package_folder
from app.seed import seed
from app.sources.models import Source
from app.trade.csv_export import OBSERVATION_COLUMNS as CSV_COLUMNS
from app.trade.models import VERSIONED_COLUMNS, TradeObservation, trade_observation_versions
from app.trade.tolerance import figure_interval, stored_bounds

YEARS = range(1995, 2025)
LATEST_YEAR = YEARS[-1]
# (code, unit) of the real indicators the matrix uses.
INDICATORS = (
    ("trade_turnover", "USD"),
    ("trade_turnover_growth", "percent"),
    ("share_in_sco_trade", "percent"),
)
DEFAULT_AREAS = 200
MAX_AREAS = 1352
BATCH = 20_000
# From this many rows on, secondary indexes are dropped during the load and rebuilt after.
BULK_LOAD_ROWS = 20_000
SQLITE_LOAD_CACHE_KIB = 256 * 1024
SYNTHETIC_PREFIX = "Synthetic"


@dataclass(frozen=True)
class BenchSource:
    id: str
    priority: int
    title: str
    # Rounding of money figures: the unit of the last digit this kind of source publishes.
    money_precision: int
    qualifier: str


SOURCES = (
    BenchSource("bench-statistical-office", 100, "statistical office table", 1_000_000, "exact"),
    BenchSource("bench-ministry-release", 80, "ministry press release", 10_000_000, "exact"),
    BenchSource("bench-media-report", 40, "media report", 100_000_000, "approximately"),
)
SOURCE_IDS = tuple(source.id for source in SOURCES)

# Column order of every generated row (the table's columns, as the model declares them).
COLUMNS = tuple(column.name for column in TradeObservation.__table__.columns)
# A generated row holds every column but the two timestamps, which each writer stamps.
ROW_COLUMNS = tuple(name for name in COLUMNS if name not in ("created_at", "updated_at"))
assert COLUMNS[len(ROW_COLUMNS) :] == ("created_at", "updated_at")
Row = tuple[Any, ...]


def candidate_codes() -> list[str]:
    """`XAA`…`XZZ` then `QAA`…`QZZ`: 1352 alpha-3 codes outside the ISO assignments."""
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    return [prefix + a + b for prefix in ("X", "Q") for a in letters for b in letters]


def usable_codes() -> list[str]:
    """The candidate codes the seed does not use (it has QAT, Qatar)."""
    seeded = {
        row["code"]
        for row in yaml.safe_load((package_folder("seed_data") / "areas.yaml").read_text())
    }
    return [code for code in candidate_codes() if code not in seeded]


def shell_pairs(count: int) -> Iterator[tuple[int, int]]:
    """Ordered pairs of distinct indexes below `count`, shell by shell (kxk block grows)."""
    for outer in range(1, count):
        for inner in range(outer):
            yield inner, outer
            yield outer, inner


def synthetic_rows(codes: Sequence[str], limit: int, *, seed_value: int) -> Iterator[Row]:
    """Up to `limit` observation rows in COLUMNS order; values are plain decimal text.

    `preferred` is a bool and the timestamps are left as None: each writer renders them.
    """
    produced = 0
    for reporter_index, partner_index in shell_pairs(len(codes)):
        reporter, partner = codes[reporter_index], codes[partner_index]
        rng = random.Random(f"{seed_value}-{reporter}-{partner}")
        turnover = 10 ** rng.uniform(6, 11)
        turnovers: dict[int, float] = {}
        for year in YEARS:
            turnover *= rng.uniform(0.9, 1.15)
            turnovers[year] = turnover
        share = rng.uniform(0.1, 30.0)
        prefix = f"{reporter}-{partner}".lower()
        for indicator, unit in INDICATORS:
            slug = indicator.replace("_", "-")
            for year in YEARS:
                draw = rng.random()
                count = 1 if draw < 0.6 else 2 if draw < 0.9 else 3
                chosen = sorted(rng.sample(range(len(SOURCES)), count))
                for rank, source_index in enumerate(chosen):
                    source = SOURCES[source_index]
                    base_year: int | None = None
                    if indicator == "trade_turnover":
                        step = source.money_precision
                        value = str(max(1, round(turnovers[year] / step)) * step)
                        precision = str(step)
                        qualifier = source.qualifier
                    elif indicator == "trade_turnover_growth":
                        previous = turnovers.get(year - 1, turnovers[year] / 1.05)
                        value = f"{(turnovers[year] / previous - 1) * 100:.1f}"
                        precision, qualifier, base_year = "0.1", "exact", year - 1
                    else:
                        value = f"{max(0.1, share + rng.uniform(-0.5, 0.5)):.1f}"
                        precision, qualifier = "0.1", source.qualifier
                    if value == "-0.0":
                        value = "0.0"
                    # The latest year is provisional for every source, so that the ranking
                    # rule (status first, then source priority) picks the same preferred row.
                    status = "provisional" if year == LATEST_YEAR else "reported"
                    yield (
                        f"{prefix}-{slug}-{year}-{source.id}",
                        reporter,
                        partner,
                        indicator,
                        year,
                        base_year,
                        value,
                        unit,
                        precision,
                        qualifier,
                        status,
                        rank == 0,  # `chosen` is in priority order: the first one wins
                        source.id,
                        None,  # derivation
                        None,  # note
                        *_bounds(value, precision, qualifier, unit),
                        None,  # span_years
                        None,  # qualifier_word
                    )
                    produced += 1
                    if produced >= limit:
                        return


def _bounds(value: str, precision: str, qualifier: str, unit: str) -> tuple[Any, Any]:
    """The stored range of a figure, as `recompute` would store it (decimal text or None)."""
    lower, upper = stored_bounds(
        figure_interval(Decimal(value), Decimal(precision), qualifier, unit)
    )
    return (None if lower is None else str(lower)), (None if upper is None else str(upper))


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- database ------------------------------------------------------------------------------


def prepare(database_url: str) -> Engine:
    """Migrate and seed `database_url`; return an engine for it."""
    upgrade(database_url)
    engine = make_engine(database_url)
    # Synthetic rows of an earlier run go first: the seed recomputes derived figures and
    # preferred flags over every observation, and would otherwise wade through all of them.
    with engine.begin() as connection:
        connection.execute(
            delete(TradeObservation).where(TradeObservation.source_id.in_(SOURCE_IDS))
        )
    for session in session_scope(make_session_factory(engine), write=True):
        seed(session, data_sets=False)
    return engine


def _insert_reference_rows(connection: Connection, now: datetime) -> None:
    """The synthetic areas and sources that are not there yet."""
    codes = usable_codes()
    existing = set(connection.scalars(select(Area.code).where(Area.code.in_(codes))))
    new_areas = [
        {
            "code": code,
            "iso2": None,
            "name": f"{SYNTHETIC_PREFIX} area {code}",
            "kind": "country",
            "created_at": now,
            "updated_at": now,
        }
        for code in codes
        if code not in existing
    ]
    if new_areas:
        connection.execute(insert(Area), new_areas)
    known_sources = set(connection.scalars(select(Source.id).where(Source.id.in_(SOURCE_IDS))))
    new_sources = [
        {
            "id": source.id,
            "publisher_id": None,
            "title": f"{SYNTHETIC_PREFIX} benchmark source: {source.title}",
            "url": f"https://example.invalid/benchmarks/{source.id}",
            "published_on": None,
            "language": "en",
            "excerpt": "Generated by benchmarks/generate.py; not a real publication.",
            "priority": source.priority,
            "created_at": now,
            "updated_at": now,
        }
        for source in SOURCES
        if source.id not in known_sources
    ]
    if new_sources:
        connection.execute(insert(Source), new_sources)


def _stamp(connection: Connection, now: datetime) -> Any:
    """`now` as the driver should receive it for a `created_at` column of this dialect."""
    column_type = TradeObservation.__table__.c.created_at.type
    processor = column_type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(now) if processor else now


def _insert_sqlite(connection: Connection, rows: Iterator[Row], now: datetime) -> int:
    # A page cache large enough for the primary-key index of a million rows: inserts land
    # all over it (ids are not generated in order).
    connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
    stamp = _stamp(connection, now)
    placeholders = ", ".join("?" for _ in COLUMNS)
    # Column names come from the model, never from input.
    statement = f"INSERT INTO trade_observations ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
    total = 0
    for batch in _batches(rows, BATCH):
        prepared = [(*row[:11], 1 if row[11] else 0, *row[12:], stamp, stamp) for row in batch]
        connection.exec_driver_sql(statement, prepared)
        total += len(batch)
    return total


def _copy_text(value: Any) -> str:
    """One value in COPY's text format (`\\N` is NULL)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text_value = str(value)
    if any(char in text_value for char in "\\\t\n\r"):
        text_value = (
            text_value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text_value


def _insert_postgresql(connection: Connection, rows: Iterator[Row], now: datetime) -> int:
    # COPY in text format, rendered here: psycopg's per-value adaptation in `write_row`
    # costs several times more than the server's work for these rows.
    raw = connection.connection.driver_connection
    stamp = now.isoformat()
    statement = f"COPY trade_observations ({', '.join(COLUMNS)}) FROM STDIN"
    total = 0
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for batch in _batches(rows, BATCH):
            lines = [
                "\t".join([*(_copy_text(value) for value in row), stamp, stamp]) for row in batch
            ]
            copy.write(("\n".join(lines) + "\n").encode("utf-8"))
            total += len(batch)
    return total


def _drop_secondary_indexes(connection: Connection) -> list[str]:
    """Drop the indexes other than the primary key (and on PostgreSQL the foreign keys).

    Returns the DDL that restores them.

    Building an index once over the loaded rows is several times faster than maintaining it
    row by row. Both databases have transactional DDL: a failed load restores them.
    """
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'trade_observations'"
                " AND indexname <> 'pk_trade_observations'"
            )
        ).all()
    else:
        rows = connection.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'trade_observations' AND sql IS NOT NULL"
            )
        ).all()
    for name, _ in rows:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    rebuild = [definition for _, definition in rows]
    if connection.dialect.name == "postgresql":
        # Foreign keys are checked by a trigger per row; re-adding them checks all rows in
        # one join. (SQLite checks them by index lookups, cheaply, so it keeps them.)
        keys = connection.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = 'trade_observations'::regclass AND contype = 'f'"
            )
        ).all()
        for name, _ in keys:
            connection.exec_driver_sql(f'ALTER TABLE trade_observations DROP CONSTRAINT "{name}"')
        rebuild += [
            f'ALTER TABLE trade_observations ADD CONSTRAINT "{name}" {definition}'
            for name, definition in keys
        ]
    return rebuild


@dataclass
class FillReport:
    rows: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def phase(self, name: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[name] = now - started
        return now

    def describe(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())


def fill(
    engine: Engine,
    observations: int,
    *,
    areas: int = DEFAULT_AREAS,
    seed_value: int = 7,
    analyze: bool | None = None,
) -> FillReport:
    """Replace the synthetic rows of the database with `observations` new ones."""
    now = datetime.now(UTC)
    postgres = engine.dialect.name == "postgresql"
    report = FillReport()
    mark = time.perf_counter()
    with engine.begin() as connection:
        _insert_reference_rows(connection, now)
        connection.execute(
            delete(TradeObservation).where(TradeObservation.source_id.in_(SOURCE_IDS))
        )
        mark = report.phase("clear", mark)
        rows = synthetic_rows(usable_codes()[:areas], observations, seed_value=seed_value)
        writer = _insert_postgresql if postgres else _insert_sqlite
        rebuild = _drop_secondary_indexes(connection) if observations >= BULK_LOAD_ROWS else []
        report.rows = writer(connection, rows, now) if observations > 0 else 0
        mark = report.phase("load", mark)
        for definition in rebuild:
            connection.exec_driver_sql(definition)
        if rebuild:
            mark = report.phase("indexes", mark)
        # The data version every cache is keyed on (no change rows: this is a bulk load).
        connection.execute(
            text("UPDATE change_counter SET value = value + 1 WHERE id = :id"),
            {"id": COUNTER_ROW_ID},
        )
    mark = report.phase("commit", mark)
    # Planner statistics, as `sco-api import` leaves them after loading (on SQLite nothing
    # else would gather them; PostgreSQL's autovacuum would, a little later).
    if analyze if analyze is not None else True:
        with engine.begin() as connection:
            refresh_statistics(connection)
        report.phase("analyze", mark)
    return report


def add_versions(engine: Engine, per_observation: int) -> None:
    """`per_observation` versions of every observation: the open one as it stands now, and
    closed ones before it (a day each), as if each had been corrected that many times.
    Replaces the versions there were; 0 leaves none."""
    now = datetime.now(UTC)
    columns = ", ".join(column.name for column in VERSIONED_COLUMNS)
    with engine.begin() as connection:
        connection.execute(trade_observation_versions.delete())
        for back in range(per_observation):
            start = now - timedelta(days=back + 1)
            end = None if back == 0 else now - timedelta(days=back)
            connection.execute(
                text(
                    f"INSERT INTO trade_observation_versions "  # noqa: S608  # nosec B608
                    f"(observation_id, valid_from, valid_to, {columns}) "
                    f"SELECT id, :start, :end, {columns} FROM trade_observations"
                ).bindparams(
                    bindparam("start", start, type_=UTCDateTime()),
                    bindparam("end", end, type_=UTCDateTime()),
                )
            )
        refresh_statistics(connection)


def write_csv(path: Path, observations: int, *, areas: int, seed_value: int) -> int:
    """The same rows as an import CSV in the export columns."""
    codes = usable_codes()[:areas]
    index = {name: position for position, name in enumerate(ROW_COLUMNS)}
    total = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in synthetic_rows(codes, observations, seed_value=seed_value):
            record = {name: row[position] for name, position in index.items()}
            record["preferred"] = "true" if record["preferred"] else "false"
            writer.writerow(
                ["" if record.get(name) is None else record[name] for name in CSV_COLUMNS]
            )
            total += 1
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, required=True, help="rows to generate (N)")
    parser.add_argument("--database-url", help="database to migrate, seed and fill")
    parser.add_argument("--csv", type=Path, help="also/instead write the rows as an import CSV")
    parser.add_argument("--areas", type=int, default=DEFAULT_AREAS, help="reporters = partners")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same rows)")
    parser.add_argument(
        "--analyze",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="ANALYZE after loading, as an import does (default: on)",
    )
    args = parser.parse_args(argv)
    if args.database_url is None and args.csv is None:
        parser.error("give --database-url, --csv or both")
    if not 2 <= args.areas <= MAX_AREAS - 1:
        parser.error(f"--areas must be between 2 and {MAX_AREAS - 1}")
    if args.database_url:
        started = time.perf_counter()
        engine = prepare(args.database_url)
        prepared = time.perf_counter()
        report = fill(
            engine, args.observations, areas=args.areas, seed_value=args.seed, analyze=args.analyze
        )
        done = time.perf_counter()
        engine.dispose()
        where = make_url(args.database_url).render_as_string(hide_password=True)
        print(
            f"generate: {report.rows} observations into {where} in {done - prepared:.1f} s "
            f"({report.rows / max(done - prepared, 1e-9):,.0f} rows/s: {report.describe()}; "
            f"migrate+seed {prepared - started:.1f} s)"
        )
    if args.csv:
        started = time.perf_counter()
        total = write_csv(args.csv, args.observations, areas=args.areas, seed_value=args.seed)
        print(
            f"generate: {total} rows written to {args.csv} in {time.perf_counter() - started:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
