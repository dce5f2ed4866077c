"""HTTP routes of the organizations domain: `/organizations`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from app.areas.service import resolve_area_codes
from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.params import FilterValue, country_filter, id_filter, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.http.routes import item_route, list_route
from app.organizations import service
from app.organizations.dependencies import ValidOrganization
from app.organizations.schemas import OrganizationOut
from app.organizations.writes import ORGANIZATION, OrganizationIn
from app.vocabulary import OrganizationKind
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

router = APIRouter(tags=["organizations"])

OrganizationWrite = Annotated[ItemWrite, item_write(ORGANIZATION)]


@router.get("/organizations", **list_route(OrganizationOut, "listOrganizations"))
def list_organizations(
    session: SessionDep,
    page: PagingDep,
    kind: Annotated[OrganizationKind | None, Query()] = None,
    country: Annotated[
        list[FilterValue] | None, country_filter("Home country"), QueryCheck(resolve_area_codes)
    ] = None,
    parent_id: Annotated[
        str | None,
        id_filter("Only the direct sub-bodies of this organization.", "sco"),
        QueryCheck(service.require_known),
    ] = None,
) -> dict[str, Any]:
    """Bodies, ministries, agencies, associations and media, by id."""
    organizations = service.list_organizations(
        session, kind=kind, countries=split_values(country), parent_id=parent_id, page=page.params
    )
    return page.body(organizations)


@router.get("/organizations/{id}", **item_route(OrganizationOut, "getOrganization"))
def get_organization(organization: ValidOrganization, session: SessionDep) -> Response:
    """One organization by id."""
    return item_response(ORGANIZATION.represent(session, organization))


@router.post("/organizations", **create_route(ORGANIZATION))
def create_organization(body: OrganizationIn, write: CreationDep) -> Response:
    """Add an organization; its id is made from its name when not given."""
    return write.create(ORGANIZATION, body)


@router.patch("/organizations/{id}", **update_route(ORGANIZATION))
def update_organization(changes: MergePatch, write: OrganizationWrite) -> Response:
    """Change an organization (fields not named stay as they are)."""
    return write.update(changes)


@router.delete("/organizations/{id}", **delete_route(ORGANIZATION))
def delete_organization(write: OrganizationWrite) -> Response:
    """Delete an organization, unless records still name it."""
    return write.delete()
