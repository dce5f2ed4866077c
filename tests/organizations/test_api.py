"""Organizations through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.vocabulary import ORGANIZATION_KINDS

API = "/api/v1"
MTI = "kaz-ministry-of-trade-and-integration"
SWG = "sco-swg-trade-facilitation"


Params = dict[str, Any] | list[tuple[str, str]]


def _items(client: TestClient, params: Params | None = None) -> list[dict[str, Any]]:
    query = [*(params.items() if isinstance(params, dict) else params or []), ("limit", 500)]
    response = client.get(f"{API}/organizations", params=query)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.mark.parametrize(
    ("organization_id", "expected"),
    [
        ("sco", {"kind": "intergovernmental", "parent_id": None, "founded_on": "2001-06-15"}),
        (
            SWG,
            {
                "abbreviation": "SWG",
                "kind": "working_group",
                "parent_id": "sco",
                # "created in September": the month, not a day.
                "founded_on": "2015-09-01",
                "founded_on_precision": "month",
            },
        ),
        (
            MTI,
            {
                "abbreviation": "MTI",
                "kind": "ministry",
                "country": "KAZ",
                "founded_on": "2019-06-17",
                "founded_on_precision": "day",
            },
        ),
        ("qaztrade", {"name": "QazTrade", "founded_on": None}),
        ("kazinform", {"kind": "news_agency"}),
        ("atitr", {"kind": "association", "founded_on_precision": "month"}),
        ("wto", {"name": "World Trade Organization", "kind": "intergovernmental"}),
    ],
)
def test_organization_by_id(
    client: TestClient, organization_id: str, expected: dict[str, Any]
) -> None:
    response = client.get(f"{API}/organizations/{organization_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == organization_id
    assert expected.items() <= body.items()
    assert set(body) == {
        "id",
        "name",
        "abbreviation",
        "kind",
        "country",
        "parent_id",
        "website",
        "note",
        "founded_on",
        "founded_on_precision",
        "source_ids",
        "created_at",
        "updated_at",
    }
    assert all(isinstance(source_id, str) for source_id in body["source_ids"])


def test_organization_source_ids_point_at_sources(client: TestClient) -> None:
    cited = {source_id for item in _items(client) for source_id in item["source_ids"]}
    assert cited, "no organization cites a source"
    for source_id in cited:
        assert client.get(f"{API}/sources/{source_id}").status_code == 200


def test_list_is_ordered_by_id(client: TestClient) -> None:
    ids = [item["id"] for item in _items(client)]
    assert ids == sorted(ids)
    assert {"sco", SWG, MTI, "qaztrade", "kazinform", "atitr", "wto"} <= set(ids)


def test_filter_by_kind(client: TestClient) -> None:
    items = _items(client, {"kind": "ministry"})
    assert MTI in {item["id"] for item in items}
    assert {item["kind"] for item in items} == {"ministry"}


@pytest.mark.parametrize("country", ["KAZ", "kaz", "KZ", "kz"])
def test_filter_by_country_any_code_form(client: TestClient, country: str) -> None:
    items = _items(client, {"country": country})
    assert MTI in {item["id"] for item in items}
    assert {item["country"] for item in items} == {"KAZ"}


def test_filter_by_several_countries(client: TestClient) -> None:
    kaz = {item["id"] for item in _items(client, {"country": "KAZ"})}
    both = {item["id"] for item in _items(client, {"country": "KAZ,CHN"})}
    repeated = {item["id"] for item in _items(client, [("country", "kz"), ("country", "cn")])}
    assert kaz <= both
    assert both == repeated


def test_filter_by_parent(client: TestClient) -> None:
    items = _items(client, {"parent_id": "sco"})
    assert SWG in {item["id"] for item in items}
    assert {item["parent_id"] for item in items} == {"sco"}


def test_filters_combine(client: TestClient) -> None:
    assert _items(client, {"kind": "news_agency", "parent_id": "sco"}) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XX"}, "query.country"),
        ({"country": "KAZ,Narnia"}, "query.country"),
        ({"kind": "club"}, "query.kind"),
        ({"parent_id": "no-such-organization"}, "query.parent_id"),
        ({"parent_id": "Not A Slug"}, "query.parent_id"),
    ],
)
def test_bad_filters_are_422(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get(f"{API}/organizations", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_unknown_organization_is_404(client: TestClient) -> None:
    response = client.get(f"{API}/organizations/no-such-organization")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no-such-organization" in response.json()["detail"]


@pytest.mark.parametrize("bad_id", ["SCO", "-sco", "s%20co", "a" * 121])
def test_malformed_organization_id_is_422(client: TestClient, bad_id: str) -> None:
    response = client.get(f"{API}/organizations/{bad_id}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.id"


def test_kind_filter_offers_exactly_the_stored_kinds(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/api/v1/organizations"]["get"][
        "parameters"
    ]
    kind = next(parameter for parameter in parameters if parameter["name"] == "kind")
    enum = next(branch["enum"] for branch in kind["schema"]["anyOf"] if "enum" in branch)
    assert sorted(enum) == sorted(ORGANIZATION_KINDS)


def test_the_sco_record_carries_its_dates_with_their_sources(client: TestClient) -> None:
    sco = client.get(f"{API}/organizations/sco").json()
    for fact in ("26 April 1996", "7 June 2002", "19 September 2003", "5 July 2023"):
        assert fact in sco["note"]
    assert {
        "photius-sco-shanghai-five",
        "ezoteriker-sco-charter",
        "tass-1791221-kazakhstan-sco-chairmanship",
    } <= set(sco["source_ids"])
