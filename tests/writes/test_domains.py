"""Writes on every domain resource: create, read back, merge patch, integrity, delete."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.meetings import (
    delegation_body,
    meeting_body,
    participation_body,
    session_body,
)
from tests.factories.organizations import organization_body
from tests.factories.people import person_body
from tests.factories.reports import report_body
from tests.factories.seeded import ASTANA, KAZ_MINISTRY, KAZINFORM, QAZTRADE
from tests.factories.sources import source_body

# (collection, body, item path prefix) for each writable resource.
CREATES: list[tuple[str, dict[str, Any], str]] = [
    (
        "/api/v1/organizations",
        organization_body(id="test-ministry", country="kz"),
        "/api/v1/organizations/",
    ),
    (
        "/api/v1/sources",
        source_body(id="test-source", published_on="2025-01-02", priority=80),
        "/api/v1/sources/",
    ),
    ("/api/v1/people", person_body(id="test-person"), "/api/v1/people/"),
    (
        "/api/v1/meetings",
        meeting_body(
            id="2025-06-10-bishkek-test",
            end_date="2025-06-11",
            city="Bishkek",
            country="kg",
            timezone="Asia/Bishkek",
            organizer_ids=[KAZ_MINISTRY],
            source_ids=[KAZINFORM],
            topics=["trade facilitation"],
        ),
        "/api/v1/meetings/",
    ),
    (
        "/api/v1/reports",
        report_body(
            "Test report",
            id="test-report",
            country="KGZ",
            year=2024,
            author_organization_ids=[QAZTRADE],
            presented_at_meeting_ids=[ASTANA],
        ),
        "/api/v1/reports/",
    ),
    (
        f"/api/v1/meetings/{ASTANA}/sessions",
        session_body(5, "Closing session", id="test-session"),
        "/api/v1/sessions/",
    ),
    (
        f"/api/v1/meetings/{ASTANA}/delegations",
        delegation_body("KG", id="test-delegation"),
        "/api/v1/delegations/",
    ),
    (
        f"/api/v1/meetings/{ASTANA}/participations",
        participation_body(id="test-participation"),
        "/api/v1/participations/",
    ),
]


@pytest.mark.parametrize(("collection", "body", "item"), CREATES, ids=lambda v: str(v)[:40])
def test_create_read_patch_delete(
    client: TestClient, write_key: str, collection: str, body: dict[str, Any], item: str
) -> None:
    auth = bearer(write_key)
    assert client.post(collection, json=body).status_code == 401
    created = client.post(collection, json=body, headers=auth)
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    assert location == item + body["id"]
    fetched = client.get(location)
    assert fetched.status_code == 200
    # A gzip-encoded GET tags the same state with a `-gzip` suffix.
    assert fetched.headers["etag"].replace("-gzip", "") == created.headers["etag"]
    assert fetched.json() == created.json()

    duplicate = client.post(collection, json=body, headers=auth)
    assert duplicate.status_code == 409

    field = next(name for name in ("title", "name", "role", "country") if name in body)
    value = {"role": "chair", "country": "UZB"}.get(field, "Changed")
    patched = client.patch(
        location,
        json={field: value},
        headers={**auth, "If-Match": fetched.headers["etag"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()[field] == value
    assert client.get(location).json()[field] == value

    stale = client.delete(location, headers={**auth, "If-Match": fetched.headers["etag"]})
    assert stale.status_code == 412
    deleted = client.delete(location, headers=auth)
    assert deleted.status_code == 204
    assert client.get(location).status_code == 404


def test_unknown_references_are_422_naming_the_field(client: TestClient, write_key: str) -> None:
    body = meeting_body(
        body_id="no-such-body", organizer_ids=[QAZTRADE, "no-such-org"], country="ZZ"
    )
    response = client.post("/api/v1/meetings", json=body, headers=bearer(write_key))
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "body.country" in fields or {"body.body_id", "body.organizer_ids"} <= fields


def test_deleting_a_referenced_organization_is_409(client: TestClient, write_key: str) -> None:
    # The body that met at Astana (no seeded meeting names an organizer any more).
    response = client.delete(
        "/api/v1/organizations/sco-swg-trade-facilitation", headers=bearer(write_key)
    )
    assert response.status_code == 409
    assert "meetings" in response.json()["detail"]
    assert client.get("/api/v1/organizations/sco-swg-trade-facilitation").status_code == 200


def test_deleting_a_cited_source_is_409(client: TestClient, write_key: str) -> None:
    response = client.delete("/api/v1/sources/kazinform-2024-04-30", headers=bearer(write_key))
    assert response.status_code == 409


def test_meeting_with_sessions_cannot_be_deleted(client: TestClient, write_key: str) -> None:
    response = client.delete(f"/api/v1/meetings/{ASTANA}", headers=bearer(write_key))
    assert response.status_code == 409
    assert "sessions" in response.json()["detail"]


def test_nested_create_under_unknown_meeting_is_404(client: TestClient, write_key: str) -> None:
    response = client.post(
        "/api/v1/meetings/no-such-meeting/sessions",
        json=session_body(),
        headers=bearer(write_key),
    )
    assert response.status_code == 404


def test_id_is_derived_when_omitted(client: TestClient, write_key: str) -> None:
    response = client.post(
        "/api/v1/organizations",
        json=organization_body("Ministry of Économie Testing"),
        headers=bearer(write_key),
    )
    assert response.status_code == 201, response.text
    assert response.json()["id"] == "ministry-of-economie-testing"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "X", "start_date": "2025-06-10", "end_date": "2025-06-01"}, "body"),
        ({"title": "X", "start_date": "2025-13-10"}, "body.start_date"),
        ({"title": "X", "start_date": "2025-06-10", "timezone": "Mars/Olympus"}, "body.timezone"),
        ({"title": "X\u0000Y", "start_date": "2025-06-10"}, "body.title"),
        ({"id": "Bad Id", "title": "X", "start_date": "2025-06-10"}, "body.id"),
        ({"title": "X", "start_date": "2025-06-10", "sessions": []}, "body.sessions"),
    ],
)
def test_meeting_body_validation(
    client: TestClient, write_key: str, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/meetings", json=body, headers=bearer(write_key))
    assert response.status_code == 422, response.text
    assert any(error["field"].startswith(field) for error in response.json()["errors"])


def test_patch_meeting_lists_and_embedded_read_only(client: TestClient, write_key: str) -> None:
    auth = bearer(write_key)
    response = client.patch(f"/api/v1/meetings/{ASTANA}", json={"sessions": []}, headers=auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.sessions"
    response = client.patch(
        f"/api/v1/meetings/{ASTANA}", json={"topics": ["trade facilitation"]}, headers=auth
    )
    assert response.status_code == 200
    assert response.json()["topics"] == ["trade facilitation"]
    assert len(response.json()["sessions"]) == 2
