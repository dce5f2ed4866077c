"""Meetings, their sessions, delegations and people's participation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, Timestamped
from app.db.links import Positioned, linked_id, ordered_rows, owner_id
from app.vocabulary import DATE_PRECISIONS, check_in


class Meeting(Timestamped, Base):
    __change_type__ = "meeting"

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        CheckConstraint(check_in("date_precision", DATE_PRECISIONS), name="date_precision"),
        Index("ix_meetings_start_date_id", "start_date", "id"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    body_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    # A source may date a meeting only to a month ("December 2015"): `start_date` is then
    # the first day of that month and this says so, rather than pretending to know the day.
    date_precision: Mapped[str] = mapped_column(String(5), default="day")
    timezone: Mapped[str | None] = mapped_column(String(64))
    city: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    chair_country: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    attendance_note: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)

    organizer_links: Mapped[list[MeetingOrganizer]] = ordered_rows("MeetingOrganizer")
    source_links: Mapped[list[MeetingSource]] = ordered_rows("MeetingSource")


class MeetingOrganizer(Positioned, Base):
    __change_parent__ = ("meeting", "meeting_id")

    __tablename__ = "meeting_organizers"

    meeting_id: Mapped[str] = owner_id("meetings.id")
    organization_id: Mapped[str] = linked_id("organizations.id")


class MeetingSource(Positioned, Base):
    __change_parent__ = ("meeting", "meeting_id")

    __tablename__ = "meeting_sources"

    meeting_id: Mapped[str] = owner_id("meetings.id")
    source_id: Mapped[str] = linked_id("sources.id")


class MeetingSession(Timestamped, Base):
    """A thematic session or agenda item of a meeting (`order` in the API)."""

    __change_type__ = "session"

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_meeting_id_ordinal", "meeting_id", "ordinal", "id"),)

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"))
    # "order" is an SQL keyword; the column is `ordinal`, the API field `order`.
    ordinal: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)


class Delegation(Timestamped, Base):
    __change_type__ = "delegation"

    __tablename__ = "delegations"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    country: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    head_person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)

    organization_links: Mapped[list[DelegationOrganization]] = ordered_rows(
        "DelegationOrganization"
    )
    members: Mapped[list[DelegationMember]] = ordered_rows("DelegationMember")


class DelegationOrganization(Positioned, Base):
    __change_parent__ = ("delegation", "delegation_id")

    __tablename__ = "delegation_organizations"

    delegation_id: Mapped[str] = owner_id("delegations.id")
    organization_id: Mapped[str] = linked_id("organizations.id")


class DelegationMember(Positioned, Base):
    __change_parent__ = ("delegation", "delegation_id")

    __tablename__ = "delegation_members"

    delegation_id: Mapped[str] = owner_id("delegations.id")
    person_id: Mapped[str] = linked_id("people.id")
    role: Mapped[str | None] = mapped_column(String(300))


class Participation(Timestamped, Base):
    """A person's part in a meeting (`welcoming_speech`, `chair`, `presenter`, ...)."""

    __change_type__ = "participation"

    __tablename__ = "participations"
    __table_args__ = (Index("ix_participations_meeting_id_id", "meeting_id", "id"),)

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)
