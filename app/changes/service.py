"""Reading the change feed: what mirrors ask for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.changes import repository
from app.db.keyset import Paged, PageParams


def list_changes(session: Session, *, since: int, page: PageParams) -> Paged[Row[Any]]:
    """Every create, update and delete after `since` (0: from the start), oldest first."""
    return repository.list_changes(session, since=since, page=page)


def last_change_at(session: Session) -> datetime | None:
    """The moment the data last changed: the time of the newest change of the feed."""
    return repository.last_change_at(session)
