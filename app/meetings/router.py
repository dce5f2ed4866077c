"""HTTP routes of the meetings domain: meetings, their sessions and delegations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from app.areas.service import resolve_area_codes
from app.db.dependencies import SessionDep
from app.http.pagination import PagingDep
from app.http.params import PRINTABLE_PATTERN, FilterValue, country_filter, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
from app.http.routes import item_route, list_route
from app.meetings import service
from app.meetings.dependencies import (
    ValidDelegation,
    ValidMeeting,
    ValidMeetingId,
    ValidParticipation,
    ValidSession,
)
from app.meetings.schemas import (
    DelegationOut,
    MeetingDetailOut,
    MeetingOut,
    ParticipationOut,
    SessionOut,
)
from app.meetings.writes import (
    DELEGATION,
    MEETING,
    PARTICIPATION,
    SESSION,
    DelegationIn,
    MeetingIn,
    ParticipationIn,
    SessionIn,
)
from app.organizations import service as organization_service
from app.schemas import IsoDate
from app.vocabulary import SLUG_PATTERN
from app.writes.dependencies import CreationDep, ItemWrite, MergePatch, item_write
from app.writes.routes import create_route, delete_route, update_route

router = APIRouter(tags=["meetings"])


MeetingWrite = Annotated[ItemWrite, item_write(MEETING)]
SessionWrite = Annotated[ItemWrite, item_write(SESSION)]
DelegationWrite = Annotated[ItemWrite, item_write(DELEGATION)]
ParticipationWrite = Annotated[ItemWrite, item_write(PARTICIPATION)]
# The meeting a session, delegation or participation is created under.
ParentMeetingId = Annotated[
    str, Path(alias="id", pattern=SLUG_PATTERN, description="Id of the parent resource.")
]


@router.get("/meetings", **list_route(MeetingOut, "listMeetings"))
def list_meetings(
    session: SessionDep,
    page: PagingDep,
    date_from: Annotated[
        IsoDate | None,
        Query(
            alias="from",
            description="Meetings still going on or after this day (YYYY-MM-DD, inclusive).",
            examples=["2024-04-30"],
        ),
    ] = None,
    date_to: Annotated[
        IsoDate | None,
        Query(
            alias="to",
            description="Meetings that began on or before this day (YYYY-MM-DD, inclusive).",
            examples=["2024-04-30"],
        ),
    ] = None,
    country: Annotated[
        list[FilterValue] | None, country_filter("Host country"), QueryCheck(resolve_area_codes)
    ] = None,
    body: Annotated[
        list[FilterValue] | None,
        Query(
            description="Id of the organization that met; several by repetition or comma.",
            examples=[["sco-swg-trade-facilitation"]],
        ),
        QueryCheck(organization_service.require_known),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            pattern=PRINTABLE_PATTERN,
            description="Text in the title, summary, city or topics (any case).",
            examples=["middle corridor"],
        ),
    ] = None,
) -> dict[str, Any]:
    """SCO trade meetings, newest first."""
    meetings = service.list_meetings(
        session,
        date_from=date_from,
        date_to=date_to,
        countries=split_values(country),
        body_ids=split_values(body),
        q=q,
        page=page.params,
    )
    return page.body(meetings)


@router.get("/meetings/{id}", **item_route(MeetingDetailOut, "getMeeting"))
def get_meeting(meeting: ValidMeeting, session: SessionDep) -> Response:
    """One meeting with its sessions, delegations, participations, reports and sources."""
    return item_response(MEETING.represent(session, meeting))


@router.get(
    "/meetings/{id}/sessions", **list_route(SessionOut, "listMeetingSessions", under_item=True)
)
def list_meeting_sessions(
    meeting_id: ValidMeetingId, session: SessionDep, page: PagingDep
) -> dict[str, Any]:
    """The thematic sessions of a meeting, in agenda order."""
    return page.body(service.list_sessions(session, meeting_id, page=page.params))


@router.get(
    "/meetings/{id}/delegations",
    **list_route(DelegationOut, "listMeetingDelegations", under_item=True),
)
def list_meeting_delegations(
    meeting_id: ValidMeetingId, session: SessionDep, page: PagingDep
) -> dict[str, Any]:
    """The delegations that came to a meeting, by country."""
    return page.body(service.list_delegations(session, meeting_id, page=page.params))


@router.get("/delegations/{id}", **item_route(DelegationOut, "getDelegation"))
def get_delegation(delegation: ValidDelegation, session: SessionDep) -> Response:
    """One delegation by id, with its organizations and named members."""
    return item_response(DELEGATION.represent(session, delegation))


@router.get("/sessions/{id}", **item_route(SessionOut, "getSession"))
def get_session(meeting_session: ValidSession, session: SessionDep) -> Response:
    """One session of a meeting by id."""
    return item_response(SESSION.represent(session, meeting_session))


@router.get("/participations/{id}", **item_route(ParticipationOut, "getParticipation"))
def get_participation(participation: ValidParticipation, session: SessionDep) -> Response:
    """One person's part in a meeting, by id."""
    return item_response(PARTICIPATION.represent(session, participation))


# --- writes: a meeting, and the parts created under it -------------------------------


@router.post("/meetings", **create_route(MEETING))
def create_meeting(body: MeetingIn, write: CreationDep) -> Response:
    """Add a meeting; its id is made from its start date, city and title when not given."""
    return write.create(MEETING, body)


@router.patch("/meetings/{id}", **update_route(MEETING))
def update_meeting(changes: MergePatch, write: MeetingWrite) -> Response:
    """Change a meeting's own fields (its parts are changed at their own paths)."""
    return write.update(changes)


@router.delete("/meetings/{id}", **delete_route(MEETING))
def delete_meeting(write: MeetingWrite) -> Response:
    """Delete a meeting that has no parts left and that no record names."""
    return write.delete()


@router.post("/meetings/{id}/sessions", **create_route(SESSION))
def create_meeting_session(
    meeting_id: ParentMeetingId, body: SessionIn, write: CreationDep
) -> Response:
    """Add a session to the meeting in the path."""
    return write.create(SESSION, body, parent_id=meeting_id)


@router.patch("/sessions/{id}", **update_route(SESSION))
def update_meeting_session(changes: MergePatch, write: SessionWrite) -> Response:
    """Change a session (it stays with its meeting)."""
    return write.update(changes)


@router.delete("/sessions/{id}", **delete_route(SESSION))
def delete_meeting_session(write: SessionWrite) -> Response:
    """Delete a session."""
    return write.delete()


@router.post("/meetings/{id}/delegations", **create_route(DELEGATION))
def create_delegation(
    meeting_id: ParentMeetingId, body: DelegationIn, write: CreationDep
) -> Response:
    """Add a country's delegation to the meeting in the path."""
    return write.create(DELEGATION, body, parent_id=meeting_id)


@router.patch("/delegations/{id}", **update_route(DELEGATION))
def update_delegation(changes: MergePatch, write: DelegationWrite) -> Response:
    """Change a delegation (it stays with its meeting)."""
    return write.update(changes)


@router.delete("/delegations/{id}", **delete_route(DELEGATION))
def delete_delegation(write: DelegationWrite) -> Response:
    """Delete a delegation with its members."""
    return write.delete()


@router.post("/meetings/{id}/participations", **create_route(PARTICIPATION))
def create_participation(
    meeting_id: ParentMeetingId, body: ParticipationIn, write: CreationDep
) -> Response:
    """Record a person's part in the meeting in the path."""
    return write.create(PARTICIPATION, body, parent_id=meeting_id)


@router.patch("/participations/{id}", **update_route(PARTICIPATION))
def update_participation(changes: MergePatch, write: ParticipationWrite) -> Response:
    """Change a person's part in a meeting (it stays with its meeting)."""
    return write.update(changes)


@router.delete("/participations/{id}", **delete_route(PARTICIPATION))
def delete_participation(write: ParticipationWrite) -> Response:
    """Delete a person's part in a meeting."""
    return write.delete()
