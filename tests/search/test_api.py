"""Full-text search: ranked, highlighted, validated, and kept in step with writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.areas import area_body
from tests.factories.meetings import meeting_body

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


# --- Chinese and Russian ---------------------------------------------------------------------


def test_a_chinese_word_inside_a_run_of_characters_is_found(client: TestClient) -> None:
    # The SCO's record gives its Chinese name, 上海合作组织; 合作 ("cooperation") is inside it.
    for q in ("合作", "上海合作组织", "合作组织"):
        items = _search(client, q)
        assert ("organization", "sco") in [(item["type"], item["id"]) for item in items], q
        snippet = next(item["snippet"] for item in items if item["id"] == "sco")
        assert f"<mark>{q}</mark>" in snippet
    # Every pair of the query must be there: 织合 is not.
    assert ("organization", "sco") not in [
        (i["type"], i["id"]) for i in _search(client, "组织合作")
    ]


def test_chinese_and_russian_records_are_found_as_they_are_written(
    client: TestClient, write_key: str
) -> None:
    body = meeting_body(
        "Заседание рабочей группы ШОС в Астане", id="2025-06-10-astana-test", city="Астана"
    )
    body["topics"] = ["上海合作组织贸易便利化"]
    response = client.post("/api/v1/meetings", json=body, headers=bearer(write_key))
    assert response.status_code == 201, response.text
    # A Russian word is found whatever its ending: Астана, Астане, Астаны.
    for q in ("Астана", "астаны", "рабочая группа", "贸易便利化", "便利"):
        found = [(item["type"], item["id"]) for item in _search(client, q)]
        assert ("meeting", "2025-06-10-astana-test") in found, q
    hit = next(item for item in _search(client, "Астана") if item["type"] == "meeting")
    assert "<mark>Астане</mark>" in hit["snippet"] or "<mark>Астана</mark>" in hit["snippet"]


def test_seeded_russian_quotes_are_found_in_any_case_ending(client: TestClient) -> None:
    # The sources quote Russian releases: "товарооборот Казахстана", "между Казахстаном".
    found = {item["id"] for item in _search(client, "Казахстан", type="source")}
    assert {"sputnik-kz-2024-07-03-sco-in-figures", "zonakz-2022-11-01-smailov"} <= found
