"""A real server and a real browser for the `browser` tests.

The server is uvicorn in a background thread, on a free loopback port, in front of a
migrated and seeded SQLite database of its own; the app reaches that database through its
ordinary settings (`DATABASE_URL`), so every layer runs as in production. The browser is
the system Chromium (`/usr/bin/chromium`, Debian's `chromium` package) driven by
Playwright's bundled driver: no browser is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from app.config import get_settings
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.main import create_app
from app.seed import seed

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_TIMEOUT_S = 15
EXPECT_TIMEOUT_MS = 30_000


def _clear_cached_settings() -> None:
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app served by uvicorn over a seeded SQLite database."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('browser-db') / 'sco.db'}"
    upgrade(database_url)
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    engine.dispose()

    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", database_url)
        _clear_cached_settings()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(), log_level="warning", lifespan="on", access_log=False)
        )
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [listener]}, daemon=True, name="live-server"
        )
        thread.start()
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    pytest.fail("the uvicorn test server did not start")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=SERVER_START_TIMEOUT_S)
            listener.close()  # the app's engine was closed by its lifespan
            _clear_cached_settings()  # later tests build their engine from their own settings


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless system Chromium; skipped, with the reason, when it cannot run here."""
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("browser tests need the `playwright` package (`pip install -e '.[dev]'`)")
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: `apt-get install -y chromium` "
            "(.ci/run installs it)"
        )
    from playwright.sync_api import expect, sync_playwright

    # Pages render slower on a loaded 2-core machine than Playwright's 5 s default allows.
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
