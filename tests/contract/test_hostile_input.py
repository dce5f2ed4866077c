"""Hostile input: every attempt gets a 4xx problem+json, never a 500, and stores nothing.

NUL bytes, integers past 2^63, 10 MB strings, JSON nested 100,000 deep, invalid UTF-8,
path traversal, SQL metacharacters in every filter of every list, oversized `limit`,
tampered cursors. Runs on SQLite and PostgreSQL (the `client` fixture).
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.changes.models import Change
from app.db.keyset import MAC_BYTES
from tests.conftest import bearer
from tests.factories.meetings import session_body
from tests.factories.organizations import organization_body
from tests.factories.trade import observation_body
from tests.support.live import committed_app, prepare_database, serve

API = "/api/v1"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
BEYOND_INT64 = str(2**63)
HUGE = str(10**40)
TEN_MB = 10 * 1024 * 1024
SQL_METACHARACTERS = ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE meetings; --", '"']
# Query parameters that are not filters.
NOT_FILTERS = {"limit", "cursor", "format"}
# Valid ids in the paths of the reads that take query parameters (an item's `lang`).
PATH_VALUES = {
    "{id}": ASTANA,
    "areas/{code}": "areas/KAZ",
    "indicators/{code}": "indicators/trade_turnover",
}
# Valid values of the parameters some lists require, by the path's last segment.
REQUIRED_PARAMETERS = {
    "search": {"q": "astana"},
    "series": {"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"},
}


def assert_problem(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    """A 4xx problem document (of one of `statuses` when given), without internals."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if statuses:
        assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert "Traceback" not in response.text
    return body


@pytest.fixture
def changes(db_session: Session) -> Iterator[None]:
    """Asserts the test stored nothing: the change feed (every write is in it) is as before."""
    before = db_session.scalar(select(func.count()).select_from(Change))
    yield
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(Change)) == before


def _write(client: TestClient, key: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    headers: dict[str, str] = bearer(key) | kwargs.pop("headers", {})
    response: httpx.Response = client.request(method, path, headers=headers, **kwargs)
    return response


# --- NUL bytes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/meetings/%00",
        f"{API}/organizations/sco%00",
        f"{API}/areas/KA%00",
        f"{API}/trade/observations/x%00y",
        "/meetings/%00",
    ],
)
def test_nul_in_a_path_is_refused(client: TestClient, path: str) -> None:
    assert_problem(client.get(path), 404, 422)


def test_nul_in_every_filter_of_every_list_is_refused(client: TestClient) -> None:
    for path, name in _list_filters(client):
        params = _with_required(path, {name: "KAZ\x00"})
        body = assert_problem(client.get(path, params=params), 422)
        assert body["errors"][0]["field"].startswith(f"query.{name}"), (path, name, body)


@pytest.mark.usefixtures("changes")
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{API}/organizations", {"name": "Bad\x00Name", "kind": "ministry"}),
        ("POST", f"{API}/organizations", {"name": "N", "kind": "ministry", "abbreviation": "\x00"}),
        ("POST", f"{API}/people", {"id": "nul-person", "name": "A\x00B"}),
        ("PATCH", f"{API}/meetings/{ASTANA}", {"summary": "x\x00y"}),
        ("POST", f"{API}/meetings/{ASTANA}/sessions", {"order": 9, "title": "\x00"}),
        ("POST", f"{API}/trade/imports", [{"reporter": "KAZ\x00"}]),
    ],
)
def test_nul_in_a_body_is_refused_and_nothing_is_stored(
    client: TestClient, write_key: str, method: str, path: str, body: Any
) -> None:
    assert_problem(_write(client, write_key, method, path, json=body), 422)


# --- integers past 2^63 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (f"{API}/meetings", {"limit": BEYOND_INT64}),
        (f"{API}/meetings", {"limit": "-" + BEYOND_INT64}),
        (f"{API}/trade/observations", {"year": BEYOND_INT64}),
        (f"{API}/trade/observations", {"year_from": HUGE}),
        (f"{API}/trade/observations", {"year_to": "-" + HUGE}),
        (f"{API}/reports", {"year": BEYOND_INT64}),
        (f"{API}/changes", {"since": BEYOND_INT64}),
        (f"{API}/search", {"q": "astana", "limit": HUGE}),
    ],
)
def test_integers_beyond_64_bits_in_a_query_are_refused(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    assert_problem(client.get(path, params=params), 422)


@pytest.mark.usefixtures("changes")
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{API}/meetings/{ASTANA}/sessions", session_body(2**63, "Big")),
        ("PATCH", f"{API}/sources/kazinform-2024-04-30", {"priority": 2**64}),
        ("PATCH", f"{API}/reports/kaz-national-report-trade-facilitation-2023", {"year": -(2**63)}),
        ("POST", f"{API}/trade/observations", observation_body(year=2**70, value=1)),
        ("POST", f"{API}/trade/observations", observation_body(value=10**40)),
    ],
)
def test_integers_beyond_64_bits_in_a_body_are_refused(
    client: TestClient, write_key: str, method: str, path: str, body: dict[str, Any]
) -> None:
    assert_problem(_write(client, write_key, method, path, json=body), 422)


# --- 10 MB strings -----------------------------------------------------------------------


def test_a_query_value_as_long_as_a_url_may_be_is_refused(client: TestClient) -> None:
    # 60 KB: about what an HTTP client sends at most (httpx stops at 64 KB).
    response = client.get(f"{API}/search", params={"q": "a" * 60_000})
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "query.q"


def test_a_ten_megabyte_query_is_refused_by_the_server(tmp_path: Path) -> None:
    """A 10 MB request line never reaches the app: the HTTP server refuses it, and lives on."""
    engine = prepare_database(f"sqlite:///{tmp_path / 'long-url.db'}")
    try:
        with serve(committed_app(engine)) as base_url:
            host, port = base_url.removeprefix("http://").split(":")
            request = b"GET /api/v1/search?q=" + b"a" * TEN_MB + b" HTTP/1.1\r\nHost: x\r\n\r\n"
            with socket.create_connection((host, int(port)), timeout=30) as connection:
                with contextlib.suppress(OSError):  # the server may close before all is sent
                    connection.sendall(request)
                status_line = connection.recv(200).split(b"\r\n", 1)[0]
            assert status_line.split()[1] in (b"400", b"414", b"431"), status_line
            assert httpx.get(f"{base_url}/health/live").status_code == 200
    finally:
        engine.dispose()


@pytest.mark.usefixtures("changes")
def test_a_ten_megabyte_body_is_refused_before_it_is_read(
    client: TestClient, write_key: str
) -> None:
    body = organization_body("x" * TEN_MB)
    response = _write(client, write_key, "POST", f"{API}/organizations", json=body)
    assert_problem(response, 413)


@pytest.mark.usefixtures("changes")
def test_a_ten_megabyte_string_under_the_import_limit_is_refused(
    client: TestClient, write_key: str
) -> None:
    # The bulk import takes bodies up to 50 MB: the string itself must be refused.
    rows = [{"reporter": "KAZ", "partner": "SCO", "note": "x" * TEN_MB}]
    response = _write(client, write_key, "POST", f"{API}/trade/imports", json=rows)
    assert_problem(response, 422)


# --- deep nesting ------------------------------------------------------------------------


@pytest.mark.usefixtures("changes")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"{API}/organizations"),
        ("PATCH", f"{API}/meetings/{ASTANA}"),
        ("POST", f"{API}/trade/imports"),
    ],
)
def test_json_nested_a_hundred_thousand_deep_is_refused(
    client: TestClient, write_key: str, method: str, path: str
) -> None:
    depth = 100_000
    for content in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = _write(
            client,
            write_key,
            method,
            path,
            content=content,
            headers={"Content-Type": "application/json"},
        )
        assert_problem(response, 400, 422)


# --- invalid UTF-8 -----------------------------------------------------------------------


def test_invalid_utf8_in_a_path_is_refused(client: TestClient) -> None:
    assert_problem(client.get(f"{API}/meetings/%FF%FE%80"), 404, 422)
    assert_problem(client.get(f"{API}/areas/%C3%28"), 404, 422)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (f"{API}/meetings", "q=%FF%FE"),
        (f"{API}/meetings", "country=%C3%28"),
        (f"{API}/search", "q=%80%80%80"),
        (f"{API}/trade/observations", "reporter=%FFKAZ"),
    ],
)
def test_invalid_utf8_in_a_query_gets_no_server_error(
    client: TestClient, path: str, query: str
) -> None:
    response = client.get(f"{path}?{query}")
    # Undecodable bytes arrive as U+FFFD: a text search may just find nothing.
    assert response.status_code in (200, 422), response.text[:300]
    if response.status_code == 422:
        assert_problem(response)


@pytest.mark.usefixtures("changes")
@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("POST", f"{API}/organizations", "application/json"),
        ("PATCH", f"{API}/people/janel-kushukova", "application/merge-patch+json"),
        ("POST", f"{API}/trade/imports", "application/json"),
        ("POST", f"{API}/trade/imports", "text/csv"),
    ],
)
def test_invalid_utf8_in_a_body_is_refused(
    client: TestClient, write_key: str, method: str, path: str, content_type: str
) -> None:
    content = b'{"name": "\xff\xfe\xc3\x28", "kind": "ministry"}'
    if content_type == "text/csv":
        content = b"reporter,partner\r\n\xff\xfe,SCO\r\n"
    response = _write(
        client, write_key, method, path, content=content, headers={"Content-Type": content_type}
    )
    assert_problem(response, 400, 422)


# --- path traversal ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/meetings/..%2F..%2F..%2Fetc%2Fpasswd",
        f"{API}/meetings/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        f"{API}/organizations/%2e%2e",
        f"{API}/sources/..%5C..%5Cwindows",
        "/meetings/..%2F..%2Fapp%2Fmain.py",
        "/static/..%2F..%2Fapp%2Fconfig.py",
    ],
)
def test_path_traversal_in_an_id_finds_nothing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert_problem(response, 404, 422)
    assert "root:" not in response.text
    assert "import" not in response.text


@pytest.mark.usefixtures("changes")
def test_path_traversal_in_a_write_changes_nothing(client: TestClient, write_key: str) -> None:
    for method in ("PATCH", "DELETE"):
        response = _write(
            client,
            write_key,
            method,
            f"{API}/organizations/..%2Fsco",
            json={"name": "Renamed"},
        )
        assert_problem(response, 404, 422)


# --- SQL metacharacters in every filter --------------------------------------------------


def _list_filters(client: TestClient) -> list[tuple[str, str]]:
    """(path, filter) for every query filter of every list in the OpenAPI document."""
    document = client.get("/openapi.json").json()
    found: list[tuple[str, str]] = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if not path.startswith(API) or operation is None:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] not in NOT_FILTERS:
                for placeholder, value in PATH_VALUES.items():
                    path = path.replace(placeholder, value)
                found.append((path, parameter["name"]))
    return found


def _with_required(path: str, params: dict[str, str]) -> dict[str, str]:
    """`params` plus valid values of the parameters `path` requires."""
    required = REQUIRED_PARAMETERS.get(path.rsplit("/", 1)[-1], {})
    return required | params


def test_sql_metacharacters_in_every_filter_are_only_text(client: TestClient) -> None:
    filters = _list_filters(client)
    assert len(filters) >= 20, filters  # discovery must find the filters, not pass empty
    for path, name in filters:
        for value in SQL_METACHARACTERS:
            params = _with_required(path, {name: value})
            response = client.get(path, params=params)
            assert response.status_code in (200, 422), (path, params, response.text[:300])
            if response.status_code == 422:
                assert_problem(response)


@pytest.mark.parametrize("wildcard", ["%", "_"])
def test_like_wildcards_in_text_filters_match_only_themselves(
    client: TestClient, wildcard: str
) -> None:
    every = client.get(f"{API}/meetings", params={"limit": 500}).json()["items"]
    found = client.get(f"{API}/meetings", params={"q": wildcard, "limit": 500}).json()["items"]
    assert len(found) < len(every)
    for meeting in found:
        text = " ".join(str(meeting.get(k) or "") for k in ("title", "summary", "city"))
        assert wildcard in text + " ".join(meeting.get("topics") or [])


def test_the_tables_survive_an_injection_attempt(client: TestClient) -> None:
    attack = "x'; DROP TABLE meetings; --"
    client.get(f"{API}/meetings", params={"q": attack})
    client.get(f"{API}/search", params={"q": attack})
    assert client.get(f"{API}/meetings/{ASTANA}").status_code == 200


# --- oversized limit, tampered cursors ---------------------------------------------------


@pytest.mark.parametrize("limit", ["501", "0", "-1", "1e3", "50.5", "ten", BEYOND_INT64])
def test_an_oversized_or_malformed_limit_is_refused(client: TestClient, limit: str) -> None:
    body = assert_problem(client.get(f"{API}/organizations", params={"limit": limit}), 422)
    assert body["errors"][0]["field"] == "query.limit"


def _tampered(cursor: str) -> list[str]:
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    seal = raw[:MAC_BYTES]  # the signature of the values that follow it

    def encode(value: Any) -> str:
        # Values a client might try, under the seal of the real cursor.
        sealed = seal + json.dumps(value).encode()
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    return [
        cursor[:-2],
        cursor[::-1],
        cursor + "AAAA",
        "%%%%",
        "\x00",
        "é" * 10,
        encode([{"$gt": ""}]),
        encode(["' OR 1=1 --"] * 5),
        encode([2**70]),
        encode([1, 2, 3]),
        encode("just a string"),
        base64.urlsafe_b64encode(b"\xff\xfe not json").decode(),
        base64.urlsafe_b64encode(bytes(MAC_BYTES) + raw[MAC_BYTES:]).decode(),
    ]


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/organizations",
        f"{API}/meetings",
        f"{API}/sources",
        f"{API}/trade/observations",
        f"{API}/changes",
        f"{API}/search",
    ],
)
def test_a_tampered_cursor_is_refused(client: TestClient, path: str) -> None:
    params: dict[str, Any] = (
        {"limit": 1, "q": "trade"} if path.endswith("/search") else {"limit": 1}
    )
    first = client.get(path, params=params)
    assert first.status_code == 200
    cursor = first.json()["next_cursor"]
    assert cursor, f"{path} has a second page in the seed"
    for tampered in _tampered(cursor):
        response = client.get(path, params=params | {"cursor": tampered})
        body = assert_problem(response, 422)
        assert body["errors"][0]["field"] == "query.cursor", (tampered, body)
