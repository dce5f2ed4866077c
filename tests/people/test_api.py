"""People and their posts through the HTTP API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
MTI = "kaz-ministry-of-trade-and-integration"


def test_person_with_posts(client: TestClient) -> None:
    response = client.get(f"{API}/people/janel-kushukova")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "note", "posts", "source_ids", "created_at", "updated_at"}
    assert body["name"] == "Janel Kushukova"
    post = next(post for post in body["posts"] if post["organization_id"] == MTI)
    assert set(post) == {"organization_id", "role", "since", "until", "source_id"}
    assert "Vice Minister" in post["role"]
    assert post["source_id"] is not None
    assert body["source_ids"], "every person is cited to a source"


def test_post_and_person_sources_exist(client: TestClient) -> None:
    body = client.get(f"{API}/people/janel-kushukova").json()
    cited = set(body["source_ids"]) | {post["source_id"] for post in body["posts"]} - {None}
    for source_id in cited:
        assert client.get(f"{API}/sources/{source_id}").status_code == 200


def test_people_list_is_ordered_by_id(client: TestClient) -> None:
    items = client.get(f"{API}/people", params={"limit": 500}).json()["items"]
    ids = [item["id"] for item in items]
    assert ids == sorted(ids)
    assert "janel-kushukova" in ids
    listed = next(item for item in items if item["id"] == "janel-kushukova")
    assert listed == client.get(f"{API}/people/janel-kushukova").json()


def test_unknown_person_is_404(client: TestClient) -> None:
    response = client.get(f"{API}/people/no-such-person")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("bad_id", ["Janel-Kushukova", "janel_kushukova", "-janel"])
def test_malformed_person_id_is_422(client: TestClient, bad_id: str) -> None:
    response = client.get(f"{API}/people/{bad_id}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.id"
