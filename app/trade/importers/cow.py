"""Correlates of War (COW) dyadic trade, version 4.0: two import declarations a row.

Columns `ccode1, ccode2, year, flow1, flow2` (others, such as the smoothed flows, are not
read). `flow1` is what state ccode1 declared it imported from ccode2, `flow2` what ccode2
declared it imported from ccode1, in millions of current US dollars. Each figure becomes an
`imports` observation:

* reporter = the declaring state, partner = the other one (ISO 3166-1 alpha-3, through
  the crosswalk shipped in `data/`, provenance in `data/README.md`);
* value = the figure x 1,000,000, exactly (Decimal);
* precision = the unit of the figure's last digit as written, in dollars: COW 4.0 writes
  whole millions (51135), so 1,000,000, and a figure written 0.25 would get 10,000;
  qualifier `exact` — the figure as published, to that precision (so its `bounds` are
  +/- half a million), status `reported`;
* source = the one the caller names, else `cow-trade-4-0` (the codebook, in the seed).

Nothing is guessed. Skipped and counted, under the first reason that applies: years outside
the API's 1990-2100; a state the crosswalk leaves without an ISO code (Yugoslavia,
Czechoslovakia, the GDR, ...) or COW's 365 before 1992 (COW codes the Soviet Union and
Russia alike, ISO's RUS is Russia alone); a code the crosswalk does not list; an empty
figure or COW's -9 ("missing").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

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

DEFAULT_SOURCE = "cow-trade-4-0"
INDICATOR = "imports"
MILLION = 6  # the figures are in millions: the decimal exponent of their unit
MISSING = frozenset({"", "-9"})  # an empty cell; COW's own files write -9
COLUMNS = ("ccode1", "ccode2", "year", "flow1", "flow2")
CROSSWALK = "cow_iso_crosswalk.csv"
# COW codes whose crosswalk ISO code names the state only from a year on. COW codes the
# Soviet Union and Russia alike (365); ISO 3166-1 gave the USSR SUN and Russia RUS (1992).
ISO_FROM_YEAR = MappingProxyType({365: 1992})
# One declaration: its column, and the columns of the declaring state and of the other.
DECLARATIONS = (("flow1", "ccode1", "ccode2"), ("flow2", "ccode2", "ccode1"))


def crosswalk() -> dict[int, str | None]:
    """COW state code -> ISO 3166-1 alpha-3, None where the crosswalk gives no ISO code."""
    text = (resources.files(__package__) / "data" / CROSSWALK).read_text(encoding="utf-8")
    return {int(row["cown"]): row["iso3c"] or None for row in csv.DictReader(io.StringIO(text))}


@dataclass(frozen=True, slots=True)
class _Dyad:
    """The cells of one row that both its declarations share, read."""

    codes: dict[str, int]
    year: int


def read(raw: bytes, options: ImportOptions) -> ParsedFile:
    source_id = options.source_id or DEFAULT_SOURCE
    iso_codes = crosswalk()
    parsed = ParsedFile(source_id=source_id)
    for line, cells in table_rows(decode(raw), COLUMNS, parsed):
        parsed.records += 1
        parsed.figures += len(DECLARATIONS)
        dyad = _dyad(parsed, line, cells)
        if dyad is None:
            continue
        for flow, declaring, other in DECLARATIONS:
            skip = _skip(iso_codes, dyad, (dyad.codes[declaring], dyad.codes[other]), cells[flow])
            if skip is not None:
                parsed.skip(skip)
                continue
            figure = _figure(parsed, line, flow, cells[flow])
            if figure is None:
                continue
            states = {
                "reporter": iso_codes[dyad.codes[declaring]],
                "partner": iso_codes[dyad.codes[other]],
            }
            columns = {"reporter": declaring, "partner": other, "value": flow, "precision": flow}
            fields = {**states, "year": dyad.year, **figure, "source_id": source_id}
            parsed.rows.append(Row(line, fields, lax=True, columns=columns))
    return parsed


def _dyad(parsed: ParsedFile, line: int, cells: dict[str, str]) -> _Dyad | None:
    """The state codes and the year of a row; None (and an error each) where one is unreadable."""
    values = {name: integer_of(cells[name]) for name in ("ccode1", "ccode2", "year")}
    for name, value in values.items():
        if value is None:
            parsed.error(line, name, f"not a whole number: {cells[name]!r}")
    ccode1, ccode2, year = values["ccode1"], values["ccode2"], values["year"]
    if ccode1 is None or ccode2 is None or year is None:
        return None
    return _Dyad({"ccode1": ccode1, "ccode2": ccode2}, year)


def _state_skip(iso_codes: dict[int, str | None], code: int, year: int) -> Skip | None:
    if code not in iso_codes:
        return "unknown_state"
    if iso_codes[code] is None or year < ISO_FROM_YEAR.get(code, year):
        return "former_state"
    return None


def _skip(
    iso_codes: dict[int, str | None], dyad: _Dyad, states: tuple[int, int], cell: str
) -> Skip | None:
    """Why this declaration is not imported (the first reason that applies), or None."""
    if not in_year_range(dyad.year):
        return "year_outside_range"
    reasons = {_state_skip(iso_codes, code, dyad.year) for code in states}
    if "former_state" in reasons:
        return "former_state"
    if "unknown_state" in reasons:
        return "unknown_state"
    if cell.strip() in MISSING:
        return "no_figure"
    return None


def _figure(parsed: ParsedFile, line: int, flow: str, cell: str) -> dict[str, Any] | None:
    """The observation fields of a figure in millions, or None (and an error) if unreadable."""
    millions = decimal_of(cell)
    if millions is None:
        parsed.error(line, flow, f"not a number: {cell!r}")
        return None
    return {
        "indicator": INDICATOR,
        "value": millions.scaleb(MILLION),
        "precision": last_digit(millions).scaleb(MILLION),
        "qualifier": "exact",
        "status": "reported",
    }
