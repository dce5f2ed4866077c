"""Operator endpoints: liveness, readiness and Prometheus metrics (never cached, never limited)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db.dependencies import EngineDep
from app.db.diagnosis import diagnose
from app.db.migrations import is_at_head
from app.errors import ServiceUnavailable, problem_responses
from app.http import metrics
from app.http.routes import named

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


class Liveness(BaseModel):
    """The process answers."""

    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """The database answers and its schema is current."""

    status: Literal["ok"] = "ok"
    database: Literal["ok"] = "ok"
    migrations: Literal["head"] = "head"


@router.get(
    "/health/live",
    response_model=Liveness,
    **named("getLiveness"),
    responses=problem_responses(500),
)
def live(response: Response) -> Liveness:
    """The process is up."""
    response.headers.update(NO_STORE)
    return Liveness()


@router.get(
    "/health/ready",
    response_model=Readiness,
    **named("getReadiness"),
    responses=problem_responses(503),
)
def ready(engine: EngineDep, response: Response) -> Readiness:
    """The database answers and its schema is at the newest migration."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            at_head = is_at_head(connection)
    except SQLAlchemyError as exc:
        # A database that does not exist is told apart from a server that does not answer:
        # one needs `createdb`, the other a running server.
        problem = diagnose(engine.url, exc)
        logger.warning("not ready: %s", problem.message)
        retry = "30" if problem.kind == "missing" else "5"
        raise ServiceUnavailable(
            problem.public_message, headers={"Retry-After": retry, **NO_STORE}
        ) from exc
    if not at_head:
        raise ServiceUnavailable(
            "The database schema is not at the newest migration.",
            headers={"Retry-After": "30", **NO_STORE},
        )
    response.headers.update(NO_STORE)
    return Readiness()


@router.get(
    "/metrics",
    response_class=Response,
    **named("getMetrics"),
    responses={
        200: {
            "description": "Prometheus text exposition format 0.0.4.",
            "content": {
                metrics.CONTENT_TYPE: {
                    "example": (
                        "# HELP sco_http_requests_total HTTP requests answered, by method, "
                        "route template and status.\n# TYPE sco_http_requests_total counter\n"
                        'sco_http_requests_total{method="GET",route="/api/v1/areas",'
                        'status="200"} 3.0\n'
                    )
                }
            },
        },
        **problem_responses(500),
    },
)
def get_metrics(engine: EngineDep) -> Response:
    """Request counts and latencies by route template and status; database pool figures."""
    return Response(metrics.render(engine), media_type=metrics.CONTENT_TYPE, headers=NO_STORE)
