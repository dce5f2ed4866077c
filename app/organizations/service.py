"""Rules of the organizations domain: lookups, and checks other domains use for references."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.areas import service as area_service
from app.errors import REFERENCE_ERROR, NotFound, ValidationFailed
from app.http.pagination import PageParams
from app.organizations import repository
from app.organizations.models import Organization


def get_organization(session: Session, organization_id: str) -> Organization:
    organization = repository.get_organization(session, organization_id)
    if organization is None:
        raise NotFound(f"No organization with id {organization_id!r}.")
    return organization


def require_known(session: Session, organization_ids: list[str], *, field: str) -> None:
    """422 naming `field` when a filter refers to organizations that do not exist."""
    known = repository.existing_ids(session, organization_ids)
    unknown = [oid for oid in organization_ids if oid not in known]
    if unknown:
        raise ValidationFailed.for_field(
            field, f"unknown organization id(s): {', '.join(unknown)}", kind=REFERENCE_ERROR
        )


def list_organizations(
    session: Session,
    *,
    kind: str | None,
    countries: list[str],
    parent_id: str | None,
    page: PageParams,
) -> list[Organization]:
    codes = area_service.resolve_area_codes(session, countries, field="query.country")
    if parent_id is not None:
        require_known(session, [parent_id], field="query.parent_id")
    return repository.list_organizations(
        session, kind=kind, countries=codes, parent_id=parent_id, page=page
    )
