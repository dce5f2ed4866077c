"""HTTP conformance (DESIGN section 9): HEAD, 405 `Allow`, strong `If-Match`, repeated
parameters, 406, one 422 for every bad parameter, bound cursors, HTTP/1.0, HTML 404s.

What an HTTP client library hides (the framing of each answer, several requests on one
connection, HTTP/1.0) is checked against a real server (uvicorn on a loopback port) with
a plain socket (`tests/support/raw_http.py`); the rest through the in-process client. Runs
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine
from starlette.responses import StreamingResponse

from app.config import Settings, get_settings
from app.http.http10 import SPOOL_MEMORY_BYTES, Http10LengthMiddleware
from app.http.negotiation import answer_types
from app.http.query import query_shape
from tests.conftest import make_client_app
from tests.support.live import committed_app, serve
from tests.support.raw_http import exchange

API = "/api/v1"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _settings(**update: object) -> Settings:
    return get_settings().model_copy(update={"rate_limit": 0, **update})


@pytest.fixture(scope="module")
def live_url(engine: Engine) -> Iterator[str]:
    """A real server over the seeded database of the backend (read only)."""
    with serve(committed_app(engine, _settings())) as base_url:
        yield base_url


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def _fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]


# --- 1. HEAD -------------------------------------------------------------------------------

HEAD_PATHS = [
    f"{API}/areas",
    f"{API}/areas/KAZ",
    f"{API}/trade/observations?limit=2",
    f"{API}/trade/observations?format=csv",
    f"/meetings/{ASTANA}",
    "/",
    "/docs",
    "/static/web/site.css",
    "/openapi.json",
    "/health/live",
]


@pytest.mark.parametrize("path", HEAD_PATHS)
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_head_answers_the_headers_of_get_and_keeps_the_connection(
    live_url: str, path: str, encoding: str
) -> None:
    target = f"{path}\nAccept-Encoding: {encoding}"
    # HEAD first (the answer cache is cold), GET, then HEAD again (served from the cache),
    # all pipelined on one keep-alive connection: each must be answered, in order.
    head, get, head_again = exchange(
        live_url, [("HEAD", target), ("GET", target), ("HEAD", target)]
    )
    assert get.status == 200, get.body[:300]
    assert get.framing == "length", get.headers
    for answer in (head, head_again):
        assert answer.status == 200
        assert answer.headers["content-length"] == str(len(get.body))
        assert answer.headers.get("etag") == get.headers.get("etag")
        assert answer.headers["content-type"] == get.headers["content-type"]
        assert answer.headers.get("content-encoding") == get.headers.get("content-encoding")


def test_a_head_then_a_get_on_one_connection_both_answered(live_url: str) -> None:
    head, get = exchange(live_url, [("HEAD", f"{API}/areas"), ("GET", f"{API}/areas/KAZ")])
    assert head.status == 200
    assert int(head.headers["content-length"]) > 0
    assert get.status == 200
    assert b'"KAZ"' in get.body


def test_head_of_an_error_has_its_status_and_no_body(live_url: str) -> None:
    head, get = exchange(live_url, [("HEAD", f"{API}/areas/ZZZ"), ("GET", f"{API}/areas/ZZZ")])
    assert head.status == get.status == 404
    assert head.headers["content-length"] == str(len(get.body))


# --- 2. 405 and Allow --------------------------------------------------------------------


def _concrete(path: str) -> str:
    """A path of the template with every parameter filled in."""
    parts = [("x" if part.startswith("{") else part) for part in path.split("/")]
    return "/".join(parts)


def test_every_405_lists_the_methods_of_its_path(client: TestClient) -> None:
    by_path: dict[str, set[str]] = {}
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        if context.path and context.methods:
            by_path.setdefault(context.path, set()).update(context.methods)
    assert f"{API}/areas" in by_path
    for template, methods in by_path.items():
        expected = methods | ({"HEAD"} if "GET" in methods else set())
        response = client.put(_concrete(template))
        if "PUT" in methods:
            continue
        _problem(response, 405)
        assert response.headers["allow"] == ", ".join(sorted(expected)), template


def test_allow_of_a_collection_and_of_static_files(client: TestClient) -> None:
    assert client.put(f"{API}/areas").headers["allow"] == "GET, HEAD, POST"
    assert client.put(f"{API}/areas/KAZ").headers["allow"] == "DELETE, GET, HEAD, PATCH"
    assert client.post("/static/web/site.css").headers["allow"] == "GET, HEAD"
    assert client.delete("/health/live").headers["allow"] == "GET, HEAD"


# --- 3. If-Match compares strongly -----------------------------------------------------------


def test_a_weak_tag_in_if_match_never_deletes(client: TestClient, write_key: str) -> None:
    # Strong comparison (RFC 9110 §13.1.1): `W/` + the current tag names no exact state.
    auth = {"Authorization": f"Bearer {write_key}"}
    created = client.post(
        f"{API}/organizations", json={"name": "Weak Tag Office", "kind": "ministry"}, headers=auth
    )
    assert created.status_code == 201, created.text
    item = created.headers["location"]
    plain = client.get(item, headers={"Accept-Encoding": "identity"}).headers["etag"]
    gzipped = client.get(item, headers={"Accept-Encoding": "gzip"}).headers["etag"]
    for weak in (f"W/{plain}", f"W/{gzipped}", f'"other", W/{plain}'):
        response = client.delete(item, headers={**auth, "If-Match": weak})
        assert _problem(response, 412)["detail"].startswith("`If-Match` compares strongly"), weak
        assert client.get(item).status_code == 200
    # The same tag, strong, is the current state: the delete goes through.
    assert client.delete(item, headers={**auth, "If-Match": plain}).status_code == 204
    assert client.get(item).status_code == 404


# --- 4. a single-valued parameter given twice ----------------------------------------------


def _get_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    return [
        (context.path or "", context.original_route)
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and "GET" in (context.original_route.methods or set())
    ]


def test_every_single_valued_query_parameter_given_twice_is_422(client: TestClient) -> None:
    checked = 0
    for path, route in _get_routes(client.app):  # type: ignore[arg-type]
        for parameter in query_shape(route).parameters:
            repeated = [(parameter.name, "1"), (parameter.name, "2")]
            response = client.get(_concrete(path), params=repeated)
            if parameter.repeatable:  # a list: repetition is how it takes several values
                named = response.json().get("errors", []) if response.status_code == 422 else []
                assert all(error["type"] != "repeated_parameter" for error in named), path
                continue
            body = _problem(response, 422)
            named = {error["field"]: error["type"] for error in body["errors"]}
            assert named.get(f"query.{parameter.name}") == "repeated_parameter", (path, body)
            checked += 1
    assert checked > 30  # limit and cursor of every list, and the single filters


def test_limit_given_twice_is_refused_not_the_last_one_kept(client: TestClient) -> None:
    body = _problem(client.get(f"{API}/areas?limit=5&limit=10"), 422)
    assert _fields(body) == ["query.limit"]
    listed = client.get(f"{API}/trade/observations?reporter=KAZ&reporter=CHN&limit=500")
    assert listed.status_code == 200
    assert {item["reporter"] for item in listed.json()["items"]} == {"KAZ", "CHN"}


# --- 6. 406 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        (f"{API}/areas/KAZ", "application/xml"),
        (f"{API}/areas", "text/html"),
        (f"{API}/trade/observations", "application/xml, text/plain"),
        ("/", "application/json"),
        ("/metrics", "application/json"),
        ("/openapi.json", "application/xml"),  # no route declares it: the type it is sent with
        ("/static/web/site.css", "application/json"),
    ],
)
def test_an_accept_that_admits_nothing_is_406(client: TestClient, path: str, accept: str) -> None:
    body = _problem(client.get(path, headers={"Accept": accept}), 406)
    route_types = {
        "/": "text/html",
        "/metrics": "text/plain",
        "/static/web/site.css": "text/css",
    }.get(path, "application/json")
    assert route_types in body["detail"]
    assert body["type"].endswith("/not-acceptable")


@pytest.mark.parametrize(
    ("path", "accept", "media_type"),
    [
        (f"{API}/areas/KAZ", "*/*", "application/json"),
        (f"{API}/areas/KAZ", "application/*", "application/json"),
        (f"{API}/areas/KAZ", None, "application/json"),
        (f"{API}/areas/KAZ", BROWSER_ACCEPT, "application/json"),
        (f"{API}/areas/KAZ", "garbage", "application/json"),  # no valid range: as if absent
        (f"{API}/trade/observations?limit=1", "text/csv", "text/csv"),
        (f"{API}/trade/observations?limit=1", "application/xml, text/csv;q=0.1", "text/csv"),
        ("/docs", BROWSER_ACCEPT, "text/html"),
        ("/docs", "text/html", "text/html"),
        ("/", BROWSER_ACCEPT, "text/html"),
        (f"/meetings/{ASTANA}", "text/html", "text/html"),
        ("/metrics", "text/plain;version=0.0.4;q=0.5, */*;q=0.1", "text/plain"),
    ],
)
def test_acceptable_requests_keep_their_answer(
    client: TestClient, path: str, accept: str | None, media_type: str
) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(media_type)


def test_errors_are_problem_json_whatever_accept_says(client: TestClient) -> None:
    # An error is never turned into a 406: the client learns what is wrong with its request.
    xml = {"Accept": "application/xml"}
    _problem(client.get(f"{API}/no-such-list", headers=xml), 404)
    _problem(client.get(f"{API}/areas/ZZZ", headers=xml), 404)
    _problem(client.get(f"{API}/areas?limit=0", headers=xml), 422)
    _problem(client.put(f"{API}/areas", headers={"Accept": "text/html"}), 405)


def test_a_write_whose_answer_would_be_refused_is_not_made(
    client: TestClient, write_key: str
) -> None:
    headers = {"Authorization": f"Bearer {write_key}", "Accept": "application/xml"}
    body = {"id": "refused-by-accept", "name": "Refused", "kind": "ministry"}
    response = client.post(f"{API}/organizations", json=body, headers=headers)
    assert "application/json" in _problem(response, 406)["detail"]
    assert client.get(f"{API}/organizations/refused-by-accept").status_code == 404


REQUIRED_PARAMETERS = {
    f"{API}/search": {"q": "trade"},
    f"{API}/trade/series": {"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"},
}


def test_every_get_route_answers_a_type_it_declares(client: TestClient) -> None:
    # The 406 rests on the routes' declarations: what they answer must be among them.
    answered = 0
    for path, route in _get_routes(client.app):  # type: ignore[arg-type]
        if "{" in path:
            continue
        response = client.get(path, params=REQUIRED_PARAMETERS.get(path, {}))
        assert response.status_code == 200, (path, response.text[:200])
        media_type = response.headers["content-type"].partition(";")[0]
        assert media_type in answer_types(route), (path, media_type, answer_types(route))
        answered += 1
    assert answered > 15


# --- 7. one 422 names every bad parameter ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        (
            "/trade/observations?reporter=XXX&year=1800&sort=bogus",
            ["query.reporter", "query.year", "query.sort"],
        ),
        (
            "/trade/observations?reporter=XXX&partner=YY&indicator=nope&year=1800&status=x",
            ["query.reporter", "query.partner", "query.indicator", "query.year", "query.status"],
        ),
        (
            "/trade/series?reporter=QQ&partner=KAZ&indicator=nope",
            ["query.reporter", "query.indicator"],
        ),
        ("/trade/checks?kind=nope&limit=0", ["query.kind", "query.limit"]),
        (
            "/meetings?country=XX&body=nobody&limit=0",
            ["query.country", "query.body", "query.limit"],
        ),
        (
            "/organizations?country=QQ&parent_id=nobody&limit=1&limit=2",
            ["query.country", "query.parent_id", "query.limit"],
        ),
        (
            "/reports?country=QQ&year=1&meeting_id=nope",
            ["query.country", "query.year", "query.meeting_id"],
        ),
        ("/sources?publisher_id=nobody&limit=x", ["query.publisher_id", "query.limit"]),
        ("/search?q=a&type=nope", ["query.q", "query.type"]),
    ],
)
def test_one_422_names_every_bad_parameter(
    client: TestClient, query: str, fields: list[str]
) -> None:
    body = _problem(client.get(API + query), 422)
    assert _fields(body) == fields, body
    for field in fields:
        assert field in body["detail"]


def test_a_good_filter_is_not_named_with_the_bad_ones(client: TestClient) -> None:
    body = _problem(client.get(f"{API}/trade/observations?reporter=kz&partner=XXX&sort=x"), 422)
    assert _fields(body) == ["query.partner", "query.sort"]


# --- 8. cursors are opaque and bound to their query ----------------------------------------------


def _cursor(client: TestClient, path: str, **params: Any) -> str:
    cursor: str = client.get(path, params={"limit": 2, **params}).json()["next_cursor"]
    assert cursor
    return cursor


def test_a_cursor_used_with_other_filters_is_422(client: TestClient) -> None:
    path = f"{API}/trade/observations"
    cursor = _cursor(client, path)
    for other in ({"reporter": "CHN"}, {"sort": "-year"}, {"include_derived": "false"}):
        body = _problem(client.get(path, params={"limit": 2, "cursor": cursor, **other}), 422)
        assert _fields(body) == ["query.cursor"], other
    filtered = _cursor(client, path, reporter="KAZ,CHN")
    assert _problem(client.get(path, params={"cursor": filtered}), 422)


def test_a_cursor_follows_its_query_however_it_is_written(client: TestClient) -> None:
    path = f"{API}/trade/observations"
    cursor = _cursor(client, path, reporter="KAZ,CHN")
    same = [
        [("reporter", "CHN"), ("reporter", "KAZ")],  # repeated, in another order
        [("reporter", "CHN, KAZ")],
        [("reporter", "KAZ,CHN"), ("limit", "7")],  # another page size
        [("reporter", "KAZ,CHN"), ("format", "csv")],  # another format
    ]
    for params in same:
        response = client.get(path, params=[*params, ("cursor", cursor)])
        assert response.status_code == 200, (params, response.text[:300])


def test_the_link_header_walks_a_filtered_list(client: TestClient) -> None:
    url: str | None = f"{API}/trade/observations?reporter=KAZ&sort=-year&limit=3"
    seen: list[str] = []
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200, response.text[:300]
        seen += [item["id"] for item in response.json()["items"]]
        link = response.headers.get("link")
        url = link[1 : link.index(">")] if link else None
    whole = client.get(f"{API}/trade/observations?reporter=KAZ&sort=-year&limit=500").json()
    assert seen == [item["id"] for item in whole["items"]]


def test_a_search_cursor_is_bound_to_its_words(client: TestClient) -> None:
    cursor = _cursor(client, f"{API}/search", q="trade")
    assert client.get(f"{API}/search", params={"q": "trade", "cursor": cursor}).status_code == 200
    body = _problem(client.get(f"{API}/search", params={"q": "meeting", "cursor": cursor}), 422)
    assert _fields(body) == ["query.cursor"]


def test_a_cursor_of_another_installation_is_422(db_session: Any, engine: Engine) -> None:
    other = make_client_app(db_session, engine, _settings(cursor_secret=SecretStr("another key")))
    with TestClient(other) as foreign:
        cursor = _cursor(foreign, f"{API}/areas")
    with TestClient(make_client_app(db_session, engine)) as client:
        assert _fields(_problem(client.get(f"{API}/areas", params={"cursor": cursor}), 422)) == [
            "query.cursor"
        ]


def test_a_cursor_does_not_name_columns(client: TestClient) -> None:
    cursor = _cursor(client, f"{API}/trade/observations")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"TradeObservation" not in raw
    assert b"reporter" not in raw


# --- 5. HTTP/1.0 -----------------------------------------------------------------------------


def test_an_http10_client_gets_the_csv_with_a_length(live_url: str) -> None:
    target = f"{API}/trade/observations?format=csv"
    (old,) = exchange(live_url, [("GET", target)], version="1.0")
    (new,) = exchange(live_url, [("GET", target + "\nConnection: close")])
    assert old.status == 200
    assert "transfer-encoding" not in old.headers
    assert old.framing == "length"
    assert old.body == new.body
    assert old.body.startswith(b"id,reporter,partner")


def _streaming_app(size: int) -> FastAPI:
    app = FastAPI()
    app.add_middleware(Http10LengthMiddleware)

    @app.get("/stream")
    def stream() -> StreamingResponse:
        piece = b"x" * 65536
        return StreamingResponse(
            (piece for _ in range(size // len(piece))), media_type="text/plain"
        )

    return app


@pytest.mark.parametrize("size", [65536 * 4, SPOOL_MEMORY_BYTES * 3])
def test_a_streamed_body_reaches_http10_whole_and_http11_chunked(size: int) -> None:
    with serve(_streaming_app(size)) as base_url:
        (old,) = exchange(base_url, [("GET", "/stream")], version="1.0")
        (new,) = exchange(base_url, [("GET", "/stream\nConnection: close")])
    assert old.framing == "length"
    assert "transfer-encoding" not in old.headers
    assert old.headers["content-length"] == str(size)
    assert old.body == b"x" * size
    assert new.framing == "chunked"  # HTTP/1.1 keeps the streaming
    assert new.body == old.body


# --- 9. the HTML pages' 404 for people -----------------------------------------------------------


def test_a_browser_gets_an_html_404_for_an_unknown_meeting_page(client: TestClient) -> None:
    path = "/meetings/no-such-meeting"
    page = client.get(path, headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 404
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "Page not found" in page.text
    assert page.headers["cache-control"] == "no-store"
    _problem(client.get(path), 404)  # an API client (no Accept, or */*) keeps problem+json
    _problem(client.get(path, headers={"Accept": "*/*"}), 404)
    _problem(client.get(path, headers={"Accept": "application/json"}), 404)  # an error, not 406


# DESIGN section 4: a 404 on an unknown path is problem+json, never HTML, whoever asks.
@pytest.mark.parametrize(
    "path",
    [f"{API}/no-such-list", "/health/nope", "/static/web/none.css", "/no-such-page", "/meetings/"],
)
def test_an_unknown_path_is_problem_json_even_for_a_browser(client: TestClient, path: str) -> None:
    _problem(client.get(path, headers={"Accept": BROWSER_ACCEPT}), 404)
