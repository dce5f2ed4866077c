"""Rules of the people domain."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.keyset import Paged, PageParams
from app.people.models import Person
from app.people.repository import PersonRepository


def get_person(session: Session, person_id: str) -> Person:
    return PersonRepository(session).get_or_raise(person_id)


def list_people(session: Session, *, page: PageParams) -> Paged[Person]:
    return PersonRepository(session).list_people(page)
