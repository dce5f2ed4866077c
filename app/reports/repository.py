"""Queries of the reports domain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.http.pagination import PageParams, SortKey, apply_keyset
from app.reports.models import Report, ReportMeeting

REPORT_ORDER = (SortKey(Report.id),)
# Everything a `ReportOut` reads besides the row itself.
REPORT_LOAD = (
    selectinload(Report.author_links),
    selectinload(Report.meeting_links),
    selectinload(Report.source_links),
)


@dataclass(frozen=True)
class ReportFilters:
    """Validated filters of `GET /reports` (codes resolved, ids known)."""

    kind: str | None = None
    countries: tuple[str, ...] = ()
    year: int | None = None
    meeting_id: str | None = None


def list_reports(session: Session, *, filters: ReportFilters, page: PageParams) -> list[Report]:
    statement = select(Report).options(*REPORT_LOAD)
    if filters.kind is not None:
        statement = statement.where(Report.kind == filters.kind)
    if filters.countries:
        statement = statement.where(Report.country.in_(filters.countries))
    if filters.year is not None:
        statement = statement.where(Report.year == filters.year)
    if filters.meeting_id is not None:
        presented = select(ReportMeeting.report_id).where(
            ReportMeeting.meeting_id == filters.meeting_id
        )
        statement = statement.where(Report.id.in_(presented))
    return list(session.scalars(apply_keyset(statement, REPORT_ORDER, page)))


def get_report(session: Session, report_id: str) -> Report | None:
    return session.get(Report, report_id, options=REPORT_LOAD)
