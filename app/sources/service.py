"""Rules of the sources domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.keyset import Paged, PageParams
from app.organizations import service as organization_service
from app.sources.models import Source
from app.sources.repository import SourceRepository


def get_source(session: Session, source_id: str) -> Source:
    return SourceRepository(session).get_or_raise(source_id)


def list_sources(session: Session, *, publisher_id: str | None, page: PageParams) -> Paged[Source]:
    if publisher_id is not None:
        organization_service.require_known(session, [publisher_id], field="query.publisher_id")
    return SourceRepository(session).list_sources(publisher_id=publisher_id, page=page)
