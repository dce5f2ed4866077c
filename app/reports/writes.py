"""Write side of the reports domain."""

from __future__ import annotations

from pydantic import Field

from app.reports.models import Report, ReportAuthor, ReportMeeting, ReportSource
from app.reports.schemas import ReportOut
from app.schemas import AreaCodeIn, InModel, Slug, Text, Title, Year
from app.writes.fields import EntitySpec, LinkSpec
from app.writes.resource import WritableResource


class ReportIn(InModel):
    """A document; `id` is derived from `title` when omitted."""

    id: Slug | None = Field(default=None, examples=["kgz-national-report-trade-facilitation-2024"])
    title: Title = Field(examples=["National Report on Trade Facilitation"])
    kind: str = Field(pattern=r"^[a-z][a-z_]{1,39}$", examples=["national_report"])
    country: AreaCodeIn | None = Field(default=None, examples=["KGZ"])
    year: Year | None = Field(default=None, examples=[2024])
    summary: Text | None = Field(default=None, examples=[None])
    author_organization_ids: list[Slug] = Field(default_factory=list, max_length=50, examples=[[]])
    presented_at_meeting_ids: list[Slug] = Field(default_factory=list, max_length=50, examples=[[]])
    source_ids: list[Slug] = Field(default_factory=list, max_length=50, examples=[[]])


REPORT = WritableResource(
    entity=EntitySpec(
        Report,
        links={
            "author_organization_ids": LinkSpec("author_links", ReportAuthor, "organization_id"),
            "presented_at_meeting_ids": LinkSpec("meeting_links", ReportMeeting, "meeting_id"),
            "source_ids": LinkSpec("source_links", ReportSource, "source_id"),
        },
    ),
    body=ReportIn,
    out=ReportOut,
    item_url="/api/v1/reports/{}",
    slug_from=("title", "year"),
    area_fields=("country",),
)
