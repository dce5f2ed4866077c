"""Request-scoped database sessions.

`scope="function"` makes FastAPI run the code after `yield` before the response is sent, so
the commit happens (or fails, and the client hears of it) before a 2xx leaves the server.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.db.session import get_engine, session_scope

# One lock per event loop (a test may run the app on several loops, one after another).
_write_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _writes_to_sqlite(app: FastAPI) -> bool:
    engine: Callable[[], Engine] = app.dependency_overrides.get(get_engine, get_engine)
    return engine().dialect.name == "sqlite"


async def write_turn(request: Request) -> AsyncIterator[None]:
    """On SQLite, one write transaction at a time in this process, queued on the event loop.

    SQLite lets one writer in at a time. A request that waited for its lock in a worker
    thread would hold that thread; with every thread of the pool so held, the writer that
    has the lock could get none to finish on, and all would wait out the busy timeout.
    Waiting here holds no thread. (Other processes still queue on SQLite's busy timeout;
    their lock holders do not need this process's threads.)
    """
    if not _writes_to_sqlite(request.app):
        yield
        return
    lock = _write_locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    async with lock:
        yield


WriteTurnDep = Annotated[None, Depends(write_turn, scope="function")]


def get_session() -> Iterator[Session]:
    yield from session_scope()


def get_write_session(_turn: WriteTurnDep) -> Iterator[Session]:
    yield from session_scope(write=True)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
