"""Keyset pagination of every list: walking the pages gives the whole list, once, in order."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app.db.keyset import MAC_BYTES

API = "/api/v1"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"

# Every list endpoint, plain and with filters that keep several rows.
LISTS = [
    "/areas",
    "/sco/members?as_of=2024-04-30",
    "/sco/members?as_of=2025-09-01&status=partner",
    "/organizations",
    "/organizations?country=KAZ",
    "/people",
    "/sources",
    "/meetings",
    "/meetings?country=kz,cn,ru,uz&from=2000-01-01",
    f"/meetings/{ASTANA}/sessions",
    "/trade/observations?reporter=KAZ&partner=SCO",
    "/reports",
]
LINK_NEXT = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


def _get(client: TestClient, url: str, **params: Any) -> Any:
    # No `params=` when there are none: httpx would drop the query already in `url`.
    response = client.get(url, params=params) if params else client.get(url)
    assert response.status_code == 200, response.text
    return response


def _key(item: dict[str, Any]) -> str:
    return str(item.get("id", item.get("code")))


def _whole(client: TestClient, path: str) -> list[str]:
    body = _get(client, API + path, limit=500).json()
    assert body["next_cursor"] is None
    return [_key(item) for item in body["items"]]


def _walk_by_cursor(client: TestClient, path: str, limit: int) -> list[str]:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(1000):
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = _get(client, API + path, **params)
        body = response.json()
        assert len(body["items"]) <= limit
        seen += [_key(item) for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in response.headers
            return seen
        assert len(body["items"]) == limit, "a page before the last one is full"
    raise AssertionError("pagination does not end")


def _walk_by_link(client: TestClient, path: str, limit: int) -> list[str]:
    seen: list[str] = []
    response = _get(client, API + path, limit=limit)
    for _ in range(1000):
        seen += [_key(item) for item in response.json()["items"]]
        link = response.headers.get("link")
        if link is None:
            assert response.json()["next_cursor"] is None
            return seen
        match = LINK_NEXT.match(link)
        assert match, link
        response = _get(client, match["url"])
    raise AssertionError("pagination does not end")


def _limits(size: int) -> tuple[int, ...]:
    """Page sizes that cut a list into many pages: 1 to 3 rows for a short list; for a
    long one (every ISO country) sizes that keep the walk under the default rate limit."""
    if size <= 60:
        return (1, 2, 3)
    return (size // 40, size // 20 + 1, 37)


@pytest.mark.parametrize("path", LISTS)
def test_walking_pages_gives_the_whole_list_once(client: TestClient, path: str) -> None:
    whole = _whole(client, path)
    assert whole, f"{path} is empty: nothing to paginate"
    assert len(set(whole)) == len(whole), "duplicate rows in the list"
    assert _whole(client, path) == whole, "the order is not stable"
    for limit in _limits(len(whole)):
        assert _walk_by_cursor(client, path, limit) == whole
        assert _walk_by_link(client, path, limit) == whole


def test_link_header_keeps_the_filters(client: TestClient) -> None:
    response = _get(client, f"{API}/meetings", limit=1, country="KAZ", q="astana")
    link = response.headers.get("link")
    if link is None:  # a single match: nothing to follow
        assert response.json()["next_cursor"] is None
        return
    assert "country=KAZ" in link
    assert "q=astana" in link


def test_default_page_size_is_50(client: TestClient) -> None:
    body = _get(client, f"{API}/areas").json()
    assert len(body["items"]) == min(50, len(_whole(client, "/areas")))


@pytest.mark.parametrize("path", ["/meetings", "/organizations", "/sources", "/reports"])
@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten"])
def test_bad_limit_is_422(client: TestClient, path: str, limit: str) -> None:
    response = client.get(API + path, params={"limit": limit})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.limit"


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _first_cursor(client: TestClient, path: str) -> str:
    cursor: str = _get(client, API + path, limit=1).json()["next_cursor"]
    assert cursor
    return cursor


def test_tampered_cursors_are_422(client: TestClient) -> None:
    meetings_cursor = _first_cursor(client, "/meetings")
    raw = base64.urlsafe_b64decode(meetings_cursor + "=" * (-len(meetings_cursor) % 4))
    seal, payload = raw[:MAC_BYTES], raw[MAC_BYTES:]
    values = orjson.loads(payload)
    tampered = [
        "not-a-cursor",
        "!!!",
        meetings_cursor[:-3],
        _encode(seal + orjson.dumps(values[:1])),  # a value missing
        _encode(seal + orjson.dumps([12345, values[1]])),  # a date that is a number
        _encode(seal + orjson.dumps(["2000-01-01", values[1]])),  # another position
        _encode(bytes(MAC_BYTES) + payload),  # the values under another seal
        _encode(payload),  # no seal at all
        _encode(orjson.dumps({"k": values, "o": "Meeting.id"})),  # the old readable form
        "x" * 1001,
    ]
    for cursor in tampered:
        response = client.get(f"{API}/meetings", params={"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == "query.cursor", cursor


def test_a_cursor_names_no_column(client: TestClient) -> None:
    # Opaque: the sort values travel, never the names of the columns they come from.
    cursor = _first_cursor(client, "/meetings")
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert b"Meeting" not in raw
    assert b"start_date" not in raw


def test_cursor_of_another_list_is_422(client: TestClient) -> None:
    organizations_cursor = _first_cursor(client, "/organizations")
    for path in ("/meetings", f"/meetings/{ASTANA}/sessions", "/areas"):
        response = client.get(API + path, params={"cursor": organizations_cursor})
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["field"] == "query.cursor"


@contextmanager
def _count_selects(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def _record(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


@pytest.mark.parametrize("path", LISTS)
def test_page_size_does_not_change_the_number_of_queries(
    client: TestClient, engine: Engine, path: str
) -> None:
    # Related rows are loaded per page (selectinload / IN), never per row: N+1 would
    # make the big page cost more queries than the small one.
    with _count_selects(engine) as small:
        _get(client, API + path, limit=1)
    with _count_selects(engine) as big:
        _get(client, API + path, limit=500)
    assert len(big) == len(small), big
