"""Rules of the sources domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NotFound
from app.http.pagination import PageParams
from app.organizations import service as organization_service
from app.sources import repository
from app.sources.models import Source


def get_source(session: Session, source_id: str) -> Source:
    source = repository.get_source(session, source_id)
    if source is None:
        raise NotFound(f"No source with id {source_id!r}.")
    return source


def list_sources(session: Session, *, publisher_id: str | None, page: PageParams) -> list[Source]:
    if publisher_id is not None:
        organization_service.require_known(session, [publisher_id], field="query.publisher_id")
    return repository.list_sources(session, publisher_id=publisher_id, page=page)
