"""Request bodies of `/meetings` and of its sessions, delegations and participations, and
delegation rows written straight to the database."""

from __future__ import annotations

from app.meetings.models import Delegation, DelegationMember
from tests.factories import Body, present
from tests.factories.seeded import KAZINFORM, KUSHUKOVA


def meeting_body(
    title: str = "Test meeting",
    *,
    id: str | None = None,
    start_date: str = "2025-06-10",
    end_date: str | None = None,
    city: str | None = None,
    country: str | None = None,
    timezone: str | None = None,
    body_id: str | None = None,
    organizer_ids: list[str] | None = None,
    source_ids: list[str] | None = None,
    topics: list[str] | None = None,
) -> Body:
    """A new meeting; without `id` the API derives one from the date, city and title."""
    return present(
        id=id,
        title=title,
        start_date=start_date,
        end_date=end_date,
        city=city,
        country=country,
        timezone=timezone,
        body_id=body_id,
        organizer_ids=organizer_ids,
        source_ids=source_ids,
        topics=topics,
    )


def session_body(order: int = 1, title: str = "Test session", *, id: str | None = None) -> Body:
    """A new session of the meeting in the path."""
    return present(id=id, order=order, title=title)


def member(person_id: str = KUSHUKOVA, role: str | None = None) -> Body:
    """A member of a delegation (the seeded Janel Kushukova unless told otherwise)."""
    return present(person_id=person_id, role=role)


def delegation_body(
    country: str = "KZ",
    *,
    id: str | None = None,
    organization_ids: list[str] | None = None,
    members: list[Body] | None = None,
) -> Body:
    """A country's new delegation to the meeting in the path; one member unless told."""
    return present(
        id=id,
        country=country,
        organization_ids=organization_ids,
        members=[member()] if members is None else members,
    )


def participation_body(
    role: str = "presenter", *, person_id: str = KUSHUKOVA, id: str | None = None
) -> Body:
    """A person's new part in the meeting in the path."""
    return present(id=id, person_id=person_id, role=role)


def delegation_record(
    meeting_id: str,
    members: list[tuple[str, str]],
    *,
    country: str = "KAZ",
    source_id: str = KAZINFORM,
) -> Delegation:
    """A delegation row (id `<meeting>-<country>`) with its (person id, role) members."""
    delegation = Delegation(
        id=f"{meeting_id}-{country.lower()}",
        meeting_id=meeting_id,
        country=country,
        source_id=source_id,
    )
    delegation.members = [DelegationMember(person_id=person, role=role) for person, role in members]
    return delegation
