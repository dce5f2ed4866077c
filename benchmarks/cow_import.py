"""Import of the whole Correlates of War dyadic trade file (part of `make bench-scale`).

    python -m benchmarks.cow_import [--backends sqlite,postgresql] [--file PATH] [--again]

For each backend: a fresh database (migrated and seeded; a throw-away PostgreSQL database
on `--pg-server`, dropped afterwards), plus what the import needs that the seed may lack —
an area for every ISO code of the COW crosswalk and the `imports` indicator — then
`sco-api import FILE --format cow`, timed from the outside (process start to exit: read,
validate, write, change feed, recomputation, commit). `--again` imports the same file a
second time, which must change nothing. Prints rows/s (the file's dyad-years), figures/s,
inserted figures/s, the peak RSS of the import process and its own summary (the skip counts).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from app.areas.models import Area
from app.console import ProgressBar
from app.db.session import make_engine
from app.trade.importers.cow import CROSSWALK
from app.trade.models import TradeIndicator, TradeObservation
from benchmarks import generate
from benchmarks.run import machine, table, warn_if_busy
from benchmarks.scale import DEFAULT_PG_SERVER, database
from benchmarks.servers import BIN

REPO = Path(__file__).resolve().parents[1]
COW_FILE = REPO.parent / "shared" / "data" / "cow-trade-4.0" / "cow_trade_ndy.csv.gz"
KIB_PER_MIB = 1024
# Until the seed has it (seed_data/trade_indicators.yaml), the indicator the import writes.
IMPORTS_INDICATOR = {
    "code": "imports",
    "name": "Imports",
    "unit": "USD",
    "description": "Imports of goods of the reporter from the partner, in current US dollars, "
    "as the reporter declared them.",
}


@dataclass(frozen=True)
class Run:
    label: str
    seconds: float
    stored: int
    peak_rss_mib: float
    summary: str
    failed: str = ""


def crosswalk_areas() -> list[tuple[str, str, str]]:
    """(ISO alpha-3, alpha-2, English name) of every crosswalk state that has an ISO code."""
    text = (resources.files("app.trade.importers") / "data" / CROSSWALK).read_text()
    return [
        (row["iso3c"], row["iso2c"], row["name"])
        for row in csv.DictReader(io.StringIO(text))
        if row["iso3c"]
    ]


def add_missing_reference_rows(engine: Engine) -> tuple[int, bool]:
    """Areas for the crosswalk's ISO codes and the `imports` indicator the seed lacks."""
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    with engine.begin() as connection:
        have = set(connection.scalars(select(Area.code)))
        have_iso2 = set(connection.scalars(select(Area.iso2).where(Area.iso2.is_not(None))))
        areas = [
            {"code": iso3, "iso2": iso2 if iso2 not in have_iso2 else None, "name": name}
            for iso3, iso2, name in crosswalk_areas()
            if iso3 not in have
        ]
        if areas:
            connection.execute(
                insert(Area), [{**area, "kind": "country", **stamps} for area in areas]
            )
        missing_indicator = (
            connection.scalar(select(TradeIndicator.code).where(TradeIndicator.code == "imports"))
            is None
        )
        if missing_indicator:
            connection.execute(insert(TradeIndicator), [{**IMPORTS_INDICATOR, **stamps}])
    return len(areas), missing_indicator


def import_once(url: str, path: Path, label: str, timeout: float) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            [str(BIN / "sco-api"), "import", str(path), "--format", "cow"],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Run(label, timeout, 0, 0.0, "", f"stopped after {timeout:.0f} s")
    seconds = time.perf_counter() - started
    # The children's peak so far: the largest import process of this run.
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / KIB_PER_MIB
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                select(func.count()).where(TradeObservation.indicator == "imports")
            ).scalar_one()
    finally:
        engine.dispose()
    failed = "" if completed.returncode == 0 else completed.stderr.strip()[-400:]
    return Run(label, seconds, stored, peak, completed.stdout.strip(), failed)


def figures_in(summary: str) -> tuple[int, int, int]:
    """(rows, figures, inserted) from the first lines of `sco-api import`'s summary."""
    first, second = [*summary.splitlines(), "", ""][:2]
    try:
        counts = first.split(":", 1)[1].replace(",", "").split()
        inserted = int(second.replace(",", "").split()[0])
        return int(counts[0]), int(counts[2]), inserted
    except (IndexError, ValueError):
        return 0, 0, 0


def measure(
    backend: str, args: argparse.Namespace, workdir: Path, progress: ProgressBar
) -> list[Run]:
    with database(backend, 0, workdir, args.pg_server, "cow") as url:
        progress.step(f"{backend}: seed")
        engine = generate.prepare(url)
        areas, indicator = add_missing_reference_rows(engine)
        engine.dispose()
        added = f"{areas} crosswalk areas" + (" and the imports indicator" if indicator else "")
        progress.step(f"{backend}: first import (seeded; added {added})")
        runs = [import_once(url, args.file, "first import", args.timeout)]
        if args.again and not runs[0].failed:
            progress.step(f"{backend}: same file again")
            runs.append(import_once(url, args.file, "same file again", args.timeout))
    return runs


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds else "-"


def report(results: dict[str, list[Run]]) -> None:
    rows = []
    for backend, runs in results.items():
        for run in runs:
            records, figures, inserted = figures_in(run.summary)
            rows.append(
                [
                    backend,
                    run.label,
                    f"{records:,}",
                    f"{figures:,}",
                    f"{inserted:,}",
                    f"{run.stored:,}",
                    f"{run.seconds:.1f}",
                    *(per_second(count, run.seconds) for count in (records, figures, inserted)),
                    f"{run.peak_rss_mib:,.0f}",
                    run.failed or "",
                ]
            )
    header = [
        "backend", "run", "rows", "figures", "inserted", "stored", "seconds", "rows/s",
        "figures/s", "inserted/s", "peak RSS MiB", "failure",
    ]  # fmt: skip
    print(table(rows, header))
    for backend, runs in results.items():
        for run in runs:
            print(f"\n{backend}, {run.label}: `sco-api import` said")
            print("\n".join(f"    {line}" for line in run.summary.splitlines()) or "    -")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER, help="where to create databases")
    parser.add_argument("--file", type=Path, default=COW_FILE, help="the COW dyadic trade file")
    parser.add_argument("--timeout", type=float, default=1800, help="cap per import, seconds")
    parser.add_argument("--again", action="store_true", help="import the same file once more")
    parser.add_argument("--workdir", help="SQLite files (default: temp, removed)")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"cow_import: no COW file at {args.file}; pass --file", file=sys.stderr)
        return 2
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sco-cow-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    print("Import of the Correlates of War dyadic trade file, version 4.0 (`--format cow`)")
    print(f"machine: {machine()}")
    warn_if_busy()
    print(f"file: {args.file} ({args.file.stat().st_size:,} bytes)")
    results: dict[str, list[Run]] = {}
    try:
        backends = [b.strip() for b in args.backends.split(",") if b.strip()]
        with ProgressBar("cow import") as progress:
            progress.begin(len(backends) * (3 if args.again else 2))
            for backend in backends:
                results[backend] = measure(backend, args, workdir, progress)
        report(results)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
