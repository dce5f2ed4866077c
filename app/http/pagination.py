"""The HTTP side of every list: the `{items, next_cursor}` body, `?limit=&cursor=`, `Link`.

Paging itself (orderings, cursors, the row that says more follow) is `app.db.keyset`: a
handler takes `page: PagingDep`, passes `page.params` to its service and answers the `Paged`
it gets with `page.body(...)`; or, when it builds its own `Response`, takes `PageDep` and
answers with `list_body` and `link_header`. `page_params` seals the
page's cursors with the installation's key and a digest of the path and the parameters
that choose the rows (`app.http.query.rows_digest`), so a cursor only continues the list
it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.container import container_of
from app.db.keyset import DEFAULT_LIMIT, MAX_LIMIT, CursorSeal, Paged, PageParams
from app.http.query import rows_digest

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None = Field(default=None, examples=[None])


async def page_params(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=1000, description="Opaque cursor from a previous `next_cursor`."),
    ] = None,
) -> PageParams:
    """The page asked for; its cursors are sealed for this list and these filters."""
    # async: nothing to wait for, so no trip to the thread pool.
    seal = CursorSeal(key=container_of(request).settings.cursor_key(), query=rows_digest(request))
    return PageParams(limit=limit, cursor=cursor, seal=seal)


PageDep = Annotated[PageParams, Depends(page_params)]


def link_header(request: Request, next_cursor: str | None) -> dict[str, str]:
    """`Link: <this URL with the next cursor>; rel="next"` while more follow (else none)."""
    if next_cursor is None:
        return {}
    return {"Link": f'<{request.url.include_query_params(cursor=next_cursor)}>; rel="next"'}


def list_body(paged: Paged[T]) -> dict[str, Any]:
    return {"items": paged.items, "next_cursor": paged.next_cursor}


def page_body(request: Request, response: Response, paged: Paged[T]) -> dict[str, Any]:
    """The list body of `paged` (its `response_model` is a `Page`), its `Link` on `response`."""
    response.headers.update(link_header(request, paged.next_cursor))
    return list_body(paged)


@dataclass(frozen=True)
class Paging:
    """A list handler's page: what the query asks for, and where its `Link` goes."""

    params: PageParams
    request: Request
    response: Response

    def body(self, paged: Paged[Any]) -> dict[str, Any]:
        """The list body of `paged` (the route's `response_model` is a `Page`), with its `Link`."""
        return page_body(self.request, self.response, paged)


async def paging(request: Request, response: Response, params: PageDep) -> Paging:
    # async: nothing to wait for, so no trip to the thread pool.
    return Paging(params=params, request=request, response=response)


PagingDep = Annotated[Paging, Depends(paging)]
