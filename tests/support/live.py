"""A real server on a loopback port, against a committed database (no rolled-back fixture).

Used by tests that need real transactions: concurrent writers, idempotency races, the
browser. Each database is fresh, migrated by Alembic and seeded.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.dependencies import WriteTurnDep, get_session, get_write_session
from app.db.migrations import upgrade
from app.db.session import get_engine, make_engine, make_session_factory, session_scope
from app.main import create_app
from app.seed import seed


def prepare_database(url: str) -> Engine:
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        seed(session)
    return engine


def committed_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    """The app with sessions that really commit, bound to `engine`."""
    factory = make_session_factory(engine)
    app = create_app(settings)

    def _session() -> Iterator[Session]:
        yield from session_scope(factory=factory)

    def _write_session(_turn: WriteTurnDep) -> Iterator[Session]:
        yield from session_scope(write=True, factory=factory)

    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[get_write_session] = _write_session
    app.dependency_overrides[get_engine] = lambda: engine
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run `app` with uvicorn in a thread; yield its base URL; stop it afterwards."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
