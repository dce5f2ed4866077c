"""UN Comtrade's CSV, as its API (`format=csv`) and its bulk downloads give it.

Comma- or tab-separated, with (at least) the columns `refYear, reporterISO, partnerISO,
flowCode, cmdCode, primaryValue`; `freqCode`, `isReported`, `partner2Code`, `partner2ISO`,
`customsCode` and `motCode` are read where present, every other column is not. A row is
one figure, in US dollars:

* flowCode `X` -> indicator `exports`, `M` -> `imports`; reporter = reporterISO (the
  declaring area), partner = partnerISO;
* value = primaryValue exactly (Comtrade's CIF value for imports where reported, else FOB),
  precision = the unit of its last digit as written, qualifier `exact`;
* status `reported`, or `estimated` where isReported is false (not the reporter's own
  declaration);
* source = the one the caller names (required: a source record for the download, saying
  what was downloaded and when — Comtrade revises its figures).

Skipped and counted, under the first reason that applies: monthly rows; re-exports (RX)
and re-imports (RM), which X and M already include, and any other flow; commodities other
than TOTAL; breakdowns by second partner, customs procedure or mode of transport (the row
of their total is the figure); the world (W00); Comtrade's codes of groups and of areas "not
elsewhere specified" (which are not three letters, as ISO 3166-1 alpha-3 codes are); years
outside 1990-2100; an empty primaryValue. A three-letter code that is no known area is an
error, as in any import.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from app.errors import RULE_ERROR, ValidationFailed
from app.trade.importers.base import (
    ImportOptions,
    ParsedFile,
    Row,
    Skip,
    decimal_of,
    decode,
    in_year_range,
    integer_of,
    last_digit,
    table_rows,
)

COLUMNS = ("refYear", "reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue")
INDICATORS = MappingProxyType({"X": "exports", "M": "imports"})
RE_FLOWS = frozenset({"RX", "RM"})
TOTAL = "TOTAL"
WORLD = "W00"
# The values of a breakdown column on the row of the total (an absent column reads "").
TOTAL_OF_BREAKDOWN = MappingProxyType(
    {
        "partner2Code": frozenset({"", "0"}),
        "partner2ISO": frozenset({"", WORLD}),
        "customsCode": frozenset({"", "C00"}),
        "motCode": frozenset({"", "0"}),
    }
)
IS_REPORTED = MappingProxyType(
    {"": "reported", "true": "reported", "1": "reported", "false": "estimated", "0": "estimated"}
)
# The file's column behind each observation field, named in errors.
ORIGIN = MappingProxyType(
    {
        "reporter": "reporterISO",
        "partner": "partnerISO",
        "indicator": "flowCode",
        "year": "refYear",
        "value": "primaryValue",
        "precision": "primaryValue",
        "status": "isReported",
    }
)


def read(raw: bytes, options: ImportOptions) -> ParsedFile:
    if options.source_id is None:
        raise ValidationFailed.for_field(
            "source",
            "required for the comtrade format: the id of the source record of your download "
            "(create one with POST /api/v1/sources)",
            kind=RULE_ERROR,
        )
    parsed = ParsedFile(source_id=options.source_id)
    # The columns read are codes and numbers; only descriptions may be in a legacy encoding.
    for line, cells in table_rows(decode(raw, ascii_columns=True), COLUMNS, parsed):
        parsed.records += 1
        parsed.figures += 1
        year = integer_of(cells["refYear"])
        if year is None:
            parsed.error(line, "refYear", f"not a whole number: {cells['refYear']!r}")
            continue
        skip = _skip(cells, year)
        if skip is not None:
            parsed.skip(skip)
            continue
        fields = _fields(parsed, line, cells)
        if fields is not None:
            fields.update(year=year, source_id=options.source_id)
            parsed.rows.append(Row(line, fields, lax=True, columns=ORIGIN))
    return parsed


def _cell(cells: dict[str, str], column: str) -> str:
    return (cells.get(column) or "").strip()


def _flow_skip(flow: str) -> Skip | None:
    if flow in INDICATORS:
        return None
    return "re_export_or_re_import" if flow in RE_FLOWS else "other_flow"


def _is_area(code: str) -> bool:
    """An ISO 3166-1 alpha-3 code is three letters; Comtrade's own codes are not."""
    return len(code) == 3 and code.isascii() and code.isalpha()


def _skip(cells: dict[str, str], year: int) -> Skip | None:
    """Why this row is not imported (the first reason that applies), or None."""
    if _cell(cells, "freqCode") not in ("", "A"):
        return "not_annual"
    flow_skip = _flow_skip(_cell(cells, "flowCode"))
    if flow_skip is not None:
        return flow_skip
    if _cell(cells, "cmdCode") != TOTAL:
        return "not_total"
    if any(_cell(cells, column) not in totals for column, totals in TOTAL_OF_BREAKDOWN.items()):
        return "breakdown"
    areas = (_cell(cells, "reporterISO").upper(), _cell(cells, "partnerISO").upper())
    if WORLD in areas:
        return "world"
    if not all(_is_area(code) for code in areas):
        return "not_a_country"
    if not in_year_range(year):
        return "year_outside_range"
    if not _cell(cells, "primaryValue"):
        return "no_figure"
    return None


def _fields(parsed: ParsedFile, line: int, cells: dict[str, str]) -> dict[str, Any] | None:
    """The observation fields of a row, or None (and an error each) where a cell is unreadable."""
    value = decimal_of(cells["primaryValue"])
    if value is None:
        parsed.error(line, "primaryValue", f"not a number: {cells['primaryValue']!r}")
    status = IS_REPORTED.get(_cell(cells, "isReported").lower())
    if status is None:
        parsed.error(line, "isReported", f"neither true nor false: {cells['isReported']!r}")
    if value is None or status is None:
        return None
    return {
        "reporter": _cell(cells, "reporterISO"),
        "partner": _cell(cells, "partnerISO"),
        "indicator": INDICATORS[_cell(cells, "flowCode")],
        "value": value,
        "precision": last_digit(value),
        "qualifier": "exact",
        "status": status,
    }
