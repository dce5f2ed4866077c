"""How the read path grows with the data (`make bench-scale`), on SQLite and PostgreSQL.

    python -m benchmarks.scale [--sizes 10k,100k,1M] [--backends sqlite,postgresql]

For each backend and size N the suite generates a fresh database (`benchmarks.generate`; a
throw-away PostgreSQL database is created on `--pg-server` and dropped afterwards), then:

* p50 of each documented query with a filter, through the API (`sco-api serve`, sequential
  keep-alive GETs of the default first page) and as SQL alone (the statement the API runs,
  from `app.trade.repository`, executed and fetched), and the ratio to the smallest N;
* the query plan (`EXPLAIN QUERY PLAN` / `EXPLAIN`) of each of them, and of every
  combination of the documented filters and sorts, with any full scan of
  trade_observations called out;
* import throughput (`sco-api import FILE` of an N-row CSV into a database holding the
  areas and sources but no observations), when the command exists;
* export throughput (`GET /trade/observations?format=csv`, all N rows, streamed) and the
  peak RSS growth of the server while it streams.

Every step is bounded (a number of requests or seconds; the export and import by a timeout).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
import psycopg
from sqlalchemy import Engine, Table, func, select
from sqlalchemy.engine import make_url

from app.console import ProgressBar
from app.db.keyset import DEFAULT_LIMIT, AnySelect, PageParams, apply_keyset
from app.trade.models import TradeObservation
from app.trade.repository import (
    OBSERVATION_ORDERS,
    ObservationFilters,
    ObservationSort,
    observation_order,
    observations_statement,
)
from benchmarks import generate
from benchmarks.load import LOOPBACK
from benchmarks.run import HUGE_RATE_LIMIT, machine, table, warn_if_busy
from benchmarks.servers import BIN, MIB, PeakRss, Server, free_port

API = "/api/v1"
DEFAULT_PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
# The first areas of the matrix: present at every N (the 10k block is 9 x 9 areas).
ROTATION_AREAS = 7
# Target of issue 7: p50 at 1M observations at most 1.5 times its p50 at 10k.
MAX_GROWTH = 1.5
INDICATORS = [code for code, _ in generate.INDICATORS]
YEARS = list(generate.YEARS)


# --- the documented queries ---------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One concrete question: API query parameters and the same as repository filters."""

    params: dict[str, str]
    filters: ObservationFilters
    sort: ObservationSort | None = None


@dataclass(frozen=True)
class Query:
    name: str
    questions: list[Question]


def documented_queries() -> list[Query]:
    """Each documented filter combination, as a rotation of distinct questions."""
    codes = generate.usable_codes()[:ROTATION_AREAS]
    pairs = [(a, b) for a in codes for b in codes if a != b]
    by_reporter = [
        Question({"reporter": code}, ObservationFilters(reporters=[code])) for code in codes
    ]
    by_pair = [
        Question({"reporter": a, "partner": b}, ObservationFilters(reporters=[a], partners=[b]))
        for a, b in pairs
    ]
    by_indicator_year = [
        Question(
            {"indicator": indicator, "year": str(year)},
            ObservationFilters(indicators=[indicator], years=[year]),
        )
        for indicator in INDICATORS
        for year in YEARS
    ]
    by_range = [
        Question(
            {
                "reporter": code,
                "indicator": indicator,
                "year_from": str(start),
                "year_to": str(start + 9),
            },
            ObservationFilters(
                reporters=[code], indicators=[indicator], year_from=start, year_to=start + 9
            ),
        )
        for code in codes
        for indicator in INDICATORS
        for start in (1995, 2005, 2015)
    ]
    by_value = [
        Question({**question.params, "sort": "-value"}, question.filters, "-value")
        for question in by_indicator_year
    ]
    return [
        Query("reporter", by_reporter),
        Query("reporter + partner", by_pair),
        Query("indicator + year", by_indicator_year),
        Query("reporter + indicator + year_from/year_to", by_range),
        Query("indicator + year, sort=-value", by_value),
    ]


def page_statement(question: Question, limit: int) -> AnySelect:
    """The statement the API runs for the first page of `question`."""
    statement = observations_statement(question.filters)
    return apply_keyset(statement, observation_order(question.sort), PageParams(limit, None))


def literal_sql(engine: Engine, statement: AnySelect) -> str:
    compiled = statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)


# --- plans ----------------------------------------------------------------------------------


def _leading_columns() -> dict[str, str]:
    """The first column of each index of trade_observations, by index name."""
    table = cast(Table, TradeObservation.__table__)
    leading = {f"pk_{table.name}": "id"}
    for index in table.indexes:
        leading[str(index.name)] = next(iter(index.columns)).name
    return leading


LEADING_COLUMNS = _leading_columns()
_PG_INDEX_NODE = re.compile(r"(?:Index Scan|Index Only Scan) using (\w+) on trade_observations")
_PG_BITMAP_NODE = re.compile(r"Bitmap Index Scan on (\w+)")
_PG_SORT_NODE = re.compile(r"^\s*(->\s+)?Sort\s+\(")  # not "Incremental Sort", not "Sort Key"


@dataclass(frozen=True)
class Plan:
    """A plan as the database prints it, read for what grows with the table."""

    lines: list[str]

    @property
    def full_scan(self) -> bool:
        """Every row is read: SQLite `SCAN trade_observations` (no index), PG `Seq Scan`."""
        return any(
            "Seq Scan on trade_observations" in line
            or ("SCAN trade_observations" in line and "USING" not in line)
            for line in self.lines
        )

    def walked_indexes(self) -> list[str]:
        """Indexes read from end to end: no condition on their leading column."""
        walked = []
        for position, line in enumerate(self.lines):
            if "SCAN trade_observations USING" in line:  # SQLite: an index in order, no SEARCH
                walked.append(line.split("INDEX")[-1].strip())
                continue
            match = _PG_INDEX_NODE.search(line) or _PG_BITMAP_NODE.search(line)
            if match is None:
                continue
            name = match.group(1)
            condition = ""
            for detail in self.lines[position + 1 :]:
                if "->" in detail:
                    break
                if "Index Cond:" in detail:
                    condition = detail
            leading = LEADING_COLUMNS.get(name)
            if leading is None or (
                f"({leading})" not in condition and f" {leading} " not in condition
            ):
                walked.append(name)
        return walked

    @property
    def sorts_all_matches(self) -> bool:
        """Every matching row is sorted before the first is sent (a whole-sort, not per group)."""
        return any(
            "USE TEMP B-TREE FOR ORDER BY" in line or _PG_SORT_NODE.match(line)
            for line in self.lines
        )

    def verdict(self) -> str:
        if self.full_scan:
            return "FULL SCAN"
        notes = [f"walks all of {name}" for name in self.walked_indexes()]
        if self.sorts_all_matches:
            notes.append("sorts all matches")
        return "index" + (f" ({'; '.join(notes)})" if notes else "")


def explain(engine: Engine, statement: AnySelect) -> Plan:
    sql = literal_sql(engine, statement)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            rows = connection.exec_driver_sql(f"EXPLAIN {sql}").all()
            return Plan([row[0] for row in rows])
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        return Plan([row[-1] for row in rows])


FILTER_KINDS: dict[str, Callable[[dict[str, Any]], None]] = {
    "reporter": lambda f: f.update(reporters=[generate.usable_codes()[0]]),
    "partner": lambda f: f.update(partners=[generate.usable_codes()[1]]),
    "indicator": lambda f: f.update(indicators=["trade_turnover"]),
    "year": lambda f: f.update(years=[2020]),
    "year_from/year_to": lambda f: f.update(year_from=2000, year_to=2010),
    "status": lambda f: f.update(statuses=["reported"]),
    "preferred": lambda f: f.update(preferred=True),
    "include_derived=false": lambda f: f.update(include_derived=False),
}
SELECTIVE = {"reporter", "partner", "indicator", "year", "year_from/year_to"}


@dataclass
class PlanSurvey:
    checked: int = 0
    full_scans: list[str] = field(default_factory=list)
    full_scans_selective: list[str] = field(default_factory=list)
    index_walks: int = 0  # plans that read some index from end to end


def survey_plans(engine: Engine, limit: int) -> PlanSurvey:
    """EXPLAIN every non-empty combination of the documented filters, with every sort."""
    survey = PlanSurvey()
    names = list(FILTER_KINDS)
    for size in range(1, len(names) + 1):
        for combination in itertools.combinations(names, size):
            values: dict[str, Any] = {}
            for name in combination:
                FILTER_KINDS[name](values)
            for sort in OBSERVATION_ORDERS:
                question = Question({}, ObservationFilters(**values), sort)
                plan = explain(engine, page_statement(question, limit))
                survey.checked += 1
                survey.index_walks += bool(plan.walked_indexes())
                if plan.full_scan:
                    label = " + ".join(combination) + (f", sort={sort}" if sort else "")
                    survey.full_scans.append(label)
                    if SELECTIVE.intersection(combination):
                        survey.full_scans_selective.append(label)
    return survey


# --- timing ---------------------------------------------------------------------------------


def p50_sql(engine: Engine, query: Query, limit: int, requests: int, seconds: float) -> float:
    timings: list[float] = []
    statements = [page_statement(question, limit) for question in query.questions]
    with engine.connect() as connection:
        for statement in statements[:3]:
            connection.execute(statement).all()
        deadline = time.perf_counter() + seconds
        for index in range(requests):
            statement = statements[index % len(statements)]
            started = time.perf_counter()
            connection.execute(statement).all()
            timings.append(time.perf_counter() - started)
            if time.perf_counter() > deadline:
                break
    return statistics.median(timings) * 1000


def p50_api(
    server: Server, query: Query, limit: int | None, requests: int, seconds: float
) -> float:
    timings: list[float] = []
    base = f"http://{LOOPBACK}:{server.port}"
    extra = {"limit": str(limit)} if limit else {}
    with httpx.Client(base_url=base, timeout=60, headers={"Accept-Encoding": "gzip"}) as client:
        for question in query.questions[:3]:
            client.get(f"{API}/trade/observations", params={**question.params, **extra})
        deadline = time.perf_counter() + seconds
        for index in range(requests):
            question = query.questions[index % len(query.questions)]
            started = time.perf_counter()
            response = client.get(f"{API}/trade/observations", params={**question.params, **extra})
            timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{query.name}: {response.status_code} {response.text[:200]}")
            if time.perf_counter() > deadline:
                break
    return statistics.median(timings) * 1000


def matching_rows(engine: Engine, query: Query) -> int:
    """Median number of rows the questions of `query` match (before the page limit)."""
    counts = []
    with engine.connect() as connection:
        for question in query.questions[:10]:
            statement = observations_statement(question.filters).subquery()
            counts.append(
                connection.execute(select(func.count()).select_from(statement)).scalar_one()
            )
    return int(statistics.median(counts))


# --- databases ------------------------------------------------------------------------------


@contextmanager
def database(backend: str, size: int, workdir: Path, pg_server: str, tag: str) -> Iterator[str]:
    """A fresh, empty database URL for one measurement; removed afterwards."""
    if backend == "sqlite":
        path = workdir / f"scale-{tag}-{size}.db"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"sco_bench_{tag}_{size}_{os.getpid()}"
    server = make_url(pg_server)
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_api(url: str, workdir: Path, label: str, *, cache: bool) -> Server:
    """`sco-api serve` on `url`; its answer cache off unless asked (it would hide the database:
    the questions of a query repeat)."""
    port = free_port()
    server = Server(
        f"ours ({label})",
        [str(BIN / "sco-api"), "serve", "--host", LOOPBACK, "--port", str(port)],
        port,
        "/health/live",
        workdir / f"scale-{label}.log",
        env={
            "DATABASE_URL": url,
            "SCO_RATE_LIMIT": HUGE_RATE_LIMIT,
            "SCO_RESPONSE_CACHE": "true" if cache else "false",
        },
    )
    server.start()
    return server


def import_available() -> bool:
    completed = subprocess.run(
        [str(BIN / "sco-api"), "import", "--help"], capture_output=True, check=False
    )
    return completed.returncode == 0


@dataclass(frozen=True)
class Throughput:
    rows: int
    seconds: float
    note: str = ""
    rss_growth: int = 0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("nan")


def measure_import(
    backend: str, size: int, workdir: Path, pg_server: str, timeout: float
) -> Throughput:
    csv_path = workdir / f"import-{size}.csv"
    generate.write_csv(csv_path, size, areas=generate.DEFAULT_AREAS, seed_value=7)
    try:
        with database(backend, size, workdir, pg_server, "import") as url:
            engine = generate.prepare(url)
            generate.fill(engine, 0)  # areas and sources, no observations
            started = time.perf_counter()
            try:
                completed = subprocess.run(
                    [str(BIN / "sco-api"), "import", str(csv_path)],
                    env={**os.environ, "DATABASE_URL": url},
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                engine.dispose()
                return Throughput(0, timeout, f"did not finish within {timeout:.0f} s (stopped)")
            elapsed = time.perf_counter() - started
            with engine.connect() as connection:
                stored = connection.execute(
                    select(func.count()).where(TradeObservation.source_id.in_(generate.SOURCE_IDS))
                ).scalar_one()
            engine.dispose()
    finally:
        csv_path.unlink(missing_ok=True)
    if completed.returncode != 0:
        return Throughput(0, elapsed, f"failed (exit {completed.returncode}): {_error(completed)}")
    return Throughput(stored, elapsed, "" if stored == size else f"{stored} of {size} rows stored")


def _error(completed: subprocess.CompletedProcess[str]) -> str:
    """The line that names the exception (an import that fails prints a long traceback)."""
    lines = [line.strip() for line in completed.stderr.splitlines() if line.strip()]
    named = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
    return (named or lines or ["no output"])[-1][:240]


def measure_export(server: Server, timeout: float) -> Throughput:
    newlines = 0
    with PeakRss(server) as rss:
        started = time.perf_counter()
        with (
            httpx.Client(base_url=f"http://{LOOPBACK}:{server.port}", timeout=timeout) as client,
            client.stream(
                "GET",
                f"{API}/trade/observations?format=csv",
                headers={"Accept-Encoding": "identity"},
            ) as response,
        ):
            response.raise_for_status()
            for chunk in response.iter_raw():
                newlines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
    return Throughput(newlines - 1, elapsed, rss_growth=rss.growth)


# --- the run --------------------------------------------------------------------------------


@dataclass
class Measured:
    generate_seconds: float = 0.0
    generate_note: str = ""
    api_p50: dict[str, float] = field(default_factory=dict)
    sql_p50: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    survey: PlanSurvey | None = None
    imported: Throughput | None = None
    exported: Throughput | None = None


def measure_size(
    backend: str,
    size: int,
    args: argparse.Namespace,
    workdir: Path,
    queries: list[Query],
    progress: ProgressBar,
) -> Measured:
    measured = Measured()
    limit = args.limit or DEFAULT_LIMIT
    with database(backend, size, workdir, args.pg_server, "scale") as url:
        started = time.perf_counter()
        engine = generate.prepare(url)
        report = generate.fill(engine, size)
        measured.generate_seconds = time.perf_counter() - started
        measured.generate_note = report.describe()
        progress.step(f"{backend} {size:,}: queries")
        server = start_api(url, workdir, f"{backend}-{size}", cache=args.cache)
        try:
            for query in queries:
                measured.rows[query.name] = matching_rows(engine, query)
                measured.sql_p50[query.name] = p50_sql(
                    engine, query, limit, args.requests, args.seconds
                )
                measured.api_p50[query.name] = p50_api(
                    server, query, args.limit, args.requests, args.seconds
                )
                measured.plans[query.name] = explain(
                    engine, page_statement(query.questions[0], limit)
                )
            if not args.no_survey:
                measured.survey = survey_plans(engine, limit)
            if not args.no_export:
                measured.exported = measure_export(server, args.timeout)
        finally:
            server.stop()
            engine.dispose()
    if not args.no_import and import_available():
        progress.step(f"{backend} {size:,}: import")
        measured.imported = measure_import(backend, size, workdir, args.pg_server, args.timeout)
    return measured


def parse_size(raw: str) -> int:
    raw = raw.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(raw[-1:], 1)
    return int(float(raw[:-1] if factor > 1 else raw) * factor)


def ms(value: float) -> str:
    return f"{value:.1f}" if value == value else "-"


def generation_table(results: dict[tuple[str, int], Measured]) -> str:
    rows = [
        [
            backend,
            f"{size:,}",
            f"{m.generate_seconds:.1f}",
            f"{size / m.generate_seconds:,.0f}",
            m.generate_note,
        ]
        for (backend, size), m in results.items()
    ]
    return table(rows, ["backend", "N", "seconds", "rows/s", "phases"])


def latency_table(
    results: dict[tuple[str, int], Measured],
    backends: Sequence[str],
    sizes: Sequence[int],
    queries: Sequence[Query],
    pick: Callable[[Measured], dict[str, float]],
) -> str:
    rows = []
    for backend in backends:
        for query in queries:
            values = [
                pick(results[(backend, size)]).get(query.name, float("nan")) for size in sizes
            ]
            ratio = values[-1] / values[0] if values[0] else float("nan")
            verdict = ("met" if ratio <= MAX_GROWTH else "MISSED") if len(sizes) > 1 else ""
            rows.append([query.name, backend, *(ms(v) for v in values), f"{ratio:.2f}x", verdict])
    header = ["query", "backend", *(f"N={size:,}" for size in sizes), "ratio", f"<= {MAX_GROWTH}x"]
    return table(rows, header)


def rows_table(
    results: dict[tuple[str, int], Measured],
    backends: Sequence[str],
    sizes: Sequence[int],
    queries: Sequence[Query],
) -> str:
    rows = [
        [query.name, backend, *(f"{results[(backend, size)].rows[query.name]:,}" for size in sizes)]
        for backend in backends
        for query in queries
    ]
    return table(rows, ["query", "backend", *(f"N={size:,}" for size in sizes)])


def plan_lines(measured: Measured, queries: Sequence[Query], *, full: bool) -> Iterator[str]:
    for query in queries:
        plan = measured.plans[query.name]
        yield f"    {query.name}: {plan.verdict()}"
        if full:
            yield from (f"        {line}" for line in plan.lines)
    survey = measured.survey
    if survey is None:
        return
    yield (
        f"    all combinations: {survey.checked} plans (every non-empty set of "
        f"{len(FILTER_KINDS)} filters x {len(OBSERVATION_ORDERS)} sorts): "
        f"{len(survey.full_scans)} full scans, {len(survey.full_scans_selective)} of them "
        "with a reporter, partner, indicator or year filter; "
        f"{survey.index_walks} read an index from end to end"
    )
    yield from (f"      full scan: {label}" for label in survey.full_scans_selective[:12])
    if len(survey.full_scans_selective) > 12:
        yield f"      ... and {len(survey.full_scans_selective) - 12} more"
    flags_only = [label for label in survey.full_scans if label not in survey.full_scans_selective]
    if flags_only:
        yield (
            f"      full scans with only status/preferred/include_derived filters: "
            f"{len(flags_only)} (e.g. {flags_only[0]})"
        )


def transfer_table(results: dict[tuple[str, int], Measured], import_note: str) -> str:
    rows = []
    for (backend, size), m in results.items():
        if m.imported is None:
            rows.append(["import", backend, f"{size:,}", "-", "-", "-", import_note])
        else:
            done = m.imported
            note = done.note or ("target <= 60 s for 1M rows" if size >= 1_000_000 else "")
            rows.append(
                [
                    "import",
                    backend,
                    f"{size:,}",
                    f"{done.seconds:.1f}",
                    f"{done.rate:,.0f}",
                    "-",
                    note,
                ]
            )
        if m.exported is not None:
            sent = m.exported
            rows.append(
                [
                    "export",
                    backend,
                    f"{sent.rows:,}",
                    f"{sent.seconds:.1f}",
                    f"{sent.rate:,.0f}",
                    f"{sent.rss_growth / MIB:.1f}",
                    "target >= 200,000 rows/s, RSS growth < 50 MB",
                ]
            )
    header = ["what", "backend", "rows", "seconds", "rows/s", "RSS growth MB", "note"]
    return table(rows, header)


def print_report(
    results: dict[tuple[str, int], Measured],
    backends: Sequence[str],
    sizes: Sequence[int],
    queries: Sequence[Query],
    args: argparse.Namespace,
) -> None:
    limit = args.limit or DEFAULT_LIMIT
    growth = f"ratio = p50 at N={sizes[-1]:,} / p50 at N={sizes[0]:,}"
    print("\nGeneration")
    print(generation_table(results))
    print(f"\np50 ms through the API (GET /trade/observations, first page of {limit}); {growth}")
    print(latency_table(results, backends, sizes, queries, lambda m: m.api_p50))
    print(f"\np50 ms of the SQL alone (the page statement, executed and fetched); {growth}")
    print(latency_table(results, backends, sizes, queries, lambda m: m.sql_p50))
    print("\nRows each question matches (median; a page shows the first of them)")
    print(rows_table(results, backends, sizes, queries))
    print(
        "\nQuery plans (first page of the first question of each query; in full at the largest N)"
    )
    for backend in backends:
        for size in sizes:
            print(f"  {backend}, N={size:,}:")
            for line in plan_lines(results[(backend, size)], queries, full=size == sizes[-1]):
                print(line)
    import_note = "skipped" if args.no_import else "not available (no `sco-api import`)"
    print("\nImport (`sco-api import FILE`) and export (GET ?format=csv, all rows, streamed)")
    print(transfer_table(results, import_note))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated N (k, M)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER, help="where to create databases")
    parser.add_argument("--requests", type=int, default=100, help="per query and size")
    parser.add_argument("--seconds", type=float, default=5.0, help="cap per query and size")
    parser.add_argument("--limit", type=int, help="page size (default: the API's default)")
    parser.add_argument("--timeout", type=float, default=600, help="cap for import and export")
    parser.add_argument("--cache", action="store_true", help="keep the API's answer cache on")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-survey", action="store_true", help="skip EXPLAIN of all combinations")
    parser.add_argument("--workdir", help="logs and SQLite files (default: temp, removed)")
    args = parser.parse_args(argv)
    sizes = sorted(parse_size(raw) for raw in args.sizes.split(","))
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sco-scale-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    print("SCO Trade API scale benchmark (issue 7)")
    print(f"machine: {machine()}")
    warn_if_busy()
    print(f"sizes: {', '.join(f'{s:,}' for s in sizes)}; backends: {', '.join(backends)}")
    print(
        "API: sco-api serve, rate limiting on (never hit), answer cache "
        + ("on" if args.cache else "off (SCO_RESPONSE_CACHE=false: a query's questions repeat)")
    )
    if not args.no_import and not import_available():
        print("import: no `sco-api import` command in this build; import is not measured")
    queries = documented_queries()
    results: dict[tuple[str, int], Measured] = {}
    try:
        with ProgressBar("scale") as progress:
            # Per backend and size: generate, queries, import.
            progress.begin(len(backends) * len(sizes) * 3)
            for backend in backends:
                for size in sizes:
                    progress.step(f"{backend} {size:,}: generate")
                    results[(backend, size)] = measure_size(
                        backend, size, args, workdir, queries, progress
                    )
        print_report(results, backends, sizes, queries, args)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
