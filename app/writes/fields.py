"""Write a resource's fields, link lists and child rows onto its ORM object.

Shared by the seed loader and the write API, so both store a resource the same way: a
column, link list or child list is touched only when its value differs (so `updated_at`
and the change feed move only on a real change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from app.db.base import Base


@dataclass(frozen=True)
class LinkSpec:
    """A list of ids stored as ordered link rows (`organizer_ids` -> MeetingOrganizer rows)."""

    relationship: str
    model: type[Base]
    target_column: str


@dataclass(frozen=True)
class ChildSpec:
    """Child rows without an id of their own (a person's posts, a delegation's members)."""

    relationship: str
    model: type[Base]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class EntitySpec:
    model: type[Base]
    links: dict[str, LinkSpec] = field(default_factory=dict)
    children: dict[str, ChildSpec] = field(default_factory=dict)

    def load_options(self) -> list[_AbstractLoad]:
        """Eager loads of every link and child list (relationships are lazy="raise")."""
        names = [link.relationship for link in self.links.values()]
        names += [child.relationship for child in self.children.values()]
        return [selectinload(getattr(self.model, name)) for name in names]

    def primary_key(self) -> list[str]:
        return [str(column.key) for column in sa_inspect(self.model).primary_key]


def coerce(model: type[Base], column: str, value: Any) -> Any:
    """Dates may arrive as ISO strings (CSV, JSON); empty strings are nulls."""
    if value == "":
        return None
    python_type = sa_inspect(model).columns[column].type.python_type
    if python_type is date and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def apply_fields(spec: EntitySpec, instance: Base, data: dict[str, Any], *, is_new: bool) -> bool:
    """Set the columns, links and children given in `data`; return whether anything changed."""
    mapper = sa_inspect(spec.model)
    changed = is_new
    for name, value in data.items():
        if name in spec.links or name in spec.children:
            continue
        if name not in mapper.columns:
            raise ValueError(f"unknown field {name!r} for {spec.model.__name__}")
        value = coerce(spec.model, name, value)
        if is_new or getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    for name, link in spec.links.items():
        if name not in data:
            continue
        wanted = list(data[name] or [])
        current = (
            []
            if is_new
            else [getattr(row, link.target_column) for row in getattr(instance, link.relationship)]
        )
        if is_new or current != wanted:
            rows = [
                link.model(**{link.target_column: target, "position": index})
                for index, target in enumerate(wanted)
            ]
            setattr(instance, link.relationship, rows)
            changed = changed or current != wanted
    for name, child in spec.children.items():
        if name not in data:
            continue
        wanted_rows = [
            {column: coerce(child.model, column, item.get(column)) for column in child.columns}
            for item in data[name] or []
        ]
        current_rows = (
            []
            if is_new
            else [
                {column: getattr(row, column) for column in child.columns}
                for row in getattr(instance, child.relationship)
            ]
        )
        if is_new or current_rows != wanted_rows:
            rows = [
                child.model(**values, position=index) for index, values in enumerate(wanted_rows)
            ]
            setattr(instance, child.relationship, rows)
            changed = changed or current_rows != wanted_rows
    return changed
