"""Path parameters and load-or-404 dependencies of the organizations domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.db.dependencies import SessionDep
from app.http.params import SLUG_PATTERN
from app.organizations import service
from app.organizations.models import Organization

OrganizationId = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Organization id (a slug).",
        examples=["sco-swg-trade-facilitation"],
    ),
]


def valid_organization(organization_id: OrganizationId, session: SessionDep) -> Organization:
    """The organization named in the path, or a 404."""
    return service.get_organization(session, organization_id)


ValidOrganization = Annotated[Organization, Depends(valid_organization)]
