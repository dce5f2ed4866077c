"""HTTP routes of the trade domain: indicators, observations, series and checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import StringConstraints, WithJsonSchema
from sqlalchemy.orm import Session

from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep, get_session
from app.db.keyset import Paged
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, link_header, list_body, page_body
from app.http.params import FilterValue, documented, listed, one_of, split_values
from app.http.representation import item_response
from app.schemas import Year
from app.trade import csv_export, service
from app.trade.dependencies import ValidIndicator, ValidObservation
from app.trade.import_router import router as import_router
from app.trade.json_body import json_response
from app.trade.schemas import CheckOut, IndicatorOut, ObservationOut, SeriesOut
from app.trade.writes import INDICATOR, INDICATOR_CODE, OBSERVATION, IndicatorIn, ObservationIn
from app.vocabulary import (
    CHECK_KINDS,
    OBSERVATION_STATUSES,
    YEAR_MAX,
    YEAR_MIN,
    YEAR_PATTERN,
    in_words,
)
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

# A number in the document (pydantic would also offer a string for a Decimal).
Percent = Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100})]

router = APIRouter(tags=["trade"])

# CSV bodies stream after the handler returns, so they read through a session whose
# dependency closes only once the response is sent (the default "request" scope); reads
# have nothing to commit, so nothing is lost by committing late.
StreamingSessionDep = Annotated[Session, Depends(get_session)]

CodeList = Annotated[
    list[FilterValue] | None,
    Query(description="One or more codes, repeated or comma-separated; alpha-2/3, any case."),
]
# Closed vocabularies and years, comma-separated: the document says which values are taken.
StatusValue = Annotated[FilterValue, documented(one_of(OBSERVATION_STATUSES))]
KindValue = Annotated[FilterValue, documented(one_of(CHECK_KINDS))]
YearValue = Annotated[FilterValue, documented(listed(YEAR_PATTERN))]
AreaCode = Annotated[str, StringConstraints(pattern=r"^ *[A-Za-z]{2,3} *$")]
OutputFormat = Annotated[
    Literal["json", "csv"] | None,
    Query(alias="format", description="`csv` or `json`; default by `Accept` (JSON)."),
]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]
IndicatorCodeToWrite = Annotated[str, item_id(INDICATOR, alias="code", pattern=INDICATOR_CODE)]
ObservationIdToWrite = Annotated[str, item_id(OBSERVATION)]

OBSERVATIONS_CSV_EXAMPLE = (
    "id,reporter,partner,indicator,year,base_year,value,unit,precision,qualifier,status,"
    "preferred,source_id,derivation_formula,derivation_inputs,note\r\n"
    "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02,KAZ,SCO,trade_turnover,2023,,"
    "66000000000,USD,100000000,exact,reported,true,oq-gov-kz-2024-05-02,,,...\r\n"
)
SERIES_CSV_EXAMPLE = (
    "reporter,partner,indicator,unit,year,value,qualifier,status,observation_id,base_year,"
    "precision,source_id,members,members_as_of\r\n"
    "KAZ,SCO,trade_turnover,USD,2023,66000000000,exact,reported,"
    "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02,,100000000,oq-gov-kz-2024-05-02,"
    "CHN IND IRN KAZ KGZ PAK RUS TJK UZB,2023-12-31\r\n"
)


def _csv_alternative(example: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": f"{what} as JSON, or as CSV (`Accept: text/csv` or `?format=csv`).",
            "content": csv_export.openapi_content(example),
        }
    }


@router.get(
    "/trade/indicators",
    response_model=Page[IndicatorOut],
    operation_id="listTradeIndicators",
    responses=problem_responses(422),
)
def list_indicators(
    request: Request, response: Response, session: SessionDep, page: PageDep
) -> dict[str, Any]:
    """The statistical indicators observations are recorded in, by code."""
    return page_body(request, response, service.list_indicators(session, page))


@router.get(
    "/trade/observations",
    response_model=Page[ObservationOut],
    operation_id="listTradeObservations",
    responses={
        **_csv_alternative(OBSERVATIONS_CSV_EXAMPLE, "A page of observations"),
        **problem_responses(422),
    },
)
def list_observations(
    request: Request,
    session: StreamingSessionDep,
    page: PageDep,
    reporter: CodeList = None,
    partner: Annotated[
        list[FilterValue] | None,
        Query(
            description="Codes as for `reporter`; `SCO` matches figures recorded for the "
            "SCO member states of each year."
        ),
    ] = None,
    indicator: Annotated[
        list[FilterValue] | None, Query(description="Indicator codes, repeated or comma-separated.")
    ] = None,
    year: Annotated[
        list[YearValue] | None,
        Query(description=f"Years ({YEAR_MIN}-{YEAR_MAX}), repeated or comma-separated."),
    ] = None,
    year_from: Annotated[Year | None, Query()] = None,
    year_to: Annotated[Year | None, Query()] = None,
    status: Annotated[
        list[StatusValue] | None,
        Query(description=f"{in_words(OBSERVATION_STATUSES, None)}; several allowed."),
    ] = None,
    preferred: Annotated[
        bool | None, Query(description="Only the preferred figure of each key (true).")
    ] = None,
    include_derived: Annotated[bool, Query(description="`false` hides derived figures.")] = True,
    sort: Annotated[
        service.ObservationSort | None,
        Query(
            description="`year`, `-year`, `value` or `-value`; default reporter, partner, "
            "indicator, year. Ties always break on `id`."
        ),
    ] = None,
    output_format: OutputFormat = None,
    accept: AcceptHeader = None,
) -> Response:
    """Trade figures, each with its source or its derivation; JSON pages or one CSV."""
    query = service.ObservationQuery(
        reporter=split_values(reporter),
        partner=split_values(partner),
        indicator=split_values(indicator),
        year=split_values(year),
        year_from=year_from,
        year_to=year_to,
        status=split_values(status),
        preferred=preferred,
        include_derived=include_derived,
    )
    if not csv_export.wants_csv(output_format, accept):
        return _json_page(request, service.list_observations(session, query, sort, page))
    filename = "sco-trade-observations.csv"
    if "limit" in request.query_params or "cursor" in request.query_params:
        rows = service.list_observation_csv_rows(session, query, sort, page)
        return csv_export.csv_response(
            csv_export.encode(csv_export.OBSERVATION_COLUMNS, [rows.items]),
            filename=filename,
            headers=link_header(request, rows.next_cursor),
        )
    # Without `limit` or `cursor`, a CSV is a download of the whole answer, not a page.
    batches = service.observation_csv_batches(session, query, sort)
    return csv_export.csv_response(
        csv_export.encode(csv_export.OBSERVATION_COLUMNS, batches), filename=filename
    )


def _json_page(request: Request, paged: Paged[dict[str, Any]]) -> Response:
    """A page of trade objects, its exact decimals written as JSON numbers (`json_body`)."""
    return json_response(list_body(paged), headers=link_header(request, paged.next_cursor))


@router.get(
    "/trade/series",
    response_model=SeriesOut,
    operation_id="getTradeSeries",
    responses={**_csv_alternative(SERIES_CSV_EXAMPLE, "The series"), **problem_responses(422)},
)
def get_series(
    session: SessionDep,
    reporter: Annotated[AreaCode, Query(max_length=10, description="One area code.")],
    partner: Annotated[AreaCode, Query(max_length=10, description="One area code.")],
    indicator: Annotated[
        str, Query(pattern=r"^ *[a-z][a-z0-9_]{1,59} *$", description="One indicator.")
    ],
    include_derived: Annotated[
        bool, Query(description="`false`: only years whose preferred figure is not derived.")
    ] = True,
    output_format: OutputFormat = None,
    accept: AcceptHeader = None,
) -> Response:
    """One time series: the preferred figure of each year, with the caveats that concern it."""
    query = service.resolve_series_query(
        session, split_values([reporter]), split_values([partner]), indicator
    )
    points = service.series_points(session, query, include_derived=include_derived)
    head = {
        "reporter": query.reporter,
        "partner": query.partner,
        "indicator": query.indicator,
        "unit": query.unit,
    }
    if csv_export.wants_csv(output_format, accept):
        rows = [csv_export.series_row(head, point) for point in points]
        filename = f"sco-trade-series-{query.reporter}-{query.partner}-{query.indicator}.csv"
        return csv_export.csv_response(
            csv_export.encode(csv_export.SERIES_COLUMNS, [rows]), filename=filename.lower()
        )
    checks = [service.check_item(finding) for finding in service.series_checks(session, query)]
    return json_response({**head, "points": points, "checks": checks})


@router.get(
    "/trade/checks",
    response_model=Page[CheckOut],
    operation_id="listTradeChecks",
    responses=problem_responses(422),
)
def list_checks(
    request: Request,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[
        list[KindValue] | None,
        Query(description="Only these kinds (repeated or comma-separated)."),
    ] = None,
    mirror_tolerance: Annotated[
        Percent | None,
        Query(
            ge=0,
            le=100,
            description="The gap in percent between a declaration of exports and its mirror "
            "declaration of imports that `mirror_gap` lets pass (default 10).",
            examples=[10],
        ),
    ] = None,
) -> Response:
    """Where reported figures disagree with each other or with what they imply, by id."""
    checks = service.list_checks(session, split_values(kind), page, mirror_tolerance)
    return _json_page(request, checks)


@router.get(
    "/trade/indicators/{code}",
    response_model=IndicatorOut,
    operation_id="getTradeIndicator",
    responses=problem_responses(404, 422),
)
def get_indicator(indicator: ValidIndicator, session: SessionDep) -> Response:
    """One indicator by code."""
    return item_response(INDICATOR.represent(session, indicator))


@router.get(
    "/trade/observations/{id}",
    response_model=ObservationOut,
    operation_id="getTradeObservation",
    responses=problem_responses(404, 422),
)
def get_observation(observation: ValidObservation, session: SessionDep) -> Response:
    """One observation by id, with its source or derivation."""
    return item_response(OBSERVATION.represent(session, observation))


router.include_router(import_router)


# --- writes: indicators, and reported observations (derived ones follow from them) -------


@router.post("/trade/indicators", **create_route(INDICATOR))
def create_indicator(
    body: IndicatorIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add an indicator observations can be recorded in."""
    return respond(writes.create(session, INDICATOR, body, writer=writer, key=key))


@router.patch("/trade/indicators/{code}", **update_route(INDICATOR))
def update_indicator(
    code: IndicatorCodeToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change an indicator; derived figures are computed again."""
    return respond(writes.update(session, INDICATOR, code, changes, if_match=if_match))


@router.delete("/trade/indicators/{code}", **delete_route(INDICATOR))
def delete_indicator(
    code: IndicatorCodeToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete an indicator no observation is recorded in."""
    writes.remove(session, INDICATOR, code, if_match=if_match)
    return no_content()


@router.post("/trade/observations", **create_route(OBSERVATION))
def create_observation(
    body: ObservationIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Record a figure as one source published it; derived figures are computed again."""
    return respond(writes.create(session, OBSERVATION, body, writer=writer, key=key))


@router.patch("/trade/observations/{id}", **update_route(OBSERVATION))
def update_observation(
    observation_id: ObservationIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a reported figure (a derived one is a 409); derived figures follow."""
    answer = writes.update(session, OBSERVATION, observation_id, changes, if_match=if_match)
    return respond(answer)


@router.delete("/trade/observations/{id}", **delete_route(OBSERVATION))
def delete_observation(
    observation_id: ObservationIdToWrite,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Delete a reported figure (a derived one is a 409); derived figures follow."""
    writes.remove(session, OBSERVATION, observation_id, if_match=if_match)
    return no_content()
