"""Path parameters and load-or-404 dependencies of the organizations domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from app.http.loaders import load_or_404
from app.http.params import SLUG_PATTERN
from app.organizations import service
from app.organizations.models import Organization

ORGANIZATION_ID = Path(
    alias="id",
    pattern=SLUG_PATTERN,
    description="Organization id (a slug).",
    examples=["sco-swg-trade-facilitation"],
)

# The organization named in the path, or a 404.
ValidOrganization = Annotated[Organization, load_or_404(ORGANIZATION_ID, service.get_organization)]
