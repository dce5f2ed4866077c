"""Referential integrity answered before the database has to refuse.

A write that names a row that does not exist is a 422 naming the field; deleting a row
that other records still reference is a 409 naming them. (Foreign keys stay on in both
databases as the last line of defence.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import ForeignKey, Table, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from app.db.base import Base
from app.errors import REFERENCE_ERROR, Conflict, FieldError, ValidationFailed
from app.writes.fields import EntitySpec


def _target_table(foreign_key: ForeignKey) -> Table:
    table = foreign_key.column.table
    assert isinstance(table, Table)  # noqa: S101  (foreign keys point at tables)
    return table


def _missing(session: Session, foreign_key: ForeignKey, values: list[Any]) -> list[Any]:
    wanted = {value for value in values if value is not None}
    if not wanted:
        return []
    column = foreign_key.column
    found = set(session.scalars(select(column).where(column.in_(wanted))))
    return [value for value in values if value is not None and value not in found]


def check_references(session: Session, spec: EntitySpec[Any], data: dict[str, Any]) -> None:
    """422 for every id in `data` that points at no existing row.

    Errors are listed in the order of the body's columns, then its link lists, then its
    child lists, so one answer names every unknown id.
    """
    errors = [
        *_column_errors(session, spec, data),
        *_link_errors(session, spec, data),
        *_child_errors(session, spec, data),
    ]
    if errors:
        raise ValidationFailed("; ".join(error.message for error in errors), errors=errors)


def _column_errors(
    session: Session, spec: EntitySpec[Any], data: dict[str, Any]
) -> Iterator[FieldError]:
    columns = sa_inspect(spec.model).columns
    for name, value in data.items():
        if name in columns and value is not None:
            for foreign_key in columns[name].foreign_keys:
                for missing in _missing(session, foreign_key, [value]):
                    yield _unknown(name, missing, foreign_key)


def _link_errors(
    session: Session, spec: EntitySpec[Any], data: dict[str, Any]
) -> Iterator[FieldError]:
    for name, link in spec.links.items():
        column = sa_inspect(link.model).columns[link.target_column]
        for foreign_key in column.foreign_keys:
            for missing in _missing(session, foreign_key, list(data.get(name) or [])):
                yield _unknown(name, missing, foreign_key)


def _child_errors(
    session: Session, spec: EntitySpec[Any], data: dict[str, Any]
) -> Iterator[FieldError]:
    for name, child in spec.children.items():
        columns = sa_inspect(child.model).columns
        for index, item in enumerate(data.get(name) or []):
            for column_name in child.columns:
                for foreign_key in columns[column_name].foreign_keys:
                    for missing in _missing(session, foreign_key, [item.get(column_name)]):
                        yield _unknown(f"{name}.{index}.{column_name}", missing, foreign_key)


def _unknown(field: str, value: Any, foreign_key: ForeignKey) -> FieldError:
    table = _target_table(foreign_key).name
    return FieldError(
        field=f"body.{field}", message=f"no {table} row with id {value!r}", type=REFERENCE_ERROR
    )


def ensure_unreferenced(session: Session, instance: Base) -> None:
    """409 if any other row still points at `instance` (its own link rows excepted)."""
    table = cast(Table, type(instance).__table__)
    identity = sa_inspect(instance).identity
    if identity is None:
        return
    holders: list[str] = []
    for other in Base.metadata.sorted_tables:
        for foreign_key in other.foreign_keys:
            if _target_table(foreign_key) is not table or foreign_key.ondelete == "CASCADE":
                continue
            count = session.scalar(
                select(func.count()).select_from(other).where(foreign_key.parent == identity[0])
            )
            if count:
                holders.append(f"{other.name}.{foreign_key.parent.name} ({count})")
    if holders:
        raise Conflict(
            f"{table.name} {identity[0]!r} is still referenced by "
            + ", ".join(holders)
            + "; change or delete those first."
        )
