"""Queries of the reports domain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db.keyset import Paged, PageParams, SortKey
from app.db.repository import Repository
from app.reports.models import Report, ReportMeeting

REPORT_ORDER = (SortKey(Report.id),)


@dataclass(frozen=True)
class ReportFilters:
    """Validated filters of `GET /reports` (codes resolved, ids known)."""

    kind: str | None = None
    countries: tuple[str, ...] = ()
    year: int | None = None
    meeting_id: str | None = None


class ReportRepository(Repository[Report, str]):
    model = Report
    # Everything a `ReportOut` reads besides the row itself.
    load = (
        selectinload(Report.author_links),
        selectinload(Report.meeting_links),
        selectinload(Report.source_links),
    )

    def list_reports(self, filters: ReportFilters, page: PageParams) -> Paged[Report]:
        statement = select(Report).options(*self.load)
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
        return self.page(statement, REPORT_ORDER, page)
