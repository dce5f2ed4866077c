"""Declarative base with a naming convention, and the timestamp columns every resource has."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.db.types import UTCDateTime, utcnow

# Deterministic constraint names, so that migrations can name what they drop or alter
# (and batch mode on SQLite can recreate tables with the same names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def resource_type(model: type[Base]) -> str:
    """The type a resource's model names in `__change_type__` (`trade_indicator`): the change
    feed's `type`, the noun of the resource's 404s and the name of its write operations.

    A TypeError for a model without one (link and child rows report to their parent's).
    """
    value = getattr(model, "__change_type__", None)
    if not isinstance(value, str):
        raise TypeError(f"{model.__name__} declares no __change_type__")
    return value


class Timestamped:
    """`created_at` / `updated_at` in UTC, set by the application on every write."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
