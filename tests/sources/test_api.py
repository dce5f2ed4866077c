"""Sources through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories.sources import source_body

API = "/api/v1"
FIELDS = {
    "id",
    "publisher_id",
    "title",
    "url",
    "published_on",
    "published_on_precision",
    "relays_id",
    "language",
    "excerpt",
    "priority",
    "created_at",
    "updated_at",
}


def _items(client: TestClient, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    response = client.get(f"{API}/sources", params={"limit": 500, **(params or {})})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.mark.parametrize(
    ("source_id", "priority", "published_on", "precision"),
    [
        ("kazinform-2024-04-30", 40, "2024-04-30", "day"),
        ("oq-gov-kz-2024-05-02", 80, "2024-05-02", "day"),
        ("zonakz-2022-11-01-smailov", 60, "2022-11-01", "day"),
        ("kt-kz-smailov-sco-chg", 60, None, "day"),
        # "October 2024" (the reference and the URL path): the month, never a made-up day.
        ("astanatimes-2024-10-bektenov-islamabad", 60, "2024-10-01", "month"),
        ("trend-2024-07-04-tokayev", 60, "2024-07-04", "day"),
        ("primeminister-kz-2025-11-18-bektenov", 60, "2025-11-18", "day"),
        ("qazinform-bektenov-sco-internal-trade-1tln", 60, "2025-01-01", "year"),
    ],
)
def test_source_by_id(
    client: TestClient, source_id: str, priority: int, published_on: str | None, precision: str
) -> None:
    response = client.get(f"{API}/sources/{source_id}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == FIELDS
    assert body["id"] == source_id
    assert body["priority"] == priority
    assert (body["published_on"], body["published_on_precision"]) == (published_on, precision)
    assert body["url"].startswith(("http://", "https://"))


def test_copies_of_one_release_say_whose_release_they_carry(client: TestClient) -> None:
    ministry = "kaz-ministry-of-trade-and-integration"
    for source_id in ("kazinform-2024-04-30", "oq-gov-kz-2024-05-02"):
        assert client.get(f"{API}/sources/{source_id}").json()["relays_id"] == ministry
    assert client.get(f"{API}/sources/zonakz-2022-11-01-smailov").json()["relays_id"] is None


def test_kazinform_article_is_published_by_kazinform(client: TestClient) -> None:
    body = client.get(f"{API}/sources/kazinform-2024-04-30").json()
    assert body["publisher_id"] == "kazinform"
    assert body["url"].startswith("https://en.inform.kz/")


def test_list_is_ordered_by_id(client: TestClient) -> None:
    ids = [item["id"] for item in _items(client)]
    assert ids == sorted(ids)
    assert {"kazinform-2024-04-30", "oq-gov-kz-2024-05-02"} <= set(ids)


def test_filter_by_publisher(client: TestClient) -> None:
    items = _items(client, {"publisher_id": "kazinform"})
    assert "kazinform-2024-04-30" in {item["id"] for item in items}
    assert {item["publisher_id"] for item in items} == {"kazinform"}


def test_publisher_without_sources_gives_empty_list(client: TestClient) -> None:
    assert _items(client, {"publisher_id": "sco-swg-trade-facilitation"}) == []


@pytest.mark.parametrize("publisher_id", ["no-such-publisher", "Kazinform", "a\x00b"])
def test_bad_publisher_is_422(client: TestClient, publisher_id: str) -> None:
    response = client.get(f"{API}/sources", params={"publisher_id": publisher_id})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.publisher_id"


def test_unknown_source_is_404(client: TestClient) -> None:
    response = client.get(f"{API}/sources/no-such-source")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("bad_id", ["Kazinform-2024-04-30", "kazinform.2024", "x" * 121])
def test_malformed_source_id_is_422(client: TestClient, bad_id: str) -> None:
    response = client.get(f"{API}/sources/{bad_id}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.id"


@pytest.mark.parametrize(
    ("published_on", "precision", "status"),
    [("2024-10-01", "month", 201), ("2024-10-17", "month", 422), ("2024-01-01", "year", 201)],
)
def test_a_date_known_to_the_month_is_written_as_its_first_day(
    client: TestClient, write_key: str, published_on: str, precision: str, status: int
) -> None:
    response = client.post(
        f"{API}/sources",
        json=source_body(
            "Monthly bulletin",
            url="https://example.org/bulletin",
            published_on=published_on,
            published_on_precision=precision,
        ),
        headers={"Authorization": f"Bearer {write_key}"},
    )
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["errors"][0]["type"] == "rule_error"
