"""Write a resource's fields, link lists and child rows onto its ORM object.

Shared by the seed loader and the write API, so both store a resource the same way: a
column, link list or child list is touched only when its value differs (so `updated_at`
and the change feed move only on a real change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from app.db.base import Base

ModelT = TypeVar("ModelT", bound=Base)


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
class EntitySpec(Generic[ModelT]):
    """A model with the link lists and child lists a body names by field."""

    model: type[ModelT]
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


def apply_fields(
    spec: EntitySpec[Any], instance: Base, data: dict[str, Any], *, is_new: bool
) -> bool:
    """Set the columns, links and children given in `data`; return whether anything changed.

    A new row is "changed" whatever it holds; an existing one only where a value differs.
    Columns come first, so an unknown field is refused before any list is replaced.
    """
    columns_changed = _apply_columns(spec, instance, data, is_new=is_new)
    links_changed = _apply_links(spec, instance, data, is_new=is_new)
    children_changed = _apply_children(spec, instance, data, is_new=is_new)
    return is_new or columns_changed or links_changed or children_changed


def _apply_columns(
    spec: EntitySpec[Any], instance: Base, data: dict[str, Any], *, is_new: bool
) -> bool:
    """Plain columns: each set when new or different; a name that is no column is an error."""
    mapper = sa_inspect(spec.model)
    changed = False
    for name, value in data.items():
        if name in spec.links or name in spec.children:
            continue
        if name not in mapper.columns:
            raise ValueError(f"unknown field {name!r} for {spec.model.__name__}")
        value = coerce(spec.model, name, value)
        if is_new or getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _apply_links(
    spec: EntitySpec[Any], instance: Base, data: dict[str, Any], *, is_new: bool
) -> bool:
    """Link lists given in `data`: replaced (in the order given) when new or different."""
    changed = False
    for name, link in spec.links.items():
        if name not in data:
            continue
        wanted = list(data[name] or [])
        current = [] if is_new else _linked_ids(instance, link)
        if is_new or current != wanted:
            rows = [
                link.model(**{link.target_column: target, "position": index})
                for index, target in enumerate(wanted)
            ]
            setattr(instance, link.relationship, rows)
            changed = changed or current != wanted
    return changed


def _linked_ids(instance: Base, link: LinkSpec) -> list[Any]:
    return [getattr(row, link.target_column) for row in getattr(instance, link.relationship)]


def _apply_children(
    spec: EntitySpec[Any], instance: Base, data: dict[str, Any], *, is_new: bool
) -> bool:
    """Child lists given in `data`: replaced (in the order given) when new or different."""
    changed = False
    for name, child in spec.children.items():
        if name not in data:
            continue
        wanted = _wanted_children(child, data[name])
        current = [] if is_new else _current_children(instance, child)
        if is_new or current != wanted:
            rows = [child.model(**values, position=index) for index, values in enumerate(wanted)]
            setattr(instance, child.relationship, rows)
            changed = changed or current != wanted
    return changed


def _wanted_children(child: ChildSpec, items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The child rows a body gives, each with exactly the spec's columns (missing: null)."""
    return [
        {column: coerce(child.model, column, item.get(column)) for column in child.columns}
        for item in items or []
    ]


def _current_children(instance: Base, child: ChildSpec) -> list[dict[str, Any]]:
    return [
        {column: getattr(row, column) for column in child.columns}
        for row in getattr(instance, child.relationship)
    ]
