"""`GET /search`: ranked full-text search over the records people look for."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.params import FilterValue, documented, one_of, split_values
from app.http.query import QueryCheck
from app.http.routes import list_route
from app.schemas import OutModel
from app.search import service
from app.search.documents import SEARCHABLE

router = APIRouter(tags=["search"])

SearchType = Literal["meeting", "session", "report", "source", "organization", "person"]


class SearchHit(OutModel):
    type: SearchType = Field(examples=["session"])
    id: str = Field(examples=["2024-04-30-astana-swg-trade-facilitation-session-3"])
    title: str = Field(examples=["Trade and logistics relations: the Trans-Caspian route"])
    snippet: str = Field(
        description="Matching text; matched words are wrapped in `<mark>`…`</mark>`.",
        examples=[
            "… the work of the <mark>Middle</mark> <mark>Corridor</mark> and future intentions …"
        ],
    )


@router.get("/search", **list_route(SearchHit, "search"))
def search(
    session: SessionDep,
    page: PagingDep,
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=200,
            # Printable text with at least two characters other than spaces.
            pattern=r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*[^\x00-\x20\x7f]"
            r"[^\x00-\x1f\x7f]*$",
            description="Words to find (at least 2 characters).",
        ),
    ],
    type: Annotated[
        list[Annotated[FilterValue, documented(one_of(SEARCHABLE))]] | None,
        Query(description="Only these types (repeat or comma-separate)."),
        QueryCheck.of_values(service.check_types),
    ] = None,
) -> dict[str, Any]:
    """Meetings, sessions, reports, sources, organizations and people matching `q`, best first."""
    return page.body(service.search(session, q, types=split_values(type), page=page.params))
