"""Queries of the change feed (written by `tracking`, read here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.changes.models import Change
from app.db.keyset import Paged, PageParams, SortKey, fetch_page

CHANGE_ORDER = (SortKey(Change.seq),)


def list_changes(session: Session, *, since: int, page: PageParams) -> Paged[Row[Any]]:
    """Changes after `since`, oldest first: rows of `seq, type, id, action, at`."""
    statement = select(
        Change.seq, Change.type, Change.resource_id.label("id"), Change.action, Change.at
    ).where(Change.seq > since)
    return fetch_page(session.execute, statement, CHANGE_ORDER, page)


def last_change_at(session: Session) -> datetime | None:
    """When the newest change of the feed was recorded (None: nothing was ever recorded)."""
    statement = select(Change.at).order_by(Change.seq.desc()).limit(1)
    return session.execute(statement).scalar()
