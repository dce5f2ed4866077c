"""Areas (countries and groups) and the SCO membership history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped
from app.vocabulary import AREA_KINDS, DATE_PRECISIONS, MEMBERSHIP_STATUSES, check_in


class Area(Timestamped, Base):
    __change_type__, __change_key__ = "area", "code"

    __tablename__ = "areas"
    __table_args__ = (CheckConstraint(check_in("kind", AREA_KINDS), name="kind"),)

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))

    @property
    def id(self) -> str:
        """The code is the area's id."""
        return self.code


class ScoMembership(Timestamped, Base):
    """One spell of one status: `until` is null while it lasts (end date exclusive)."""

    __change_type__ = "sco_membership"

    __tablename__ = "sco_memberships"
    __table_args__ = (
        CheckConstraint(check_in("status", MEMBERSHIP_STATUSES), name="status"),
        CheckConstraint(check_in("since_precision", DATE_PRECISIONS), name="since_precision"),
        CheckConstraint("until IS NULL OR until > since", name="period"),
        Index("ix_sco_memberships_status_since", "status", "since"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    country: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    since: Mapped[date] = mapped_column(Date)
    # The source gives only a year for some spells (Bahrain: "2023"): `since` is then the
    # first day of that year and this says so, rather than pretending to know the day.
    since_precision: Mapped[str] = mapped_column(String(5), default="day")
    until: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str] = mapped_column(String(500))
