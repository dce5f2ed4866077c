"""Rules of the meetings domain: filter validation and loading a meeting's whole record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.areas import service as area_service
from app.errors import REFERENCE_ERROR, RULE_ERROR, NotFound, ValidationFailed
from app.http.pagination import PageParams
from app.meetings import repository
from app.meetings.models import Delegation, Meeting, MeetingSession, Participation
from app.organizations import service as organization_service
from app.sources import repository as source_repository
from app.sources.models import Source


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
) -> repository.MeetingFilters:
    """Check the `GET /meetings` filters and resolve them (422 naming the bad one)."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationFailed.for_field(
            "query.from", "`from` must not be after `to`", kind=RULE_ERROR
        )
    codes = area_service.resolve_area_codes(session, countries, field="query.country")
    organization_service.require_known(session, body_ids, field="query.body")
    return repository.MeetingFilters(
        date_from=date_from,
        date_to=date_to,
        countries=tuple(codes),
        body_ids=tuple(body_ids),
        q=q,
    )


def get_meeting(session: Session, meeting_id: str) -> Meeting:
    meeting = repository.get_meeting(session, meeting_id)
    if meeting is None:
        raise NotFound(f"No meeting with id {meeting_id!r}.")
    return meeting


def require_meeting(session: Session, meeting_id: str) -> str:
    """`meeting_id` if that meeting exists, else a 404 (without loading the row)."""
    if not repository.meeting_exists(session, meeting_id):
        raise NotFound(f"No meeting with id {meeting_id!r}.")
    return meeting_id


def require_known(session: Session, meeting_ids: list[str], *, field: str) -> None:
    """422 naming `field` when a filter refers to meetings that do not exist."""
    known = repository.existing_meeting_ids(session, meeting_ids)
    unknown = [meeting_id for meeting_id in meeting_ids if meeting_id not in known]
    if unknown:
        raise ValidationFailed.for_field(
            field, f"unknown meeting id(s): {', '.join(unknown)}", kind=REFERENCE_ERROR
        )


def meeting_record(session: Session, meeting: Meeting) -> MeetingRecord:
    """Load every embedded part with one query per kind of part: no query per row."""
    return MeetingRecord(
        meeting=meeting,
        sessions=repository.list_sessions(session, meeting.id),
        delegations=repository.list_delegations(session, meeting.id),
        participations=repository.list_participations(session, meeting.id),
        report_ids=repository.report_ids_for(session, meeting.id),
        sources=source_repository.sources_in_order(
            session, [link.source_id for link in meeting.source_links]
        ),
    )


def list_sessions(session: Session, meeting_id: str, *, page: PageParams) -> list[MeetingSession]:
    return repository.list_sessions(session, meeting_id, page=page)


def list_delegations(session: Session, meeting_id: str, *, page: PageParams) -> list[Delegation]:
    return repository.list_delegations(session, meeting_id, page=page)


def get_delegation(session: Session, delegation_id: str) -> Delegation:
    delegation = repository.get_delegation(session, delegation_id)
    if delegation is None:
        raise NotFound(f"No delegation with id {delegation_id!r}.")
    return delegation
