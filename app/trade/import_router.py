"""`POST /trade/imports`: bulk import of observations, all or nothing."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from app.auth.dependencies import WriterDep
from app.db.dependencies import WriteSessionDep
from app.errors import UnsupportedMediaType, problem_responses
from app.schemas import OutModel
from app.trade import imports

router = APIRouter(tags=["trade"])

CSV_EXAMPLE = (
    "reporter,partner,indicator,year,value,precision,qualifier,source_id,note\r\n"
    "KGZ,SCO,trade_turnover,2024,12500000000,100000000,exact,kazinform-2024-04-30,"
    "Example figure\r\n"
)


class DerivedCounts(OutModel):
    inserted: int = Field(examples=[2])
    updated: int = Field(examples=[0])
    deleted: int = Field(examples=[0])
    preferred_changed: int = Field(examples=[1])


class ImportSummary(OutModel):
    received: int = Field(description="Rows in the file.", examples=[3])
    inserted: int = Field(examples=[1])
    updated: int = Field(examples=[0])
    unchanged: int = Field(examples=[2])
    skipped_derived: int = Field(
        description="Derived rows in the file; derived figures are recomputed instead.",
        examples=[0],
    )
    derived: DerivedCounts = Field(description="What the recomputation of derived figures did.")


@router.post(
    "/trade/imports",
    response_model=ImportSummary,
    operation_id="importTradeObservations",
    summary="Import observations from CSV or a JSON array",
    responses=problem_responses(401, 403, 413, 415, 422, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE},
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ObservationIn"},
                    }
                },
            },
        }
    },
)
async def import_observations(
    request: Request, session: WriteSessionDep, writer: WriterDep
) -> dict[str, Any]:
    """Validate every row, then upsert all of them on the natural key, or none."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type not in ("text/csv", "application/json"):
        raise UnsupportedMediaType("Send the observations as text/csv or application/json.")
    raw = await request.body()
    result = await run_in_threadpool(imports.import_observations, session, raw, media_type)
    return asdict(result)
