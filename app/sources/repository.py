"""Queries of the sources domain."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.http.pagination import PageParams, SortKey, apply_keyset
from app.sources.models import Source

SOURCE_ORDER = (SortKey(Source.id),)


def list_sources(session: Session, *, publisher_id: str | None, page: PageParams) -> list[Source]:
    statement = select(Source)
    if publisher_id is not None:
        statement = statement.where(Source.publisher_id == publisher_id)
    return list(session.scalars(apply_keyset(statement, SOURCE_ORDER, page)))


def get_source(session: Session, source_id: str) -> Source | None:
    return session.get(Source, source_id)


def sources_in_order(session: Session, source_ids: Sequence[str]) -> list[Source]:
    """The sources named by `source_ids`, in that order, in one query."""
    if not source_ids:
        return []
    by_id = {
        source.id: source
        for source in session.scalars(select(Source).where(Source.id.in_(set(source_ids))))
    }
    return [by_id[source_id] for source_id in source_ids if source_id in by_id]
