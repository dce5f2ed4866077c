"""Real transactions under concurrency: nothing acknowledged is lost, keys stay idempotent,
and the change feed replays to exactly the state of the tables."""

from __future__ import annotations

import itertools
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.areas.models import Area
from app.auth.service import create_key
from app.config import Settings
from app.db.base import Base
from tests.factories.areas import area_body
from tests.support.live import committed_app, prepare_database, serve

WRITERS = 8
WRITES_PER_WRITER = 25


@dataclass(frozen=True)
class Live:
    base_url: str
    engine: Engine
    key: str

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=60,
        )


@pytest.fixture
def live(empty_database_url: str) -> Iterator[Live]:
    engine = prepare_database(empty_database_url)
    with Session(engine) as session, session.begin():
        key = create_key(session, name="concurrency", scope="write")
    # Fewer worker threads than concurrent writers: on SQLite, writers must queue without
    # holding threads, or the one holding the write lock gets none to finish on.
    settings = Settings(SCO_WORKER_THREADS=2)
    try:
        with serve(committed_app(engine, settings)) as base_url:
            yield Live(base_url=base_url, engine=engine, key=key)
    finally:
        engine.dispose()


def _unused_codes(count: int) -> list[str]:
    # No ISO 3166 alpha-3 code starts with X, so these never meet a seeded area.
    letters = string.ascii_uppercase
    return ["X" + a + b for a, b in itertools.islice(itertools.product(letters, letters), count)]


BACKENDS = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


@BACKENDS
def test_concurrent_writers_lose_nothing(live: Live) -> None:
    codes = _unused_codes(WRITERS * WRITES_PER_WRITER)
    statuses: list[int] = []
    lock = threading.Lock()

    def writer(batch: list[str]) -> None:
        with live.client() as client:
            for code in batch:
                body = area_body(code)
                status = client.post("/api/v1/areas", json=body).status_code
                with lock:
                    statuses.append(status)

    batches = [codes[i::WRITERS] for i in range(WRITERS)]
    threads = [threading.Thread(target=writer, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses.count(201) == len(codes), sorted(set(statuses))
    with Session(live.engine) as session:
        stored = session.scalar(select(func.count()).select_from(Area).where(Area.code.like("X%")))
    assert stored == len(codes)


@BACKENDS
def test_ten_concurrent_posts_with_one_key_write_once(live: Live) -> None:
    barrier = threading.Barrier(10)
    answers: list[httpx.Response] = []
    lock = threading.Lock()
    body = area_body("XQQ", name="Idempotent")

    def post() -> None:
        with live.client() as client:
            barrier.wait()
            response = client.post(
                "/api/v1/areas", json=body, headers={"Idempotency-Key": "race-1"}
            )
            with lock:
                answers.append(response)

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in answers)
    assert set(statuses) <= {201, 409}, statuses
    created = [response for response in answers if response.status_code == 201]
    assert created
    assert len({response.content for response in created}) == 1
    with Session(live.engine) as session:
        assert session.scalar(select(func.count()).select_from(Area).where(Area.code == "XQQ")) == 1


def _mirror(client: httpx.Client) -> dict[str, set[str]]:
    """Replay the whole change feed into {type: ids that exist}."""
    state: dict[str, dict[str, str]] = {}
    since, last_seq = 0, 0
    while True:
        page = client.get("/api/v1/changes", params={"since": since, "limit": 500}).json()
        for change in page["items"]:
            assert change["seq"] > last_seq  # strictly increasing, no repeats
            last_seq = change["seq"]
            state.setdefault(change["type"], {})[change["id"]] = change["action"]
        if not page["items"]:
            break
        since = last_seq
    return {
        kind: {key for key, action in actions.items() if action != "delete"}
        for kind, actions in state.items()
    }


def _tables(engine: Engine) -> dict[str, set[str]]:
    """{type: ids} read straight from the tables of every tracked model."""
    found: dict[str, set[str]] = {}
    with Session(engine) as session:
        for mapper in Base.registry.mappers:
            model = mapper.class_
            change_type = getattr(model, "__change_type__", None)
            if change_type is None:
                continue
            column = getattr(model, getattr(model, "__change_key__", "id"))
            found[change_type] = {str(value) for value in session.scalars(select(column))}
    return found


@BACKENDS
def test_change_feed_replays_to_table_state(live: Live) -> None:
    codes = _unused_codes(40)

    def writer(batch: list[str]) -> None:
        with live.client() as client:
            for code in batch:
                client.post("/api/v1/areas", json=area_body(code, name=code))
                client.patch(f"/api/v1/areas/{code}", json={"name": f"{code} renamed"})
                if code.endswith(("A", "E")):
                    client.delete(f"/api/v1/areas/{code}")

    threads = [threading.Thread(target=writer, args=(codes[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with live.client() as client:
        mirrored = _mirror(client)
    tables = _tables(live.engine)
    for kind, ids in tables.items():
        assert mirrored.get(kind, set()) == ids, kind


@BACKENDS
def test_many_more_readers_than_threads_all_get_answers(empty_database_url: str) -> None:
    """32 uncached reads at once on 2 threads and a 15-connection pool.

    Each read holds its session's connection between its thread calls; without admission
    the pool ran dry while the threads waited for connections held by requests waiting for
    threads, until the pool's 30 s timeout turned them into 500s.
    """
    engine = prepare_database(empty_database_url)
    settings = Settings(SCO_WORKER_THREADS=2, SCO_RESPONSE_CACHE=False, SCO_RATE_LIMIT=0)
    path = "/api/v1/meetings/2024-04-30-astana-swg-trade-facilitation"
    barrier = threading.Barrier(32)
    statuses: list[int] = []
    lock = threading.Lock()
    try:
        with serve(committed_app(engine, settings)) as base_url:

            def read() -> None:
                with httpx.Client(base_url=base_url, timeout=25) as client:
                    barrier.wait()
                    for _ in range(3):
                        status = client.get(path).status_code
                        with lock:
                            statuses.append(status)

            threads = [threading.Thread(target=read) for _ in range(32)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        engine.dispose()
    assert statuses == [200] * 96
