"""Observation columns as text the database makes, in one layout on both backends.

A 500-row page or a million-row CSV spends its time per row, so list pages and exports
read exact decimals and UTC timestamps as text (`as_text`) rather than parse each value
only to print it again:

* decimals: exactly `numbers.plain` of the value (no exponent, no trailing zeros). SQLite
  stores that text already (`ExactDecimal`); PostgreSQL makes it with `trim_scale`
  (PostgreSQL 13 or later) and a cast to text.
* timestamps: SQLite keeps `YYYY-MM-DD HH:MM:SS.ffffff` in UTC; PostgreSQL formats the UTC
  time the same way (`serializer.timestamp_text` turns it into what orjson writes).

The CSV cells of a derivation (`derivation_formula_of`, `derivation_inputs_of`) are made
here too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.db.keyset import ColumnLike
from app.db.types import ExactDecimal, UTCDateTime


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


def derivation_formula_of(column: ColumnLike) -> ColumnElement[str]:
    """`derivation.formula` of a JSON `derivation` column (NULL without a derivation)."""
    return _DerivationFormula(column)


def derivation_inputs_of(column: ColumnLike) -> ColumnElement[str]:
    """`derivation.inputs` joined by spaces, as the CSV cell holds them (NULL when none)."""
    return _DerivationInputs(column)


def as_text(column: QueryableAttribute[Any]) -> ColumnElement[Any]:
    """`column` as lists read it: an exact decimal or a UTC timestamp as the database's text
    (labelled by the column's key), any other column as it is."""
    column_type = column.type
    if isinstance(column_type, ExactDecimal):
        return _DecimalText(column).label(column.key)
    if isinstance(column_type, UTCDateTime):
        return _TimestampText(column).label(column.key)
    return column.expression
