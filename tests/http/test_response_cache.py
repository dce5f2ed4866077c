"""The in-process answer cache: hits skip the database, and no write is ever hidden."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session
from starlette.types import Message, Receive, Scope, Send

from app.auth.service import create_key
from app.config import Settings
from app.http.data_version import DataVersion
from app.http.response_cache import ResponseCacheMiddleware
from tests.conftest import bearer
from tests.support.live import committed_app, prepare_database

SERIES = "/api/v1/trade/series?reporter=KAZ&partner=SCO&indicator=trade_turnover"


@contextmanager
def _cached_app(url: str, ttl_ms: int) -> Iterator[tuple[TestClient, Engine, str]]:
    """A client of the app (its answer cache as configured: on by default) on a committed
    database, reading the data version every `ttl_ms`."""
    engine = prepare_database(url)
    with Session(engine) as session, session.begin():
        key = create_key(session, name="cache-test", scope="write")
    settings = Settings(SCO_RATE_LIMIT=0, SCO_RESPONSE_CACHE_TTL_MS=ttl_ms)
    with TestClient(committed_app(engine, settings)) as client:
        yield client, engine, key
    engine.dispose()


@pytest.fixture
def cached(empty_database_url: str) -> Iterator[tuple[TestClient, Engine, str]]:
    with _cached_app(empty_database_url, ttl_ms=50) as app:
        yield app


@pytest.fixture
def cached_for_a_minute(empty_database_url: str) -> Iterator[tuple[TestClient, Engine, str]]:
    """The data version is read once at start, then not for a minute: whatever a test sees
    change in that time, it sees through this process's own invalidation."""
    with _cached_app(empty_database_url, ttl_ms=60_000) as app:
        yield app


BACKENDS = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


def _warm(client: TestClient, url: str) -> None:
    """The data version is read by a background thread: wait for its first reading."""
    deadline = time.monotonic() + 5
    while client.get(url).headers.get("x-cache") != "hit":
        assert time.monotonic() < deadline, "the answer cache never hit"
        time.sleep(0.02)


@BACKENDS
def test_repeated_reads_hit_and_keep_their_etag(cached: tuple[TestClient, Engine, str]) -> None:
    client, _, _ = cached
    _warm(client, "/api/v1/areas")
    first = client.get(SERIES)
    second = client.get(SERIES)
    assert first.status_code == second.status_code == 200
    assert "x-cache" not in first.headers
    assert second.headers["x-cache"] == "hit"
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert client.get(SERIES, headers={"If-None-Match": first.headers["etag"]}).status_code == 304


@BACKENDS
def test_a_write_here_is_seen_at_once(
    cached_for_a_minute: tuple[TestClient, Engine, str],
) -> None:
    client, _, key = cached_for_a_minute
    _warm(client, "/api/v1/areas/KAZ")
    before = client.get("/api/v1/areas/KAZ")
    assert before.headers["x-cache"] == "hit"  # the answer the write must not leave behind
    changed = client.patch("/api/v1/areas/KAZ", json={"name": "Qazaqstan"}, headers=bearer(key))
    assert changed.status_code == 200
    after = client.get("/api/v1/areas/KAZ")
    # The version is not read again for a minute: only the write's own drop explains this.
    assert "x-cache" not in after.headers
    assert after.json()["name"] == "Qazaqstan"
    assert after.headers["etag"] != before.headers["etag"]


@BACKENDS
def test_a_write_by_another_process_is_seen_within_the_ttl(
    cached: tuple[TestClient, Engine, str],
) -> None:
    client, engine, _ = cached
    _warm(client, "/api/v1/areas/KAZ")
    # Another process writes: plain SQL on its own connection, no ORM session events here.
    with engine.begin() as connection:
        connection.execute(text("UPDATE areas SET name = 'Changed elsewhere' WHERE code = 'KAZ'"))
        connection.execute(text("UPDATE change_counter SET value = value + 1 WHERE id = 1"))
    deadline = time.monotonic() + 5
    while client.get("/api/v1/areas/KAZ").json()["name"] != "Changed elsewhere":
        assert time.monotonic() < deadline, "another process's write was never seen"
        time.sleep(0.02)


@BACKENDS
def test_keyed_and_failed_requests_are_not_cached(cached: tuple[TestClient, Engine, str]) -> None:
    client, _, key = cached
    # The cache answers this path anonymously, so a keyed request could be answered from it.
    _warm(client, "/api/v1/areas/KAZ")
    assert client.get("/api/v1/areas/KAZ").headers["x-cache"] == "hit"
    client.get("/api/v1/areas/KAZ", headers=bearer(key))
    assert "x-cache" not in client.get("/api/v1/areas/KAZ", headers=bearer(key)).headers
    client.get("/api/v1/areas/XYZ")
    missing = client.get("/api/v1/areas/XYZ")
    assert missing.status_code == 404
    assert "x-cache" not in missing.headers


@BACKENDS
def test_hits_keep_each_encoding_and_answer_head_and_304(
    cached: tuple[TestClient, Engine, str],
) -> None:
    client, _, _ = cached
    _warm(client, "/api/v1/areas")
    url = "/api/v1/areas?limit=50"  # over 1 KiB: compressed when the client allows it
    gzip_first = client.get(url, headers={"Accept-Encoding": "gzip"})
    gzip_hit = client.get(url, headers={"Accept-Encoding": "gzip"})
    plain_first = client.get(url, headers={"Accept-Encoding": "identity"})
    plain_hit = client.get(url, headers={"Accept-Encoding": "identity"})
    assert gzip_hit.headers["x-cache"] == plain_hit.headers["x-cache"] == "hit"
    assert gzip_hit.headers["content-encoding"] == "gzip"
    assert gzip_hit.headers["etag"] == gzip_first.headers["etag"]
    assert gzip_hit.headers["etag"].endswith('-gzip"')
    assert "content-encoding" not in plain_hit.headers
    assert plain_hit.headers["etag"] == plain_first.headers["etag"]
    assert gzip_hit.content == plain_hit.content == plain_first.content  # httpx decompresses
    for response in (gzip_hit, plain_hit):
        assert response.headers["vary"] == "Accept-Language, Accept, Accept-Encoding"
        assert response.headers["cache-control"].startswith("public")
        assert response.headers["x-request-id"]
        assert response.headers["x-content-type-options"] == "nosniff"

    head = client.head(url, headers={"Accept-Encoding": "identity"})
    assert head.headers["x-cache"] == "hit"
    assert head.content == b""
    assert head.headers["content-length"] == plain_hit.headers["content-length"]

    # Either tag form matches either representation (the gzip suffix is ignored).
    for tag in (gzip_first.headers["etag"], plain_first.headers["etag"]):
        not_modified = client.get(url, headers={"If-None-Match": tag, "Accept-Encoding": "gzip"})
        assert not_modified.status_code == 304
        assert not_modified.headers["x-cache"] == "hit"
        assert not_modified.headers["etag"] == gzip_first.headers["etag"]
        assert "content-length" not in not_modified.headers
        assert not_modified.content == b""
    stale = client.get(url, headers={"If-None-Match": '"other"', "Accept-Encoding": "identity"})
    assert stale.status_code == 200
    assert stale.content == plain_first.content


@BACKENDS
def test_each_language_is_kept_apart(cached: tuple[TestClient, Engine, str]) -> None:
    client, _, _ = cached
    _warm(client, "/api/v1/areas")
    url = "/api/v1/areas/KAZ"
    russian = client.get(url, headers={"Accept-Language": "ru"})
    english = client.get(url, headers={"Accept-Language": "en"})
    assert "x-cache" not in english.headers  # the Russian answer is no answer for English
    assert (russian.json()["name"], english.json()["name"]) == ("Казахстан", "Kazakhstan")
    assert russian.headers["etag"] != english.headers["etag"]
    # Hits: each language from its own entry, whichever way it was asked for.
    for header, name, etag in [
        ("ru-RU,ru;q=0.9", "Казахстан", russian.headers["etag"]),
        ("de", "Kazakhstan", english.headers["etag"]),
    ]:
        hit = client.get(url, headers={"Accept-Language": header})
        assert hit.headers["x-cache"] == "hit", header
        assert hit.json()["name"] == name
        assert hit.headers["etag"] == etag
        assert hit.headers["content-language"] == ("ru" if name == "Казахстан" else "en")
        assert "Accept-Language" in hit.headers["vary"]
    # `lang` wins over the header, in the cache as in the application.
    assert client.get(url, params={"lang": "ru"}).json()["name"] == "Казахстан"
    chosen = client.get(url, params={"lang": "ru"}, headers={"Accept-Language": "zh"})
    assert chosen.headers["x-cache"] == "hit"
    assert chosen.json()["name"] == "Казахстан"
    # A tag of one language is no match for another: no 304 from the other's entry.
    other = client.get(
        url, headers={"Accept-Language": "en", "If-None-Match": russian.headers["etag"]}
    )
    assert other.status_code == 200
    assert other.json()["name"] == "Kazakhstan"


def test_identical_misses_at_once_ask_the_application_once() -> None:
    calls = 0
    gate = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal calls
        calls += 1
        await gate.wait()  # the answer takes a while
        headers = [(b"etag", b'"t"'), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}", "more_body": False})

    version = DataVersion(create_engine("sqlite://"), ttl=60)  # never started: never read
    version._value = 7  # a reading, without the refresher thread
    cache = ResponseCacheMiddleware(app, version=version)
    scope = {"type": "http", "method": "GET", "path": "/x", "query_string": b"", "headers": []}
    answers: list[list[Message]] = [[] for _ in range(5)]

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def ask(index: int) -> None:
        async def send(message: Message) -> None:
            answers[index].append(message)

        await cache(dict(scope), receive, send)

    async def scenario() -> None:
        tasks = [asyncio.create_task(ask(index)) for index in range(5)]
        await asyncio.sleep(0.01)
        gate.set()
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert calls == 1
    assert all(answer[0]["status"] == 200 for answer in answers)
    assert all(answer[1]["body"] == b"{}" for answer in answers)
