"""HTTP routes of the people domain: `/people`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response

from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.representation import item_response
from app.http.routes import item_route, list_route
from app.people import service
from app.people.dependencies import ValidPerson
from app.people.schemas import PersonOut
from app.people.writes import PERSON, PersonIn
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

router = APIRouter(tags=["people"])

PersonWrite = Annotated[ItemWrite, item_write(PERSON)]


@router.get("/people", **list_route(PersonOut, "listPeople"))
def list_people(session: SessionDep, page: PagingDep) -> dict[str, Any]:
    """People named in the sources, with the posts they held, by id."""
    return page.body(service.list_people(session, page=page.params))


@router.get("/people/{id}", **item_route(PersonOut, "getPerson"))
def get_person(person: ValidPerson, session: SessionDep) -> Response:
    """One person by id, with their posts."""
    return item_response(PERSON.represent(session, person))


@router.post("/people", **create_route(PERSON))
def create_person(body: PersonIn, write: CreationDep) -> Response:
    """Add a person with their posts; the id is made from the name when not given."""
    return write.create(PERSON, body)


@router.patch("/people/{id}", **update_route(PERSON))
def update_person(changes: MergePatch, write: PersonWrite) -> Response:
    """Change a person (fields not named stay as they are)."""
    return write.update(changes)


@router.delete("/people/{id}", **delete_route(PERSON))
def delete_person(write: PersonWrite) -> Response:
    """Delete a person, unless records still name them."""
    return write.delete()
