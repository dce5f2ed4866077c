"""Queries of the people domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.http.pagination import PageParams, SortKey, apply_keyset
from app.people.models import Person

PERSON_ORDER = (SortKey(Person.id),)
# Everything a `PersonOut` reads besides the row itself.
PERSON_LOAD = (selectinload(Person.posts), selectinload(Person.source_links))


def list_people(session: Session, *, page: PageParams) -> list[Person]:
    statement = select(Person).options(*PERSON_LOAD)
    return list(session.scalars(apply_keyset(statement, PERSON_ORDER, page)))


def get_person(session: Session, person_id: str) -> Person | None:
    return session.get(Person, person_id, options=PERSON_LOAD)
