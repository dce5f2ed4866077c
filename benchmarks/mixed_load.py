"""Mixed read/write load for a fixed time (issue 8): nothing may answer outside 2xx/3xx.

    python -m benchmarks.mixed_load [--seconds 20] [--clients 8] [--pg-server URL]

Starts `sco-api serve` itself (loopback only, rate limit off) on a fresh migrated and
seeded database — a temporary SQLite file, or a temporary database on `--pg-server` —
with a write key, then runs `--clients` threads for `--seconds`, each doing the common
reads (a series, an observations page and the next one, a meeting, a search, the checks,
a conditional GET answered 304) and, one time in ten, a write cycle on a throw-away
organization (POST, PATCH with If-Match, DELETE with If-Match). It prints requests/s and
p50/p95/p99 per kind and overall, and the answers outside 2xx/3xx — and exits 1 if there
was any.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BIN = Path(sys.executable).parent
SERVE = (str(BIN / "sco-api"), "serve")
LOOPBACK = "127.0.0.1"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
SERIES = "/api/v1/trade/series?reporter=KAZ&partner=SCO&indicator=trade_turnover"
WRITE_SHARE = 0.1  # one iteration in ten is a write cycle


@dataclass
class Tally:
    """Latencies and unexpected answers, per kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int, expected: tuple[int, ...]) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if status not in expected:
                self.failures.append(f"{kind}: {status}")


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index] * 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _database(pg_server: str | None, workdir: Path) -> Iterator[str]:
    """A fresh database URL: a SQLite file, or a throw-away database on `pg_server`."""
    if pg_server is None:
        yield f"sqlite:///{workdir / 'load.db'}"
        return
    name = f"sco_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(
        make_url(pg_server).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _sco_api(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "sco-api"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@contextmanager
def _server(database_url: str, workers: int) -> Iterator[tuple[str, str]]:
    """`sco-api serve` on a migrated, seeded database; yields its URL and a write key."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SCO_RATE_LIMIT": "0",
        "SCO_LOG_LEVEL": "WARNING",
    }
    _sco_api(env, "db", "upgrade")
    _sco_api(env, "seed")
    key = _sco_api(env, "keys", "create", "--name", "load", "--scope", "write").strip()
    key = key.splitlines()[-1]
    port = _free_port()
    process = subprocess.Popen(
        [*SERVE, "--host", LOOPBACK, "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not become ready")
            time.sleep(0.1)
        yield base_url, key
    finally:
        process.terminate()
        process.wait(timeout=30)


class Client:
    """One simulated client: its own connection, its own random choices."""

    def __init__(self, base_url: str, key: str, number: int, tally: Tally) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.auth = {"Authorization": f"Bearer {key}"}
        self.number = number
        self.tally = tally
        self.random = random.Random(number)  # a repeatable workload, not a secret
        self.meeting_etag: str | None = None
        self.writes = 0

    def _timed(
        self, kind: str, send: Callable[[], httpx.Response], expected: tuple[int, ...] = (200,)
    ) -> httpx.Response:
        started = time.perf_counter()
        response = send()
        self.tally.record(kind, time.perf_counter() - started, response.status_code, expected)
        return response

    def read(self) -> None:
        choice = self.random.random()
        if choice < 0.2:
            self._timed("series", lambda: self.http.get(SERIES))
        elif choice < 0.4:
            page = self._timed(
                "observations page", lambda: self.http.get("/api/v1/trade/observations?limit=20")
            )
            cursor = page.json().get("next_cursor")
            if cursor:
                self._timed(
                    "observations next page",
                    lambda: self.http.get(
                        "/api/v1/trade/observations", params={"limit": 20, "cursor": cursor}
                    ),
                )
        elif choice < 0.55:
            meeting = self._timed("meeting", lambda: self.http.get(f"/api/v1/meetings/{ASTANA}"))
            self.meeting_etag = meeting.headers.get("etag")
        elif choice < 0.7:
            self._timed("search", lambda: self.http.get("/api/v1/search?q=trade+facilitation"))
        elif choice < 0.8:
            self._timed("checks", lambda: self.http.get("/api/v1/trade/checks"))
        elif self.meeting_etag is not None:
            etag = self.meeting_etag
            self._timed(
                "meeting 304",
                lambda: self.http.get(
                    f"/api/v1/meetings/{ASTANA}", headers={"If-None-Match": etag}
                ),
                expected=(304,),
            )
        else:
            self._timed("meeting", lambda: self.http.get(f"/api/v1/meetings/{ASTANA}"))

    def write_cycle(self) -> None:
        self.writes += 1
        identity = f"load-{self.number}-{self.writes}"
        path = f"/api/v1/organizations/{identity}"
        body = {"id": identity, "name": f"Load test {identity}", "kind": "company"}
        created = self._timed(
            "POST organization",
            lambda: self.http.post("/api/v1/organizations", json=body, headers=self.auth),
            expected=(201,),
        )
        etag = created.headers.get("etag", "")
        changed = self._timed(
            "PATCH organization (If-Match)",
            lambda: self.http.patch(
                path,
                json={"note": "changed by the load test"},
                headers=self.auth | {"If-Match": etag},
            ),
        )
        etag = changed.headers.get("etag", "")
        self._timed(
            "DELETE organization (If-Match)",
            lambda: self.http.delete(path, headers=self.auth | {"If-Match": etag}),
            expected=(204,),
        )

    def run(self, until: float) -> None:
        with self.http:
            while time.monotonic() < until:
                try:
                    if self.random.random() < WRITE_SHARE:
                        self.write_cycle()
                    else:
                        self.read()
                except httpx.HTTPError as error:
                    with self.tally.lock:
                        self.tally.failures.append(f"transport: {type(error).__name__}")


def _report(tally: Tally, seconds: float) -> None:
    every = sorted(value for values in tally.latencies.values() for value in values)
    print(f"{'kind':32} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, values in sorted(tally.latencies.items()):
        ordered = sorted(values)
        print(
            f"{kind:32} {len(ordered):9d} {_percentile(ordered, 0.5):8.1f} "
            f"{_percentile(ordered, 0.95):8.1f} {_percentile(ordered, 0.99):8.1f}"
        )
    print(
        f"{'all':32} {len(every):9d} {_percentile(every, 0.5):8.1f} "
        f"{_percentile(every, 0.95):8.1f} {_percentile(every, 0.99):8.1f}"
    )
    print(f"\n{len(every) / seconds:.0f} requests/s over {seconds:.1f} s")
    print(f"answers outside 2xx/3xx (or not the expected one): {len(tally.failures)}")
    for failure in sorted(set(tally.failures))[:20]:
        print(f"  {failure}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--pg-server", help="PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="sco-load-") as workdir,
        _database(args.pg_server, Path(workdir)) as database_url,
        _server(database_url, args.workers) as (base_url, key),
    ):
        backend = make_url(database_url).get_backend_name()
        print(
            f"mixed load: {args.clients} clients, {args.seconds:.0f} s, {backend}, "
            f"{args.workers} server worker(s), {WRITE_SHARE:.0%} write cycles\n"
        )
        tally = Tally()
        started = time.monotonic()
        until = started + args.seconds
        clients = [Client(base_url, key, number, tally) for number in range(args.clients)]
        threads = [threading.Thread(target=client.run, args=(until,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _report(tally, time.monotonic() - started)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
