"""Organizations: intergovernmental bodies, ministries, agencies, associations, media."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Timestamped

if TYPE_CHECKING:
    from app.sources.models import OrganizationSource

ORGANIZATION_KINDS = (
    "intergovernmental",
    "ministry",
    "agency",
    "association",
    "news_agency",
    "working_group",
    "company",
    "other",
)


class Organization(Timestamped, Base):
    __change_type__ = "organization"

    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{kind}'" for kind in ORGANIZATION_KINDS) + ")",
            name="kind",
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

    source_links: Mapped[list[OrganizationSource]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="OrganizationSource.position",
    )
