"""The API's own CSV: the columns of `GET /trade/observations?format=csv`, one figure a row.

Computed columns an export carries (`preferred`, `derivation_*`, `bounds_*`, timestamps) may
be present and are ignored; derived rows are skipped, since the import recomputes them.
Every cell is text and is read as the API reads text (`"2024"` is a year).
"""

from __future__ import annotations

import csv
import io

from app.errors import ValidationFailed
from app.trade.importers.base import (
    ImportOptions,
    ParsedFile,
    Row,
    decode,
    keep_unless_derived,
)
from app.trade.importers.own_layout import COMPUTED_FIELDS, IMPORTED_FIELDS, refuse_source


def read(raw: bytes, options: ImportOptions) -> ParsedFile:
    refuse_source(options)
    reader = csv.DictReader(io.StringIO(decode(raw), newline=""), strict=True)
    header = reader.fieldnames or []
    unknown = [name for name in header if name not in IMPORTED_FIELDS | COMPUTED_FIELDS]
    if unknown:
        raise ValidationFailed.for_field("body.header", f"unknown column(s): {', '.join(unknown)}")
    parsed = ParsedFile()
    try:
        for record in reader:
            if None in record:
                raise ValidationFailed.for_field(
                    f"line {reader.line_num}", "more cells than the header has columns"
                )
            parsed.records += 1
            cells = {
                k: (v if v != "" else None) for k, v in record.items() if k not in COMPUTED_FIELDS
            }
            keep_unless_derived(parsed, Row(reader.line_num, cells, lax=True))
    except csv.Error as error:
        raise ValidationFailed.for_field(f"line {reader.line_num}", f"bad CSV: {error}") from error
    return parsed
