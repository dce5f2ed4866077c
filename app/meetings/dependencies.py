"""Path parameters and load-or-404 dependencies of the meetings domain."""

from __future__ import annotations

from typing import Annotated

from app.http.loaders import load_or_404, slug_path
from app.meetings import service
from app.meetings.models import Delegation, Meeting, MeetingSession, Participation

MEETING_ID = slug_path("Meeting", "2024-04-30-astana-swg-trade-facilitation")
DELEGATION_ID = slug_path("Delegation", "2024-04-30-astana-swg-trade-facilitation-kaz")
SESSION_ID = slug_path("Session", "2024-04-30-astana-swg-trade-facilitation-trade-and-logistics")
PARTICIPATION_ID = slug_path(
    "Participation", "2024-04-30-astana-swg-trade-facilitation-kushukova-welcoming-speech"
)

# The meeting named in the path, or a 404.
ValidMeeting = Annotated[Meeting, load_or_404(MEETING_ID, service.get_meeting)]
# Its id, once known to exist (the row is not loaded), or a 404.
ValidMeetingId = Annotated[str, load_or_404(MEETING_ID, service.require_meeting)]
ValidDelegation = Annotated[Delegation, load_or_404(DELEGATION_ID, service.get_delegation)]
ValidSession = Annotated[MeetingSession, load_or_404(SESSION_ID, service.get_session)]
ValidParticipation = Annotated[
    Participation, load_or_404(PARTICIPATION_ID, service.get_participation)
]
