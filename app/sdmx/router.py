"""SDMX REST 2.1 under `/sdmx/2.1`: structure queries and data queries (DESIGN section 9).

The routes are left out of the OpenAPI document: SDMX REST is a standard of its own (its
own OpenAPI description, `sdmx-twg/sdmx-rest`), its bodies are XML and CSV messages that
JSON Schema cannot describe, and its 400s follow SDMX rather than the API's 422s. README
"SDMX" documents them; tests/sdmx holds them to the standard's schemas and to `sdmx1`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from app.db.dependencies import SessionDep, get_session
from app.sdmx import media, queries, sdmx_csv, sdmx_json, sdmx_ml, service

PREFIX = "/sdmx/2.1"

router = APIRouter(prefix=PREFIX, include_in_schema=False, default_response_class=Response)

# A data answer is written while it is read: its session closes once the answer is sent.
StreamingSessionDep = Annotated[Session, Depends(get_session)]
AcceptHeader = Annotated[str | None, Header()]
StartPeriod = Annotated[str | None, Query(alias="startPeriod")]
EndPeriod = Annotated[str | None, Query(alias="endPeriod")]
UpdatedAfter = Annotated[str | None, Query(alias="updatedAfter")]
FirstN = Annotated[str | None, Query(alias="firstNObservations")]
LastN = Annotated[str | None, Query(alias="lastNObservations")]
Detail = Annotated[str | None, Query()]
AtObservation = Annotated[str | None, Query(alias="dimensionAtObservation")]
IncludeHistory = Annotated[str | None, Query(alias="includeHistory")]
References = Annotated[str | None, Query()]

# The types each answers, which the negotiation layer reads (406 when `Accept` admits none).
DATA_TYPES = media.responses(media.DATA_TYPES)
STRUCTURE_TYPES = media.responses(media.STRUCTURE_TYPES)


class DataParameters:
    """The query parameters of a data query, as given (`queries.data_query` reads them)."""

    def __init__(
        self,
        start_period: StartPeriod = None,
        end_period: EndPeriod = None,
        updated_after: UpdatedAfter = None,
        first_n: FirstN = None,
        last_n: LastN = None,
        detail: Detail = None,
        at_observation: AtObservation = None,
        include_history: IncludeHistory = None,
    ) -> None:
        given = {
            "startPeriod": start_period,
            "endPeriod": end_period,
            "updatedAfter": updated_after,
            "firstNObservations": first_n,
            "lastNObservations": last_n,
            "detail": detail,
            "dimensionAtObservation": at_observation,
            "includeHistory": include_history,
        }
        self.values = {name: value for name, value in given.items() if value is not None}


DataParametersDep = Annotated[DataParameters, Depends()]


def _data(
    session: Session,
    flow_ref: str,
    key: str | None,
    provider_ref: str | None,
    parameters: DataParameters,
    accept: str | None,
) -> Response:
    query = queries.data_query(flow_ref, key, provider_ref, parameters.values)
    media_type, chosen = media.choose(accept, media.DATA_TYPES)
    answer = service.data(session, query)
    if chosen == "json":
        body = sdmx_json.data_message(answer.header, answer.catalogue, answer.series, query.detail)
        return Response(body, media_type=media_type)
    if chosen == "csv":
        return StreamingResponse(
            sdmx_csv.data_message(answer.series, query.detail), media_type=media_type
        )
    chunks = sdmx_ml.generic_data(answer.header, answer.series, query.detail)
    return StreamingResponse(chunks, media_type=media_type)


@router.get("/data/{flow_ref}", responses=DATA_TYPES)
def data_of_flow(
    session: StreamingSessionDep,
    flow_ref: str,
    parameters: DataParametersDep,
    accept: AcceptHeader = None,
) -> Response:
    """Every series of a dataflow (`TRADE`, `SCOTRADE,TRADE`, `SCOTRADE,TRADE,1.0`)."""
    return _data(session, flow_ref, None, None, parameters, accept)


@router.get("/data/{flow_ref}/{key}", responses=DATA_TYPES)
def data_of_key(
    session: StreamingSessionDep,
    flow_ref: str,
    key: str,
    parameters: DataParametersDep,
    accept: AcceptHeader = None,
) -> Response:
    """The series of a key (`A.KAZ.SCO.trade_turnover`; `+` between values; empty: any)."""
    return _data(session, flow_ref, key, None, parameters, accept)


@router.get("/data/{flow_ref}/{key}/{provider_ref}", responses=DATA_TYPES)
def data_of_provider(
    session: StreamingSessionDep,
    flow_ref: str,
    key: str,
    provider_ref: str,
    parameters: DataParametersDep,
    accept: AcceptHeader = None,
) -> Response:
    """As the key alone, from the data provider `all` (this service has no other)."""
    return _data(session, flow_ref, key, provider_ref, parameters, accept)


def _structure(
    session: Session,
    resource: str,
    path: str | None,
    references: str | None,
    detail: str | None,
    accept: str | None,
) -> Response:
    query = queries.structure_query(resource, path, references=references, detail=detail)
    media_type, _ = media.choose(accept, media.STRUCTURE_TYPES)
    answer = service.structure(session, query)
    return Response(
        sdmx_ml.structure_message(answer.header, answer.artefacts), media_type=media_type
    )


@router.get("/{resource}", responses=STRUCTURE_TYPES)
def structures_of_resource(
    session: SessionDep,
    resource: str,
    references: References = None,
    detail: Detail = None,
    accept: AcceptHeader = None,
) -> Response:
    """Every artefact of a resource (`/dataflow`, `/codelist`...) of every agency."""
    return _structure(session, resource, None, references, detail, accept)


@router.get("/{resource}/{path:path}", responses=STRUCTURE_TYPES)
def structures(
    session: SessionDep,
    resource: str,
    path: str,
    references: References = None,
    detail: Detail = None,
    accept: AcceptHeader = None,
) -> Response:
    """Dataflows, data structures, concept schemes and code lists as SDMX-ML structure
    messages: `/{resource}/{agencyID}/{resourceID}/{version}`, the parts after the resource
    defaulting to `all`, `all`, `latest` (`/dataflow/SCOTRADE/TRADE/latest?references=all`)."""
    return _structure(session, resource, path, references, detail, accept)
