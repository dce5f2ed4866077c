"""HTTP routes of the sources domain: `/sources`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.organizations import service as organization_service
from app.sources import service
from app.sources.dependencies import ValidSource
from app.sources.schemas import SourceOut
from app.sources.writes import SOURCE, SourceIn
from app.vocabulary import SLUG_PATTERN
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

router = APIRouter(tags=["sources"])

SourceIdToWrite = Annotated[str, item_id(SOURCE)]


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
        QueryCheck(organization_service.require_known),
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
def get_source(source: ValidSource, session: SessionDep) -> Response:
    """One source by id."""
    return item_response(SOURCE.represent(session, source))


@router.post("/sources", **create_route(SOURCE))
def create_source(
    body: SourceIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add a source; its id is made from its title when not given."""
    return respond(writes.create(session, SOURCE, body, writer=writer, key=key))


@router.patch("/sources/{id}", **update_route(SOURCE))
def update_source(
    source_id: SourceIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a source; the preferred figures are picked again."""
    return respond(writes.update(session, SOURCE, source_id, changes, if_match=if_match))


@router.delete("/sources/{id}", **delete_route(SOURCE))
def delete_source(
    source_id: SourceIdToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete a source, unless figures or records still cite it."""
    writes.remove(session, SOURCE, source_id, if_match=if_match)
    return no_content()
