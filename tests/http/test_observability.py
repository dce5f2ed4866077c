"""Observability: Prometheus metrics by route template and status, and JSON log lines."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import get_settings
from app.http.logging import JsonFormatter
from app.http.metrics import CONTENT_TYPE
from app.http.request_id import request_id_var
from tests.conftest import make_client_app


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of the sample `name{labels}` in a Prometheus text exposition."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line[: line.rindex("}")]))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    before = client.get("/metrics").text
    item = {"method": "GET", "route": "/api/v1/areas/{code}", "status": "200"}
    missing = {"method": "GET", "route": "/api/v1/areas/{code}", "status": "404"}
    count_before = _sample(before, "sco_http_requests_total", **item) or 0.0
    missing_before = _sample(before, "sco_http_requests_total", **missing) or 0.0

    for code in ("KAZ", "CHN", "RUS"):
        assert client.get(f"/api/v1/areas/{code}").status_code == 200
    assert client.get("/api/v1/areas/XYZ").status_code == 404
    assert client.get("/no/such/thing").status_code == 404

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE
    text = response.text
    assert _sample(text, "sco_http_requests_total", **item) == count_before + 3
    assert _sample(text, "sco_http_requests_total", **missing) == missing_before + 1
    # Raw paths never become labels: no series names `KAZ`.
    assert 'route="/api/v1/areas/KAZ"' not in text
    assert _sample(text, "sco_http_requests_total", route="<unmatched>", status="404")
    assert _sample(text, "sco_http_request_duration_seconds_bucket", le="+Inf", **item) == _sample(
        text, "sco_http_request_duration_seconds_count", **item
    )
    assert "# TYPE sco_http_request_duration_seconds histogram" in text


def test_metrics_report_the_database_pool(client: TestClient, backend: str) -> None:
    text = client.get("/metrics").text
    for name in (
        "sco_db_pool_size",
        "sco_db_pool_checked_out",
        "sco_db_pool_checked_in",
        "sco_db_pool_overflow",
    ):
        assert _sample(text, name) is not None, name
    # The test holds one connection (its rolled-back transaction) while /metrics answers.
    checked_out = _sample(text, "sco_db_pool_checked_out")
    assert checked_out is not None
    assert checked_out >= 1
    if backend == "postgresql":
        assert _sample(text, "sco_db_pool_size") == 10


def test_json_log_lines(
    db_session: Session, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = get_settings().model_copy(update={"log_format": "json"})
    app = make_client_app(db_session, engine, settings)
    try:
        with TestClient(app) as client:
            capsys.readouterr()
            client.get("/api/v1/areas", params={"token": "t0p"}, headers={"X-Request-ID": "j-1"})
        lines = [orjson.loads(line) for line in capsys.readouterr().err.splitlines()]
    finally:
        make_client_app(db_session, engine)  # back to the configured (console) format
    access = [line for line in lines if line["logger"] == "app.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == "j-1"
    assert entry["method"] == "GET"
    assert entry["path"] == "/api/v1/areas"
    assert entry["route"] == "/api/v1/areas"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["client"] == "testclient"
    assert entry["query"] == "token=***"
    assert entry["level"] == "INFO"
    # (the test client's own `httpx` logger prints the URL it sent; the service never does)
    assert "t0p" not in str([line for line in lines if line["logger"] != "httpx"])


def test_json_formatter_includes_exceptions() -> None:
    token = request_id_var.set("rid-9")
    try:
        try:
            raise ValueError("bad")
        except ValueError:
            record = logging.getLogger("x").makeRecord(
                "x", logging.ERROR, __file__, 1, "failed %s", ("here",), exc_info=sys.exc_info()
            )
    finally:
        request_id_var.reset(token)
    entry = orjson.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here"
    assert entry["request_id"] == "rid-9"
    assert "ValueError: bad" in entry["exc_info"]


MULTIPROCESS_SCRIPT = """
from fastapi.testclient import TestClient
from app.main import create_app
with TestClient(create_app()) as client:
    client.get("/health/live")
    client.get("/health/live")
    print(client.get("/metrics").text)
"""


def test_multiprocess_mode_when_prometheus_multiproc_dir_is_set(tmp_path: Path) -> None:
    # prometheus_client picks its storage at import, so this runs in a fresh interpreter.
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sco.db'}",
        "SCO_LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-c", MULTIPROCESS_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    live = {"method": "GET", "route": "/health/live", "status": "200"}
    assert _sample(result.stdout, "sco_http_requests_total", **live) == 2
    assert any(metrics_dir.glob("counter_*.db"))  # the counts live in the shared directory
