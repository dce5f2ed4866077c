"""Path parameters and load-or-404 dependencies of the meetings domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.db.dependencies import SessionDep
from app.http.params import SLUG_PATTERN
from app.meetings import service
from app.meetings.models import Delegation, Meeting

MeetingId = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Meeting id (a slug).",
        examples=["2024-04-30-astana-swg-trade-facilitation"],
    ),
]
DelegationId = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Delegation id (a slug).",
        examples=["2024-04-30-astana-swg-trade-facilitation-kaz"],
    ),
]

SessionIdPath = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Session id (a slug).",
        examples=["2024-04-30-astana-swg-trade-facilitation-trade-and-logistics"],
    ),
]
ParticipationIdPath = Annotated[
    str,
    Path(
        alias="id",
        pattern=SLUG_PATTERN,
        description="Participation id (a slug).",
        examples=["2024-04-30-astana-swg-trade-facilitation-kushukova-welcoming-speech"],
    ),
]


def valid_meeting(meeting_id: MeetingId, session: SessionDep) -> Meeting:
    """The meeting named in the path, or a 404."""
    return service.get_meeting(session, meeting_id)


def valid_meeting_id(meeting_id: MeetingId, session: SessionDep) -> str:
    """The id of an existing meeting named in the path, or a 404 (the row is not loaded)."""
    return service.require_meeting(session, meeting_id)


def valid_delegation(delegation_id: DelegationId, session: SessionDep) -> Delegation:
    """The delegation named in the path, or a 404."""
    return service.get_delegation(session, delegation_id)


ValidMeeting = Annotated[Meeting, Depends(valid_meeting)]
ValidMeetingId = Annotated[str, Depends(valid_meeting_id)]
ValidDelegation = Annotated[Delegation, Depends(valid_delegation)]
