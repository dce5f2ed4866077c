"""Indicators named in the language asked for: the project's labels of the seeded codes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import bearer


def test_indicators_by_language(client: TestClient) -> None:
    for language, name in [("en", "Trade turnover"), ("ru", "Товарооборот"), ("zh", "贸易额")]:
        item = client.get("/api/v1/trade/indicators/trade_turnover", params={"lang": language})
        assert item.json()["name"] == name
        assert item.headers["content-language"] == language
        listed = client.get("/api/v1/trade/indicators", headers={"Accept-Language": language})
        names = {entry["code"]: entry["name"] for entry in listed.json()["items"]}
        assert names["trade_turnover"] == name
    # The description is the stored text: the same in every language.
    descriptions = {
        client.get("/api/v1/trade/indicators/imports", params={"lang": language}).json()[
            "description"
        ]
        for language in ("en", "ru", "zh")
    }
    assert len(descriptions) == 1


def test_a_new_indicator_keeps_its_name_and_a_patch_changes_the_stored_one(
    client: TestClient, write_key: str
) -> None:
    body = {
        "code": "services_trade",
        "name": "Trade in services",
        "unit": "USD",
        "description": "Exports plus imports of services.",
    }
    created = client.post(
        "/api/v1/trade/indicators", json=body, params={"lang": "ru"}, headers=bearer(write_key)
    )
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "Trade in services"  # no Russian label of this code
    russian = client.get("/api/v1/trade/indicators/exports", params={"lang": "ru"})
    patched = client.patch(
        "/api/v1/trade/indicators/exports",
        params={"lang": "ru"},
        json={"name": "Exports of goods"},
        headers={**bearer(write_key), "If-Match": russian.headers["etag"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Экспорт"
    assert client.get("/api/v1/trade/indicators/exports").json()["name"] == "Exports of goods"
