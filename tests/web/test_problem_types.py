"""`/problems/{slug}`: the page each problem's `type` names, one per kind of problem, as HTML
for a browser and JSON for everyone else; an unknown slug is a 404."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

import app.main  # noqa: F401 - every kind of problem is defined once the app's modules are
from app.errors import (
    BLANK_TYPE,
    PROBLEM_MEDIA_TYPE,
    AppError,
    problem_kind_of_status,
    problem_kinds,
    problem_response,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
KINDS = problem_kinds()


def test_every_status_the_service_answers_with_has_one_kind() -> None:
    # One general kind per status; a narrower kind (SDMX's "No Results Found", a 404)
    # refines one of them and never stands for its status.
    general = [kind.status for kind in KINDS if AppError in kind.__bases__ or kind is AppError]
    statuses = [kind.status for kind in KINDS]
    assert len(general) == len(set(general)) == len(set(statuses))
    not_found = problem_kind_of_status(404)
    assert not_found is not None
    assert not_found.slug == "not-found"
    assert {400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429, 500, 503} <= set(
        statuses
    )
    slugs = [kind.slug for kind in KINDS]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("kind", KINDS, ids=[kind.slug for kind in KINDS])
def test_each_kind_is_explained_as_json(client: TestClient, kind: type[AppError]) -> None:
    response = client.get(f"/problems/{kind.slug}", headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "type": f"/problems/{kind.slug}",
        "slug": kind.slug,
        "title": kind.title,
        "status": kind.status,
        "description": kind.description,
    }
    # One sentence that says what it means, not the title again.
    assert kind.description.endswith(".")
    assert ". " not in kind.description
    assert kind.title.lower() not in kind.description.lower()


def test_a_browser_gets_a_page_that_links_every_kind(client: TestClient) -> None:
    response = client.get("/problems/precondition-failed", headers={"Accept": BROWSER})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<h1>Precondition Failed" in page
    assert "If-Match" in page
    for kind in KINDS:
        assert f"/problems/{kind.slug}" in page
    assert response.headers["vary"].startswith("Accept")


def test_curl_gets_json(client: TestClient) -> None:
    response = client.get("/problems/not-found", headers={"Accept": "*/*"})
    assert response.json()["status"] == 404


@pytest.mark.parametrize(
    ("accept", "media_type"), [("*/*", PROBLEM_MEDIA_TYPE), (BROWSER, "text/html")]
)
def test_an_unknown_slug_is_a_404(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get("/problems/no-such-problem", headers={"Accept": accept})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith(media_type)
    assert "no-such-problem" in response.text


def test_an_answer_of_a_status_with_no_kind_is_about_blank() -> None:
    response = problem_response(None, status=418, detail="Short and stout.")
    body = json.loads(bytes(response.body))
    assert (body["type"], body["title"]) == (BLANK_TYPE, "I'm a Teapot")
