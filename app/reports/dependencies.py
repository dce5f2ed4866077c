"""The load-or-404 dependency of the reports domain."""

from __future__ import annotations

from typing import Annotated

from app.http.loaders import load_or_404, slug_path
from app.reports import service
from app.reports.models import Report

# The report named in the path, or a 404.
ValidReport = Annotated[
    Report,
    load_or_404(
        slug_path("Report", "kaz-national-report-trade-facilitation-2023"), service.get_report
    ),
]
