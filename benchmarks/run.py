"""The side-by-side benchmark (`make bench`): our API against the framework floor and Datasette.

    python -m benchmarks.run [--observations 100000] [--seconds 5] [--rounds 3] [--workers 1]

One run on one machine, on loopback only. The suite generates a SQLite database (or takes
`--database`), starts every contender itself with the same uvicorn flags and worker count,
then measures each scenario for `--seconds` per contender, interleaving the contenders,
for `--rounds` rounds, and prints medians:

* floor: a bare FastAPI app and a raw ASGI app answering a constant small JSON;
* peer: Datasette serving the same SQLite file, asked the same questions through its JSON
  API (table filters with `_shape=array&_size=500`, a canned query for the series);
* ours: `sco-api serve` with its default middleware stack; rate limiting stays on with a
  limit no run reaches (SCO_RATE_LIMIT=1000000000), so its cost is in the figures.

Requests carry `Accept-Encoding: gzip`, as browsers and HTTP libraries send it (our answers
over 1 KiB are then compressed; Datasette does not compress); `--identity` drops it.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from app.console import ProgressBar
from benchmarks import generate
from benchmarks.load import LOOPBACK, LoadGenerator, LoadResult, choose
from benchmarks.servers import (
    BIN,
    MIB,
    PeakRss,
    Server,
    event_loop_and_parser,
    free_port,
    uvicorn_command,
)

API = "/api/v1"
MEETING_ID = "2024-04-30-astana-swg-trade-facilitation"
HUGE_RATE_LIMIT = "1000000000"
# Enough distinct questions that no round, nor the warm-up, asks one twice: each takes its
# own slice of the list (rounds + 1 slices).
COLD_PATHS = 30_000
PAGE = 500
TURNOVER = "trade_turnover"
FASTAPI, ASGI, DATASETTE, OURS = "bare FastAPI", "raw ASGI", "Datasette", "ours"
FLOOR_SCENARIO = "constant small JSON"
HOT_SERIES = "hot: series (same GET)"
HOT_MEETING = "hot: meeting item"
HOT_PAGE = f"hot: {PAGE}-row page"
NOT_MODIFIED_PAGE = f"304: {PAGE}-row page"
NOT_MODIFIED_MEETING = "304: meeting item"
COLD_PAGES = f"cold: {PAGE}-row pages"
COLD_PAGES_IDENTITY = f"cold: {PAGE}-row pages, no gzip"
AGGREGATE = "aggregate: series (cold)"
SDMX_SERIES = "cold: SDMX data of a series"
AS_OF_SERIES = "cold: series as_of a past moment"
# Versions per observation in the generated database (two corrected, the one standing now),
# so that latest reads run beside a full history table and `as_of` reads have one to read.
VERSIONS = 3
# The moment `as_of` asks about: the middle version of each observation (a day each).
AS_OF_HOURS_AGO = 36


# --- the data the questions are about -------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the generated database holds: which reporters and pairs have observations."""

    reporters: list[str]
    pairs: list[tuple[str, str]]
    observations: int

    @classmethod
    def read(cls, database: Path) -> Facts:
        marks = ", ".join("?" for _ in generate.SOURCE_IDS)
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            pairs = connection.execute(
                "SELECT DISTINCT reporter, partner FROM trade_observations"  # noqa: S608
                f" WHERE source_id IN ({marks}) ORDER BY reporter, partner",
                generate.SOURCE_IDS,
            ).fetchall()
            (count,) = connection.execute("SELECT count(*) FROM trade_observations").fetchone()
        if not pairs:
            raise SystemExit(f"{database} has no synthetic observations; run benchmarks.generate")
        reporters = sorted({reporter for reporter, _ in pairs})
        return cls(reporters=reporters, pairs=[(r, p) for r, p in pairs], observations=count)


# --- what is asked --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    contender: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    name: str
    targets: list[Target]


def _query(pairs: Sequence[tuple[str, str]]) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs)


def observations_path(reporter: str, indicator: str, years: Sequence[int] | None) -> str:
    query = [("reporter", reporter), ("indicator", indicator)]
    if years:
        query.append(("year", ",".join(map(str, years))))
    return f"{API}/trade/observations?{_query([*query, ('limit', str(PAGE))])}"


def datasette_rows_path(db: str, reporter: str, indicator: str, years: Sequence[int] | None) -> str:
    query = [("reporter", reporter), ("indicator", indicator)]
    if years:
        query.append(("year__in", ",".join(map(str, years))))
    query += [("_size", str(PAGE)), ("_shape", "array")]
    return f"/{db}/trade_observations.json?{_query(query)}"


def series_path(reporter: str, partner: str, indicator: str) -> str:
    return f"{API}/trade/series?reporter={reporter}&partner={partner}&indicator={indicator}"


# Spellings of one SDMX question that all cover every year of the data (1995-2024): distinct
# requests to the answer cache, the same figures, as SERIES_SPELLINGS are for /trade/series.
SDMX_SPELLINGS = ("", "?startPeriod=1990", "?endPeriod=2030", "?startPeriod=1990&endPeriod=2030")


def sdmx_series_path(reporter: str, partner: str, indicator: str, spelling: str) -> str:
    """The same series as `series_path`, as SDMX-ML generic data."""
    return f"/sdmx/2.1/data/TRADE/A.{reporter}.{partner}.{indicator}{spelling}"


def as_of_series_path(reporter: str, partner: str, indicator: str, moment: datetime) -> str:
    """The same series as `series_path`, as it stood at `moment`."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{series_path(reporter, partner, indicator)}&as_of={stamp}"


def datasette_series_path(db: str, reporter: str, partner: str, indicator: str) -> str:
    query = f"reporter={reporter}&partner={partner}&indicator={indicator}&_shape=array"
    return f"/{db}/series.json?{query}"


def cold_page_questions(facts: Facts, count: int) -> list[tuple[str, str, list[int]]]:
    """Distinct (reporter, indicator, years) questions: 20-30 of the 30 years each."""
    rng = random.Random(11)
    years = list(generate.YEARS)
    indicators = [code for code, _ in generate.INDICATORS]
    seen: set[tuple[str, str, tuple[int, ...]]] = set()
    attempts = 0
    while len(seen) < count and attempts < count * 20:
        attempts += 1
        chosen = tuple(sorted(rng.sample(years, rng.randint(20, len(years)))))
        seen.add((rng.choice(facts.reporters), rng.choice(indicators), chosen))
    questions = [(reporter, indicator, list(chosen)) for reporter, indicator, chosen in seen]
    rng.shuffle(questions)
    return questions


# Spellings of one series question that give the same points here (the generated data has
# no derived figures; JSON is the default format) but are distinct requests to an answer
# cache: they multiply the cold list beyond the pairs x indicators the data holds.
SERIES_SPELLINGS = (
    "",
    "&include_derived=false",
    "&format=json",
    "&include_derived=false&format=json",
)


def series_questions(facts: Facts) -> list[tuple[str, str, str, str]]:
    rng = random.Random(13)
    questions = [
        (reporter, partner, indicator, spelling)
        for reporter, partner in facts.pairs
        for indicator, _ in generate.INDICATORS
        for spelling in SERIES_SPELLINGS
    ]
    rng.shuffle(questions)
    return questions[:COLD_PATHS]


def build_scenarios(
    facts: Facts, db: str, encoding: dict[str, str], etags: dict[str, str]
) -> list[Scenario]:
    first, second = facts.pairs[0]
    hot_page = observations_path(first, TURNOVER, None)
    meeting = f"{API}/meetings/{MEETING_ID}"
    pages = cold_page_questions(facts, COLD_PATHS)
    series = series_questions(facts)
    cold_ours = [observations_path(r, i, y) for r, i, y in pages]
    cold_peer = [datasette_rows_path(db, r, i, y) for r, i, y in pages]
    moment = datetime.now(UTC) - timedelta(hours=AS_OF_HOURS_AGO)

    def conditional(path: str) -> dict[str, str]:
        return {**encoding, "If-None-Match": etags[path]}

    return [
        Scenario(FLOOR_SCENARIO, [Target(FASTAPI, ["/"], encoding), Target(ASGI, ["/"], encoding)]),
        Scenario(HOT_SERIES, [Target(OURS, [series_path(first, second, TURNOVER)], encoding)]),
        Scenario(HOT_MEETING, [Target(OURS, [meeting], encoding)]),
        Scenario(
            HOT_PAGE,
            [
                Target(OURS, [hot_page], encoding),
                Target(DATASETTE, [datasette_rows_path(db, first, TURNOVER, None)], encoding),
            ],
        ),
        Scenario(NOT_MODIFIED_PAGE, [Target(OURS, [hot_page], conditional(hot_page))]),
        Scenario(NOT_MODIFIED_MEETING, [Target(OURS, [meeting], conditional(meeting))]),
        Scenario(
            COLD_PAGES,
            [
                Target(OURS, cold_ours, encoding),
                Target(DATASETTE, cold_peer, encoding),
            ],
        ),
        Scenario(COLD_PAGES_IDENTITY, [Target(OURS, cold_ours, {})]),
        Scenario(
            SDMX_SERIES,
            [
                Target(
                    OURS,
                    [
                        sdmx_series_path(r, p, i, SDMX_SPELLINGS[SERIES_SPELLINGS.index(extra)])
                        for r, p, i, extra in series
                    ],
                    encoding,
                )
            ],
        ),
        Scenario(
            AS_OF_SERIES,
            [
                Target(
                    OURS,
                    [as_of_series_path(r, p, i, moment) + extra for r, p, i, extra in series],
                    encoding,
                )
            ],
        ),
        Scenario(
            AGGREGATE,
            [
                Target(OURS, [series_path(r, p, i) + extra for r, p, i, extra in series], encoding),
                Target(
                    DATASETTE,
                    [datasette_series_path(db, r, p, i) for r, p, i, _ in series],
                    encoding,
                ),
            ],
        ),
    ]


# --- servers --------------------------------------------------------------------------------


def start_servers(
    database: Path, workdir: Path, workers: int, ours_env: dict[str, str]
) -> dict[str, Server]:
    servers = {
        FASTAPI: Server(
            FASTAPI,
            uvicorn_command("benchmarks.floor_apps:fastapi_app", port := free_port(), workers),
            port,
            "/health/live",
            workdir / "floor-fastapi.log",
        ),
        ASGI: Server(
            ASGI,
            uvicorn_command("benchmarks.floor_apps:asgi_app", port := free_port(), workers),
            port,
            "/health/live",
            workdir / "floor-asgi.log",
        ),
        DATASETTE: Server(
            DATASETTE,
            uvicorn_command("benchmarks.datasette_app:app", port := free_port(), workers),
            port,
            "/-/versions.json",
            workdir / "datasette.log",
            env={"BENCH_DATASETTE_DB": str(database)},
        ),
        OURS: Server(
            OURS,
            [
                str(BIN / "sco-api"),
                "serve",
                "--host",
                LOOPBACK,
                "--port",
                str(port := free_port()),
                "--workers",
                str(workers),
            ],
            port,
            "/health/live",
            workdir / "ours.log",
            env={
                "DATABASE_URL": f"sqlite:///{database}",
                "SCO_RATE_LIMIT": HUGE_RATE_LIMIT,
                **ours_env,
            },
        ),
    }
    started: list[Server] = []
    try:
        for server in servers.values():
            server.start()
            started.append(server)
            server.measure_idle()
    except BaseException:
        for server in started:
            server.stop()
        raise
    return servers


# --- checks before measuring ----------------------------------------------------------------


def fetch(server: Server, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(base_url=f"http://{LOOPBACK}:{server.port}", timeout=60) as client:
        return client.get(path, headers=headers or {})


def check_targets(scenarios: Sequence[Scenario], servers: dict[str, Server]) -> None:
    """Every first path answers as expected before anything is timed."""
    for scenario in scenarios:
        for target in scenario.targets:
            response = fetch(servers[target.contender], target.paths[0], target.headers)
            expected = 304 if "If-None-Match" in target.headers else 200
            if response.status_code != expected:
                raise SystemExit(
                    f"{scenario.name} / {target.contender}: {target.paths[0]} answered "
                    f"{response.status_code}, expected {expected}: {response.text[:300]}"
                )


def compare_rows(scenarios: Sequence[Scenario], servers: dict[str, Server]) -> list[str]:
    """Do ours and Datasette return the same rows for the same question? (first 20 paths)"""
    lines = []
    for scenario in scenarios:
        by_contender = {target.contender: target for target in scenario.targets}
        if OURS not in by_contender or DATASETTE not in by_contender:
            continue
        ours, peer = by_contender[OURS], by_contender[DATASETTE]
        same, rows_ours, rows_peer = 0, [], []
        sample = min(20, len(ours.paths))
        for ours_path, peer_path in zip(ours.paths[:sample], peer.paths[:sample], strict=True):
            body = fetch(servers[OURS], ours_path).json()
            items = body["items"] if "items" in body else body["points"]
            peer_items = fetch(servers[DATASETTE], peer_path).json()
            ids = [item.get("id") or item.get("observation_id") for item in items]
            peer_ids = [item.get("id") or item.get("observation_id") for item in peer_items]
            same += ids == peer_ids
            rows_ours.append(len(ids))
            rows_peer.append(len(peer_ids))
        lines.append(
            f"  {scenario.name}: {same}/{sample} sampled questions give the same ids in the "
            f"same order; rows per answer ours {statistics.mean(rows_ours):.0f}, "
            f"Datasette {statistics.mean(rows_peer):.0f}; distinct paths {len(ours.paths)}"
        )
    return lines


# --- measuring ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    result: LoadResult
    peak_rss: int


@dataclass(frozen=True)
class ExportSample:
    rows: int
    seconds: float
    megabytes: float
    rss_growth: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("nan")


def measure(
    load: LoadGenerator, server: Server, target: Target, seconds: float, offset: int
) -> Sample:
    with PeakRss(server) as rss:
        result = load.run(
            server.port, target.paths, headers=target.headers, seconds=seconds, offset=offset
        )
    return Sample(result, rss.peak)


def export(server: Server, path: str, timeout: float = 600) -> ExportSample:
    """Stream a CSV download (no compression asked, like `curl -O`), count its rows."""
    newlines = size = 0
    with PeakRss(server) as rss:
        started = time.perf_counter()
        with (
            httpx.Client(base_url=f"http://{LOOPBACK}:{server.port}", timeout=timeout) as client,
            client.stream("GET", path, headers={"Accept-Encoding": "identity"}) as response,
        ):
            response.raise_for_status()
            for chunk in response.iter_raw():
                newlines += chunk.count(b"\n")
                size += len(chunk)
        elapsed = time.perf_counter() - started
    return ExportSample(newlines - 1, elapsed, size / MIB, rss.growth)


# --- report ---------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Results:
    samples: defaultdict[tuple[str, str], list[Sample]] = field(
        default_factory=lambda: defaultdict(list)
    )
    exports: defaultdict[str, list[ExportSample]] = field(default_factory=lambda: defaultdict(list))

    def rps(self, scenario: str, contender: str) -> float:
        return median([s.result.rps for s in self.samples.get((scenario, contender), [])])


def table(rows: Sequence[Sequence[str]], header: Sequence[str], *, left: int = 2) -> str:
    """A plain-text table: the first `left` columns aligned left, the rest right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def render(row: Sequence[str]) -> str:
        cells = [
            cell.ljust(width) if index < left else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(header), rule, *(render(row) for row in rows)])


def verdict(value: float, target: float, *, higher: bool = True) -> str:
    if value != value:  # NaN: not measured
        return "n/a"
    if value >= target if higher else value <= target:
        return "met"
    shortfall = (1 - value / target) if higher else (value / target - 1)
    return f"MISSED by {shortfall * 100:.0f}%"


def throughput_table(scenarios: Sequence[Scenario], results: Results) -> str:
    rows = []
    for scenario in scenarios:
        for target in scenario.targets:
            samples = results.samples[(scenario.name, target.contender)]
            rows.append(
                [
                    scenario.name,
                    target.contender,
                    f"{median([s.result.rps for s in samples]):,.0f}",
                    f"{median([s.result.p50_ms for s in samples]):.2f}",
                    f"{median([s.result.p99_ms for s in samples]):.2f}",
                    f"{max(s.peak_rss for s in samples) / MIB:.0f}",
                    str(sum(s.result.errors for s in samples)),
                    _stalls(samples),
                ]
            )
    header = [
        "scenario",
        "contender",
        "req/s",
        "p50 ms",
        "p99 ms",
        "peak RSS MB",
        "errors",
        "stalled",
    ]
    return table(rows, header)


def _stalls(samples: Sequence[Sample]) -> str:
    """Rounds in which the server answered nothing at all (see its log)."""
    stalled = sum(1 for s in samples if s.result.requests == 0)
    return f"{stalled}/{len(samples)}" if stalled else ""


def export_table(results: Results) -> str:
    rows = [
        [
            "CSV export, all rows",
            contender,
            f"{median([e.rows_per_second for e in exported]):,.0f}",
            f"{exported[0].rows:,}",
            f"{median([e.megabytes for e in exported]):.1f}",
            f"{max(e.rss_growth for e in exported) / MIB:.1f}",
        ]
        for contender, exported in results.exports.items()
    ]
    return table(rows, ["scenario", "contender", "rows/s", "rows", "MB", "RSS growth MB"])


def startup_table(servers: dict[str, Server]) -> str:
    rows = [
        [
            name,
            f"{server.ready_seconds:.2f}",
            f"{server.idle_rss / MIB:.0f}",
            f"{server.rss() / MIB:.0f}",
        ]
        for name, server in servers.items()
    ]
    return table(rows, ["server", "ready s", "idle RSS MB", "RSS after the run MB"], left=1)


def targets_table(results: Results, servers: dict[str, Server]) -> str:
    floor = results.rps(FLOOR_SCENARIO, FASTAPI)

    def ours_over_floor(scenario: str) -> float:
        return results.rps(scenario, OURS) / floor

    def ours_over_peer(scenario: str) -> float:
        return results.rps(scenario, OURS) / results.rps(scenario, DATASETTE)

    ratios = [
        ("hot series / bare FastAPI", ours_over_floor(HOT_SERIES), 0.6),
        ("hot meeting item / bare FastAPI", ours_over_floor(HOT_MEETING), 0.6),
        (f"hot {PAGE}-row page / bare FastAPI", ours_over_floor(HOT_PAGE), 0.6),
        (f"304 {PAGE}-row page / bare FastAPI", ours_over_floor(NOT_MODIFIED_PAGE), 0.7),
        ("304 meeting item / bare FastAPI", ours_over_floor(NOT_MODIFIED_MEETING), 0.7),
        (f"cold {PAGE}-row pages / Datasette, same rows", ours_over_peer(COLD_PAGES), 3.0),
        ("aggregate (series) / Datasette canned query", ours_over_peer(AGGREGATE), 2.0),
        # Within 1.5x of the plain series: at least 1/1.5 of its rate.
        (
            "SDMX data of a series / the same series",
            results.rps(SDMX_SERIES, OURS) / results.rps(AGGREGATE, OURS),
            1 / 1.5,
        ),
        (
            "series as_of a past moment / the same series",
            results.rps(AS_OF_SERIES, OURS) / results.rps(AGGREGATE, OURS),
            1 / 1.5,
        ),
    ]
    rows = [
        [name, f"{value:.2f}x", f">= {target:.2g}x", verdict(value, target)]
        for name, value, target in ratios
    ]
    rows.append(["(raw ASGI / bare FastAPI)", f"{results.rps(FLOOR_SCENARIO, ASGI) / floor:.2f}x"])
    rows[-1] += ["", ""]
    exported = results.exports.get(OURS, [])
    if exported:
        rate = median([e.rows_per_second for e in exported])
        growth = max(e.rss_growth for e in exported) / MIB
        rows.append(["CSV export rows/s", f"{rate:,.0f}", ">= 200,000", verdict(rate, 200_000)])
        rows.append(
            [
                f"CSV export RSS growth ({exported[0].rows:,} rows)",
                f"{growth:.1f} MB",
                "< 50 MB (1M rows)",
                verdict(growth, 50, higher=False),
            ]
        )
    ours = servers[OURS]
    idle = ours.idle_rss / MIB
    rows.append(["idle worker RSS", f"{idle:.0f} MB", "< 120 MB", verdict(idle, 120, higher=False)])
    ready = ours.ready_seconds
    rows.append(["ready after start", f"{ready:.2f} s", "< 2 s", verdict(ready, 2, higher=False)])
    return table(rows, ["measure", "value", "target", "verdict"], left=1)


def print_report(
    scenarios: Sequence[Scenario], results: Results, servers: dict[str, Server], rounds: int
) -> None:
    print(f"\nThroughput (median of {rounds} rounds; peak RSS: the highest of the rounds)")
    print(throughput_table(scenarios, results))
    if results.exports:
        print("\n" + export_table(results))
    print("\nStart-up (until /health/live, Datasette: /-/versions.json, answers) and memory")
    print(startup_table(servers))
    print("\nRatios against the targets of issue 7")
    print(targets_table(results, servers))
    print(
        "\nNotes: ours runs with its default settings (answer cache included) and rate "
        "limiting on (SCO_RATE_LIMIT=1000000000: counted, never hit), request ids, metrics, "
        "an access log (to a file), ETag and gzip. Datasette's "
        "`_shape=array` turns off its counts and facets. Our API has no GROUP BY endpoint: "
        "the aggregate is /trade/series (the preferred figure of each year, with members and "
        "checks) against a canned query returning the same points. Cold scenarios walk "
        "their list of distinct questions (sizes above), each round its own slice: no "
        "question repeats until a round sends more requests than a slice holds (the series "
        "list is one question per pair and indicator)."
    )


# --- main -----------------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average before the run: {load}"
    )


def warn_if_busy() -> None:
    one_minute = os.getloadavg()[0]
    if one_minute > 0.5 * (os.cpu_count() or 1):
        print(
            f"WARNING: the machine is busy (1-minute load {one_minute:.1f}): other processes "
            "share the CPUs, so absolute figures are low and noisy; ratios within this run "
            "hold up better, but are affected too."
        )


def prepare_database(args: argparse.Namespace, workdir: Path) -> Path:
    if args.database:
        return Path(args.database).resolve()
    database = workdir / "sco.db"
    started = time.perf_counter()
    engine = generate.prepare(f"sqlite:///{database}")
    report = generate.fill(engine, args.observations)
    generate.add_versions(engine, VERSIONS)
    engine.dispose()
    print(
        f"database: {report.rows:,} synthetic observations generated into {database} in "
        f"{time.perf_counter() - started:.1f} s ({report.describe()}), {VERSIONS} versions of "
        "each"
    )
    return database


def run_rounds(
    load: LoadGenerator,
    scenarios: Sequence[Scenario],
    servers: dict[str, Server],
    args: argparse.Namespace,
) -> Results:
    """Warm every target up once, then measure round by round, contenders interleaved."""
    with ProgressBar("benchmark") as progress:
        progress.begin(args.rounds + (1 if args.warmup > 0 else 0))
        return _rounds(load, scenarios, servers, args, progress)


def _rounds(
    load: LoadGenerator,
    scenarios: Sequence[Scenario],
    servers: dict[str, Server],
    args: argparse.Namespace,
    progress: ProgressBar,
) -> Results:
    results = Results()
    slices = args.rounds + 1  # each round walks its own slice of a cold list; warm-up the last
    if args.warmup > 0:
        progress.step("warm-up")
        for scenario in scenarios:
            for target in scenario.targets:
                server = servers[target.contender]
                offset = args.rounds * len(target.paths) // slices
                load.run(
                    server.port,
                    target.paths,
                    headers=target.headers,
                    seconds=args.warmup,
                    offset=offset,
                )
    for round_index in range(args.rounds):
        progress.step(f"round {round_index + 1}/{args.rounds}")
        for scenario in scenarios:
            targets = list(scenario.targets)
            if round_index % 2:
                targets.reverse()  # neither contender always goes first
            for target in targets:
                offset = round_index * len(target.paths) // slices
                sample = measure(load, servers[target.contender], target, args.seconds, offset)
                results.samples[(scenario.name, target.contender)].append(sample)
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, default=100_000, help="rows to generate")
    parser.add_argument("--database", help="an already generated SQLite file (else generated)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds per target, once")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers, every server")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--load", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--identity", action="store_true", help="no Accept-Encoding: gzip")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--only", help="only the scenarios whose name contains this (+ floor)")
    parser.add_argument("--workdir", help="keep logs and the database here (default: temp)")
    parser.add_argument(
        "--ours-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for our server, e.g. SCO_RESPONSE_CACHE=false (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sco-bench-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    load = choose(args.load, threads=args.threads, connections=args.connections, workdir=workdir)
    print("SCO Trade API benchmark (issue 7)")
    print(f"machine: {machine()}")
    warn_if_busy()
    print(
        f"load generator: {load.describe()}; {args.seconds:g} s per measurement, "
        f"{args.rounds} rounds, contenders interleaved"
    )
    print(
        f"servers: uvicorn, {args.workers} worker(s) each, {event_loop_and_parser()}, "
        "no access log; loopback only"
    )
    database = prepare_database(args, workdir)
    facts = Facts.read(database)
    print(
        f"data: {facts.observations:,} observations, {len(facts.reporters)} synthetic "
        f"reporters, {len(facts.pairs)} reporter-partner pairs"
    )
    encoding = {} if args.identity else {"Accept-Encoding": "gzip"}
    ours_env = dict(item.split("=", 1) for item in args.ours_env)
    if ours_env:
        print(f"ours: extra environment {ours_env}")
    servers = start_servers(database, workdir, args.workers, ours_env)
    try:
        first = facts.pairs[0][0]
        etag_paths = [observations_path(first, TURNOVER, None), f"{API}/meetings/{MEETING_ID}"]
        etags = {path: fetch(servers[OURS], path, encoding).headers["etag"] for path in etag_paths}
        scenarios = build_scenarios(facts, database.stem, encoding, etags)
        if args.only:
            scenarios = [s for s in scenarios if args.only in s.name or s is scenarios[0]]
        check_targets(scenarios, servers)
        print("same question, same rows (ours vs Datasette, first 20 questions):")
        print("\n".join(compare_rows(scenarios, servers)))
        results = run_rounds(load, scenarios, servers, args)
        if not args.no_export:
            ours_csv = f"{API}/trade/observations?format=csv"
            peer_csv = f"/{database.stem}/trade_observations.csv?_stream=1&_size=max"
            for _ in range(args.rounds):
                results.exports[OURS].append(export(servers[OURS], ours_csv))
                results.exports[DATASETTE].append(export(servers[DATASETTE], peer_csv))
        print_report(scenarios, results, servers, args.rounds)
        if args.workdir:
            print(f"logs: {workdir}")
    finally:
        for server in servers.values():
            server.stop()
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
