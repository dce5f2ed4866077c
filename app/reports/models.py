"""Reports: documents such as national reports, with authors and where they were presented."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped
from app.db.links import Positioned, linked_id, ordered_rows, owner_id


class Report(Timestamped, Base):
    __change_type__ = "report"

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)

    author_links: Mapped[list[ReportAuthor]] = ordered_rows("ReportAuthor")
    meeting_links: Mapped[list[ReportMeeting]] = ordered_rows("ReportMeeting")
    source_links: Mapped[list[ReportSource]] = ordered_rows("ReportSource")


class ReportAuthor(Positioned, Base):
    __change_parent__ = ("report", "report_id")

    __tablename__ = "report_authors"

    report_id: Mapped[str] = owner_id("reports.id")
    organization_id: Mapped[str] = linked_id("organizations.id")


class ReportMeeting(Positioned, Base):
    __change_parent__ = ("report", "report_id")

    __tablename__ = "report_meetings"

    report_id: Mapped[str] = owner_id("reports.id")
    meeting_id: Mapped[str] = linked_id("meetings.id")


class ReportSource(Positioned, Base):
    __change_parent__ = ("report", "report_id")

    __tablename__ = "report_sources"

    report_id: Mapped[str] = owner_id("reports.id")
    source_id: Mapped[str] = linked_id("sources.id")
