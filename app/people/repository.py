"""Queries of the people domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db.keyset import Paged, PageParams, SortKey
from app.db.repository import Repository
from app.people.models import Person

PERSON_ORDER = (SortKey(Person.id),)


class PersonRepository(Repository[Person, str]):
    model = Person
    # Everything a `PersonOut` reads besides the row itself.
    load = (selectinload(Person.posts), selectinload(Person.source_links))

    def list_people(self, page: PageParams) -> Paged[Person]:
        return self.page(select(Person).options(*self.load), PERSON_ORDER, page)
