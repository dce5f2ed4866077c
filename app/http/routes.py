"""What the read operations declare alike, spread into their route decorators.

    @router.get("/people", **list_route(PersonOut, "listPeople"))
    @router.get("/people/{id}", **item_route(PersonOut, "getPerson"))

A list answers a `Page` of its items and may be a 422 (a bad filter, limit or cursor);
one under an item (`/meetings/{id}/sessions`) or an item itself may also be a 404. The
write operations' declarations are `app.writes.routes`.
"""

from __future__ import annotations

from typing import Any, TypedDict

from pydantic import BaseModel

from app.errors import problem_responses
from app.http.pagination import Page


class RouteOptions(TypedDict, total=False):
    """The keyword arguments of a route decorator that these declarations set."""

    status_code: int
    response_model: Any
    operation_id: str
    summary: str
    description: str
    responses: dict[int | str, dict[str, Any]]
    openapi_extra: dict[str, Any]


def list_route(
    item: type[BaseModel], operation_id: str, *, under_item: bool = False
) -> RouteOptions:
    """`GET` of a list of `item`s; `under_item`: the list of one item's parts (404 too)."""
    return RouteOptions(
        response_model=Page[item],  # type: ignore[valid-type]
        operation_id=operation_id,
        responses=problem_responses(404, 422) if under_item else problem_responses(422),
    )


def item_route(item: type[BaseModel], operation_id: str) -> RouteOptions:
    """`GET` of one `item` by the id or code in the path."""
    return RouteOptions(
        response_model=item, operation_id=operation_id, responses=problem_responses(404, 422)
    )
