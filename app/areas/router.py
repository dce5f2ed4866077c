"""HTTP routes of the areas domain: `/areas` and `/sco/members`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.areas import service
from app.areas.schemas import AreaOut, MembershipOut
from app.areas.writes import AREA, AreaIn
from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.representation import item_response
from app.schemas import IsoDate
from app.vocabulary import AreaKind, MembershipStatus
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

router = APIRouter(tags=["areas"])

AREA_CODE = r"^[A-Za-z]{2,3}$"
AreaCode = Annotated[
    str,
    Path(
        min_length=2,
        max_length=3,
        pattern=AREA_CODE,
        description="Alpha-3 or alpha-2 code, any case (`KAZ`, `kz`), or a group (`SCO`).",
    ),
]
AreaCodeToWrite = Annotated[str, item_id(AREA, alias="code", pattern=AREA_CODE)]


@router.get(
    "/areas",
    response_model=Page[AreaOut],
    operation_id="listAreas",
    responses=problem_responses(422),
)
def list_areas(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[AreaKind | None, Query()] = None,
) -> dict[str, Any]:
    """Countries and country groups, by code."""
    return page_body(request, response, service.list_areas(session, kind=kind, page=page))


@router.get(
    "/areas/{code}",
    response_model=AreaOut,
    operation_id="getArea",
    responses=problem_responses(404, 422),
)
def get_area(code: AreaCode, session: SessionDep) -> Response:
    """One area by alpha-3 or alpha-2 code, in any case."""
    return item_response(AREA.represent(session, service.get_area(session, code)))


@router.get(
    "/sco/members",
    response_model=Page[MembershipOut],
    operation_id="listScoMembers",
    responses=problem_responses(422),
)
def list_sco_members(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    as_of: Annotated[
        IsoDate | None,
        Query(description="Date to answer for (YYYY-MM-DD); default today (UTC)."),
    ] = None,
    status: Annotated[MembershipStatus, Query()] = "member",
) -> dict[str, Any]:
    """Who held an SCO status on a date: members by default."""
    members = service.list_memberships(session, as_of=as_of, status=status, page=page)
    return page_body(request, response, members)


@router.post("/areas", **create_route(AREA))
def create_area(
    body: AreaIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add a country or a group; codes are stored upper-case."""
    return respond(writes.create(session, AREA, body, writer=writer, key=key))


@router.patch("/areas/{code}", **update_route(AREA))
def update_area(
    code: AreaCodeToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change an area named by any of its codes."""
    stored = service.stored_code(session, code)
    return respond(writes.update(session, AREA, stored, changes, if_match=if_match))


@router.delete("/areas/{code}", **delete_route(AREA))
def delete_area(
    code: AreaCodeToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete an area named by any of its codes, unless records still name it."""
    writes.remove(session, AREA, service.stored_code(session, code), if_match=if_match)
    return no_content()
