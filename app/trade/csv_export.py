"""CSV answers (RFC 4180): content negotiation, cell formatting and a streamed body.

The observation columns are the ones `POST /trade/imports` takes, so an export can be
edited and imported again; `derivation_inputs` holds the input ids separated by spaces.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.responses import StreamingResponse

from app.http.headers import prefers
from app.trade.numbers import plain

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"

OBSERVATION_COLUMNS = (
    "id",
    "reporter",
    "partner",
    "indicator",
    "year",
    "base_year",
    "value",
    "unit",
    "precision",
    "qualifier",
    "status",
    "preferred",
    "source_id",
    "derivation_formula",
    "derivation_inputs",
    "note",
    # Added after the first release: at the end, so readers that go by position keep working.
    "bounds_lower",
    "bounds_upper",
    "span_years",
    "qualifier_word",
)
SERIES_COLUMNS = (
    "reporter",
    "partner",
    "indicator",
    "unit",
    "year",
    "value",
    "qualifier",
    "status",
    "observation_id",
    "base_year",
    "precision",
    "source_id",
    "members",
    "members_as_of",
    "bounds_lower",
    "bounds_upper",
    "span_years",
)


def wants_csv(output_format: str | None, accept: str | None) -> bool:
    """`?format=` decides; otherwise CSV when `Accept` ranks text/csv above JSON."""
    if output_format is not None:
        return output_format == "csv"
    return prefers(accept, "text/csv", over=("application/json",))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(cell(item) for item in value)
    return str(value)


def series_row(series: Mapping[str, Any], point: Mapping[str, Any]) -> list[str]:
    bounds = point.get("bounds") or {}
    merged = {
        **series,
        **point,
        "bounds_lower": bounds.get("lower"),
        "bounds_upper": bounds.get("upper"),
    }
    return [cell(merged.get(column)) for column in SERIES_COLUMNS]


def encode(header: Sequence[str], batches: Iterable[Iterable[Sequence[Any]]]) -> Iterator[bytes]:
    """The CSV text, header first, one chunk per batch of rows (\\r\\n line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for batch in batches:
        writer.writerows(batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    remaining = buffer.getvalue()
    if remaining:
        yield remaining.encode("utf-8")


def csv_response(
    chunks: Iterator[bytes], *, filename: str, headers: Mapping[str, str] | None = None
) -> StreamingResponse:
    return StreamingResponse(
        chunks,
        media_type=CSV_MEDIA_TYPE,
        headers={**(headers or {}), "Content-Disposition": f'attachment; filename="{filename}"'},
    )


def openapi_content(example: str) -> dict[str, Any]:
    """The `text/csv` alternative of a 200 answer, for `responses=`."""
    return {"text/csv": {"schema": {"type": "string"}, "example": example}}
