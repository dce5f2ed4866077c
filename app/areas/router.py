"""HTTP routes of the areas domain: `/areas` and `/sco/members`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.areas import service
from app.areas.schemas import AreaOut, MembershipOut
from app.areas.writes import AREA
from app.db.dependencies import SessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.representation import item_response
from app.schemas import IsoDate
from app.vocabulary import AreaKind, MembershipStatus
from app.writes.routes import add_write_routes

router = APIRouter(tags=["areas"])

AreaCode = Annotated[
    str,
    Path(
        min_length=2,
        max_length=3,
        pattern=r"^[A-Za-z]{2,3}$",
        description="Alpha-3 or alpha-2 code, any case (`KAZ`, `kz`), or a group (`SCO`).",
    ),
]


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
    return item_response(AreaOut, service.get_area(session, code))


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


add_write_routes(
    router,
    AREA,
    collection_path="/areas",
    item_path="/areas/{code}",
    item_url=lambda code: f"/api/v1/areas/{code}",
)
