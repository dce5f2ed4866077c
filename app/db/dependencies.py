"""Request-scoped database sessions.

`scope="function"` makes FastAPI run the code after `yield` before the response is sent, so
the commit happens (or fails, and the client hears of it) before a 2xx leaves the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.db.session import session_scope


def get_session() -> Iterator[Session]:
    yield from session_scope()


def get_write_session() -> Iterator[Session]:
    yield from session_scope(write=True)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
