"""The one error shape (RFC 9457 problem+json) and the one list envelope, checked centrally."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.errors import PROBLEM_TYPE_PATH

API = "/api/v1"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}

# What fills a path parameter or a required query parameter of a list endpoint found in
# the OpenAPI document.
SAMPLE_PATH_VALUES = {
    "/api/v1/meetings/{id}/": ASTANA,
    "/api/v1/trade/observations/{id}/": "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02",
}
SAMPLE_QUERY_VALUES = {"q": "astana"}
# Lists that must be found: discovery that finds nothing must not pass silently.
KNOWN_LISTS = {
    "/api/v1/areas",
    "/api/v1/sco/members",
    "/api/v1/organizations",
    "/api/v1/people",
    "/api/v1/sources",
    "/api/v1/meetings",
    "/api/v1/meetings/{id}/sessions",
    "/api/v1/meetings/{id}/delegations",
    "/api/v1/reports",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", f"{API}/no-such-collection", 404),
        ("GET", f"{API}/meetings/no-such-meeting", 404),
        ("GET", f"{API}/delegations/no-such-delegation", 404),
        ("PUT", f"{API}/meetings/{ASTANA}", 405),
        ("PUT", f"{API}/organizations", 405),
        ("GET", f"{API}/meetings?from=not-a-date", 422),
        ("GET", f"{API}/meetings/Not-A-Slug", 422),
        ("GET", f"{API}/organizations?limit=0", 422),
        ("GET", f"{API}/reports?country=XX", 422),
    ],
)
def test_every_error_is_a_problem_document(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert set(body) <= PROBLEM_KEYS | {"errors"}
    assert body["status"] == status
    # The type is a page of this server that explains the kind (RFC 9457 §3.1.1).
    assert body["type"].startswith(PROBLEM_TYPE_PATH)
    explained = client.get(body["type"], headers={"Accept": "application/json"})
    assert explained.status_code == 200
    assert (explained.json()["status"], explained.json()["title"]) == (status, body["title"])
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == path.split("?")[0]
    if status == 422:
        assert body["errors"], "a validation problem lists what is wrong"
        for error in body["errors"]:
            assert {"field", "message"} <= set(error)
            assert re.match(r"^(query|path|body|header)\.", error["field"]), error
    assert "traceback" not in response.text.lower()
    assert "<html" not in response.text.lower()


def _list_operations(client: TestClient) -> dict[str, list[str]]:
    """GET operations whose 200 answer is the list envelope, from the OpenAPI document.

    Each path maps to the names of its required query parameters.
    """
    document: dict[str, Any] = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    found: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
        properties = schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
        if {"items", "next_cursor"} <= properties.keys():
            found[path] = [
                parameter["name"]
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query" and parameter.get("required")
            ]
    return found


def _fill(path: str) -> str:
    for prefix, value in SAMPLE_PATH_VALUES.items():
        if path.startswith(prefix):
            path = path.replace("{id}", value, 1)
    assert "{" not in path, f"add a sample value for the path parameters of {path}"
    return path


def test_every_list_answers_the_envelope(client: TestClient) -> None:
    operations = _list_operations(client)
    assert set(operations) >= KNOWN_LISTS
    for path, required in operations.items():
        unknown = set(required) - SAMPLE_QUERY_VALUES.keys()
        assert not unknown, f"add a sample value for the query parameters {unknown} of {path}"
        params = {"limit": 1} | {name: SAMPLE_QUERY_VALUES[name] for name in required}
        response = client.get(_fill(path), params=params)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert set(body) == {"items", "next_cursor"}, path
        assert isinstance(body["items"], list)
        assert len(body["items"]) <= 1
        assert body["next_cursor"] is None or isinstance(body["next_cursor"], str)
        if body["next_cursor"] is None:
            assert "link" not in response.headers, path
        else:
            assert response.headers["link"].endswith('>; rel="next"'), path
            assert body["next_cursor"] in response.headers["link"], path
