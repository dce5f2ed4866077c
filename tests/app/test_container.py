"""No hidden global state: each app holds its own container, and importing changes nothing.

Listeners belong to a container's session factory (never to SQLAlchemy's global
`Session`), settings are the app's own (two apps in one process differ as configured), and
the answer cache's refresher runs for the app's lifespan only.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, SessionEvents

from app.areas.models import Area
from app.changes.models import Change
from app.config import Settings
from app.main import create_app
from tests.conftest import bearer, make_client_app

REFRESHER = "sco-data-version"
# Every session event: the hooks SessionEvents declares.
SESSION_EVENTS = [
    name
    for name, value in vars(SessionEvents).items()
    if inspect.isfunction(value) and not name.startswith("_")
]
AREAS = "/api/v1/areas"


def listeners_on_global_session() -> dict[str, int]:
    """Event name -> number of listeners every plain `Session` would run."""
    session = Session()
    counts = {name: len(getattr(session.dispatch, name)) for name in SESSION_EVENTS}
    return {name: count for name, count in counts.items() if count}


def refreshers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == REFRESHER]


# Run in a fresh interpreter: in this one, other tests have imported and built much already.
IMPORT_EVERYTHING = """
import importlib, inspect, json, logging, pkgutil, threading

from sqlalchemy.orm import Session, SessionEvents

threads = {thread.ident for thread in threading.enumerate()}
handlers = list(logging.getLogger().handlers)

import app
from app.config import get_settings

modules = sorted(info.name for info in pkgutil.walk_packages(app.__path__, "app."))
for name in modules:
    importlib.import_module(name)
session = Session()
listeners = {
    name: len(getattr(session.dispatch, name))
    for name, value in vars(SessionEvents).items()
    if inspect.isfunction(value) and not name.startswith("_")
}
print(json.dumps({
    "modules": len(modules),
    "listeners": {name: count for name, count in listeners.items() if count},
    "new_threads": [t.name for t in threading.enumerate() if t.ident not in threads],
    "settings_read": get_settings.cache_info().currsize,
    "logging_changed": logging.getLogger().handlers != handlers,
}))
"""


def test_importing_every_module_changes_no_global_state() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["modules"] > 50
    assert found["listeners"] == {}
    assert found["new_threads"] == []
    assert found["settings_read"] == 0  # no module read the environment
    assert found["logging_changed"] is False


def test_sessions_of_an_app_record_changes_and_plain_sessions_stay_untouched(
    engine: Engine,
) -> None:
    app = create_app(Settings(SCO_RATE_LIMIT=0), engine=engine)
    sessions = app.state.container.sessions
    with engine.connect() as connection, connection.begin() as transaction:
        session = sessions(bind=connection, join_transaction_mode="create_savepoint")
        before = session.scalar(select(func.count()).select_from(Change))
        area = session.get(Area, "KAZ")
        assert area is not None
        area.name = "Qazaqstan"
        session.flush()  # as the write paths do: the feed records what was flushed
        session.commit()
        after = session.scalar(select(func.count()).select_from(Change))
        session.close()
        transaction.rollback()
    assert after == (before or 0) + 1  # the app's session wrote its feed row
    assert listeners_on_global_session() == {}  # and nothing listens on every Session


def test_two_apps_in_one_process_follow_their_own_settings(
    db_session: Session, engine: Engine, write_key: str
) -> None:
    strict = make_client_app(
        db_session, engine, Settings(SCO_REQUIRE_IF_MATCH=True, SCO_CACHE_MAX_AGE=5)
    )
    lenient = make_client_app(db_session, engine, Settings(SCO_REQUIRE_IF_MATCH=False))
    with TestClient(strict) as strict_client, TestClient(lenient) as lenient_client:
        for client, status in ((strict_client, 428), (lenient_client, 200)):
            answer = client.patch(f"{AREAS}/KAZ", json={"name": "K"}, headers=bearer(write_key))
            assert answer.status_code == status  # the same request, without If-Match
        assert strict_client.get(AREAS).headers["cache-control"] == "public, max-age=5"
        assert lenient_client.get(AREAS).headers["cache-control"] == "public, max-age=60"


def test_the_cache_refresher_runs_for_the_lifespan_only(engine: Engine) -> None:
    settings = Settings(SCO_RATE_LIMIT=0, SCO_RESPONSE_CACHE_TTL_MS=20)
    app = create_app(settings, engine=engine)
    version = app.state.container.data_version
    others = set(refreshers())  # of other apps, if any

    # Requests without the lifespan start nothing, and nothing is cached.
    without_lifespan = TestClient(app)
    for _ in range(3):
        assert "x-cache" not in without_lifespan.get(AREAS).headers
    assert not version.running
    assert set(refreshers()) == others

    with TestClient(app) as client:
        assert version.running  # started by the lifespan, before any request
        (refresher,) = set(refreshers()) - others
        deadline = time.monotonic() + 5
        while client.get(AREAS).headers.get("x-cache") != "hit":
            assert time.monotonic() < deadline, "the answer cache never hit"
            time.sleep(0.02)

    assert not version.running
    assert not refresher.is_alive()  # stopped and joined by the shutdown
