"""Sources: the published documents every fact is traced to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped
from app.db.links import Positioned, linked_id, owner_id
from app.vocabulary import DATE_PRECISIONS, check_in


class Source(Timestamped, Base):
    __change_type__ = "source"

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(
            check_in("published_on_precision", DATE_PRECISIONS), name="published_on_precision"
        ),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    publisher_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(1000))
    published_on: Mapped[date | None]
    # "October 2024": `published_on` is then the first of the month, and this says so.
    published_on_precision: Mapped[str] = mapped_column(String(5), default="day")
    # The organization whose release the source relays (Kazinform and oq.gov.kz both carry
    # the Ministry of Trade and Integration's figures): copies of one statement agree by
    # construction, so they never count as corroborating each other.
    relays_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    language: Mapped[str] = mapped_column(String(10), default="en")
    excerpt: Mapped[str | None] = mapped_column(Text)
    # How authoritative the source is: statistical office or ministry release (highest)
    # above an official's speech above media. Picks the preferred figure in a conflict.
    priority: Mapped[int] = mapped_column(Integer, default=0)


class OrganizationSource(Positioned, Base):
    """A source that states facts about an organization."""

    __change_parent__ = ("organization", "organization_id")

    __tablename__ = "organization_sources"

    organization_id: Mapped[str] = owner_id("organizations.id")
    source_id: Mapped[str] = linked_id("sources.id")
