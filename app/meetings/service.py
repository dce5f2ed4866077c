"""Rules of the meetings domain: filter validation and loading a meeting's whole record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.areas import service as area_service
from app.db.keyset import Paged, PageParams
from app.errors import RULE_ERROR, NotFound, ValidationFailed
from app.meetings.models import Delegation, Meeting, MeetingSession, Participation
from app.meetings.repository import (
    DelegationRepository,
    MeetingFilters,
    MeetingRepository,
    ParticipationRepository,
    SessionRepository,
)
from app.organizations import service as organization_service
from app.sources.models import Source
from app.sources.repository import SourceRepository


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting and every part of it the detail answer embeds."""

    meeting: Meeting
    sessions: list[MeetingSession]
    delegations: list[Delegation]
    participations: list[Participation]
    report_ids: list[str]
    sources: list[Source]


def meeting_filters(
    session: Session,
    *,
    date_from: date | None,
    date_to: date | None,
    countries: list[str],
    body_ids: list[str],
    q: str | None,
) -> MeetingFilters:
    """Check the `GET /meetings` filters and resolve them (422 naming the bad one)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationFailed.for_field(
            "query.from", "`from` must not be after `to`", kind=RULE_ERROR
        )
    codes = area_service.resolve_area_codes(session, countries, field="query.country")
    organization_service.require_known(session, body_ids, field="query.body")
    return MeetingFilters(
        date_from=date_from,
        date_to=date_to,
        countries=tuple(codes),
        body_ids=tuple(body_ids),
        q=q,
    )


def list_meetings(
    session: Session,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    countries: list[str] | None = None,
    body_ids: list[str] | None = None,
    q: str | None = None,
    page: PageParams,
) -> Paged[Meeting]:
    """One page of the meetings that match the filters (none: every meeting), newest first."""
    filters = meeting_filters(
        session,
        date_from=date_from,
        date_to=date_to,
        countries=countries or [],
        body_ids=body_ids or [],
        q=q,
    )
    return MeetingRepository(session).list_meetings(filters, page)


def get_meeting(session: Session, meeting_id: str) -> Meeting:
    return MeetingRepository(session).get_or_raise(meeting_id)


def require_meeting(session: Session, meeting_id: str) -> str:
    """`meeting_id` if that meeting exists, else a 404 (without loading the row)."""
    if not MeetingRepository(session).exists(meeting_id):
        raise NotFound(f"No meeting with id {meeting_id!r}.")
    return meeting_id


def require_known(session: Session, meeting_ids: list[str], *, field: str) -> None:
    """422 naming `field` when a filter refers to meetings that do not exist."""
    MeetingRepository(session).require_known(meeting_ids, field=field)


def meeting_record(session: Session, meeting: Meeting) -> MeetingRecord:
    """Load every embedded part with one query per kind of part: no query per row."""
    meetings = MeetingRepository(session)
    return MeetingRecord(
        meeting=meeting,
        sessions=meetings.all_sessions(meeting.id),
        delegations=meetings.all_delegations(meeting.id),
        participations=meetings.all_participations(meeting.id),
        report_ids=meetings.report_ids(meeting.id),
        sources=SourceRepository(session).in_order(
            [link.source_id for link in meeting.source_links]
        ),
    )


def list_sessions(session: Session, meeting_id: str, *, page: PageParams) -> Paged[MeetingSession]:
    return MeetingRepository(session).list_sessions(meeting_id, page)


def list_delegations(session: Session, meeting_id: str, *, page: PageParams) -> Paged[Delegation]:
    return MeetingRepository(session).list_delegations(meeting_id, page)


def get_delegation(session: Session, delegation_id: str) -> Delegation:
    return DelegationRepository(session).get_or_raise(delegation_id)


def get_session(session: Session, session_id: str) -> MeetingSession:
    return SessionRepository(session).get_or_raise(session_id)


def get_participation(session: Session, participation_id: str) -> Participation:
    return ParticipationRepository(session).get_or_raise(participation_id)
