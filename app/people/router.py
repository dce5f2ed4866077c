"""HTTP routes of the people domain: `/people`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from app.db.dependencies import SessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.representation import item_response
from app.people import service
from app.people.dependencies import ValidPerson
from app.people.schemas import PersonOut
from app.people.writes import PERSON
from app.writes.routes import add_write_routes

router = APIRouter(tags=["people"])


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
def get_person(person: ValidPerson) -> Response:
    """One person by id, with their posts."""
    return item_response(PersonOut, person)


add_write_routes(
    router,
    PERSON,
    collection_path="/people",
    item_path="/people/{id}",
    item_url=lambda identity: f"/api/v1/people/{identity}",
)
