"""Path parameters and load-or-404 dependencies of the people domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from app.http.loaders import load_or_404
from app.http.params import SLUG_PATTERN
from app.people import service
from app.people.models import Person

PERSON_ID = Path(
    alias="id",
    pattern=SLUG_PATTERN,
    description="Person id (a slug).",
    examples=["janel-kushukova"],
)

# The person named in the path, or a 404.
ValidPerson = Annotated[Person, load_or_404(PERSON_ID, service.get_person)]
