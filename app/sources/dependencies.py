"""The load-or-404 dependency of the sources domain."""

from __future__ import annotations

from typing import Annotated

from app.http.loaders import load_or_404, slug_path
from app.sources import service
from app.sources.models import Source

# The source named in the path, or a 404.
ValidSource = Annotated[
    Source, load_or_404(slug_path("Source", "kazinform-2024-04-30"), service.get_source)
]
