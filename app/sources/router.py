"""HTTP routes of the sources domain: `/sources`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response

from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.params import id_filter
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.http.routes import item_route, list_route
from app.organizations import service as organization_service
from app.sources import service
from app.sources.dependencies import ValidSource
from app.sources.schemas import SourceOut
from app.sources.writes import SOURCE, SourceIn
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

router = APIRouter(tags=["sources"])

SourceWrite = Annotated[ItemWrite, item_write(SOURCE)]


@router.get("/sources", **list_route(SourceOut, "listSources"))
def list_sources(
    session: SessionDep,
    page: PagingDep,
    publisher_id: Annotated[
        str | None,
        id_filter("Only sources published by this organization.", "kazinform"),
        QueryCheck(organization_service.require_known),
    ] = None,
) -> dict[str, Any]:
    """The publications every fact is traced to, by id."""
    return page.body(service.list_sources(session, publisher_id=publisher_id, page=page.params))


@router.get("/sources/{id}", **item_route(SourceOut, "getSource"))
def get_source(source: ValidSource, session: SessionDep) -> Response:
    """One source by id."""
    return item_response(SOURCE.represent(session, source))


@router.post("/sources", **create_route(SOURCE))
def create_source(body: SourceIn, write: CreationDep) -> Response:
    """Add a source; its id is made from its title when not given."""
    return write.create(SOURCE, body)


@router.patch("/sources/{id}", **update_route(SOURCE))
def update_source(changes: MergePatch, write: SourceWrite) -> Response:
    """Change a source; the preferred figures are picked again."""
    return write.update(changes)


@router.delete("/sources/{id}", **delete_route(SOURCE))
def delete_source(write: SourceWrite) -> Response:
    """Delete a source, unless figures or records still cite it."""
    return write.delete()
