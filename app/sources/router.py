"""HTTP routes of the sources domain: `/sources`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.db.dependencies import SessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.representation import item_response
from app.sources import service
from app.sources.dependencies import ValidSource
from app.sources.schemas import SourceOut
from app.sources.writes import SOURCE
from app.vocabulary import SLUG_PATTERN
from app.writes.routes import add_write_routes

router = APIRouter(tags=["sources"])


@router.get(
    "/sources",
    response_model=Page[SourceOut],
    operation_id="listSources",
    responses=problem_responses(422),
)
def list_sources(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    publisher_id: Annotated[
        str | None,
        Query(
            pattern=SLUG_PATTERN,
            description="Only sources published by this organization.",
            examples=["kazinform"],
        ),
    ] = None,
) -> dict[str, Any]:
    """The publications every fact is traced to, by id."""
    sources = service.list_sources(session, publisher_id=publisher_id, page=page)
    return page_body(request, response, sources)


@router.get(
    "/sources/{id}",
    response_model=SourceOut,
    operation_id="getSource",
    responses=problem_responses(404, 422),
)
def get_source(source: ValidSource) -> Response:
    """One source by id."""
    return item_response(SourceOut, source)


add_write_routes(
    router,
    SOURCE,
    collection_path="/sources",
    item_path="/sources/{id}",
    item_url=lambda identity: f"/api/v1/sources/{identity}",
)
