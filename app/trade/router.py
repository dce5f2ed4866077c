"""HTTP routes of the trade domain: indicators, observations, series and checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import StringConstraints, WithJsonSchema
from sqlalchemy.orm import Session

from app.areas.service import resolve_area_codes
from app.db.dependencies import SessionDep, get_session
from app.db.keyset import Paged
from app.errors import problem_responses
from app.http.language import LanguageDep
from app.http.pagination import Page, PageDep, PagingDep, link_header, list_body
from app.http.params import FilterValue, documented, listed, one_of, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.http.routes import item_route, list_route, named
from app.schemas import Year
from app.trade import csv_export, service
from app.trade.dependencies import OBSERVATION_ID, ValidIndicator, ValidObservation
from app.trade.import_router import router as import_router
from app.trade.json_body import json_response
from app.trade.schemas import (
    CheckOut,
    IndicatorOut,
    ObservationOut,
    ObservationVersionOut,
    SeriesOut,
)
from app.trade.writes import INDICATOR, INDICATOR_CODE, OBSERVATION, IndicatorIn, ObservationIn
from app.vocabulary import (
    CHECK_KINDS,
    OBSERVATION_STATUSES,
    YEAR_MAX,
    YEAR_MIN,
    YEAR_PATTERN,
    in_words,
)
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

# A number in the document (pydantic would also offer a string for a Decimal).
Percent = Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100})]

router = APIRouter(tags=["trade"])

# CSV bodies stream after the handler returns, so they read through a session whose
# dependency closes only once the response is sent (the default "request" scope); reads
# have nothing to commit, so nothing is lost by committing late.
StreamingSessionDep = Annotated[Session, Depends(get_session)]

# Each filter names the service's check of its values, so that a 422 lists every bad one.
AREAS_CHECK = QueryCheck(resolve_area_codes)
INDICATORS_CHECK = QueryCheck(service.resolve_indicators)
CodeList = Annotated[
    list[FilterValue] | None,
    Query(description="One or more codes, repeated or comma-separated; alpha-2/3, any case."),
    AREAS_CHECK,
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
IndicatorWrite = Annotated[ItemWrite, item_write(INDICATOR, alias="code", pattern=INDICATOR_CODE)]
ObservationWrite = Annotated[ItemWrite, item_write(OBSERVATION)]
# Checked by the service (`resolve_as_of`), whose 422 says what a moment looks like; the
# document states the two forms it takes.
AS_OF_LENGTH = 40
AsOfText = Annotated[
    str,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date", "maxLength": AS_OF_LENGTH},
                {"type": "string", "format": "date-time", "maxLength": AS_OF_LENGTH},
            ]
        }
    ),
]
AsOf = Annotated[
    AsOfText | None,
    Query(
        max_length=AS_OF_LENGTH,
        description="The figures as they stood at this moment (DESIGN section 8, past "
        "releases): an RFC 3339 time (`2024-05-01T12:00:00Z`; encode `+` as `%2B`) or a date, "
        "which means the end of that day in UTC (today: now). Derived figures and `preferred` "
        "as they were then. Not after now.",
        examples=["2024-05-01"],
    ),
]

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


@router.get("/trade/indicators", **list_route(IndicatorOut, "listTradeIndicators"))
def list_indicators(session: SessionDep, page: PagingDep, language: LanguageDep) -> dict[str, Any]:
    """The statistical indicators observations are recorded in, by code."""
    return page.body(service.list_indicators(session, page.params, language))


@router.get(
    "/trade/observations",
    response_model=Page[ObservationOut],
    **named("listTradeObservations"),
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
        AREAS_CHECK,
    ] = None,
    indicator: Annotated[
        list[FilterValue] | None,
        Query(description="Indicator codes, repeated or comma-separated."),
        INDICATORS_CHECK,
    ] = None,
    year: Annotated[
        list[YearValue] | None,
        Query(description=f"Years ({YEAR_MIN}-{YEAR_MAX}), repeated or comma-separated."),
        QueryCheck.of_values(service.resolve_years),
    ] = None,
    year_from: Annotated[Year | None, Query()] = None,
    year_to: Annotated[Year | None, Query()] = None,
    status: Annotated[
        list[StatusValue] | None,
        Query(description=f"{in_words(OBSERVATION_STATUSES, None)}; several allowed."),
        QueryCheck.of_values(service.check_statuses),
    ] = None,
    preferred: Annotated[
        bool | None, Query(description="Only the preferred figure of each key (true).")
    ] = None,
    include_derived: Annotated[bool, Query(description="`false` hides derived figures.")] = True,
    as_of: AsOf = None,
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
        as_of=as_of,
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
    **named("getTradeSeries", one=True),
    responses={**_csv_alternative(SERIES_CSV_EXAMPLE, "The series"), **problem_responses(422)},
)
def get_series(
    session: SessionDep,
    reporter: Annotated[AreaCode, Query(max_length=10, description="One area code."), AREAS_CHECK],
    partner: Annotated[AreaCode, Query(max_length=10, description="One area code."), AREAS_CHECK],
    indicator: Annotated[
        str,
        Query(pattern=r"^ *[a-z][a-z0-9_]{1,59} *$", description="One indicator."),
        INDICATORS_CHECK,
    ],
    include_derived: Annotated[
        bool, Query(description="`false`: only years whose preferred figure is not derived.")
    ] = True,
    as_of: AsOf = None,
    output_format: OutputFormat = None,
    accept: AcceptHeader = None,
) -> Response:
    """One time series: the preferred figure of each year, with the caveats that concern it."""
    query = service.resolve_series_query(
        session, split_values([reporter]), split_values([partner]), indicator, as_of
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


@router.get("/trade/checks", **list_route(CheckOut, "listTradeChecks"))
def list_checks(
    request: Request,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[
        list[KindValue] | None,
        Query(description="Only these kinds (repeated or comma-separated)."),
        QueryCheck.of_values(service.resolve_check_kinds),
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


@router.get("/trade/indicators/{code}", **item_route(IndicatorOut, "getTradeIndicator"))
def get_indicator(
    indicator: ValidIndicator, session: SessionDep, language: LanguageDep
) -> Response:
    """One indicator by code."""
    return item_response(INDICATOR.represent(session, indicator, language))


@router.get("/trade/observations/{id}", **item_route(ObservationOut, "getTradeObservation"))
def get_observation(observation: ValidObservation, session: SessionDep) -> Response:
    """One observation by id, with its source or derivation."""
    return item_response(OBSERVATION.represent(session, observation))


@router.get(
    "/trade/observations/{id}/history",
    response_model=Page[ObservationVersionOut],
    **named("listTradeObservationVersions"),
    responses=problem_responses(404, 422),
)
def list_observation_versions(
    request: Request,
    session: SessionDep,
    page: PageDep,
    observation_id: Annotated[str, OBSERVATION_ID],
) -> Response:
    """Every version of one observation, newest first, each with the time span it stood.

    Each change to an observation (its value, qualifier, source, bounds, or whether it is the
    preferred figure) ends one version and starts the next at the same moment; a deleted
    observation's newest version ends when it was deleted.
    """
    return _json_page(request, service.list_versions(session, observation_id, page))


router.include_router(import_router)


# --- writes: indicators, and reported observations (derived ones follow from them) -------


@router.post("/trade/indicators", **create_route(INDICATOR))
def create_indicator(body: IndicatorIn, write: CreationDep, language: LanguageDep) -> Response:
    """Add an indicator observations can be recorded in."""
    return write.create(INDICATOR, body, language=language)


@router.patch("/trade/indicators/{code}", **update_route(INDICATOR))
def update_indicator(changes: MergePatch, write: IndicatorWrite, language: LanguageDep) -> Response:
    """Change an indicator (`name` sets the stored, English, name); derived figures are
    computed again."""
    return write.update(changes, language=language)


@router.delete("/trade/indicators/{code}", **delete_route(INDICATOR))
def delete_indicator(write: IndicatorWrite, language: LanguageDep) -> Response:
    """Delete an indicator no observation is recorded in."""
    return write.delete(language=language)


@router.post("/trade/observations", **create_route(OBSERVATION))
def create_observation(body: ObservationIn, write: CreationDep) -> Response:
    """Record a figure as one source published it; derived figures are computed again."""
    return write.create(OBSERVATION, body)


@router.patch("/trade/observations/{id}", **update_route(OBSERVATION))
def update_observation(changes: MergePatch, write: ObservationWrite) -> Response:
    """Change a reported figure (a derived one is a 409); derived figures follow."""
    return write.update(changes)


@router.delete("/trade/observations/{id}", **delete_route(OBSERVATION))
def delete_observation(write: ObservationWrite) -> Response:
    """Delete a reported figure (a derived one is a 409); derived figures follow."""
    return write.delete()
