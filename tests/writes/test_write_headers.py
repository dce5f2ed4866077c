"""The headers writes read, `If-Match` and `Idempotency-Key`, are checked as the document
declares them (header parameters of the write dependencies)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.idempotency.service import MAX_KEY_LENGTH
from tests.conftest import bearer
from tests.factories.areas import area_body

NEW_AREA = area_body("xkx", iso2="xk", name="Kosovo", kind="country")


@pytest.mark.parametrize(
    "key",
    # As bytes: HTTP sends them so (Latin-1); a client library may refuse a non-ASCII str.
    [b"x" * (MAX_KEY_LENGTH + 1), "clé-1".encode("latin-1"), b" "],
    ids=["too-long", "not-ascii", "blank"],
)
def test_a_malformed_idempotency_key_is_a_422_and_nothing_is_written(
    client: TestClient, write_key: str, key: bytes
) -> None:
    headers: dict[str, str | bytes] = {**bearer(write_key), "Idempotency-Key": key}
    response = client.post("/api/v1/areas", json=NEW_AREA, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert client.get("/api/v1/areas/XKX").status_code == 404


def test_a_key_of_the_longest_length_is_taken(client: TestClient, write_key: str) -> None:
    headers = {**bearer(write_key), "Idempotency-Key": "k" * MAX_KEY_LENGTH}
    assert client.post("/api/v1/areas", json=NEW_AREA, headers=headers).status_code == 201


def test_the_document_declares_the_headers_the_writes_read(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    item = document["paths"]["/api/v1/areas/{code}"]

    def headers_of(operation: dict[str, object]) -> set[str]:
        parameters = operation.get("parameters", [])
        assert isinstance(parameters, list)
        return {p["name"] for p in parameters if p["in"] == "header"}

    assert headers_of(document["paths"]["/api/v1/areas"]["post"]) == {"Idempotency-Key"}
    assert headers_of(item["patch"]) == {"If-Match"}
    assert headers_of(item["delete"]) == {"If-Match"}
    key = next(
        p
        for p in document["paths"]["/api/v1/areas"]["post"]["parameters"]
        if p["name"] == "Idempotency-Key"
    )
    assert key["schema"]["anyOf"][0]["maxLength"] == MAX_KEY_LENGTH
