"""Queries of the organizations domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db.keyset import Paged, PageParams, SortKey
from app.db.repository import Repository
from app.organizations.models import Organization

ORGANIZATION_ORDER = (SortKey(Organization.id),)


class OrganizationRepository(Repository[Organization, str]):
    model = Organization
    # Everything an `OrganizationOut` reads besides the row itself.
    load = (selectinload(Organization.source_links),)

    def list_organizations(
        self,
        *,
        kind: str | None,
        countries: list[str],
        parent_id: str | None,
        page: PageParams,
    ) -> Paged[Organization]:
        statement = select(Organization).options(*self.load)
        if kind is not None:
            statement = statement.where(Organization.kind == kind)
        if countries:
            statement = statement.where(Organization.country.in_(countries))
        if parent_id is not None:
            statement = statement.where(Organization.parent_id == parent_id)
        return self.page(statement, ORGANIZATION_ORDER, page)
