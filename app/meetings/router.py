"""HTTP routes of the meetings domain: meetings, their sessions and delegations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.areas.service import resolve_area_codes
from app.auth.dependencies import WriterDep
from app.db.dependencies import SessionDep, WriteSessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.params import PRINTABLE_PATTERN, FilterValue, split_values
from app.http.query import QueryCheck
from app.http.representation import item_response
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
from app.writes import service as writes
from app.writes.routes import (
    IdempotencyKeyDep,
    IfMatchDep,
    MergePatch,
    create_route,
    delete_route,
    item_id,
    no_content,
    respond,
    update_route,
)

router = APIRouter(tags=["meetings"])


MeetingIdToWrite = Annotated[str, item_id(MEETING)]
SessionIdToWrite = Annotated[str, item_id(SESSION)]
DelegationIdToWrite = Annotated[str, item_id(DELEGATION)]
ParticipationIdToWrite = Annotated[str, item_id(PARTICIPATION)]
# The meeting a session, delegation or participation is created under.
ParentMeetingId = Annotated[
    str, Path(alias="id", pattern=SLUG_PATTERN, description="Id of the parent resource.")
]


@router.get(
    "/meetings",
    response_model=Page[MeetingOut],
    operation_id="listMeetings",
    responses=problem_responses(422),
)
def list_meetings(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
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
        list[FilterValue] | None,
        Query(
            description="Host country: alpha-3 or alpha-2, any case; several by repetition "
            "or comma.",
            examples=["KAZ"],
        ),
        QueryCheck(resolve_area_codes),
    ] = None,
    body: Annotated[
        list[FilterValue] | None,
        Query(
            description="Id of the organization that met; several by repetition or comma.",
            examples=["sco-swg-trade-facilitation"],
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
        page=page,
    )
    return page_body(request, response, meetings)


@router.get(
    "/meetings/{id}",
    response_model=MeetingDetailOut,
    operation_id="getMeeting",
    responses=problem_responses(404, 422),
)
def get_meeting(meeting: ValidMeeting, session: SessionDep) -> Response:
    """One meeting with its sessions, delegations, participations, reports and sources."""
    return item_response(MEETING.represent(session, meeting))


@router.get(
    "/meetings/{id}/sessions",
    response_model=Page[SessionOut],
    operation_id="listMeetingSessions",
    responses=problem_responses(404, 422),
)
def list_meeting_sessions(
    request: Request,
    response: Response,
    meeting_id: ValidMeetingId,
    session: SessionDep,
    page: PageDep,
) -> dict[str, Any]:
    """The thematic sessions of a meeting, in agenda order."""
    return page_body(request, response, service.list_sessions(session, meeting_id, page=page))


@router.get(
    "/meetings/{id}/delegations",
    response_model=Page[DelegationOut],
    operation_id="listMeetingDelegations",
    responses=problem_responses(404, 422),
)
def list_meeting_delegations(
    request: Request,
    response: Response,
    meeting_id: ValidMeetingId,
    session: SessionDep,
    page: PageDep,
) -> dict[str, Any]:
    """The delegations that came to a meeting, by country."""
    delegations = service.list_delegations(session, meeting_id, page=page)
    return page_body(request, response, delegations)


@router.get(
    "/delegations/{id}",
    response_model=DelegationOut,
    operation_id="getDelegation",
    responses=problem_responses(404, 422),
)
def get_delegation(delegation: ValidDelegation, session: SessionDep) -> Response:
    """One delegation by id, with its organizations and named members."""
    return item_response(DELEGATION.represent(session, delegation))


@router.get(
    "/sessions/{id}",
    response_model=SessionOut,
    operation_id="getSession",
    responses=problem_responses(404, 422),
)
def get_session(meeting_session: ValidSession, session: SessionDep) -> Response:
    """One session of a meeting by id."""
    return item_response(SESSION.represent(session, meeting_session))


@router.get(
    "/participations/{id}",
    response_model=ParticipationOut,
    operation_id="getParticipation",
    responses=problem_responses(404, 422),
)
def get_participation(participation: ValidParticipation, session: SessionDep) -> Response:
    """One person's part in a meeting, by id."""
    return item_response(PARTICIPATION.represent(session, participation))


# --- writes: a meeting, and the parts created under it -------------------------------


@router.post("/meetings", **create_route(MEETING))
def create_meeting(
    body: MeetingIn, session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep
) -> Response:
    """Add a meeting; its id is made from its start date, city and title when not given."""
    return respond(writes.create(session, MEETING, body, writer=writer, key=key))


@router.patch("/meetings/{id}", **update_route(MEETING))
def update_meeting(
    meeting_id: MeetingIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a meeting's own fields (its parts are changed at their own paths)."""
    return respond(writes.update(session, MEETING, meeting_id, changes, if_match=if_match))


@router.delete("/meetings/{id}", **delete_route(MEETING))
def delete_meeting(
    meeting_id: MeetingIdToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete a meeting that has no parts left and that no record names."""
    writes.remove(session, MEETING, meeting_id, if_match=if_match)
    return no_content()


@router.post("/meetings/{id}/sessions", **create_route(SESSION))
def create_meeting_session(
    meeting_id: ParentMeetingId,
    body: SessionIn,
    session: WriteSessionDep,
    writer: WriterDep,
    key: IdempotencyKeyDep,
) -> Response:
    """Add a session to the meeting in the path."""
    answer = writes.create(session, SESSION, body, writer=writer, key=key, parent_id=meeting_id)
    return respond(answer)


@router.patch("/sessions/{id}", **update_route(SESSION))
def update_meeting_session(
    session_id: SessionIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a session (it stays with its meeting)."""
    return respond(writes.update(session, SESSION, session_id, changes, if_match=if_match))


@router.delete("/sessions/{id}", **delete_route(SESSION))
def delete_meeting_session(
    session_id: SessionIdToWrite, session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> Response:
    """Delete a session."""
    writes.remove(session, SESSION, session_id, if_match=if_match)
    return no_content()


@router.post("/meetings/{id}/delegations", **create_route(DELEGATION))
def create_delegation(
    meeting_id: ParentMeetingId,
    body: DelegationIn,
    session: WriteSessionDep,
    writer: WriterDep,
    key: IdempotencyKeyDep,
) -> Response:
    """Add a country's delegation to the meeting in the path."""
    answer = writes.create(session, DELEGATION, body, writer=writer, key=key, parent_id=meeting_id)
    return respond(answer)


@router.patch("/delegations/{id}", **update_route(DELEGATION))
def update_delegation(
    delegation_id: DelegationIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a delegation (it stays with its meeting)."""
    answer = writes.update(session, DELEGATION, delegation_id, changes, if_match=if_match)
    return respond(answer)


@router.delete("/delegations/{id}", **delete_route(DELEGATION))
def delete_delegation(
    delegation_id: DelegationIdToWrite,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Delete a delegation with its members."""
    writes.remove(session, DELEGATION, delegation_id, if_match=if_match)
    return no_content()


@router.post("/meetings/{id}/participations", **create_route(PARTICIPATION))
def create_participation(
    meeting_id: ParentMeetingId,
    body: ParticipationIn,
    session: WriteSessionDep,
    writer: WriterDep,
    key: IdempotencyKeyDep,
) -> Response:
    """Record a person's part in the meeting in the path."""
    answer = writes.create(
        session, PARTICIPATION, body, writer=writer, key=key, parent_id=meeting_id
    )
    return respond(answer)


@router.patch("/participations/{id}", **update_route(PARTICIPATION))
def update_participation(
    participation_id: ParticipationIdToWrite,
    changes: MergePatch,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Change a person's part in a meeting (it stays with its meeting)."""
    answer = writes.update(session, PARTICIPATION, participation_id, changes, if_match=if_match)
    return respond(answer)


@router.delete("/participations/{id}", **delete_route(PARTICIPATION))
def delete_participation(
    participation_id: ParticipationIdToWrite,
    session: WriteSessionDep,
    _writer: WriterDep,
    if_match: IfMatchDep,
) -> Response:
    """Delete a person's part in a meeting."""
    writes.remove(session, PARTICIPATION, participation_id, if_match=if_match)
    return no_content()
