"""HTTP routes of the organizations domain: `/organizations`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.db.dependencies import SessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.params import FilterValue, split_values
from app.http.representation import item_response
from app.organizations import service
from app.organizations.dependencies import ValidOrganization
from app.organizations.schemas import OrganizationOut
from app.organizations.writes import ORGANIZATION
from app.vocabulary import SLUG_PATTERN, OrganizationKind
from app.writes.routes import add_write_routes

router = APIRouter(tags=["organizations"])


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
    ] = None,
    parent_id: Annotated[
        str | None,
        Query(
            pattern=SLUG_PATTERN,
            description="Only the direct sub-bodies of this organization.",
            examples=["sco"],
        ),
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
def get_organization(organization: ValidOrganization) -> Response:
    """One organization by id."""
    return item_response(OrganizationOut, organization)


add_write_routes(
    router,
    ORGANIZATION,
    collection_path="/organizations",
    item_path="/organizations/{id}",
    item_url=lambda identity: f"/api/v1/organizations/{identity}",
)
