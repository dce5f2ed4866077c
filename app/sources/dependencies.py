"""Path parameters and load-or-404 dependencies of the sources domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.db.dependencies import SessionDep
from app.http.params import SLUG_PATTERN
from app.sources import service
from app.sources.models import Source

SourceId = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Source id (a slug).",
        examples=["kazinform-2024-04-30"],
    ),
]


def valid_source(source_id: SourceId, session: SessionDep) -> Source:
    """The source named in the path, or a 404."""
    return service.get_source(session, source_id)


ValidSource = Annotated[Source, Depends(valid_source)]
