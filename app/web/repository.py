"""Display names for the ids a page shows: one query per kind of record, never one per id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.areas.models import Area
from app.organizations.models import Organization
from app.people.models import Person
from app.reports.models import Report
from app.sources.models import Source
from app.trade.models import TradeObservation


def _names(
    session: Session,
    key: InstrumentedAttribute[str],
    name: InstrumentedAttribute[str],
    ids: Iterable[str | None],
) -> dict[str, str]:
    wanted = {value for value in ids if value}
    if not wanted:
        return {}
    rows = session.execute(select(key, name).where(key.in_(wanted)))
    return {row[0]: row[1] for row in rows}


def area_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    return _names(session, Area.code, Area.name, codes)


def organization_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    return _names(session, Organization.id, Organization.name, ids)


def person_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    return _names(session, Person.id, Person.name, ids)


def report_titles(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    return _names(session, Report.id, Report.title, ids)


def source_titles(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    return _names(session, Source.id, Source.title, ids)


def years_cited(session: Session, source_id: str, indicator: str) -> list[int]:
    """The years for which `source_id` gives any figure of `indicator`, in order."""
    year = TradeObservation.year
    rows = session.execute(
        select(year)
        .where(TradeObservation.source_id == source_id, TradeObservation.indicator == indicator)
        .distinct()
        .order_by(year)
    )
    return [row[0] for row in rows]
