"""Areas and SCO membership through the HTTP API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("code", ["KAZ", "kaz", "KZ", "kz", "Kz"])
def test_area_accepts_alpha2_and_alpha3_in_any_case(client: TestClient, code: str) -> None:
    response = client.get(f"/api/v1/areas/{code}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "KAZ"
    assert body["iso2"] == "KZ"
    assert body["kind"] == "country"
    assert body["name"] == "Kazakhstan"


def test_sco_group_is_an_area(client: TestClient) -> None:
    body = client.get("/api/v1/areas/sco").json()
    assert body["code"] == "SCO"
    assert body["kind"] == "group"
    assert body["iso2"] is None


def test_unknown_area_is_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/areas/XYZ")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_malformed_area_code_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/areas/K1Z")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.code"


def test_area_list_filters_by_kind(client: TestClient) -> None:
    groups = client.get("/api/v1/areas", params={"kind": "group"}).json()["items"]
    assert [area["code"] for area in groups] == ["SCO"]


@pytest.mark.parametrize(
    ("as_of", "count"),
    [
        ("2001-06-14", 0),
        ("2001-06-15", 6),
        ("2017-06-08", 6),
        ("2017-06-09", 8),
        ("2023-07-03", 8),
        ("2023-07-04", 9),
        ("2024-04-30", 9),
        ("2024-07-03", 9),
        ("2024-07-04", 10),
        ("2025-09-01", 10),
    ],
)
def test_members_as_of_boundary_dates(client: TestClient, as_of: str, count: int) -> None:
    response = client.get("/api/v1/sco/members", params={"as_of": as_of})
    assert response.status_code == 200
    assert len(response.json()["items"]) == count


def test_members_on_meeting_day_exclude_belarus(client: TestClient) -> None:
    items = client.get("/api/v1/sco/members", params={"as_of": "2024-04-30"}).json()["items"]
    countries = {item["country"] for item in items}
    assert "BLR" not in countries
    assert {"CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB", "IND", "PAK", "IRN"} == countries


def test_belarus_was_observer_on_meeting_day(client: TestClient) -> None:
    params = {"as_of": "2024-04-30", "status": "observer"}
    items = client.get("/api/v1/sco/members", params=params).json()["items"]
    belarus = next(item for item in items if item["country"] == "BLR")
    assert belarus["since"] == "2015-07-10"
    assert belarus["until"] == "2024-07-04"
    assert belarus["source_url"].startswith("https://")


def test_status_change_day_is_exclusive_end(client: TestClient) -> None:
    params = {"as_of": "2025-09-01", "status": "partner"}
    partners = client.get("/api/v1/sco/members", params=params).json()["items"]
    assert len(partners) == 17
    params = {"as_of": "2025-09-01", "status": "observer"}
    assert client.get("/api/v1/sco/members", params=params).json()["items"] == []


def test_year_only_start_is_marked(client: TestClient) -> None:
    params = {"as_of": "2024-01-01", "status": "dialogue_partner"}
    items = client.get("/api/v1/sco/members", params=params).json()["items"]
    bahrain = next(item for item in items if item["country"] == "BHR")
    assert bahrain["since_precision"] == "year"
    assert bahrain["certain"] is True  # by 2024 the year of its start is over


@pytest.mark.parametrize(
    ("as_of", "certain"),
    [("2023-01-01", False), ("2023-07-04", False), ("2023-12-30", False), ("2023-12-31", True)],
)
def test_a_start_known_only_to_the_year_is_uncertain_within_that_year(
    client: TestClient, as_of: str, certain: bool
) -> None:
    # "2023" is not 1 January 2023: within 2023 the answer lists Bahrain and says it may not
    # have been a dialogue partner yet on that day.
    params = {"as_of": as_of, "status": "dialogue_partner"}
    items = client.get("/api/v1/sco/members", params=params).json()["items"]
    bahrain = next(item for item in items if item["country"] == "BHR")
    assert (bahrain["since"], bahrain["certain"]) == ("2023-01-01", certain)
    assert all(item["certain"] for item in items if item["country"] != "BHR")


@pytest.mark.parametrize(
    "params",
    [{"as_of": "2024-13-01"}, {"as_of": "yesterday"}, {"status": "friend"}],
)
def test_members_bad_input_is_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/v1/sco/members", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    field = next(iter(params))
    assert response.json()["errors"][0]["field"] == f"query.{field}"
