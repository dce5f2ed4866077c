"""Many rows into one table, the fastest way each database offers.

PostgreSQL takes them through `COPY … FROM STDIN` (psycopg's copy protocol): one stream
instead of a statement per row, which is what an executemany becomes there (about ten
times slower for an import of a million figures and its feed rows). SQLite gets one
executemany of the driver per batch: its statement runs in C, while SQLAlchemy's own
executemany spends more time per row in Python than SQLite spends inserting it.

Values go through each column type's bind processing (exact decimals, JSON, UTC
timestamps) as they would in an INSERT; a column a row leaves out takes its Python-side
default (`created_at`, …), else NULL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, FromClause, TableClause, func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import QueryableAttribute, Session

BATCH = 10_000


def insert_rows(session: Session, table: FromClause, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT `rows` (dicts keyed by column name) into `table` in the session's transaction."""
    if not rows:
        return
    if not isinstance(table, TableClause):
        raise TypeError(f"rows go into a table, not {table!r}")
    connection = session.connection()
    columns = list(table.columns)
    fillers = [_filler(column, connection.dialect) for column in columns]
    names = ", ".join(connection.dialect.identifier_preparer.quote(c.name) for c in columns)
    target = connection.dialect.identifier_preparer.format_table(table)
    driver_connection = connection.connection.driver_connection
    if driver_connection is None:  # pragma: no cover - a live connection always has one
        raise RuntimeError("no database connection")
    if connection.dialect.name == "postgresql":
        statement = f"COPY {target} ({names}) FROM STDIN"
        with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([fill(row) for fill in fillers])
        return
    if connection.dialect.name != "sqlite":  # pragma: no cover - the two databases served
        raise RuntimeError(f"no bulk insert for {connection.dialect.name}")
    marks = ", ".join("?" * len(columns))
    # The table and its columns come from the model, quoted by the dialect; values are bound.
    statement = f"INSERT INTO {target} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        driver_connection.executemany(statement, [[fill(row) for fill in fillers] for row in batch])


def _filler(column: ColumnElement[Any], dialect: Any) -> Callable[[Mapping[str, Any]], Any]:
    """How to get this column's value out of a row, bound as an INSERT would bind it."""
    name = str(column.key)
    # The type as this dialect runs it (a TypeDecorator's own `bind_processor` would use its
    # generic impl: NUMERIC through a float).
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    default = getattr(column, "default", None)
    if default is not None and default.is_callable:
        make = default.arg  # SQLAlchemy wraps it to take the execution context
        fallback: Callable[[], Any] = lambda: make(None)  # noqa: E731
    elif default is not None and default.is_scalar:
        value = default.arg
        fallback = lambda: value  # noqa: E731
    else:
        fallback = lambda: None  # noqa: E731

    def fill(row: Mapping[str, Any]) -> Any:
        value = row[name] if name in row else fallback()
        if value is None:
            return None
        if process is not None:
            value = process(value)
        # psycopg's JSON adaptation is for parameters; COPY takes the document as text.
        return json.dumps(value) if isinstance(value, dict | list) else value

    return fill


def among(
    session: Session,
    columns: Sequence[ColumnElement[Any] | QueryableAttribute[Any]],
    values: Sequence[Sequence[Any]],
) -> ColumnElement[bool]:
    """`(columns) IN values`, for many values (tuples, one item per column).

    PostgreSQL gets one array parameter per column, unnested into rows and matched as a set:
    a literal list of thousands of row values takes it longer to parse and plan than to run.
    Elsewhere it is the plain `IN` (keep `values` under the database's parameter cap).
    """
    if session.get_bind().dialect.name != "postgresql":
        if len(columns) == 1:
            return columns[0].in_([value[0] for value in values])
        return tuple_(*columns).in_(values)
    arrays = [
        literal([value[index] for value in values], ARRAY(column.type))
        for index, column in enumerate(columns)
    ]
    names = [f"c{index}" for index in range(len(columns))]
    given = func.unnest(*arrays).table_valued(*names).render_derived()
    return tuple_(*columns).in_(select(*given.c))
