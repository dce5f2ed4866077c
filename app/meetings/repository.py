"""Queries of the meetings domain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.dates import period_start
from app.http.pagination import AnySelect, PageParams, SortKey, apply_keyset
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


def list_meetings(session: Session, *, filters: MeetingFilters, page: PageParams) -> list[Meeting]:
    statement = select(Meeting).options(*MEETING_LOAD)
    # A meeting occupies [start_date, end_date]; without an end date, the day, month or
    # year its `date_precision` names. It matches when that interval overlaps the requested
    # one (both ends inclusive): a meeting of "December 2015" matches `from=2015-12-10`.
    if filters.date_from is not None:
        statement = statement.where(_ends_on_or_after(filters.date_from))
    if filters.date_to is not None:
        statement = statement.where(Meeting.start_date <= filters.date_to)
    if filters.countries:
        statement = statement.where(Meeting.country.in_(filters.countries))
    if filters.body_ids:
        statement = statement.where(Meeting.body_id.in_(filters.body_ids))
    if filters.q is not None:
        statement = statement.where(_text_matches(filters.q, session.get_bind().dialect.name))
    return list(session.scalars(apply_keyset(statement, MEETING_ORDER, page)))


def get_meeting(session: Session, meeting_id: str) -> Meeting | None:
    return session.get(Meeting, meeting_id, options=MEETING_LOAD)


def meeting_exists(session: Session, meeting_id: str) -> bool:
    return session.scalar(select(Meeting.id).where(Meeting.id == meeting_id)) is not None


def existing_meeting_ids(session: Session, meeting_ids: list[str]) -> set[str]:
    if not meeting_ids:
        return set()
    return set(session.scalars(select(Meeting.id).where(Meeting.id.in_(set(meeting_ids)))))


def list_sessions(
    session: Session, meeting_id: str, *, page: PageParams | None = None
) -> list[MeetingSession]:
    """The meeting's sessions in agenda order: one page of them, or all without `page`."""
    statement: AnySelect = select(MeetingSession).where(MeetingSession.meeting_id == meeting_id)
    return list(session.scalars(_ordered(statement, SESSION_ORDER, page)))


def list_delegations(
    session: Session, meeting_id: str, *, page: PageParams | None = None
) -> list[Delegation]:
    statement: AnySelect = (
        select(Delegation).options(*DELEGATION_LOAD).where(Delegation.meeting_id == meeting_id)
    )
    return list(session.scalars(_ordered(statement, DELEGATION_ORDER, page)))


def get_delegation(session: Session, delegation_id: str) -> Delegation | None:
    return session.get(Delegation, delegation_id, options=DELEGATION_LOAD)


def list_participations(session: Session, meeting_id: str) -> list[Participation]:
    statement: AnySelect = select(Participation).where(Participation.meeting_id == meeting_id)
    return list(session.scalars(_ordered(statement, PARTICIPATION_ORDER, None)))


def report_ids_for(session: Session, meeting_id: str) -> list[str]:
    """Reports presented at the meeting (the report→meeting links), by report id."""
    statement = (
        select(ReportMeeting.report_id)
        .where(ReportMeeting.meeting_id == meeting_id)
        .order_by(ReportMeeting.report_id)
    )
    return list(session.scalars(statement))


def _ordered(statement: AnySelect, keys: tuple[SortKey, ...], page: PageParams | None) -> AnySelect:
    """One keyset page in the order of `keys`, or every row in that order without `page`."""
    if page is not None:
        return apply_keyset(statement, keys, page)
    return statement.order_by(
        *(key.column.desc() if key.descending else key.column.asc() for key in keys)
    )
