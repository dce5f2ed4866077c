"""HTTP routes of the organizations domain: `/organizations`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.areas.service import resolve_area_codes
from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.params import FilterValue, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.organizations import service
from app.organizations.dependencies import ValidOrganization
from app.organizations.schemas import OrganizationOut
from app.organizations.writes import ORGANIZATION, OrganizationIn
from app.vocabulary import SLUG_PATTERN, OrganizationKind
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

router = APIRouter(tags=["organizations"])

OrganizationIdToWrite = Annotated[str, item_id(ORGANIZATION)]


@router.get(
    "/organizations",
    response_model=Page[OrganizationOut],
    operation_id="listOrganizations",
    responses=problem_responses(422),
)
def list_organizations(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    kind: Annotated[OrganizationKind | None, Query()] = None,
    country: Annotated[
        list[FilterValue] | None,
        Query(
            description="Home country: alpha-3 or alpha-2, any case; several by repetition "
            "or comma.",
            examples=["KAZ"],
        ),
        QueryCheck(resolve_area_codes),
    ] = None,
    parent_id: Annotated[
        str | None,
        Query(
            pattern=SLUG_PATTERN,
            description="Only the direct sub-bodies of this organization.",
            examples=["sco"],
        ),
        QueryCheck(service.require_known),
    ] = None,
) -> dict[str, Any]:
    """Bodies, ministries, agencies, associations and media, by id."""
    organizations = service.list_organizations(
        session, kind=kind, countries=split_values(country), parent_id=parent_id, page=page
    )
    return page_body(request, response, organizations)


@router.get(
    "/organizations/{id}",
    response_model=OrganizationOut,
    operation_id="getOrganization",
    responses=problem_responses(404, 422),
)
def get_organization(organization: ValidOrganization, session: SessionDep) -> Response:
    """One organization by id."""
    return item_response(ORGANIZATION.represent(session, organization))


@router.post("/organizations", **create_route(ORGANIZATION))
def create_organization(
    body: OrganizationIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add an organization; its id is made from its name when not given."""
    return respond(writes.create(session, ORGANIZATION, body, writer=writer, key=key))


@router.patch("/organizations/{id}", **update_route(ORGANIZATION))
def update_organization(
    organization_id: OrganizationIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change an organization (fields not named stay as they are)."""
    return respond(
        writes.update(session, ORGANIZATION, organization_id, changes, if_match=if_match)
    )


@router.delete("/organizations/{id}", **delete_route(ORGANIZATION))
def delete_organization(
    organization_id: OrganizationIdToWrite,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Delete an organization, unless records still name it."""
    writes.remove(session, ORGANIZATION, organization_id, if_match=if_match)
    return no_content()
