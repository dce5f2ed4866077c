"""What every import format hands the shared pipeline: one row of observation fields per figure.

An importer (one module per format) turns the bytes of a file into `Row`s — the fields of
`ObservationIn` — and counts every figure it leaves out under the first reason of `SKIPS`
that applies. A figure that cannot be read (a year that is not a number, a cell that is
not a decimal) is an error naming its line and column, never a skip: the file is then
refused as a whole, with every such error and every validation error at once.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from app.errors import FieldError, PayloadTooLarge, ValidationFailed
from app.trade.writes import DECIMAL_TEXT
from app.vocabulary import YEAR_MAX, YEAR_MIN

# A file with this many problems is reported with the first of them only.
MAX_ERRORS = 1000
GZIP_MAGIC = b"\x1f\x8b"
# Read a gzip stream this much at a time, so that its expanded size is checked as it grows.
EXPANSION_CHUNK = 1024 * 1024
DECIMAL = re.compile(DECIMAL_TEXT)

Skip = Literal[
    "derived",
    "year_outside_range",
    "former_state",
    "unknown_state",
    "no_figure",
    "not_annual",
    "re_export_or_re_import",
    "other_flow",
    "not_total",
    "breakdown",
    "world",
    "not_a_country",
]
# Why a figure a file offers is left out, in the words the summaries print. The keys are
# the `skipped` keys of the import summary (a stable part of the contract).
SKIPS: Mapping[Skip, str] = MappingProxyType(
    {
        "derived": "derived figures (recomputed from the reported ones instead)",
        "year_outside_range": f"years outside {YEAR_MIN}-{YEAR_MAX}, the years the API holds",
        "former_state": "former states with no ISO 3166-1 code (Yugoslavia, the USSR, ...)",
        "unknown_state": "COW state codes the crosswalk does not list",
        "no_figure": "no figure (an empty cell, or COW's -9)",
        "not_annual": "monthly figures (freqCode other than A)",
        "re_export_or_re_import": "re-exports (RX) and re-imports (RM): X and M include them",
        "other_flow": "flows other than X, M, RX and RM (in transit, processing, ...)",
        "not_total": "commodities other than TOTAL (cmdCode)",
        "breakdown": "breakdowns by second partner, customs procedure or mode of transport",
        "world": "the world (W00) as reporter or partner: not an area",
        "not_a_country": "Comtrade's codes of groups and of areas 'not elsewhere specified'",
    }
)


@dataclass(slots=True)
class Row:
    """One figure: the fields of `ObservationIn`, and where in the file it stands."""

    line: int
    data: dict[str, Any]
    # Values not held to JSON's types: text (a CSV cell: "2024" is then a year), or typed by
    # an importer itself (a COW or Comtrade figure), which no client sent as JSON.
    lax: bool = False
    # The file's column behind an observation field ("flow1" for `value`), named in errors.
    columns: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class ImportOptions:
    # The source the figures cite, for the formats whose files do not name one.
    source_id: str | None = None
    # The most a gzip-compressed file may expand to (None: no limit, the operator's own file).
    max_bytes: int | None = None
    # False leaves derived figures and `preferred` flags to the caller's own recomputation
    # (the seed loads several files, then recomputes once).
    recompute: bool = True


@dataclass
class ParsedFile:
    """What an importer read: the rows to import, what it left out, what it could not read."""

    rows: list[Row] = field(default_factory=list)
    records: int = 0  # rows of the file (lines, array items)
    figures: int = 0  # figures they carry: one each, two in a COW row
    skipped: Counter[Skip] = field(default_factory=Counter)
    errors: list[FieldError] = field(default_factory=list)
    # The source every row cites, where the format names one for the whole file.
    source_id: str | None = None

    def skip(self, reason: Skip) -> None:
        self.skipped[reason] += 1

    def error(self, line: int, column: str, message: str, kind: str = "value_error") -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(FieldError(field=column, message=message, type=kind, line=line))


def keep_unless_derived(parsed: ParsedFile, row: Row) -> None:
    """Take a row of the API's own layout; derived ones (an export has them) are recomputed."""
    parsed.figures += 1
    if (row.data.get("status") or "reported") == "derived":
        parsed.skip("derived")
    else:
        parsed.rows.append(row)


def expand(raw: bytes, max_bytes: int | None) -> bytes:
    """The file itself: gzip-compressed content (by its magic number) is decompressed."""
    if not raw.startswith(GZIP_MAGIC):
        return raw
    limit = max_bytes if max_bytes is not None else -1
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            while chunk := stream.read(EXPANSION_CHUNK):
                out += chunk
                if 0 <= limit < len(out):
                    raise PayloadTooLarge(
                        f"The file expands to more than {limit} bytes, the import limit."
                    )
    except (OSError, EOFError, zlib.error) as error:
        raise ValidationFailed.for_field("body", f"not a valid gzip file: {error}") from error
    return bytes(out)


def decode(raw: bytes, *, ascii_columns: bool = False) -> str:
    """UTF-8 text (a byte-order mark is dropped).

    With `ascii_columns` (a format whose columns read are codes and numbers), other bytes
    are read as Latin-1: only the descriptive columns, which are not imported, can hold them.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if ascii_columns:
            return raw.decode("latin-1")
        raise ValidationFailed.for_field("body", f"not UTF-8 text: {error.reason}") from error


def table_rows(
    text: str, required: Sequence[str], parsed: ParsedFile
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, cells by column) of a CSV or tab-separated table with the `required` columns.

    A header without them, or text that is not a table, refuses the file at once; a row
    with more cells than the header is an error of its line (missing cells read as empty).
    """
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.DictReader(
        io.StringIO(text, newline=""), delimiter=delimiter, restval="", strict=True
    )
    reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in required if name not in reader.fieldnames]
    if missing:
        raise ValidationFailed.for_field("body.header", f"missing column(s): {', '.join(missing)}")
    try:
        for record in reader:
            if None in record:
                parsed.error(reader.line_num, "row", "more cells than the header has columns")
                continue
            yield reader.line_num, record
    except csv.Error as error:
        raise ValidationFailed.for_field(f"line {reader.line_num}", f"bad CSV: {error}") from error


def decimal_of(cell: str) -> Decimal | None:
    """The exact number a cell writes (`12`, `0.25`, `1.5E+9`), or None if it writes none."""
    cell = cell.strip()
    return Decimal(cell) if DECIMAL.fullmatch(cell) else None


def integer_of(cell: str) -> int | None:
    cell = cell.strip()
    return int(cell) if cell.isascii() and cell.lstrip("+-").isdigit() else None


def last_digit(written: Decimal) -> Decimal:
    """The unit of the last digit as written: 51135 -> 1, 0.25 -> 0.01, 1.5E+9 -> 1E+8.

    Unlike `numbers.last_digit_unit`, trailing zeros count: a file that writes 51000 (in a
    column of whole numbers) published it to the unit, not to the thousand.
    """
    exponent = written.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def in_year_range(year: int) -> bool:
    return YEAR_MIN <= year <= YEAR_MAX
