"""What the read operations declare alike, spread into their route decorators.

    @router.get("/people", **list_route(PersonOut, "listPeople"))
    @router.get("/people/{id}", **item_route(PersonOut, "getPerson"))
    @router.get("/trade/series", **named("getTradeSeries", one=True), response_model=SeriesOut)

A list answers a `Page` of its items and may be a 422 (a bad filter, limit or cursor);
one under an item (`/meetings/{id}/sessions`) or an item itself may also be a 404. Every
route states its operation id and a summary from `app.http.summaries` (never FastAPI's
Title Case of the handler's name): these declarations and those of writes
(`app.writes.routes`) make both; a route of its own takes them from `named`.
"""

from __future__ import annotations

from typing import Any, TypedDict

from pydantic import BaseModel

from app.errors import problem_responses
from app.http.pagination import Page
from app.http.summaries import summary_of


class RouteOptions(TypedDict, total=False):
    """The keyword arguments of a route decorator that these declarations set."""

    status_code: int
    response_model: Any
    operation_id: str
    summary: str
    description: str
    responses: dict[int | str, dict[str, Any]]
    openapi_extra: dict[str, Any]


class OperationName(TypedDict):
    """What `named` sets: both keys, always (so a decorator may add any of the others)."""

    operation_id: str
    summary: str


def named(operation_id: str, summary: str | None = None, *, one: bool = False) -> OperationName:
    """The operation id, and the summary (by default the id read as words; `one`: of one
    item, with its article)."""
    return OperationName(
        operation_id=operation_id, summary=summary or summary_of(operation_id, one=one)
    )


def list_route(
    item: type[BaseModel], operation_id: str, *, under_item: bool = False
) -> RouteOptions:
    """`GET` of a list of `item`s; `under_item`: the list of one item's parts (404 too)."""
    return RouteOptions(
        operation_id=operation_id,
        summary=summary_of(operation_id),
        response_model=Page[item],  # type: ignore[valid-type]
        responses=problem_responses(404, 422) if under_item else problem_responses(422),
    )


def item_route(item: type[BaseModel], operation_id: str) -> RouteOptions:
    """`GET` of one `item` by the id or code in the path."""
    return RouteOptions(
        operation_id=operation_id,
        summary=summary_of(operation_id, one=True),
        response_model=item,
        responses=problem_responses(404, 422),
    )
