"""Full-text search: ranked, highlighted, validated, and kept in step with writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.areas import area_body

ASTANA = "2024-04-30-astana-swg-trade-facilitation"


def _search(client: TestClient, q: str, **params: str) -> list[dict[str, str]]:
    response = client.get("/api/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, str]] = response.json()["items"]
    return items


def test_middle_corridor_finds_the_logistics_session(client: TestClient) -> None:
    items = _search(client, "middle corridor")
    assert items, "no hit for 'middle corridor'"
    assert any(item["type"] == "session" and item["id"].startswith(ASTANA) for item in items)
    assert all("<mark>" in item["snippet"] for item in items)


def test_kushukova_finds_her_first(client: TestClient) -> None:
    items = _search(client, "Kushukova")
    assert items[0] == {**items[0], "type": "person", "id": "janel-kushukova"}
    found = {(item["type"], item["id"]) for item in items}
    assert ("meeting", ASTANA) in found or any(kind == "source" for kind, _ in found)


def test_trade_facilitation_ranks_the_working_group_and_meeting(client: TestClient) -> None:
    items = _search(client, "trade facilitation")
    found = [(item["type"], item["id"]) for item in items]
    assert ("organization", "sco-swg-trade-facilitation") in found
    assert ("meeting", ASTANA) in found
    assert ("report", "kaz-national-report-trade-facilitation-2023") in found


def test_type_filter(client: TestClient) -> None:
    items = _search(client, "trade facilitation", type="report,person")
    assert items
    assert {item["type"] for item in items} <= {"report", "person"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "a"}, "query.q"),
        ({"q": "  x "}, "query.q"),
        ({"q": "trade", "type": "planet"}, "query.type"),
        ({"q": "trade", "cursor": "garbage!"}, "query.cursor"),
        ({"q": "x" * 201}, "query.q"),
    ],
)
def test_bad_queries_are_422(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get("/api/v1/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("q", ['"unbalanced', "trade AND OR", "NEAR(", "**", "col:umn", "'; DROP"])
def test_search_syntax_in_user_input_is_harmless(client: TestClient, q: str) -> None:
    assert client.get("/api/v1/search", params={"q": q}).status_code == 200


def test_paging_through_ranked_results(client: TestClient) -> None:
    everything = _search(client, "trade", limit="500")
    seen: list[tuple[str, str]] = []
    params = {"q": "trade", "limit": "3"}
    while True:
        page = client.get("/api/v1/search", params=params).json()
        seen += [(item["type"], item["id"]) for item in page["items"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [(item["type"], item["id"]) for item in everything]


def test_index_follows_writes(client: TestClient, write_key: str) -> None:
    body = area_body("XSR", name="Zanzibarian Testland")
    assert client.post("/api/v1/areas", json=body, headers=bearer(write_key)).status_code == 201
    # Areas are not searchable; a person is: give Kushukova a new word and search for it.
    response = client.patch(
        "/api/v1/people/janel-kushukova",
        json={"note": "Also spelled Zhanel; quokkaword"},
        headers=bearer(write_key),
    )
    assert response.status_code == 200, response.text
    items = _search(client, "quokkaword")
    assert [(item["type"], item["id"]) for item in items] == [("person", "janel-kushukova")]
