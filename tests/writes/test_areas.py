"""The shared write path, exercised on areas: auth, create, merge patch, If-Match, delete."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import Settings
from tests.conftest import bearer, make_client_app
from tests.factories.areas import area_body

# Not in ISO 3166-1 (every ISO country is seeded): Kosovo under its user-assigned code.
NEW_AREA = area_body("xkx", iso2="xk", name="Kosovo", kind="country")


def test_create_answers_201_with_location_and_etag(client: TestClient, write_key: str) -> None:
    response = client.post("/api/v1/areas", json=NEW_AREA, headers=bearer(write_key))
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/api/v1/areas/XKX"
    assert response.headers["etag"].startswith('"')
    body = response.json()
    assert (body["code"], body["iso2"], body["name"]) == ("XKX", "XK", "Kosovo")
    fetched = client.get("/api/v1/areas/xk")
    assert fetched.status_code == 200
    assert fetched.json()["name"] == "Kosovo"


def test_create_existing_code_is_409(client: TestClient, write_key: str) -> None:
    body = area_body("KAZ", iso2="KZ", name="Kazakhstan", kind="country")
    response = client.post("/api/v1/areas", json=body, headers=bearer(write_key))
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_AREA, "colour": "green"}, "body.colour"),
        ({**NEW_AREA, "created_at": "2024-01-01T00:00:00Z"}, "body.created_at"),
        ({**NEW_AREA, "code": "T1"}, "body.code"),
        ({**NEW_AREA, "kind": "continent"}, "body.kind"),
    ],
)
def test_create_rejects_bad_bodies(
    client: TestClient, write_key: str, body: dict[str, str], field: str
) -> None:
    response = client.post("/api/v1/areas", json=body, headers=bearer(write_key))
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert client.get("/api/v1/areas/XKX").status_code == 404


def test_auth_matrix(client: TestClient, write_key: str, read_key: str, revoked_key: str) -> None:
    cases = [
        ({}, 401),
        ({"Authorization": "Bearer sco_not-a-real-key"}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        (bearer(revoked_key), 401),
        (bearer(read_key), 403),
    ]
    for headers, status in cases:
        assert client.post("/api/v1/areas", json=NEW_AREA, headers=headers).status_code == status
        patch = client.patch("/api/v1/areas/KAZ", json={"name": "X"}, headers=headers)
        assert patch.status_code == status
        assert client.delete("/api/v1/areas/MNG", headers=headers).status_code == status
    assert client.get("/api/v1/areas/KAZ").json()["name"] == "Kazakhstan"
    response = client.post("/api/v1/areas", json=NEW_AREA)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_merge_patch_changes_only_given_fields(client: TestClient, write_key: str) -> None:
    before = client.get("/api/v1/areas/KZ")
    response = client.patch(
        "/api/v1/areas/kz",
        content=b'{"name": "Republic of Kazakhstan"}',
        headers={**bearer(write_key), "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Republic of Kazakhstan"
    assert response.json()["iso2"] == "KZ"
    assert response.headers["etag"] != before.headers.get("etag")


@pytest.mark.parametrize("patch", [{"code": "KZX"}, {"updated_at": "2020-01-01"}, {"x": 1}])
def test_patch_rejects_read_only_and_unknown_fields(
    client: TestClient, write_key: str, patch: dict[str, object]
) -> None:
    response = client.patch("/api/v1/areas/KAZ", json=patch, headers=bearer(write_key))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"body.{next(iter(patch))}"


def test_stale_if_match_is_412_and_changes_nothing(client: TestClient, write_key: str) -> None:
    etag = client.get("/api/v1/areas/KAZ").headers["etag"]
    first = client.patch(
        "/api/v1/areas/KAZ", json={"name": "A"}, headers={**bearer(write_key), "If-Match": etag}
    )
    assert first.status_code == 200
    stale = client.patch(
        "/api/v1/areas/KAZ", json={"name": "B"}, headers={**bearer(write_key), "If-Match": etag}
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/areas/KAZ").json()["name"] == "A"
    deleted = client.delete("/api/v1/areas/KAZ", headers={**bearer(write_key), "If-Match": etag})
    assert deleted.status_code == 412


def test_if_match_required_when_configured(
    db_session: Session, engine: Engine, write_key: str
) -> None:
    app = make_client_app(db_session, engine, Settings(SCO_REQUIRE_IF_MATCH=True))
    client = TestClient(app, raise_server_exceptions=False)
    response = client.patch("/api/v1/areas/KAZ", json={"name": "A"}, headers=bearer(write_key))
    assert response.status_code == 428
    etag = client.get("/api/v1/areas/KAZ").headers["etag"]
    ok = client.patch(
        "/api/v1/areas/KAZ", json={"name": "A"}, headers={**bearer(write_key), "If-Match": etag}
    )
    assert ok.status_code == 200


def test_delete_referenced_area_is_409(client: TestClient, write_key: str) -> None:
    response = client.delete("/api/v1/areas/KAZ", headers=bearer(write_key))
    assert response.status_code == 409
    assert "sco_memberships" in response.json()["detail"]
    assert client.get("/api/v1/areas/KAZ").status_code == 200


def test_delete_unreferenced_area(client: TestClient, write_key: str) -> None:
    assert client.post("/api/v1/areas", json=NEW_AREA, headers=bearer(write_key)).status_code == 201
    etag = client.get("/api/v1/areas/XKX").headers["etag"]
    response = client.delete("/api/v1/areas/XKX", headers={**bearer(write_key), "If-Match": etag})
    assert response.status_code == 204
    assert client.get("/api/v1/areas/XKX").status_code == 404


def test_idempotent_post_replays_first_answer(client: TestClient, write_key: str) -> None:
    headers = {**bearer(write_key), "Idempotency-Key": "create-tkm-1"}
    first = client.post("/api/v1/areas", json=NEW_AREA, headers=headers)
    second = client.post("/api/v1/areas", json=NEW_AREA, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["location"] == first.headers["location"]
    other = client.post("/api/v1/areas", json={**NEW_AREA, "name": "Other"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "header.Idempotency-Key"


def test_writes_appear_in_change_feed(client: TestClient, write_key: str) -> None:
    last = client.get("/api/v1/changes", params={"limit": 500})
    items = last.json()["items"]
    while last.json()["next_cursor"]:
        last = client.get(
            "/api/v1/changes", params={"cursor": last.json()["next_cursor"], "limit": 500}
        )
        items += last.json()["items"]
    since = items[-1]["seq"] if items else 0
    client.post("/api/v1/areas", json=NEW_AREA, headers=bearer(write_key))
    client.patch("/api/v1/areas/XKX", json={"name": "Kosova"}, headers=bearer(write_key))
    client.delete("/api/v1/areas/XKX", headers=bearer(write_key))
    feed = client.get("/api/v1/changes", params={"since": since}).json()["items"]
    assert [(c["type"], c["id"], c["action"]) for c in feed] == [
        ("area", "XKX", "create"),
        ("area", "XKX", "update"),
        ("area", "XKX", "delete"),
    ]
    assert [c["seq"] for c in feed] == sorted(c["seq"] for c in feed)
