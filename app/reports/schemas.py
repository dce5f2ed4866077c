"""Response bodies of the reports domain."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from app.schemas import MeetingIds, OrganizationIds, SourceIds, TimestampsOut


class ReportOut(TimestampsOut):
    id: str = Field(examples=["kaz-national-report-trade-facilitation-2023"])
    title: str = Field(examples=["Kazakhstan's National Report on Trade Facilitation"])
    kind: str = Field(description="What kind of document it is.", examples=["national_report"])
    country: str | None = Field(
        description="Country the report is about, ISO 3166-1 alpha-3.", examples=["KAZ"]
    )
    year: int | None = Field(description="Year the report was developed.", examples=[2023])
    # The ORM keeps ordered link rows; the API gives the ids they point to.
    author_organization_ids: OrganizationIds = Field(
        validation_alias=AliasChoices("author_organization_ids", "author_links"),
        description="Organizations that wrote it, in order.",
        examples=[["kaz-ministry-of-trade-and-integration", "qaztrade"]],
    )
    summary: str | None = Field(
        examples=[
            "Developed in 2023 and reflects development in this field (trade facilitation) "
            "since Kazakhstan joined the World Trade Organization (WTO)."
        ]
    )
    presented_at_meeting_ids: MeetingIds = Field(
        validation_alias=AliasChoices("presented_at_meeting_ids", "meeting_links"),
        description="Meetings where it was presented.",
        examples=[["2024-04-30-astana-swg-trade-facilitation"]],
    )
    source_ids: SourceIds = Field(
        description="Sources that state facts about the report, in order.",
        examples=[["kazinform-2024-04-30"]],
    )
