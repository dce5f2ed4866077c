"""Organizations: intergovernmental bodies, ministries, agencies, associations, media."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped
from app.db.links import ordered_rows
from app.vocabulary import DATE_PRECISIONS, ORGANIZATION_KINDS, check_in

if TYPE_CHECKING:
    from app.sources.models import OrganizationSource


class Organization(Timestamped, Base):
    __change_type__ = "organization"

    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(check_in("kind", ORGANIZATION_KINDS), name="kind"),
        CheckConstraint(
            check_in("founded_on_precision", DATE_PRECISIONS), name="founded_on_precision"
        ),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    abbreviation: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    country: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    # When it was founded or created, as far as a source says ("December 2016": the first
    # of the month, precision `month`); null where no source gives it.
    founded_on: Mapped[date | None]
    founded_on_precision: Mapped[str] = mapped_column(String(5), default="day")

    source_links: Mapped[list[OrganizationSource]] = ordered_rows("OrganizationSource")
