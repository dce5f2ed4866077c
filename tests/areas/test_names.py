"""Areas and SCO members named in the language asked for (CLDR names, the SCO's own)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.areas import area_body

SCO_NAMES = {
    "en": "Shanghai Cooperation Organisation member states",
    "ru": "Шанхайская организация сотрудничества",
    "zh": "上海合作组织",
}


@pytest.mark.parametrize(("language", "name"), SCO_NAMES.items())
def test_the_sco_group_by_language(client: TestClient, language: str, name: str) -> None:
    response = client.get("/api/v1/areas/SCO", params={"lang": language})
    assert response.json()["name"] == name
    assert response.headers["content-language"] == language


def test_area_lists_name_every_country_in_the_language(client: TestClient) -> None:
    items = client.get(
        "/api/v1/areas", params={"kind": "country", "limit": 500}, headers={"Accept-Language": "zh"}
    ).json()["items"]
    names = {item["code"]: item["name"] for item in items}
    assert names["CHN"] == "中国"
    assert names["IND"] == "印度"
    assert names["KGZ"] == "吉尔吉斯斯坦"
    # Every ISO country has a CLDR name: none is left in English.
    assert all(not name.isascii() for name in names.values())


def test_sco_members_name_their_countries_in_the_language(client: TestClient) -> None:
    response = client.get(
        "/api/v1/sco/members", params={"as_of": "2024-05-01", "lang": "ru", "limit": 20}
    )
    assert response.headers["content-language"] == "ru"
    names = {item["country"]: item["country_name"] for item in response.json()["items"]}
    assert names["KAZ"] == "Казахстан"
    assert names["RUS"] == "Россия"
    assert names["CHN"] == "Китай"
    english = client.get("/api/v1/sco/members", params={"as_of": "2024-05-01", "limit": 20})
    assert {item["country"] for item in english.json()["items"]} == set(names)


def test_an_area_without_a_cldr_name_keeps_its_stored_name(
    client: TestClient, write_key: str
) -> None:
    body = area_body("XSR", name="Zanzibarian Testland")
    assert client.post("/api/v1/areas", json=body, headers=bearer(write_key)).status_code == 201
    assert client.get("/api/v1/areas/XSR", params={"lang": "zh"}).json()["name"] == body["name"]
