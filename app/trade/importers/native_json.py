"""The API's own JSON: an array of observations as `POST /trade/observations` takes them.

Numbers are parsed as exact decimals (a binary float would change published digits).
Derived items are skipped, since the import recomputes them.
"""

from __future__ import annotations

import json
from decimal import Decimal

from app.errors import ValidationFailed
from app.trade.importers.base import ImportOptions, ParsedFile, Row, keep_unless_derived
from app.trade.importers.own_layout import COMPUTED_FIELDS, refuse_source


def read(raw: bytes, options: ImportOptions) -> ParsedFile:
    refuse_source(options)
    try:
        data = json.loads(raw, parse_float=Decimal)
    except (ValueError, RecursionError) as error:
        raise ValidationFailed.for_field("body", f"not valid JSON: {error}") from error
    if not isinstance(data, list):
        raise ValidationFailed.for_field("body", "expected a JSON array of observations")
    parsed = ParsedFile()
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValidationFailed.for_field(f"body[{index}]", "expected an object")
        parsed.records += 1
        fields = {k: v for k, v in item.items() if k not in COMPUTED_FIELDS}
        keep_unless_derived(parsed, Row(index, fields))
    return parsed
