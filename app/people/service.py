"""Rules of the people domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.errors import NotFound
from app.people import repository
from app.people.models import Person


def get_person(session: Session, person_id: str) -> Person:
    person = repository.get_person(session, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}.")
    return person
