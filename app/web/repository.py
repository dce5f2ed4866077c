"""Display names for the ids a page shows: one query per kind of record, never one per id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.areas.models import Area
from app.organizations.models import Organization
from app.people.models import Person
from app.reports.models import Report


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
