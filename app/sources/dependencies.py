"""Path parameters and load-or-404 dependencies of the sources domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from app.http.loaders import load_or_404
from app.http.params import SLUG_PATTERN
from app.sources import service
from app.sources.models import Source

SOURCE_ID = Path(
    alias="id",
    pattern=SLUG_PATTERN,
    description="Source id (a slug).",
    examples=["kazinform-2024-04-30"],
)

# The source named in the path, or a 404.
ValidSource = Annotated[Source, load_or_404(SOURCE_ID, service.get_source)]
