"""Bulk import: all or nothing, every bad row reported, re-import is a no-op."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db.session import make_session_factory, session_scope
from app.trade.importers.base import ImportOptions
from app.trade.importers.pipeline import STATISTICS_AFTER_ROWS, import_file
from benchmarks import generate
from tests.conftest import BACKENDS, bearer

HEADER = "reporter,partner,indicator,year,value,precision,qualifier,source_id,note\r\n"
GOOD = (
    HEADER
    + "KGZ,SCO,trade_turnover,2024,12500000000,100000000,exact,kazinform-2024-04-30,one\r\n"
    + 'kz,sco,trade_turnover,2019,"45000000000",1000000000,approximately,'
    + 'kazinform-2024-04-30,"two, quoted"\r\n'
)


def _import(
    client: TestClient, key: str, body: str | bytes, media: str = "text/csv"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/trade/imports",
        content=body.encode() if isinstance(body, str) else body,
        headers={**bearer(key), "Content-Type": media},
    )
    return {"status": response.status_code, "body": response.json()}


def _count(client: TestClient) -> int:
    total, params = 0, {"limit": "500"}
    while True:
        page = client.get("/api/v1/trade/observations", params=params).json()
        total += len(page["items"])
        if not page["next_cursor"]:
            return total
        params["cursor"] = page["next_cursor"]


def test_import_then_reimport_changes_nothing(client: TestClient, write_key: str) -> None:
    before = _count(client)
    first = _import(client, write_key, GOOD)
    assert first["status"] == 200, first
    assert (first["body"]["inserted"], first["body"]["updated"]) == (2, 0)
    after_first = _count(client)
    assert after_first > before
    feed_before = client.get("/api/v1/changes", params={"limit": 500}).json()
    second = _import(client, write_key, GOOD)
    assert second["status"] == 200
    assert (second["body"]["inserted"], second["body"]["updated"], second["body"]["unchanged"]) == (
        0,
        0,
        2,
    )
    assert second["body"]["derived"] == {
        "inserted": 0,
        "updated": 0,
        "deleted": 0,
        "preferred_changed": 0,
    }
    assert _count(client) == after_first
    assert client.get("/api/v1/changes", params={"limit": 500}).json() == feed_before


def test_one_bad_row_imports_nothing_and_lists_every_bad_row(
    client: TestClient, write_key: str
) -> None:
    before = _count(client)
    body = (
        GOOD
        + "KGZ,SCO,trade_turnover,1989,1,1,exact,kazinform-2024-04-30,bad year\r\n"
        + "KGZ,SCO,trade_turnover,2020,-5,1,exact,kazinform-2024-04-30,negative money\r\n"
        + "KGZ,ZZZ,gdp,2020,5,1,exact,nowhere,three bad fields\r\n"
    )
    answer = _import(client, write_key, body)
    assert answer["status"] == 422
    errors = answer["body"]["errors"]
    by_line = {(error["line"], error["field"]) for error in errors}
    assert (4, "year") in by_line
    assert (5, "value") in by_line
    assert {(6, "partner"), (6, "indicator")} & by_line
    assert _count(client) == before


def test_export_reimports_as_a_no_op(client: TestClient, write_key: str) -> None:
    export = client.get("/api/v1/trade/observations", params={"format": "csv"})
    assert export.status_code == 200
    answer = _import(client, write_key, export.content)
    assert answer["status"] == 200, answer
    assert answer["body"]["inserted"] == answer["body"]["updated"] == 0
    assert answer["body"]["skipped_derived"] > 0
    assert answer["body"]["skipped"] == {"derived": answer["body"]["skipped_derived"]}
    assert answer["body"]["figures"] == answer["body"]["received"]


def test_json_array_import_keeps_exact_digits(client: TestClient, write_key: str) -> None:
    body = (
        b'[{"reporter":"UZB","partner":"SCO","indicator":"trade_turnover","year":2023,'
        b'"value":12345678901.123456,"source_id":"kazinform-2024-04-30"}]'
    )
    answer = _import(client, write_key, body, "application/json")
    assert answer["status"] == 200, answer
    item = client.get("/api/v1/trade/observations/uzb-sco-trade-turnover-2023-kazinform-2024-04-30")
    assert b'"value":12345678901.123456' in item.content


@pytest.mark.parametrize(
    ("body", "media", "status"),
    [
        (b"reporter,bogus\r\nKAZ,1\r\n", "text/csv", 422),
        (b'{"not": "a list"}', "application/json", 422),
        (b"\xff\xfe not utf8", "text/csv", 422),
        (b"[1, 2]", "application/json", 422),
        (b"x", "application/xml", 415),
    ],
)
def test_malformed_files(
    client: TestClient, write_key: str, body: bytes, media: str, status: int
) -> None:
    assert _import(client, write_key, body, media)["status"] == status


def test_import_needs_a_write_key(client: TestClient, read_key: str) -> None:
    response = client.post(
        "/api/v1/trade/imports", content=GOOD, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 401
    assert _import(client, read_key, GOOD)["status"] == 403


def test_cli_import(tmp_path: Path, empty_database_url: str) -> None:
    from tests.support.live import prepare_database

    prepare_database(empty_database_url).dispose()
    file = tmp_path / "figures.csv"
    file.write_text(GOOD)
    env = {"DATABASE_URL": empty_database_url, "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "app.cli", "import", str(file)]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert "2 inserted" in first.stdout
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=False)
    assert "0 inserted, 0 updated, 2 unchanged" in second.stdout
    (tmp_path / "bad.csv").write_text(HEADER + "KAZ,SCO,trade_turnover,1800,1,1,exact,x,y\r\n")
    bad = subprocess.run(
        [sys.executable, "-m", "app.cli", "import", str(tmp_path / "bad.csv")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 1
    assert "line 2: year" in bad.stderr


def test_import_of_many_rows_works_in_chunks(client: TestClient, write_key: str) -> None:
    # Many rows in one file: existing ids and keys are looked up chunk by chunk.
    rows = "".join(
        f"KGZ,SCO,trade_turnover,{1990 + n % 100},{1000 + n},1,exact,"
        f"{'kazinform-2024-04-30' if n < 100 else 'oq-gov-kz-2024-05-02'},row {n}\r\n"
        for n in range(200)
    )
    answer = _import(client, write_key, HEADER + rows)
    assert answer["status"] == 200, answer
    assert answer["body"]["inserted"] == 200


def _planner_rows(engine: Engine) -> float:
    """How many observations the planner's statistics say there are (0: none gathered)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            estimate = connection.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE relname = 'trade_observations'"
            ).scalar_one()
            return max(float(estimate), 0.0)
        if not connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first():
            return 0.0
        stat = connection.exec_driver_sql(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'trade_observations' LIMIT 1"
        ).scalar()
        return float(stat.split()[0]) if stat else 0.0


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_a_large_import_the_caller_recomputes_refreshes_the_planner_statistics(
    empty_database_url: str, tmp_path: Path
) -> None:
    """The seed imports its data sets and recomputes once after them: those imports refresh
    the statistics too, or the next seed's identity lookups are planned for a small table
    (47 s instead of 5 on PostgreSQL)."""
    engine = generate.prepare(empty_database_url)
    try:
        generate.fill(engine, 0, analyze=False)  # the synthetic areas and sources
        path = tmp_path / "rows.csv"
        rows = generate.write_csv(path, 1200, areas=generate.DEFAULT_AREAS, seed_value=3)
        assert rows >= STATISTICS_AFTER_ROWS > _planner_rows(engine)
        for session in session_scope(make_session_factory(engine), write=True):
            result = import_file(session, path.read_bytes(), "csv", ImportOptions(recompute=False))
        assert result.inserted == rows
        assert _planner_rows(engine) >= rows
    finally:
        engine.dispose()
