"""`GET /changes`: the ordered feed of every create/update/delete, for mirrors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from app.changes import service
from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.routes import list_route
from app.schemas import OutModel

router = APIRouter(tags=["changes"])


class ChangeOut(OutModel):
    seq: int = Field(description="Increases with every change, in commit order.", examples=[42])
    type: str = Field(
        description="Resource type: area, sco_membership, organization, source, person, "
        "meeting, session, delegation, participation, report, trade_indicator, "
        "trade_observation.",
        examples=["meeting"],
    )
    id: str = Field(
        description="The resource's id (its code for areas and indicators).",
        examples=["2024-04-30-astana-swg-trade-facilitation"],
    )
    action: str = Field(description="`create`, `update` or `delete`.", examples=["create"])
    at: datetime = Field(
        description="When the change was committed (UTC).", examples=["2024-05-02T09:00:00Z"]
    )


@router.get("/changes", **list_route(ChangeOut, "listChanges"))
def list_changes(
    session: SessionDep,
    page: PagingDep,
    since: Annotated[
        int,
        Query(ge=0, le=2**62, description="Only changes with a larger `seq` (0: from the start)."),
    ] = 0,
) -> dict[str, Any]:
    """Every create, update and delete after `since`, oldest first."""
    return page.body(service.list_changes(session, since=since, page=page.params))
