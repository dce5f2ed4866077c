"""Reports: documents such as national reports, with authors and where they were presented."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Timestamped


class Report(Timestamped, Base):
    __change_type__ = "report"

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)

    author_links: Mapped[list[ReportAuthor]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ReportAuthor.position"
    )
    meeting_links: Mapped[list[ReportMeeting]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ReportMeeting.position"
    )
    source_links: Mapped[list[ReportSource]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ReportSource.position"
    )


class ReportAuthor(Base):
    __change_parent__ = ("report", "report_id")

    __tablename__ = "report_authors"

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReportMeeting(Base):
    __change_parent__ = ("report", "report_id")

    __tablename__ = "report_meetings"

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ReportSource(Base):
    __change_parent__ = ("report", "report_id")

    __tablename__ = "report_sources"

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
