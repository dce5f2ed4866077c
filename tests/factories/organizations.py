"""Request bodies of `/organizations`."""

from __future__ import annotations

from app.vocabulary import OrganizationKind
from tests.factories import Body, present


def organization_body(
    name: str = "Test Ministry",
    *,
    id: str | None = None,
    kind: OrganizationKind = "ministry",
    country: str | None = None,
) -> Body:
    """A new organization; without `id` the API derives one from the name."""
    return present(id=id, name=name, kind=kind, country=country)
