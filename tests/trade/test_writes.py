"""Writing figures: reported observations in, derived figures and preferred flags follow."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.sources import source_body
from tests.factories.trade import observation_body

KYRGYZ_2024 = observation_body(
    reporter="kg", value=12500000000, precision=100000000, note="Test figure."
)


def test_post_observation_then_read_it(client: TestClient, write_key: str) -> None:
    response = client.post(
        "/api/v1/trade/observations", json=KYRGYZ_2024, headers=bearer(write_key)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == "kgz-sco-trade-turnover-2024-kazinform-2024-04-30"
    assert (body["reporter"], body["unit"], body["value"]) == ("KGZ", "USD", 12500000000)
    assert body["preferred"] is True
    fetched = client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == body
    assert fetched.headers["etag"].replace("-gzip", "") == response.headers["etag"]


def test_same_figure_from_same_source_is_409(client: TestClient, write_key: str) -> None:
    auth = bearer(write_key)
    assert (
        client.post("/api/v1/trade/observations", json=KYRGYZ_2024, headers=auth).status_code == 201
    )
    again = {**KYRGYZ_2024, "id": "another-id"}
    assert client.post("/api/v1/trade/observations", json=again, headers=auth).status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": -5}, "body.value"),
        ({"year": 1989}, "body.year"),
        ({"indicator": "gdp"}, "body.indicator"),
        ({"reporter": "XX"}, "body.reporter"),
        ({"unit": "percent"}, "body.unit"),
        ({"status": "derived"}, "body.status"),
        ({"preferred": True}, "body.preferred"),
        ({"source_id": "no-such-source"}, "body.source_id"),
        ({"value": "1e400"}, "body.value"),
        ({"base_year": 2030}, "body"),
    ],
)
def test_bad_observations_are_422(
    client: TestClient, write_key: str, change: dict[str, Any], field: str
) -> None:
    body = {**KYRGYZ_2024, **change}
    response = client.post("/api/v1/trade/observations", json=body, headers=bearer(write_key))
    assert response.status_code == 422, response.text
    assert any(error["field"].startswith(field) for error in response.json()["errors"])


KAZ_2023_OQ = "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"


def test_new_higher_priority_source_takes_the_preferred_flag(
    client: TestClient, write_key: str
) -> None:
    auth = bearer(write_key)
    source = source_body(
        "Statistical release",
        id="test-statistics-office",
        url="https://stat.example.org/release",
        priority=100,
    )
    assert client.post("/api/v1/sources", json=source, headers=auth).status_code == 201
    last_seq = client.get("/api/v1/changes", params={"limit": 500}).json()["items"][-1]["seq"]
    figure = observation_body(
        year=2023, value="66012345678", precision=1, source_id="test-statistics-office"
    )
    created = client.post("/api/v1/trade/observations", json=figure, headers=auth)
    assert created.status_code == 201, created.text
    series = client.get(
        "/api/v1/trade/series",
        params={"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"},
    ).json()
    point = next(point for point in series["points"] if point["year"] == 2023)
    assert point["observation_id"] == created.json()["id"]
    assert point["value"] == 66012345678
    # The answer to the write already shows the flag the recomputation gave it.
    assert created.json()["preferred"] is True
    assert client.get(f"/api/v1/trade/observations/{KAZ_2023_OQ}").json()["preferred"] is False
    # The feed names both: the new figure and the one that lost the flag.
    feed = client.get("/api/v1/changes", params={"since": last_seq, "limit": 500}).json()
    actions = {(c["id"], c["action"]) for c in feed["items"]}
    assert (created.json()["id"], "create") in actions
    assert (KAZ_2023_OQ, "update") in actions


def test_derived_figures_cannot_be_written(client: TestClient, write_key: str) -> None:
    derived = client.get(
        "/api/v1/trade/observations", params={"status": "derived", "limit": 1}
    ).json()["items"][0]
    path = f"/api/v1/trade/observations/{derived['id']}"
    assert client.patch(path, json={"note": "x"}, headers=bearer(write_key)).status_code == 409
    assert client.delete(path, headers=bearer(write_key)).status_code == 409


def test_deleting_a_growth_rate_removes_what_was_derived_from_it(
    client: TestClient, write_key: str
) -> None:
    growth_id = "kaz-sco-trade-turnover-growth-2023-kazinform-2024-04-30"
    derived = client.get(
        "/api/v1/trade/observations", params={"status": "derived", "limit": 500}
    ).json()["items"]
    dependent = [item["id"] for item in derived if growth_id in item["derivation"]["inputs"]]
    assert dependent
    response = client.delete(f"/api/v1/trade/observations/{growth_id}", headers=bearer(write_key))
    assert response.status_code == 204, response.text
    for observation_id in dependent:
        assert client.get(f"/api/v1/trade/observations/{observation_id}").status_code == 404


def test_patch_a_reported_value_recomputes(client: TestClient, write_key: str) -> None:
    path = "/api/v1/trade/observations/kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"
    response = client.patch(path, json={"value": 66100000000}, headers=bearer(write_key))
    assert response.status_code == 200, response.text
    assert response.json()["value"] == 66100000000
    checks = client.get("/api/v1/trade/checks", params={"limit": 500}).json()["items"]
    share = next(check for check in checks if check["kind"] == "share_mismatch")
    assert share["implied"] != 13.469388


def test_indicator_writes(client: TestClient, write_key: str) -> None:
    auth = bearer(write_key)
    body = {"code": "trade_exports", "name": "Exports", "unit": "USD", "description": "Exports."}
    created = client.post("/api/v1/trade/indicators", json=body, headers=auth)
    assert created.status_code == 201, created.text
    assert created.json()["id"] == "trade_exports"
    assert client.get("/api/v1/trade/indicators/trade_exports").status_code == 200
    assert client.delete("/api/v1/trade/indicators/trade_turnover", headers=auth).status_code == 409
    assert client.delete("/api/v1/trade/indicators/trade_exports", headers=auth).status_code == 204
