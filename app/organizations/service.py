"""Rules of the organizations domain: lookups, and checks other domains use for references."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.areas import service as area_service
from app.db.keyset import Paged, PageParams
from app.organizations.models import Organization
from app.organizations.repository import OrganizationRepository


def get_organization(session: Session, organization_id: str) -> Organization:
    return OrganizationRepository(session).get_or_raise(organization_id)


def require_known(session: Session, organization_ids: list[str], *, field: str) -> None:
    """422 naming `field` when a filter refers to organizations that do not exist."""
    OrganizationRepository(session).require_known(organization_ids, field=field)


def list_organizations(
    session: Session,
    *,
    kind: str | None,
    countries: list[str],
    parent_id: str | None,
    page: PageParams,
) -> Paged[Organization]:
    codes = area_service.resolve_area_codes(session, countries, field="query.country")
    if parent_id is not None:
        require_known(session, [parent_id], field="query.parent_id")
    return OrganizationRepository(session).list_organizations(
        kind=kind, countries=codes, parent_id=parent_id, page=page
    )
