"""Path parameters and load-or-404 dependencies of the people domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.db.dependencies import SessionDep
from app.http.params import SLUG_PATTERN
from app.people import service
from app.people.models import Person

PersonId = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Person id (a slug).",
        examples=["janel-kushukova"],
    ),
]


def valid_person(person_id: PersonId, session: SessionDep) -> Person:
    """The person named in the path, or a 404."""
    return service.get_person(session, person_id)


ValidPerson = Annotated[Person, Depends(valid_person)]
