"""Request-scoped database sessions, from the serving app's container.

`scope="function"` makes FastAPI run the code after `yield` before the response is sent, so
the commit happens (or fails, and the client hears of it) before a 2xx leaves the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.container import container_of
from app.db.session import session_scope


async def write_turn(request: Request) -> AsyncIterator[None]:
    """On SQLite, wait on the event loop for this app's one write turn (app.db.write_queue)."""
    queue = container_of(request).write_queue
    if queue is None:
        yield
        return
    async with queue.turn():
        yield


WriteTurnDep = Annotated[None, Depends(write_turn, scope="function")]


def get_session(request: Request) -> Iterator[Session]:
    yield from session_scope(container_of(request).sessions)


def get_write_session(request: Request, _turn: WriteTurnDep) -> Iterator[Session]:
    yield from session_scope(container_of(request).sessions, write=True)


async def get_engine(request: Request) -> Engine:
    # async: nothing to wait for, so no trip to the thread pool.
    return container_of(request).engine


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
EngineDep = Annotated[Engine, Depends(get_engine)]
