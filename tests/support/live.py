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

from app.config import Settings
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.main import create_app
from app.seed import seed


def prepare_database(url: str) -> Engine:
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    return engine


def committed_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    """The app with sessions that really commit, bound to `engine`."""
    return create_app(settings, engine=engine)


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
