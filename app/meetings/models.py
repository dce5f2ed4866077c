"""Meetings, their sessions, delegations and people's participation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, Timestamped
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

    organizer_links: Mapped[list[MeetingOrganizer]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="MeetingOrganizer.position"
    )
    source_links: Mapped[list[MeetingSource]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="MeetingSource.position"
    )


class MeetingOrganizer(Base):
    __change_parent__ = ("meeting", "meeting_id")

    __tablename__ = "meeting_organizers"

    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class MeetingSource(Base):
    __change_parent__ = ("meeting", "meeting_id")

    __tablename__ = "meeting_sources"

    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


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

    organization_links: Mapped[list[DelegationOrganization]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="DelegationOrganization.position"
    )
    members: Mapped[list[DelegationMember]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="DelegationMember.position"
    )


class DelegationOrganization(Base):
    __change_parent__ = ("delegation", "delegation_id")

    __tablename__ = "delegation_organizations"

    delegation_id: Mapped[str] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class DelegationMember(Base):
    __change_parent__ = ("delegation", "delegation_id")

    __tablename__ = "delegation_members"

    delegation_id: Mapped[str] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    role: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


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
