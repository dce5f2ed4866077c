"""HTTP routes of the reports domain: `/reports`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.areas.service import resolve_area_codes
from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.params import PRINTABLE_PATTERN, FilterValue, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.meetings import service as meeting_service
from app.reports import service
from app.reports.dependencies import ValidReport
from app.reports.schemas import ReportOut
from app.reports.writes import REPORT, ReportIn
from app.schemas import Year
from app.vocabulary import SLUG_PATTERN
from app.writes import service as writes
from app.writes.routes import (
    IdempotencyKeyDep,
    IfMatchDep,
    MergePatch,
    create_route,
    delete_route,
    item_id,
    no_content,
    respond,
    update_route,
)

router = APIRouter(tags=["reports"])

ReportIdToWrite = Annotated[str, item_id(REPORT)]


@router.get(
    "/reports",
    response_model=Page[ReportOut],
    operation_id="listReports",
    responses=problem_responses(422),
)
def list_reports(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
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
        Query(
            description="Country the report is about: alpha-3 or alpha-2, any case; several "
            "by repetition or comma.",
            examples=["KAZ"],
        ),
        QueryCheck(resolve_area_codes),
    ] = None,
    year: Annotated[Year | None, Query(description="Year of the report.", examples=[2023])] = None,
    meeting_id: Annotated[
        str | None,
        Query(
            pattern=SLUG_PATTERN,
            description="Only reports presented at this meeting.",
            examples=["2024-04-30-astana-swg-trade-facilitation"],
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
        page=page,
    )
    return page_body(request, response, reports)


@router.get(
    "/reports/{id}",
    response_model=ReportOut,
    operation_id="getReport",
    responses=problem_responses(404, 422),
)
def get_report(report: ValidReport, session: SessionDep) -> Response:
    """One report by id, with its authors and the meetings it was presented at."""
    return item_response(REPORT.represent(session, report))


@router.post("/reports", **create_route(REPORT))
def create_report(
    body: ReportIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add a report; its id is made from its title and year when not given."""
    return respond(writes.create(session, REPORT, body, writer=writer, key=key))


@router.patch("/reports/{id}", **update_route(REPORT))
def update_report(
    report_id: ReportIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a report (fields not named stay as they are)."""
    return respond(writes.update(session, REPORT, report_id, changes, if_match=if_match))


@router.delete("/reports/{id}", **delete_route(REPORT))
def delete_report(
    report_id: ReportIdToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete a report, unless records still name it."""
    writes.remove(session, REPORT, report_id, if_match=if_match)
    return no_content()
