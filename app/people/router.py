"""HTTP routes of the people domain: `/people`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response

from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.representation import item_response
from app.people import service
from app.people.dependencies import ValidPerson
from app.people.schemas import PersonOut
from app.people.writes import PERSON, PersonIn
from app.writes import service as writes
from app.writes.routes import (
    IdempotencyKeyDep,
    IfMatchDep,
    MergePatch,
    create_route,
    delete_route,
    item_id,
    no_content,
    respond,
    update_route,
)

router = APIRouter(tags=["people"])

PersonIdToWrite = Annotated[str, item_id(PERSON)]


@router.get(
    "/people",
    response_model=Page[PersonOut],
    operation_id="listPeople",
    responses=problem_responses(422),
)
def list_people(
    request: Request, response: Response, session: SessionDep, page: PageDep
) -> dict[str, Any]:
    """People named in the sources, with the posts they held, by id."""
    return page_body(request, response, service.list_people(session, page=page))


@router.get(
    "/people/{id}",
    response_model=PersonOut,
    operation_id="getPerson",
    responses=problem_responses(404, 422),
)
def get_person(person: ValidPerson, session: SessionDep) -> Response:
    """One person by id, with their posts."""
    return item_response(PERSON.represent(session, person))


@router.post("/people", **create_route(PERSON))
def create_person(
    body: PersonIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add a person with their posts; the id is made from the name when not given."""
    return respond(writes.create(session, PERSON, body, writer=writer, key=key))


@router.patch("/people/{id}", **update_route(PERSON))
def update_person(
    person_id: PersonIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a person (fields not named stay as they are)."""
    return respond(writes.update(session, PERSON, person_id, changes, if_match=if_match))


@router.delete("/people/{id}", **delete_route(PERSON))
def delete_person(
    person_id: PersonIdToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete a person, unless records still name them."""
    writes.remove(session, PERSON, person_id, if_match=if_match)
    return no_content()
