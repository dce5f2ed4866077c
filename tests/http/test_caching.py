"""Conditional requests and caching on every GET: ETag, If-None-Match → 304, Cache-Control, gzip."""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response, StreamingResponse

from app.areas.models import Area
from app.config import get_settings
from app.entity_tags import etag_of
from app.errors import install_error_handlers
from app.http import caching
from app.http.middleware import install_middleware
from tests.conftest import make_client_app

LIST = "/api/v1/areas"
ITEM = "/api/v1/areas/KAZ"
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.mark.parametrize("path", [LIST, ITEM])
def test_same_answer_same_strong_etag_and_304_round_trip(client: TestClient, path: str) -> None:
    first = client.get(path, headers=IDENTITY)
    second = client.get(path, headers=IDENTITY)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert etag == second.headers["etag"]
    # A function of the bytes alone: every process computes the same tag for the same data.
    assert etag == etag_of(first.content)

    cached = client.get(path, headers={**IDENTITY, "If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""
    assert cached.headers["etag"] == etag
    assert cached.headers["cache-control"] == "public, max-age=60"
    assert cached.headers["vary"] == "Accept-Language, Accept, Accept-Encoding"
    assert "content-type" not in cached.headers


def test_if_none_match_lists_weak_tags_and_star(client: TestClient) -> None:
    etag = client.get(ITEM, headers=IDENTITY).headers["etag"]
    listed = client.get(ITEM, headers={**IDENTITY, "If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    star = client.get(ITEM, headers={**IDENTITY, "If-None-Match": "*"})
    assert star.status_code == 304
    stale = client.get(ITEM, headers={**IDENTITY, "If-None-Match": '"other", "another"'})
    assert stale.status_code == 200
    assert stale.json()["code"] == "KAZ"


def test_other_data_or_other_query_gives_other_etag(client: TestClient) -> None:
    kaz = client.get(ITEM, headers=IDENTITY).headers["etag"]
    chn = client.get("/api/v1/areas/CHN", headers=IDENTITY).headers["etag"]
    full = client.get(LIST, headers=IDENTITY).headers["etag"]
    groups = client.get(LIST, params={"kind": "group"}, headers=IDENTITY).headers["etag"]
    assert len({kaz, chn, full, groups}) == 4
    other = client.get(LIST, params={"kind": "group"}, headers={**IDENTITY, "If-None-Match": full})
    assert other.status_code == 200


def test_etag_changes_after_a_write(client: TestClient, db_session: Session) -> None:
    before = client.get(ITEM, headers=IDENTITY)
    # The page of the list that holds KAZ (every ISO country is listed, by code).
    listed = {"limit": 500}
    list_before = client.get(LIST, params=listed, headers=IDENTITY).headers["etag"]
    db_session.execute(update(Area).where(Area.code == "KAZ").values(name="Kazakhstan (renamed)"))
    db_session.flush()

    after = client.get(ITEM, headers={**IDENTITY, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["name"] == "Kazakhstan (renamed)"
    assert after.headers["etag"] != before.headers["etag"]
    assert client.get(LIST, params=listed, headers=IDENTITY).headers["etag"] != list_before


def test_gzip_for_large_bodies_with_its_own_etag(client: TestClient) -> None:
    identity = client.get(LIST, headers=IDENTITY)
    assert len(identity.content) > 1024
    assert "content-encoding" not in identity.headers

    zipped = client.get(LIST, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == identity.json()  # httpx decodes; the data is the same
    gzip_etag = zipped.headers["etag"]
    assert gzip_etag == identity.headers["etag"][:-1] + '-gzip"'
    assert "Accept-Encoding" in zipped.headers["vary"]

    # Either tag validates either representation; the 304 names the one it stands for.
    for tag in (gzip_etag, identity.headers["etag"]):
        cached = client.get(LIST, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
        assert cached.status_code == 304
        assert cached.headers["etag"] == gzip_etag
        assert cached.content == b""
    plain = client.get(LIST, headers={**IDENTITY, "If-None-Match": gzip_etag})
    assert plain.status_code == 304
    assert plain.headers["etag"] == identity.headers["etag"]


def test_small_bodies_and_refused_gzip_stay_identity(client: TestClient) -> None:
    small = client.get(ITEM, headers={"Accept-Encoding": "gzip"})
    assert len(small.content) <= 1024
    assert "content-encoding" not in small.headers
    refused = client.get(LIST, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers


def test_cache_control_public_for_anonymous_no_store_with_authorization(
    client: TestClient,
) -> None:
    anonymous = client.get(LIST, headers=IDENTITY)
    assert anonymous.headers["cache-control"] == "public, max-age=60"
    keyed = client.get(LIST, headers={**IDENTITY, "Authorization": "Bearer some-key"})
    assert keyed.status_code == 200
    assert keyed.headers["cache-control"] == "no-store"
    assert keyed.headers["etag"] == anonymous.headers["etag"]


@pytest.mark.parametrize("path", ["/health/live", "/health/ready", "/metrics"])
def test_operator_endpoints_are_never_stored(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"


def test_errors_are_not_stored(client: TestClient) -> None:
    response = client.get("/api/v1/areas/XYZ")
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


def test_head_has_the_headers_of_get(client: TestClient) -> None:
    get = client.get(LIST, headers=IDENTITY)
    head = client.head(LIST, headers=IDENTITY)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["cache-control"] == get.headers["cache-control"]


def test_writes_are_not_made_cacheable(client: TestClient) -> None:
    response = client.post("/api/v1/areas", json={"code": "ZZZ"})
    assert response.status_code == 401
    assert response.headers.get("cache-control") in (None, "no-store")
    assert "etag" not in response.headers


def test_max_age_is_a_setting(db_session: Session, engine: Engine) -> None:
    settings = get_settings().model_copy(update={"cache_max_age": 5})
    app = make_client_app(db_session, engine, settings)
    with TestClient(app) as client:
        assert client.get(LIST).headers["cache-control"] == "public, max-age=5"


# The rules that need no database: a small app with routes shaped like the real ones.


def _bare_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    install_middleware(app, get_settings().model_copy(update={"rate_limit": 0}))

    @app.get("/tagged")
    def tagged() -> Response:
        return JSONResponse({"id": "x", "padding": "p" * 2000}, headers={"ETag": '"v7"'})

    @app.get("/stream/{size}")
    def stream(size: int) -> StreamingResponse:
        def rows() -> Iterator[bytes]:
            yield b"year,value\n"
            for index in range(size):
                yield f"{2000 + index % 30},{index}\n".encode()

        return StreamingResponse(rows(), media_type="text/csv")

    return app


def test_an_etag_the_route_set_is_kept() -> None:
    with TestClient(_bare_app()) as client:
        plain = client.get("/tagged", headers=IDENTITY)
        assert plain.headers["etag"] == '"v7"'
        assert client.get("/tagged", headers={"If-None-Match": '"v7"'}).status_code == 304
        zipped = client.get("/tagged", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["etag"] == '"v7-gzip"'
        cached = client.get("/tagged", headers={"Accept-Encoding": "gzip", "If-None-Match": '"v7"'})
        assert cached.status_code == 304
        assert cached.headers["etag"] == '"v7-gzip"'


def test_small_streamed_answer_gets_an_etag_and_gzip() -> None:
    with TestClient(_bare_app()) as client:
        response = client.get("/stream/500", headers=IDENTITY)
        assert response.headers["etag"] == etag_of(response.content)
        assert response.headers["cache-control"] == "public, max-age=60"
        zipped = client.get("/stream/500", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.text == response.text


def test_large_stream_is_passed_on_without_buffering(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the buffer limit the answer streams on: no computed ETag, still cache headers.
    monkeypatch.setattr(caching, "BUFFER_LIMIT", 4096)
    with TestClient(_bare_app()) as client:
        response = client.get("/stream/5000", headers=IDENTITY)
        assert response.status_code == 200
        assert response.text.count("\n") == 5001
        assert "etag" not in response.headers
        assert response.headers["cache-control"] == "public, max-age=60"
        zipped = client.get("/stream/5000", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert "content-length" not in zipped.headers
        assert zipped.text == response.text


def test_gzip_output_is_deterministic() -> None:
    body = b'{"items": []}' * 200
    assert caching.gzip_compress(body) == caching.gzip_compress(body)
    assert gzip.decompress(caching.gzip_compress(body)) == body


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("*", True),
        ("identity", False),
        ("", False),
    ],
)
def test_accept_encoding_parsing(header: str, expected: bool) -> None:
    assert caching.accepts_gzip(header) is expected


def test_large_compressed_bodies_are_kept_by_etag_within_a_budget() -> None:
    cache = caching.GzipCache(max_bytes=300_000)
    # Random bytes hardly compress: 100, 125 and 150 kB stay about that size gzip-encoded.
    bodies = [random.Random(n).randbytes(100_000 + 25_000 * n) for n in range(3)]
    first = cache.compress('"a"', bodies[0])
    assert cache.compress('"a"', b"other bytes" * 10_000) is first  # same tag, same answer
    assert gzip.decompress(first) == bodies[0]
    cache.compress('"b"', bodies[1])
    cache.compress('"c"', bodies[2])  # over budget: the least recently used goes
    assert '"a"' not in cache.items
    assert cache.size <= 300_000
    # Weak tags and small bodies are compressed each time, never kept.
    cache.compress('W/"d"', bodies[0])
    cache.compress('"e"', b"x" * 2000)
    assert set(cache.items) <= {'"b"', '"c"'}


def test_docs_bundle_is_served_gzip_with_its_static_etag(client: TestClient) -> None:
    path = "/static/docs/redoc.standalone.js"
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    second = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["etag"].endswith('-gzip"')
    assert first.content == second.content
    assert int(first.headers["content-length"]) < len(first.content) / 2
