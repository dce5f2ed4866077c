"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.db.migrations import is_at_head
from app.db.session import get_engine
from app.errors import ServiceUnavailable, problem_responses

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live", operation_id="getLiveness")
def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready", operation_id="getReadiness", responses=problem_responses(503))
def ready(engine: Annotated[Engine, Depends(get_engine)]) -> dict[str, Any]:
    """The database answers and its schema is at the newest migration."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            at_head = is_at_head(connection)
    except SQLAlchemyError as exc:
        raise ServiceUnavailable(
            "The database is unreachable.", headers={"Retry-After": "5"}
        ) from exc
    if not at_head:
        raise ServiceUnavailable(
            "The database schema is not at the newest migration.", headers={"Retry-After": "30"}
        )
    return {"status": "ok", "database": "ok", "migrations": "head"}
