"""The read path of observation lists and exports: text from the database, straight out.

A 500-row page or a million-row CSV spends its time per row, so rows here skip what the
typed columns do on the way in (a `Decimal` parsed from text only to be printed as text
again, a timestamp parsed only to be formatted again). The database hands over exact
decimals and UTC timestamps as text, in one layout on both backends:

* decimals: exactly `numbers.plain` of the value (no exponent, no trailing zeros). SQLite
  stores that text already (`ExactDecimal`); PostgreSQL makes it with `trim_scale`
  (PostgreSQL 13 or later) and a cast to text.
* timestamps: SQLite keeps `YYYY-MM-DD HH:MM:SS.ffffff` in UTC; PostgreSQL formats the UTC
  time the same way. `timestamp_text` gives what orjson writes for the aware datetime
  (`…T…Z`, microseconds only when not zero), so list items equal item answers byte for byte.

Rows are read through the session's connection (Core, no ORM result machinery) as tuples
in `LISTING_COLUMNS` order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Row, String, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.db.keyset import AnySelect, ColumnLike, PageParams, apply_keyset
from app.trade import repository
from app.trade.models import TradeObservation as Obs
from app.trade.repository import ObservationFilters


class _TextOf(FunctionElement[str]):
    """A column as text, spelled per database by the `@compiles` functions of each subclass.

    Each subclass sets `inherit_cache` itself: SQLAlchemy looks for it on the class, not
    its bases, before it caches compiled statements that hold it.
    """

    type = String()


class _DecimalText(_TextOf):
    """An ExactDecimal column as the text of `numbers.plain`."""

    inherit_cache = True
    name = "decimal_text"


class _TimestampText(_TextOf):
    """A UTCDateTime column as `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (SQLite stores that)."""

    inherit_cache = True
    name = "timestamp_text"


@compiles(_DecimalText)
@compiles(_TimestampText)
def _stored_text(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_DecimalText, "postgresql")
def _numeric_text(element: _DecimalText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(trim_scale({compiler.process(element.clauses, **kw)}) AS TEXT)"


@compiles(_TimestampText, "postgresql")
def _utc_timestamp_text(element: _TimestampText, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


class _DerivationFormula(_TextOf):
    """`derivation.formula` as text (NULL without a derivation)."""

    inherit_cache = True
    name = "derivation_formula"


class _DerivationInputs(_TextOf):
    """`derivation.inputs` joined by spaces, as the CSV cell holds them (NULL when none)."""

    inherit_cache = True
    name = "derivation_inputs"


@compiles(_DerivationFormula)
def _sqlite_formula(element: _DerivationFormula, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_extract({compiler.process(element.clauses, **kw)}, '$.formula')"


@compiles(_DerivationFormula, "postgresql")
def _pg_formula(element: _DerivationFormula, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} ->> 'formula')"


@compiles(_DerivationInputs)
def _sqlite_inputs(element: _DerivationInputs, compiler: SQLCompiler, **kw: Any) -> str:
    # `column` is the compiled column name, never request input.
    column = compiler.process(element.clauses, **kw)
    return (
        f"CASE WHEN {column} IS NULL THEN NULL ELSE (SELECT nullif(group_concat(value, ' '), '') "  # noqa: S608  # nosec B608
        f"FROM (SELECT value FROM json_each({column}, '$.inputs') ORDER BY key)) END"
    )


@compiles(_DerivationInputs, "postgresql")
def _pg_inputs(element: _DerivationInputs, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return (
        f"nullif(array_to_string(ARRAY(SELECT json_array_elements_text({column} -> 'inputs')), "
        "' '), '')"
    )


def decimal_text_of(column: ColumnLike) -> ColumnElement[str]:
    """`column` (an ExactDecimal) as the text of `numbers.plain` of its value."""
    return _DecimalText(column)


# Columns sent as text made by the database; the others go as the database has them.
_AS_TEXT: dict[str, type[_TextOf]] = {
    "value": _DecimalText,
    "precision": _DecimalText,
    "created_at": _TimestampText,
    "updated_at": _TimestampText,
    "bounds_lower": _DecimalText,
    "bounds_upper": _DecimalText,
}
# `repository.OBSERVATION_COLUMNS` (which `json_items` unpacks) with those six as text; sort
# keys read `reporter` … `id` by name.
LISTING_COLUMNS: tuple[ColumnElement[Any], ...] = tuple(
    _AS_TEXT[column.key](column).label(column.key) if column.key in _AS_TEXT else column.expression
    for column in repository.OBSERVATION_COLUMNS
)


def timestamp_text(stored: str) -> str:
    """`2024-05-02 10:00:00.000000` -> `2024-05-02T10:00:00Z` (as orjson writes it)."""
    text = stored[:10] + "T" + stored[11:]
    if text.endswith(".000000"):
        text = text[:-7]
    return text + "Z"


# The cells of `csv_export.OBSERVATION_COLUMNS`, each as text the CSV writer takes as it is.
_BY_NAME = {column.key: column for column in LISTING_COLUMNS}
CSV_COLUMNS: tuple[ColumnElement[Any], ...] = (
    *(_BY_NAME[name] for name in ("id", "reporter", "partner", "indicator", "year")),
    *(_BY_NAME[name] for name in ("base_year", "value", "unit", "precision", "qualifier")),
    _BY_NAME["status"],
    case((Obs.preferred, "true"), else_="false").label("preferred"),
    _BY_NAME["source_id"],
    _DerivationFormula(Obs.derivation).label("derivation_formula"),
    _DerivationInputs(Obs.derivation).label("derivation_inputs"),
    _BY_NAME["note"],
    *(_BY_NAME[name] for name in ("bounds_lower", "bounds_upper", "span_years")),
    _BY_NAME["qualifier_word"],
)


def _statement(
    filters: ObservationFilters, columns: tuple[ColumnElement[Any], ...] = LISTING_COLUMNS
) -> AnySelect:
    return repository.observations_statement(filters).with_only_columns(*columns)


def page_rows(
    session: Session, filters: ObservationFilters, sort: str | None, page: PageParams
) -> list[Row[Any]]:
    """One page (plus the row that says whether there is a next) in the `sort` order."""
    statement = apply_keyset(_statement(filters), repository.OBSERVATION_ORDERS[sort], page)
    return list(session.connection().execute(statement).all())


def page_csv_rows(
    session: Session, filters: ObservationFilters, sort: str | None, page: PageParams
) -> list[Row[Any]]:
    """As `page_rows`, in CSV_COLUMNS."""
    keys = repository.OBSERVATION_ORDERS[sort]
    statement = apply_keyset(_statement(filters, CSV_COLUMNS), keys, page)
    return list(session.connection().execute(statement).all())


def all_csv_rows(
    session: Session, filters: ObservationFilters, sort: str | None, batch: int
) -> Iterator[Sequence[Row[Any]]]:
    """Every matching row in CSV_COLUMNS and in order, `batch` at a time (a server-side
    cursor on PostgreSQL)."""
    keys = repository.OBSERVATION_ORDERS[sort]
    order = [key.column.desc() if key.descending else key.column.asc() for key in keys]
    statement = _statement(filters, CSV_COLUMNS).order_by(*order)
    # Per statement: `Connection.execution_options` would change the connection itself.
    result = session.connection().execute(statement, execution_options={"yield_per": batch})
    yield from result.partitions()


def _fragment(digits: str | None) -> orjson.Fragment | None:
    return None if digits is None else orjson.Fragment(digits.encode("ascii"))


def json_items(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """The contract's observation objects (numbers as exact JSON number fragments), in the
    field order of `service.observation_item`."""
    items = []
    for (
        id_,
        reporter,
        partner,
        indicator,
        year,
        base_year,
        value,
        unit,
        precision,
        qualifier,
        status,
        preferred,
        source_id,
        derivation,
        note,
        created_at,
        updated_at,
        bounds_lower,
        bounds_upper,
        span_years,
        qualifier_word,
    ) in rows:
        items.append(
            {
                "id": id_,
                "reporter": reporter,
                "partner": partner,
                "indicator": indicator,
                "year": year,
                "base_year": base_year,
                "span_years": span_years,
                "value": _fragment(value),
                "unit": unit,
                "precision": _fragment(precision),
                "qualifier": qualifier,
                "qualifier_word": qualifier_word,
                "bounds": {"lower": _fragment(bounds_lower), "upper": _fragment(bounds_upper)},
                "status": status,
                "preferred": preferred,
                "source_id": source_id,
                "derivation": {
                    "formula": derivation.get("formula"),
                    "inputs": list(derivation.get("inputs") or []),
                }
                if derivation
                else None,
                "note": note,
                "created_at": timestamp_text(created_at),
                "updated_at": timestamp_text(updated_at),
            }
        )
    return items
