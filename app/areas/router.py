"""HTTP routes of the areas domain: `/areas` and `/sco/members`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from app.areas import service
from app.areas.schemas import AreaOut, MembershipOut
from app.areas.writes import AREA, AreaIn
from app.db.dependencies import SessionDep
from app.http.language import LanguageDep
from app.http.pagination import PagingDep
from app.http.representation import item_response
from app.http.routes import item_route, list_route
from app.schemas import IsoDate
from app.vocabulary import AreaKind, MembershipStatus
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

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
AreaWrite = Annotated[ItemWrite, item_write(AREA, alias="code", pattern=AREA_CODE)]


@router.get("/areas", **list_route(AreaOut, "listAreas"))
def list_areas(
    session: SessionDep,
    page: PagingDep,
    language: LanguageDep,
    kind: Annotated[AreaKind | None, Query()] = None,
) -> dict[str, Any]:
    """Countries and country groups, by code."""
    return page.body(service.list_areas(session, kind=kind, page=page.params, language=language))


@router.get("/areas/{code}", **item_route(AreaOut, "getArea"))
def get_area(code: AreaCode, session: SessionDep, language: LanguageDep) -> Response:
    """One area by alpha-3 or alpha-2 code, in any case."""
    return item_response(AREA.represent(session, service.get_area(session, code), language))


@router.get("/sco/members", **list_route(MembershipOut, "listScoMembers"))
def list_sco_members(
    session: SessionDep,
    page: PagingDep,
    language: LanguageDep,
    as_of: Annotated[
        IsoDate | None,
        Query(description="Date to answer for (YYYY-MM-DD); default today (UTC)."),
    ] = None,
    status: Annotated[MembershipStatus, Query()] = "member",
) -> dict[str, Any]:
    """Who held an SCO status on a date: members by default."""
    return page.body(
        service.list_memberships(
            session, as_of=as_of, status=status, page=page.params, language=language
        )
    )


@router.post("/areas", **create_route(AREA))
def create_area(body: AreaIn, write: CreationDep, language: LanguageDep) -> Response:
    """Add a country or a group; codes are stored upper-case."""
    return write.create(AREA, body, language=language)


@router.patch("/areas/{code}", **update_route(AREA))
def update_area(changes: MergePatch, write: AreaWrite, language: LanguageDep) -> Response:
    """Change an area named by any of its codes (`name` sets the stored, English, name)."""
    stored_id = service.stored_code(write.session, write.identity)
    return write.update(changes, stored_id=stored_id, language=language)


@router.delete("/areas/{code}", **delete_route(AREA))
def delete_area(write: AreaWrite, language: LanguageDep) -> Response:
    """Delete an area named by any of its codes, unless records still name it."""
    stored_id = service.stored_code(write.session, write.identity)
    return write.delete(stored_id=stored_id, language=language)
