"""The data version the answer cache keys its entries by, and what keeps it current.

The version is the change feed's last seq, which every committed write advances, read by a
background thread every `ttl` seconds while the app runs (its lifespan starts and stops the
thread), plus a generation that this process's own writes bump at their commit.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.changes.tracking import CHANGED_KEY

# How long shutdown waits for a version read in progress (the thread is a daemon anyway).
STOP_TIMEOUT_S = 5.0


class DataVersion:
    """The last change-feed seq, refreshed every `ttl` seconds by a background thread.

    Requests only read the last value: the event loop never waits for the database (a
    blocking read there could wait for a pooled connection held by requests that need the
    loop to finish, and deadlock). Local writes bump a generation at once. The thread runs
    between `start` and `stop` (the app's lifespan); without it there is no version, and
    answers go to the database.
    """

    def __init__(self, engine: Engine, ttl: float) -> None:
        self._engine = engine
        self._ttl = max(ttl, 0.01)
        self._value: int | None = None
        # Bumped by every local write: a local write is seen at once, before the database
        # value is read again.
        self._local = 0
        self._refresher: threading.Thread | None = None
        self._stopping = threading.Event()

    def invalidate(self) -> None:
        self._local += 1

    def current(self) -> tuple[int, int] | None:
        value = self._value
        return None if value is None else (value, self._local)

    def _read(self) -> int | None:
        try:
            with self._engine.connect() as connection:
                value = connection.execute(
                    text("SELECT value FROM change_counter WHERE id = 1")
                ).scalar()
        except SQLAlchemyError:
            return None  # no version, no caching: answers go to the database
        return int(value) if value is not None else None

    @property
    def running(self) -> bool:
        return self._refresher is not None and self._refresher.is_alive()

    def start(self) -> None:
        """Read the version now and every `ttl` seconds after, in a thread, until `stop`."""
        if self._refresher is not None:
            return
        self._stopping = threading.Event()
        self._refresher = threading.Thread(
            target=self._refresh_until,
            args=(self._stopping,),
            name="sco-data-version",
            daemon=True,  # a process that never ran its shutdown still exits
        )
        self._refresher.start()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """End the thread and forget the version (nothing is cached until the next start)."""
        refresher, self._refresher = self._refresher, None
        self._stopping.set()
        if refresher is not None:
            refresher.join(timeout)
        self._value = None

    def _refresh_until(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            value = self._read()
            if stopping.is_set():  # stopped while reading: keep the version forgotten
                return
            self._value = value
            stopping.wait(self._ttl)


def drop_on_commit(sessions: sessionmaker[Session], version: DataVersion) -> None:
    """Drop the cache after every commit of a session from `sessions` that changed data."""

    def after_commit(session: Session) -> None:
        if session.info.pop(CHANGED_KEY, False):
            version.invalidate()

    event.listen(sessions, "after_commit", after_commit)
