"""People and the posts they held."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped
from app.db.links import Positioned, linked_id, ordered_rows, owner_id


class Person(Timestamped, Base):
    __change_type__ = "person"

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)

    posts: Mapped[list[PersonPost]] = ordered_rows("PersonPost")
    source_links: Mapped[list[PersonSource]] = ordered_rows("PersonSource")


class PersonPost(Positioned, Base):
    """A role a person held in an organization; dates are null where no source gives them."""

    __change_parent__ = ("person", "person_id")

    __tablename__ = "person_posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    role: Mapped[str] = mapped_column(String(300))
    since: Mapped[date | None]
    until: Mapped[date | None]
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)


class PersonSource(Positioned, Base):
    __change_parent__ = ("person", "person_id")

    __tablename__ = "person_sources"

    person_id: Mapped[str] = owner_id("people.id")
    source_id: Mapped[str] = linked_id("sources.id")
