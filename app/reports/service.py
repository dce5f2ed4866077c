"""Rules of the reports domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.areas import service as area_service
from app.errors import NotFound
from app.meetings import service as meeting_service
from app.reports import repository
from app.reports.models import Report


def report_filters(
    session: Session,
    *,
    kind: str | None,
    countries: list[str],
    year: int | None,
    meeting_id: str | None,
) -> repository.ReportFilters:
    """Check the `GET /reports` filters and resolve them (422 naming the bad one)."""
    codes = area_service.resolve_area_codes(session, countries, field="query.country")
    if meeting_id is not None:
        meeting_service.require_known(session, [meeting_id], field="query.meeting_id")
    return repository.ReportFilters(
        kind=kind, countries=tuple(codes), year=year, meeting_id=meeting_id
    )


def get_report(session: Session, report_id: str) -> Report:
    report = repository.get_report(session, report_id)
    if report is None:
        raise NotFound(f"No report with id {report_id!r}.")
    return report
