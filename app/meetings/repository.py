"""Queries of the meetings domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.dates import period_start
from app.db.keyset import Paged, PageParams, SortKey, ordering
from app.db.repository import Repository
from app.meetings.models import Delegation, Meeting, MeetingSession, Participation

# The one link upward: a meeting's record lists the reports presented at it, and that link
# row belongs to the reports domain. Only the model is imported, never reports' logic.
from app.reports.models import ReportMeeting

# Newest first; the id breaks ties so that the order (and every cursor) is stable.
MEETING_ORDER = (SortKey(Meeting.start_date, descending=True), SortKey(Meeting.id))
SESSION_ORDER = (SortKey(MeetingSession.ordinal), SortKey(MeetingSession.id))
DELEGATION_ORDER = (SortKey(Delegation.country), SortKey(Delegation.id))
PARTICIPATION_ORDER = (SortKey(Participation.id),)

# Everything a `MeetingOut` / `DelegationOut` reads besides the row itself.
MEETING_LOAD = (selectinload(Meeting.organizer_links), selectinload(Meeting.source_links))
DELEGATION_LOAD = (selectinload(Delegation.organization_links), selectinload(Delegation.members))


@dataclass(frozen=True)
class MeetingFilters:
    """Validated filters of `GET /meetings` (codes resolved, ids known)."""

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    body_ids: tuple[str, ...] = ()
    q: str | None = None


def _topics_contain(text: str, dialect: str) -> ColumnElement[bool]:
    """Some element of the JSON `topics` array contains `text`, ignoring case.

    Matching the array's JSON text would also match across elements and miss escaped
    non-ASCII characters, so each element is unnested with the dialect's JSON function.
    """
    if dialect == "postgresql":
        elements = func.json_array_elements_text(Meeting.topics).table_valued("value")
    else:
        elements = func.json_each(Meeting.topics).table_valued("value")
    return exists(
        select(1).select_from(elements).where(elements.c.value.icontains(text, autoescape=True))
    )


def _text_matches(text: str, dialect: str) -> ColumnElement[bool]:
    # SQLite's lower() folds ASCII only; folding the needle here as well lets "CAFÉ" find
    # "Café" on both databases (stored upper-case non-ASCII still needs PostgreSQL).
    text = text.lower()
    return or_(
        Meeting.title.icontains(text, autoescape=True),
        Meeting.summary.icontains(text, autoescape=True),
        Meeting.city.icontains(text, autoescape=True),
        _topics_contain(text, dialect),
    )


def _ends_on_or_after(day: date) -> ColumnElement[bool]:
    last_day = func.coalesce(Meeting.end_date, Meeting.start_date)
    return or_(
        last_day >= day,
        and_(
            Meeting.end_date.is_(None),
            or_(
                *(
                    and_(
                        Meeting.date_precision == precision,
                        Meeting.start_date >= period_start(day, precision),
                    )
                    for precision in ("month", "year")
                )
            ),
        ),
    )


def _matching(filters: MeetingFilters, dialect: str) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `filters` (none: every meeting)."""
    clauses: list[ColumnElement[bool]] = []
    # A meeting occupies [start_date, end_date]; without an end date, the day, month or
    # year its `date_precision` names. It matches when that interval overlaps the requested
    # one (both ends inclusive): a meeting of "December 2015" matches `from=2015-12-10`.
    if filters.date_from is not None:
        clauses.append(_ends_on_or_after(filters.date_from))
    if filters.date_to is not None:
        clauses.append(Meeting.start_date <= filters.date_to)
    if filters.countries:
        clauses.append(Meeting.country.in_(filters.countries))
    if filters.body_ids:
        clauses.append(Meeting.body_id.in_(filters.body_ids))
    if filters.q is not None:
        clauses.append(_text_matches(filters.q, dialect))
    return clauses


def _sessions_of(meeting_id: str) -> Select[MeetingSession]:
    return select(MeetingSession).where(MeetingSession.meeting_id == meeting_id)


def _delegations_of(meeting_id: str) -> Select[Delegation]:
    return select(Delegation).options(*DELEGATION_LOAD).where(Delegation.meeting_id == meeting_id)


class MeetingRepository(Repository[Meeting, str]):
    """Meetings, and the parts of a meeting its record embeds."""

    model = Meeting
    load = MEETING_LOAD

    def list_meetings(self, filters: MeetingFilters, page: PageParams) -> Paged[Meeting]:
        dialect = self.session.get_bind().dialect.name
        statement = select(Meeting).options(*MEETING_LOAD).where(*_matching(filters, dialect))
        return self.page(statement, MEETING_ORDER, page)

    def exists(self, meeting_id: str) -> bool:
        statement = select(Meeting.id).where(Meeting.id == meeting_id)
        return self.session.scalar(statement) is not None

    def list_sessions(self, meeting_id: str, page: PageParams) -> Paged[MeetingSession]:
        """One page of the meeting's sessions, in agenda order."""
        return self.page(_sessions_of(meeting_id), SESSION_ORDER, page)

    def all_sessions(self, meeting_id: str) -> list[MeetingSession]:
        statement = _sessions_of(meeting_id).order_by(*ordering(SESSION_ORDER))
        return list(self.session.scalars(statement))

    def list_delegations(self, meeting_id: str, page: PageParams) -> Paged[Delegation]:
        return self.page(_delegations_of(meeting_id), DELEGATION_ORDER, page)

    def all_delegations(self, meeting_id: str) -> list[Delegation]:
        statement = _delegations_of(meeting_id).order_by(*ordering(DELEGATION_ORDER))
        return list(self.session.scalars(statement))

    def all_participations(self, meeting_id: str) -> list[Participation]:
        statement = (
            select(Participation)
            .where(Participation.meeting_id == meeting_id)
            .order_by(*ordering(PARTICIPATION_ORDER))
        )
        return list(self.session.scalars(statement))

    def report_ids(self, meeting_id: str) -> list[str]:
        """Reports presented at the meeting (the report→meeting links), by report id."""
        statement = (
            select(ReportMeeting.report_id)
            .where(ReportMeeting.meeting_id == meeting_id)
            .order_by(ReportMeeting.report_id)
        )
        return list(self.session.scalars(statement))


class DelegationRepository(Repository[Delegation, str]):
    model = Delegation
    load = DELEGATION_LOAD


class SessionRepository(Repository[MeetingSession, str]):
    model = MeetingSession


class ParticipationRepository(Repository[Participation, str]):
    model = Participation
