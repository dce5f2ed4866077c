"""HTTP routes of the reports domain: `/reports`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.areas.service import resolve_area_codes
from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.params import PRINTABLE_PATTERN, FilterValue, country_filter, id_filter, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.http.routes import item_route, list_route
from app.meetings import service as meeting_service
from app.reports import service
from app.reports.dependencies import ValidReport
from app.reports.schemas import ReportOut
from app.reports.writes import REPORT, ReportIn
from app.schemas import Year
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

router = APIRouter(tags=["reports"])

ReportWrite = Annotated[ItemWrite, item_write(REPORT)]


@router.get("/reports", **list_route(ReportOut, "listReports"))
def list_reports(
    session: SessionDep,
    page: PagingDep,
    kind: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=PRINTABLE_PATTERN,
            description="Kind of document.",
            examples=["national_report"],
        ),
    ] = None,
    country: Annotated[
        list[FilterValue] | None,
        country_filter("Country the report is about"),
        QueryCheck(resolve_area_codes),
    ] = None,
    year: Annotated[Year | None, Query(description="Year of the report.", examples=[2023])] = None,
    meeting_id: Annotated[
        str | None,
        id_filter(
            "Only reports presented at this meeting.", "2024-04-30-astana-swg-trade-facilitation"
        ),
        QueryCheck(meeting_service.require_known),
    ] = None,
) -> dict[str, Any]:
    """Documents such as national reports, by id."""
    reports = service.list_reports(
        session,
        kind=kind,
        countries=split_values(country),
        year=year,
        meeting_id=meeting_id,
        page=page.params,
    )
    return page.body(reports)


@router.get("/reports/{id}", **item_route(ReportOut, "getReport"))
def get_report(report: ValidReport, session: SessionDep) -> Response:
    """One report by id, with its authors and the meetings it was presented at."""
    return item_response(REPORT.represent(session, report))


@router.post("/reports", **create_route(REPORT))
def create_report(body: ReportIn, write: CreationDep) -> Response:
    """Add a report; its id is made from its title and year when not given."""
    return write.create(REPORT, body)


@router.patch("/reports/{id}", **update_route(REPORT))
def update_report(changes: MergePatch, write: ReportWrite) -> Response:
    """Change a report (fields not named stay as they are)."""
    return write.update(changes)


@router.delete("/reports/{id}", **delete_route(REPORT))
def delete_report(write: ReportWrite) -> Response:
    """Delete a report, unless records still name it."""
    return write.delete()
