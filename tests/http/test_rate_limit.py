"""Rate limits per API key or client address: RateLimit headers, 429, shared Redis counts."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.http.rate_limit import InProcessCounter, make_storage
from tests.conftest import make_client_app

PATH = "/api/v1/areas/KAZ"
REDIS_URL = "redis://127.0.0.1:6379"


def limited(per_minute: int, storage: str = "memory://") -> Settings:
    return get_settings().model_copy(
        update={"rate_limit": per_minute, "rate_limit_storage": storage}
    )


@pytest.fixture
def limited_app(db_session: Session, engine: Engine) -> FastAPI:
    return make_client_app(db_session, engine, limited(3))


def _seconds(header: str) -> int:
    match = re.fullmatch(r'"default";r=(\d+);t=(\d+)', header)
    assert match, header
    return int(match.group(2))


def test_answers_carry_the_policy_and_the_remaining_quota(limited_app: FastAPI) -> None:
    with TestClient(limited_app) as client:
        first = client.get(PATH)
        second = client.get(PATH)
    assert first.status_code == 200
    assert first.headers["ratelimit-policy"] == '"default";q=3;w=60'
    assert first.headers["ratelimit"].startswith('"default";r=2;t=')
    assert second.headers["ratelimit"].startswith('"default";r=1;t=')
    assert 0 <= _seconds(first.headers["ratelimit"]) <= 60


def test_over_the_limit_is_429_problem_with_retry_after(limited_app: FastAPI) -> None:
    with TestClient(limited_app) as client:
        statuses = [client.get(PATH).status_code for _ in range(3)]
        over = client.get(PATH)
    assert statuses == [200, 200, 200]
    assert over.status_code == 429
    assert over.headers["content-type"] == "application/problem+json"
    body = over.json()
    assert body["status"] == 429
    assert body["type"].endswith("/rate-limited")
    assert body["instance"] == PATH
    retry_after = int(over.headers["retry-after"])
    assert 1 <= retry_after <= 60
    assert over.headers["ratelimit-policy"] == '"default";q=3;w=60'
    assert over.headers["ratelimit"] == f'"default";r=0;t={_seconds(over.headers["ratelimit"])}'
    assert over.headers["cache-control"] == "no-store"
    assert over.headers["x-request-id"]


def test_each_api_key_has_its_own_quota(limited_app: FastAPI) -> None:
    with TestClient(limited_app) as client:
        for _ in range(3):
            client.get(PATH)
        assert client.get(PATH).status_code == 429
        keyed = client.get(PATH, headers={"Authorization": "Bearer key-one"})
        assert keyed.status_code == 200
        assert keyed.headers["ratelimit"].startswith('"default";r=2;')


def test_health_and_metrics_are_not_limited(limited_app: FastAPI) -> None:
    with TestClient(limited_app) as client:
        for _ in range(4):
            client.get(PATH)
        for path in ("/health/live", "/health/ready", "/metrics"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "ratelimit" not in response.headers


def test_zero_turns_limiting_off(db_session: Session, engine: Engine) -> None:
    app = make_client_app(db_session, engine, limited(0))
    with TestClient(app) as client:
        response = client.get(PATH)
    assert response.status_code == 200
    assert "ratelimit" not in response.headers


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def test_redis_storage_shares_the_limit_between_processes(
    db_session: Session, engine: Engine
) -> None:
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    # Two application instances stand for two workers: the count is shared through Redis.
    worker_a = make_client_app(db_session, engine, limited(3, REDIS_URL))
    worker_b = make_client_app(db_session, engine, limited(3, REDIS_URL))
    key = {"Authorization": f"Bearer test-{uuid.uuid4().hex}"}  # a fresh count in Redis
    with TestClient(worker_a) as client_a, TestClient(worker_b) as client_b:
        assert client_a.get(PATH, headers=key).status_code == 200
        assert client_b.get(PATH, headers=key).status_code == 200
        third = client_a.get(PATH, headers=key)
        assert third.status_code == 200
        assert third.headers["ratelimit"].startswith('"default";r=0;')
        over = client_b.get(PATH, headers=key)
    assert over.status_code == 429
    assert 1 <= int(over.headers["retry-after"]) <= 60


def test_unreachable_storage_fails_open_with_a_warning(
    db_session: Session, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_client_app(db_session, engine, limited(1, "redis://127.0.0.1:1"))
    with caplog.at_level(logging.WARNING, logger="app.http.rate_limit"), TestClient(app) as client:
        statuses = [client.get(PATH).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "app.http.rate_limit"]
    assert len(warnings) == 1  # once, not once per request
    assert "unreachable" in warnings[0].getMessage()


def test_an_unknown_storage_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="SCO_RATE_LIMIT_STORAGE"):
        make_storage("mongodb://127.0.0.1:27017")


def test_in_process_windows_restart_after_their_end_and_are_swept() -> None:
    counter = InProcessCounter(sweep_above=2)

    async def scenario() -> None:
        assert (await counter.hit("a", 60))[0] == 1
        count, ends_at = await counter.hit("a", 60)
        assert count == 2
        assert ends_at > time.time() + 59
        counter.windows["a"][0] = time.time() - 1  # the window has ended
        await counter.hit("b", 60)
        assert (await counter.hit("a", 60))[0] == 1  # a new window, counted from one
        counter.windows["a"][0] = counter.windows["b"][0] = time.time() - 1
        await counter.hit("c", 60)  # the dict is full: ended windows go
        assert set(counter.windows) == {"c"}

    asyncio.run(scenario())
