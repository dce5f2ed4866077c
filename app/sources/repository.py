"""Queries of the sources domain."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from app.db.keyset import Paged, PageParams, SortKey
from app.db.repository import Repository
from app.sources.models import Source

SOURCE_ORDER = (SortKey(Source.id),)


class SourceRepository(Repository[Source, str]):
    model = Source

    def list_sources(self, *, publisher_id: str | None, page: PageParams) -> Paged[Source]:
        statement = select(Source)
        if publisher_id is not None:
            statement = statement.where(Source.publisher_id == publisher_id)
        return self.page(statement, SOURCE_ORDER, page)

    def in_order(self, source_ids: Sequence[str]) -> list[Source]:
        """The sources named by `source_ids`, in that order, in one query."""
        if not source_ids:
            return []
        statement = select(Source).where(Source.id.in_(set(source_ids)))
        by_id = {source.id: source for source in self.session.scalars(statement)}
        return [by_id[source_id] for source_id in source_ids if source_id in by_id]
