"""Write side of the organizations domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from app.organizations.models import Organization
from app.organizations.schemas import OrganizationOut
from app.schemas import AreaCodeIn, InModel, Slug, Text, Title, Url, require_period_start
from app.sources.models import OrganizationSource
from app.vocabulary import DatePrecision, OrganizationKind
from app.writes.fields import EntitySpec, LinkSpec
from app.writes.resource import WritableResource


class OrganizationIn(InModel):
    """An organization; `id` is derived from `name` when omitted."""

    id: Slug | None = Field(default=None, examples=["kaz-ministry-of-finance"])
    name: Title = Field(examples=["Ministry of Finance of the Republic of Kazakhstan"])
    abbreviation: str | None = Field(
        default=None, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["MoF"]
    )
    kind: OrganizationKind = Field(examples=["ministry"])
    country: AreaCodeIn | None = Field(default=None, examples=["KZ"])
    parent_id: Slug | None = Field(default=None, examples=[None])
    website: Url | None = Field(default=None, examples=[None])
    note: Text | None = Field(default=None, examples=[None])
    founded_on: date | None = Field(default=None, examples=[None])
    founded_on_precision: DatePrecision = Field(
        default="day",
        description="`month` or `year` where only that much of the date is known.",
        examples=["day"],
    )
    source_ids: list[Slug] = Field(
        default_factory=list, max_length=50, examples=[["kazinform-2024-04-30"]]
    )

    @model_validator(mode="after")
    def _date(self) -> OrganizationIn:
        require_period_start(self.founded_on, self.founded_on_precision, "founded_on")
        return self


ORGANIZATION = WritableResource(
    entity=EntitySpec(
        Organization,
        links={"source_ids": LinkSpec("source_links", OrganizationSource, "source_id")},
    ),
    body=OrganizationIn,
    out=OrganizationOut,
    item_url="/api/v1/organizations/{}",
    slug_from=("name",),
    area_fields=("country",),
)
