"""Queries of the organizations domain."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.http.pagination import PageParams, SortKey, apply_keyset
from app.organizations.models import Organization

ORGANIZATION_ORDER = (SortKey(Organization.id),)
# Everything an `OrganizationOut` reads besides the row itself.
ORGANIZATION_LOAD = (selectinload(Organization.source_links),)


def list_organizations(
    session: Session,
    *,
    kind: str | None,
    countries: list[str],
    parent_id: str | None,
    page: PageParams,
) -> list[Organization]:
    statement = select(Organization).options(*ORGANIZATION_LOAD)
    if kind is not None:
        statement = statement.where(Organization.kind == kind)
    if countries:
        statement = statement.where(Organization.country.in_(countries))
    if parent_id is not None:
        statement = statement.where(Organization.parent_id == parent_id)
    return list(session.scalars(apply_keyset(statement, ORGANIZATION_ORDER, page)))


def get_organization(session: Session, organization_id: str) -> Organization | None:
    return session.get(Organization, organization_id, options=ORGANIZATION_LOAD)


def existing_ids(session: Session, organization_ids: Iterable[str]) -> set[str]:
    """The subset of `organization_ids` that name stored organizations."""
    wanted = set(organization_ids)
    if not wanted:
        return set()
    return set(session.scalars(select(Organization.id).where(Organization.id.in_(wanted))))
