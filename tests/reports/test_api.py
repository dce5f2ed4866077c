"""Reports through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.reports import report_body

API = "/api/v1"
REPORT = "kaz-national-report-trade-facilitation-2023"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
MTI = "kaz-ministry-of-trade-and-integration"
FIELDS = {
    "id",
    "title",
    "kind",
    "country",
    "year",
    "author_organization_ids",
    "summary",
    "presented_at_meeting_ids",
    "source_ids",
    "created_at",
    "updated_at",
}


def _ids(client: TestClient, params: dict[str, Any] | None = None) -> list[str]:
    response = client.get(f"{API}/reports", params={"limit": 500, **(params or {})})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_national_report(client: TestClient) -> None:
    response = client.get(f"{API}/reports/{REPORT}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert body["kind"] == "national_report"
    assert body["year"] == 2023
    assert body["country"] == "KAZ"
    assert {MTI, "qaztrade"} <= set(body["author_organization_ids"])
    assert ASTANA in body["presented_at_meeting_ids"]
    assert "kazinform-2024-04-30" in body["source_ids"]


def test_report_and_meeting_agree(client: TestClient) -> None:
    meeting = client.get(f"{API}/meetings/{ASTANA}").json()
    for report_id in meeting["report_ids"]:
        report = client.get(f"{API}/reports/{report_id}").json()
        assert ASTANA in report["presented_at_meeting_ids"]


def test_list_is_ordered_by_id(client: TestClient) -> None:
    ids = _ids(client)
    assert ids == sorted(ids)
    assert REPORT in ids


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "national_report"},
        {"country": "KAZ"},
        {"country": "kz"},
        {"year": 2023},
        {"meeting_id": ASTANA},
        {"kind": "national_report", "country": "kaz", "year": 2023, "meeting_id": ASTANA},
    ],
)
def test_filters_include_the_national_report(client: TestClient, params: dict[str, Any]) -> None:
    assert REPORT in _ids(client, params)


@pytest.mark.parametrize(
    "params", [{"kind": "speech"}, {"country": "CHN"}, {"year": 2022}, {"year": 2023, "kind": "x"}]
)
def test_filters_exclude_the_national_report(client: TestClient, params: dict[str, Any]) -> None:
    assert REPORT not in _ids(client, params)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XX"}, "query.country"),
        ({"year": "1989"}, "query.year"),
        ({"year": "2101"}, "query.year"),
        ({"year": "twenty"}, "query.year"),
        ({"meeting_id": "no-such-meeting"}, "query.meeting_id"),
        ({"meeting_id": "Not a slug"}, "query.meeting_id"),
        ({"kind": "a\x00b"}, "query.kind"),
    ],
)
def test_bad_filters_are_422(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get(f"{API}/reports", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_unknown_report_is_404(client: TestClient) -> None:
    response = client.get(f"{API}/reports/no-such-report")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("bad_id", ["KAZ-report", "report_2023", "-report"])
def test_malformed_report_id_is_422(client: TestClient, bad_id: str) -> None:
    response = client.get(f"{API}/reports/{bad_id}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.id"


@pytest.mark.parametrize(("year", "status"), [(1989, 422), (1990, 201), (2100, 201), (2101, 422)])
def test_a_report_takes_the_years_its_filter_finds(
    client: TestClient, write_key: str, year: int, status: int
) -> None:
    # One year rule for writes and filters: whatever is stored can be found by `?year=`.
    body = report_body(id=f"report-{year}", year=year)
    created = client.post(f"{API}/reports", json=body, headers=bearer(write_key))
    assert created.status_code == status, created.text
    if status == 422:
        assert created.json()["errors"][0]["field"] == "body.year"
    else:
        assert body["id"] in _ids(client, {"year": year})
