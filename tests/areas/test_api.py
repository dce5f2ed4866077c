"""Areas and SCO membership through the HTTP API."""

from __future__ import annotations

import pycountry
import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer


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


# --- every ISO 3166-1 country ----------------------------------------------------------------


def _every_area(client: TestClient, limit: int) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    params: dict[str, object] = {"limit": limit}
    while True:
        body = client.get("/api/v1/areas", params=params).json()
        items += body["items"]
        if body["next_cursor"] is None:
            return items
        params["cursor"] = body["next_cursor"]


def test_every_iso_country_and_the_sco_group_are_areas(client: TestClient) -> None:
    areas = _every_area(client, limit=500)
    codes = [str(area["code"]) for area in areas]
    iso = {country.alpha_3 for country in pycountry.countries}
    assert len(iso) >= 249  # ISO 3166-1 lists 249 countries as of 2024
    assert set(codes) == iso | {"SCO"}
    assert len(codes) == len(iso) + 1
    assert codes == sorted(codes)
    iso2 = {country.alpha_3: country.alpha_2 for country in pycountry.countries}
    assert all(area["iso2"] == iso2[str(area["code"])] for area in areas if area["code"] != "SCO")


def test_the_area_list_pages_stably(client: TestClient) -> None:
    # Small pages walk the same list as one big page: no area twice, none left out.
    assert _every_area(client, limit=37) == _every_area(client, limit=500)


@pytest.mark.parametrize("code", ["de", "DE", "deu", "DEU", "Deu"])
def test_any_iso_country_by_either_code(client: TestClient, code: str) -> None:
    response = client.get(f"/api/v1/areas/{code}")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["iso2"], body["name"], body["kind"]) == (
        "DEU",
        "DE",
        "Germany",
        "country",
    )


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("RUS", "Russia"),  # seed_data/areas.yaml names it, as its cited sources do
        ("TUR", "Turkey"),
        ("BOL", "Bolivia"),  # pycountry's common name ("Bolivia, Plurinational State of")
        ("GBR", "United Kingdom"),  # pycountry's name: it gives no common name
        ("TKM", "Turkmenistan"),
    ],
)
def test_area_names_come_from_the_seed_file_then_the_code_list(
    client: TestClient, code: str, name: str
) -> None:
    assert client.get(f"/api/v1/areas/{code}").json()["name"] == name


def test_a_figure_of_any_country_can_be_written(client: TestClient, write_key: str) -> None:
    body = {
        "reporter": "de",
        "partner": "KAZ",
        "indicator": "imports",
        "year": 2014,
        "value": 2000000000,
        "source_id": "kazinform-2024-04-30",
        "note": "Test figure.",
    }
    response = client.post("/api/v1/trade/observations", json=body, headers=bearer(write_key))
    assert response.status_code == 201, response.text
    assert (response.json()["reporter"], response.json()["partner"]) == ("DEU", "KAZ")
    listed = client.get("/api/v1/trade/observations", params={"reporter": "DEU"}).json()
    assert [item["id"] for item in listed["items"]] == [response.json()["id"]]
