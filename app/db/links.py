"""Ordered lists a record keeps of other records: its sources, authors, organizers...

Each list is a table of link rows: the owner's id (`owner_id`, the rows go with their
owner), the id of the record named (`linked_id`; both ids are the key: a record is named
once) and `position`, the order in which the API gives the ids. The owner maps the list
with `ordered_rows`; child rows with their own id (a person's posts) are ordered alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, Relationship, mapped_column, relationship


class Positioned:
    """The row's place in its owner's list, from 0."""

    position: Mapped[int] = mapped_column(Integer, default=0)


def owner_id(column: str) -> Mapped[str]:
    """The owner's id (`"meetings.id"`): part of the key; the database deletes the row with it."""
    return mapped_column(ForeignKey(column, ondelete="CASCADE"), primary_key=True)


def linked_id(column: str) -> Mapped[str]:
    """The id of the record named (`"sources.id"`): part of the key, and indexed for the
    question "what names this record?" (a delete that others still reference is a 409)."""
    return mapped_column(ForeignKey(column), primary_key=True, index=True)


def ordered_rows(row_class: str) -> Relationship[Any]:
    """The owner's side: its rows in `position` order, written and deleted with it, and
    never loaded behind the caller's back (`lazy="raise"`)."""
    return relationship(
        lazy="raise", cascade="all, delete-orphan", order_by=f"{row_class}.position"
    )
