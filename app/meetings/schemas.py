"""Response bodies of the meetings domain: meetings, sessions, delegations, participations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import AliasChoices, Field

from app.schemas import OrganizationIds, OutModel, SourceIds, TimestampsOut
from app.sources.schemas import SourceOut

ASTANA_MEETING = "2024-04-30-astana-swg-trade-facilitation"


class MeetingOut(TimestampsOut):
    id: str = Field(examples=[ASTANA_MEETING])
    title: str = Field(examples=["Meeting of the SCO Special Working Group on Trade Facilitation"])
    body_id: str | None = Field(
        description="The organization that met.", examples=["sco-swg-trade-facilitation"]
    )
    start_date: date = Field(
        description="First day; where `date_precision` is `month` or `year`, the first day "
        "of the month or year the sources give (no day is claimed).",
        examples=["2024-04-30"],
    )
    end_date: date | None = Field(
        description="Last day (inclusive); null where the sources do not give it, and the "
        "date filters then take the meeting as lasting the day, month or year of "
        "`date_precision`.",
        examples=["2024-04-30"],
    )
    date_precision: str = Field(
        description="`day`, or `month` / `year` where the sources date the meeting only to "
        "a month or a year.",
        examples=["day"],
    )
    timezone: str | None = Field(
        description="IANA time zone of the venue.", examples=["Asia/Almaty"]
    )
    city: str | None = Field(examples=["Astana"])
    country: str | None = Field(description="Host country, ISO 3166-1 alpha-3.", examples=["KAZ"])
    chair_country: str | None = Field(
        description="Country chairing the meeting, ISO 3166-1 alpha-3.", examples=["KAZ"]
    )
    organizer_ids: OrganizationIds = Field(
        validation_alias=AliasChoices("organizer_ids", "organizer_links"),
        description="Organizations that organized the meeting, in order.",
        examples=[["kaz-ministry-of-trade-and-integration"]],
    )
    summary: str | None = Field(
        examples=[
            "The Special Working Group on Trade Facilitation of the SCO met in Astana, "
            "chaired by Kazakhstan, to discuss cooperation in trade facilitation."
        ]
    )
    attendance_note: str | None = Field(
        description="What the sources say about who attended, where no list is given.",
        examples=[
            "Attended by high-ranking delegates from the SCO member nations' trade "
            "ministries and departments."
        ],
    )
    topics: list[str] = Field(examples=[["trade facilitation", "Middle Corridor"]])
    source_ids: SourceIds = Field(
        description="Sources of the meeting record, in order.",
        examples=[["kazinform-2024-04-30", "oq-gov-kz-2024-05-02"]],
    )


class SessionOut(TimestampsOut):
    id: str = Field(examples=[f"{ASTANA_MEETING}-trade-and-logistics"])
    meeting_id: str = Field(examples=[ASTANA_MEETING])
    # The column is `ordinal` ("order" is an SQL keyword); the API calls it `order`.
    order: int = Field(
        validation_alias=AliasChoices("order", "ordinal"),
        description="Position in the meeting's agenda, from 1.",
        examples=[3],
    )
    title: str = Field(
        examples=[
            "Trade and logistics relations, including the Trans-Caspian International "
            "Transport Route (Middle Corridor)"
        ]
    )
    summary: str | None = Field(
        examples=[
            "Thematic sessions on trade and logistics relations were held, including an "
            "examination of the Trans-Caspian International Transport Route."
        ]
    )
    topics: list[str] = Field(examples=[["trade and logistics", "Middle Corridor"]])
    source_id: str | None = Field(examples=["kazinform-2024-04-30"])


class DelegationMemberOut(OutModel):
    person_id: str = Field(examples=["janel-kushukova"])
    role: str | None = Field(examples=["Vice Minister of Trade and Integration"])


class DelegationOut(TimestampsOut):
    id: str = Field(examples=[f"{ASTANA_MEETING}-kaz"])
    meeting_id: str = Field(examples=[ASTANA_MEETING])
    country: str = Field(description="ISO 3166-1 alpha-3.", examples=["KAZ"])
    head_person_id: str | None = Field(
        description="Head of the delegation, where a source names one.", examples=[None]
    )
    organization_ids: OrganizationIds = Field(
        validation_alias=AliasChoices("organization_ids", "organization_links"),
        description="Organizations the delegation came from, in order.",
        examples=[["kaz-ministry-of-trade-and-integration", "qaztrade"]],
    )
    members: list[DelegationMemberOut] = Field(description="Named members, in order.")
    source_id: str | None = Field(examples=["kazinform-2024-04-30"])


class ParticipationOut(TimestampsOut):
    id: str = Field(examples=[f"{ASTANA_MEETING}-kushukova-welcoming-speech"])
    meeting_id: str = Field(examples=[ASTANA_MEETING])
    person_id: str = Field(examples=["janel-kushukova"])
    role: str = Field(
        description="The person's part: `welcoming_speech`, `chair`, `presenter`, ...",
        examples=["welcoming_speech"],
    )
    note: str | None = Field(
        examples=[
            "In her welcoming speech she underlined the importance of collaborative efforts "
            "to simplify trade procedures."
        ]
    )
    source_id: str | None = Field(examples=["kazinform-2024-04-30"])


class MeetingDetailOut(MeetingOut):
    """A meeting with everything recorded about it."""

    sessions: list[SessionOut] = Field(description="Thematic sessions, in agenda order.")
    delegations: list[DelegationOut] = Field(description="Delegations, by country.")
    participations: list[ParticipationOut] = Field(description="People's parts in the meeting.")
    report_ids: list[str] = Field(
        description="Reports presented at the meeting.",
        examples=[["kaz-national-report-trade-facilitation-2023"]],
    )
    sources: list[SourceOut] = Field(description="The sources of `source_ids`, in that order.")

    @classmethod
    def compose(
        cls,
        meeting: Any,
        *,
        sessions: Sequence[Any],
        delegations: Sequence[Any],
        participations: Sequence[Any],
        report_ids: Sequence[str],
        sources: Sequence[Any],
    ) -> MeetingDetailOut:
        """The detail body from a meeting row and its separately loaded parts (ORM objects)."""
        return cls(
            **MeetingOut.model_validate(meeting).model_dump(),
            sessions=[SessionOut.model_validate(row) for row in sessions],
            delegations=[DelegationOut.model_validate(row) for row in delegations],
            participations=[ParticipationOut.model_validate(row) for row in participations],
            report_ids=list(report_ids),
            sources=[SourceOut.model_validate(row) for row in sources],
        )
