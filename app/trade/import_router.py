"""`POST /trade/imports`: bulk import of observations, all or nothing, in any import format."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from app.auth.dependencies import WriterDep
from app.container import container_of
from app.db.dependencies import WriteSessionDep
from app.errors import RULE_ERROR, UnsupportedMediaType, ValidationFailed, problem_responses
from app.http.routes import named
from app.schemas import OutModel
from app.trade.importers import pipeline
from app.trade.importers.base import SKIPS, ImportOptions
from app.vocabulary import SLUG_PATTERN, ImportFormat, in_words

router = APIRouter(tags=["trade"])

CSV_EXAMPLE = (
    "reporter,partner,indicator,year,value,precision,qualifier,source_id,note\r\n"
    "KGZ,SCO,trade_turnover,2024,12500000000,100000000,exact,kazinform-2024-04-30,"
    "Example figure\r\n"
)
COW_EXAMPLE = (
    "ccode1,ccode2,year,flow1,flow2,smoothflow1,smoothflow2\r\n"
    "365,710,2014,51135,42807,51135,42807\r\n"
)
COMTRADE_EXAMPLE = (
    "typeCode,freqCode,refYear,reporterCode,reporterISO,flowCode,partnerCode,partnerISO,"
    "partner2Code,cmdCode,customsCode,motCode,cifvalue,fobvalue,primaryValue,isReported\r\n"
    "C,A,2023,398,KAZ,M,156,CHN,0,TOTAL,C00,0,17800000000,,17800000000,True\r\n"
)
GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip"})
TABLE_TYPES = frozenset({"text/csv", "text/plain"})  # Comtrade's bulk files are tab-separated
# The media types each format is sent as (a gzip-compressed body too, for every format).
MEDIA_TYPES: dict[ImportFormat, frozenset[str]] = {
    "csv": frozenset({"text/csv"}) | GZIP_TYPES,
    "json": frozenset({"application/json"}) | GZIP_TYPES,
    "cow": TABLE_TYPES | GZIP_TYPES,
    "comtrade": TABLE_TYPES | GZIP_TYPES,
}
# The format a request implies by its media type alone.
FORMAT_OF_MEDIA_TYPE: dict[str, ImportFormat] = {"text/csv": "csv", "application/json": "json"}

FormatParam = Annotated[
    ImportFormat | None,
    Query(
        alias="format",
        description="The file's layout: `csv` or `json` (the API's own; the default by "
        "Content-Type), `cow` (Correlates of War dyadic trade 4.0) or `comtrade` (UN "
        "Comtrade's CSV). A gzip-compressed body is accepted in every format.",
    ),
]
SourceParam = Annotated[
    str | None,
    Query(
        pattern=SLUG_PATTERN,
        description="The source the file's figures cite, for `cow` (default "
        "`cow-trade-4-0`, the COW codebook) and `comtrade` (required: the source record of "
        "the download). Refused for `csv` and `json`, whose rows name their own.",
        examples=["cow-trade-4-0"],
    ),
]


class DerivedCounts(OutModel):
    inserted: int = Field(examples=[2])
    updated: int = Field(examples=[0])
    deleted: int = Field(examples=[0])
    preferred_changed: int = Field(examples=[1])


class ImportSummary(OutModel):
    format: ImportFormat = Field(description="The layout the file was read as.", examples=["cow"])
    received: int = Field(description="Rows in the file (lines, array items).", examples=[3])
    figures: int = Field(
        description="Figures the rows carry (one a row, two in a COW row): inserted + "
        "updated + unchanged + the skipped ones.",
        examples=[6],
    )
    inserted: int = Field(examples=[2])
    updated: int = Field(examples=[0])
    unchanged: int = Field(examples=[1])
    skipped: dict[str, int] = Field(
        description="Figures not imported, by reason (each counted under the first that "
        f"applies): {in_words(SKIPS, conjunction=None)}. Reasons with no figure are left out.",
        examples=[{"year_outside_range": 2, "no_figure": 1}],
    )
    skipped_derived: int = Field(
        description="Derived rows in the file (`skipped.derived`); derived figures are "
        "recomputed instead.",
        examples=[0],
    )
    derived: DerivedCounts = Field(description="What the recomputation of derived figures did.")


def _format_of(request: Request, named: ImportFormat | None) -> ImportFormat:
    """The format named, else the one the media type implies.

    A media type the import never takes is a 415; one it takes, but not for the format
    named (or without a format, for gzip and plain text), breaks a rule between the two: 422.
    """
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if not any(media_type in types for types in MEDIA_TYPES.values()):
        raise UnsupportedMediaType(
            "Send observations as text/csv or application/json, or a file of the format named "
            "by ?format= (csv, json, cow, comtrade) as text/csv, text/plain or application/gzip."
        )
    file_format = named or FORMAT_OF_MEDIA_TYPE.get(media_type)
    if file_format is None:
        raise ValidationFailed.for_field(
            "query.format", f"name the format of a {media_type} body", kind=RULE_ERROR
        )
    if media_type not in MEDIA_TYPES[file_format]:
        wanted = in_words(sorted(MEDIA_TYPES[file_format]))
        raise ValidationFailed.for_field(
            "query.format", f"a {file_format} file is sent as {wanted}", kind=RULE_ERROR
        )
    return file_format


@router.post(
    "/trade/imports",
    response_model=ImportSummary,
    **named(
        "importTradeObservations",
        "Import observations from a file: the API's CSV or JSON, COW or Comtrade",
    ),
    responses=problem_responses(401, 403, 413, 415, 422, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "examples": {
                        "csv": {"summary": "The API's own CSV", "value": CSV_EXAMPLE},
                        "cow": {"summary": "?format=cow", "value": COW_EXAMPLE},
                        "comtrade": {"summary": "?format=comtrade", "value": COMTRADE_EXAMPLE},
                    },
                },
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ObservationIn"},
                    }
                },
                "application/gzip": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def import_observations(
    request: Request,
    session: WriteSessionDep,
    writer: WriterDep,
    file_format: FormatParam = None,
    source: SourceParam = None,
) -> dict[str, Any]:
    """Read the file, validate every row, then upsert all of them on the natural key, or none."""
    chosen = _format_of(request, file_format)
    options = ImportOptions(
        source_id=source, max_bytes=container_of(request).settings.import_max_bytes
    )
    raw = await request.body()
    result = await run_in_threadpool(pipeline.import_file, session, raw, chosen, options)
    return asdict(result)
