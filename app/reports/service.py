"""Rules of the reports domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.areas import service as area_service
from app.db.keyset import Paged, PageParams
from app.meetings import service as meeting_service
from app.reports.models import Report
from app.reports.repository import ReportFilters, ReportRepository


def report_filters(
    session: Session,
    *,
    kind: str | None,
    countries: list[str],
    year: int | None,
    meeting_id: str | None,
) -> ReportFilters:
    """Check the `GET /reports` filters and resolve them (422 naming the bad one)."""
    codes = area_service.resolve_area_codes(session, countries, field="query.country")
    if meeting_id is not None:
        meeting_service.require_known(session, [meeting_id], field="query.meeting_id")
    return ReportFilters(kind=kind, countries=tuple(codes), year=year, meeting_id=meeting_id)


def list_reports(
    session: Session,
    *,
    kind: str | None,
    countries: list[str],
    year: int | None,
    meeting_id: str | None,
    page: PageParams,
) -> Paged[Report]:
    filters = report_filters(
        session, kind=kind, countries=countries, year=year, meeting_id=meeting_id
    )
    return ReportRepository(session).list_reports(filters, page)


def get_report(session: Session, report_id: str) -> Report:
    return ReportRepository(session).get_or_raise(report_id)
