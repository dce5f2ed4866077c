"""Path parameters and load-or-404 dependencies of the reports domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.db.dependencies import SessionDep
from app.http.params import SLUG_PATTERN
from app.reports import service
from app.reports.models import Report

ReportId = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Report id (a slug).",
        examples=["kaz-national-report-trade-facilitation-2023"],
    ),
]


def valid_report(report_id: ReportId, session: SessionDep) -> Report:
    """The report named in the path, or a 404."""
    return service.get_report(session, report_id)


ValidReport = Annotated[Report, Depends(valid_report)]
