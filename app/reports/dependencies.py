"""Path parameters and load-or-404 dependencies of the reports domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from app.http.loaders import load_or_404
from app.http.params import SLUG_PATTERN
from app.reports import service
from app.reports.models import Report

REPORT_ID = Path(
    alias="id",
    pattern=SLUG_PATTERN,
    description="Report id (a slug).",
    examples=["kaz-national-report-trade-facilitation-2023"],
)

# The report named in the path, or a 404.
ValidReport = Annotated[Report, load_or_404(REPORT_ID, service.get_report)]
