"""Write side of the meetings domain: meetings, their sessions, delegations, participations.

The request bodies, and each resource as the write service reads it (a GET of an item
answers with the same `represent`ation).
"""

from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from app.errors import REFERENCE_ERROR, RULE_ERROR
from app.http.representation import render_json
from app.meetings import service
from app.meetings.models import (
    Delegation,
    DelegationMember,
    DelegationOrganization,
    Meeting,
    MeetingOrganizer,
    MeetingSession,
    MeetingSource,
    Participation,
)
from app.meetings.schemas import DelegationOut, MeetingDetailOut, ParticipationOut, SessionOut
from app.schemas import AreaCodeIn, InModel, Slug, Text, Title, require_period_start
from app.vocabulary import DatePrecision
from app.writes.fields import ChildSpec, EntitySpec, LinkSpec
from app.writes.resource import WritableResource

Topics = list[Title]


class MeetingIn(InModel):
    """A meeting; `id` is derived from the start date, city and title when omitted."""

    id: Slug | None = Field(default=None, examples=["2025-06-10-bishkek-swg-trade-facilitation"])
    title: Title = Field(
        examples=["Meeting of the SCO Special Working Group on Trade Facilitation"]
    )
    body_id: Slug | None = Field(default=None, examples=["sco-swg-trade-facilitation"])
    start_date: date = Field(examples=["2025-06-10"])
    end_date: date | None = Field(default=None, examples=["2025-06-11"])
    date_precision: DatePrecision = Field(
        default="day",
        description="`month` or `year` where the source gives no day: `start_date` is then "
        "the first day of that month or year.",
        examples=["day"],
    )
    timezone: str | None = Field(
        default=None, max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["Asia/Bishkek"]
    )
    city: str | None = Field(
        default=None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["Bishkek"]
    )
    country: AreaCodeIn | None = Field(default=None, examples=["KG"])
    chair_country: AreaCodeIn | None = Field(default=None, examples=["KGZ"])
    summary: Text | None = Field(default=None, examples=[None])
    attendance_note: Text | None = Field(default=None, examples=[None])
    topics: Topics = Field(default_factory=list, max_length=50, examples=[["trade facilitation"]])
    organizer_ids: list[Slug] = Field(default_factory=list, max_length=50, examples=[[]])
    source_ids: list[Slug] = Field(default_factory=list, max_length=50, examples=[[]])

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise PydanticCustomError(REFERENCE_ERROR, "not an IANA time zone name")
        return value

    @model_validator(mode="after")
    def _dates(self) -> MeetingIn:
        if self.end_date is not None and self.end_date < self.start_date:
            raise PydanticCustomError(RULE_ERROR, "`end_date` must not be before `start_date`")
        require_period_start(self.start_date, self.date_precision, "start_date")
        return self


class SessionIn(InModel):
    """A session of the meeting named in the path."""

    id: Slug | None = Field(
        default=None, examples=["2025-06-10-bishkek-swg-trade-facilitation-digital-trade"]
    )
    order: int = Field(ge=1, le=1000, examples=[1])
    title: Title = Field(examples=["Digital trade"])
    summary: Text | None = Field(default=None, examples=[None])
    topics: Topics = Field(default_factory=list, max_length=50, examples=[["digital trade"]])
    source_id: Slug | None = Field(default=None, examples=[None])


class DelegationMemberIn(InModel):
    person_id: Slug = Field(examples=["janel-kushukova"])
    role: Title | None = Field(default=None, examples=["Vice Minister of Trade and Integration"])


class DelegationIn(InModel):
    """A country's delegation to the meeting named in the path."""

    id: Slug | None = Field(
        default=None, examples=["2025-06-10-bishkek-swg-trade-facilitation-kaz"]
    )
    country: AreaCodeIn = Field(examples=["KAZ"])
    head_person_id: Slug | None = Field(default=None, examples=[None])
    organization_ids: list[Slug] = Field(default_factory=list, max_length=50, examples=[[]])
    members: list[DelegationMemberIn] = Field(default_factory=list, max_length=200)
    source_id: Slug | None = Field(default=None, examples=[None])


class ParticipationIn(InModel):
    """A person's part in the meeting named in the path."""

    id: Slug | None = Field(
        default=None, examples=["2025-06-10-bishkek-swg-trade-facilitation-chair"]
    )
    person_id: Slug = Field(examples=["janel-kushukova"])
    role: str = Field(pattern=r"^[a-z][a-z_]{1,99}$", examples=["chair"])
    note: Text | None = Field(default=None, examples=[None])
    source_id: Slug | None = Field(default=None, examples=[None])


def meeting_json(session: Session, meeting: Meeting) -> bytes:
    """A meeting with every part it embeds (read with one query per kind of part)."""
    record = service.meeting_record(session, meeting)
    detail = MeetingDetailOut.compose(
        record.meeting,
        sessions=record.sessions,
        delegations=record.delegations,
        participations=record.participations,
        report_ids=record.report_ids,
        sources=record.sources,
    )
    return render_json(MeetingDetailOut, detail)


MEETING = WritableResource(
    entity=EntitySpec(
        Meeting,
        links={
            "organizer_ids": LinkSpec("organizer_links", MeetingOrganizer, "organization_id"),
            "source_ids": LinkSpec("source_links", MeetingSource, "source_id"),
        },
    ),
    body=MeetingIn,
    out=MeetingDetailOut,
    item_url="/api/v1/meetings/{}",
    render=meeting_json,
    slug_from=("start_date", "city", "title"),
    area_fields=("country", "chair_country"),
)

SESSION = WritableResource(
    entity=EntitySpec(MeetingSession),
    body=SessionIn,
    out=SessionOut,
    item_url="/api/v1/sessions/{}",
    aliases={"order": "ordinal"},
    slug_from=("meeting_id", "title"),
    parent_field="meeting_id",
)

DELEGATION = WritableResource(
    entity=EntitySpec(
        Delegation,
        links={
            "organization_ids": LinkSpec(
                "organization_links", DelegationOrganization, "organization_id"
            )
        },
        children={"members": ChildSpec("members", DelegationMember, ("person_id", "role"))},
    ),
    body=DelegationIn,
    out=DelegationOut,
    item_url="/api/v1/delegations/{}",
    slug_from=("meeting_id", "country"),
    parent_field="meeting_id",
    area_fields=("country",),
)

PARTICIPATION = WritableResource(
    entity=EntitySpec(Participation),
    body=ParticipationIn,
    out=ParticipationOut,
    item_url="/api/v1/participations/{}",
    slug_from=("meeting_id", "person_id", "role"),
    parent_field="meeting_id",
)
