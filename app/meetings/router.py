"""HTTP routes of the meetings domain: meetings, their sessions and delegations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.db.dependencies import SessionDep
from app.errors import problem_responses
from app.http.pagination import Page, PageDep, page_body
from app.http.params import PRINTABLE_PATTERN, FilterValue, split_values
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
from app.meetings.writes import DELEGATION, MEETING, PARTICIPATION, SESSION, meeting_detail
from app.schemas import IsoDate
from app.writes.routes import add_write_routes

router = APIRouter(tags=["meetings"])


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
    ] = None,
    body: Annotated[
        list[FilterValue] | None,
        Query(
            description="Id of the organization that met; several by repetition or comma.",
            examples=["sco-swg-trade-facilitation"],
        ),
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
    return item_response(MeetingDetailOut, meeting_detail(session, meeting))


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
def get_delegation(delegation: ValidDelegation) -> Response:
    """One delegation by id, with its organizations and named members."""
    return item_response(DelegationOut, delegation)


@router.get(
    "/sessions/{id}",
    response_model=SessionOut,
    operation_id="getSession",
    responses=problem_responses(404, 422),
)
def get_session(meeting_session: ValidSession) -> Response:
    """One session of a meeting by id."""
    return item_response(SessionOut, meeting_session)


@router.get(
    "/participations/{id}",
    response_model=ParticipationOut,
    operation_id="getParticipation",
    responses=problem_responses(404, 422),
)
def get_participation(participation: ValidParticipation) -> Response:
    """One person's part in a meeting, by id."""
    return item_response(ParticipationOut, participation)


def _register_writes() -> None:
    meeting_url = "/api/v1/meetings/{}".format
    add_write_routes(
        router,
        MEETING,
        collection_path="/meetings",
        item_path="/meetings/{id}",
        item_url=meeting_url,
    )
    for resource, collection, item in (
        (SESSION, "/meetings/{id}/sessions", "/sessions/{id}"),
        (DELEGATION, "/meetings/{id}/delegations", "/delegations/{id}"),
        (PARTICIPATION, "/meetings/{id}/participations", "/participations/{id}"),
    ):
        add_write_routes(
            router,
            resource,
            collection_path=collection,
            item_path=item,
            item_url=f"/api/v1{item.replace('{id}', '{}')}".format,
        )


_register_writes()
