"""The load-or-404 dependency of the organizations domain."""

from __future__ import annotations

from typing import Annotated

from app.http.loaders import load_or_404, slug_path
from app.organizations import service
from app.organizations.models import Organization

# The organization named in the path, or a 404.
ValidOrganization = Annotated[
    Organization,
    load_or_404(slug_path("Organization", "sco-swg-trade-facilitation"), service.get_organization),
]
