"""Response bodies of the organizations domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from app.schemas import SourceIds, TimestampsOut
from app.vocabulary import DATE_PRECISIONS, ORGANIZATION_KINDS, in_words


class OrganizationOut(TimestampsOut):
    id: str = Field(examples=["sco-swg-trade-facilitation"])
    name: str = Field(examples=["SCO Special Working Group on Trade Facilitation"])
    abbreviation: str | None = Field(examples=["SWG"])
    kind: str = Field(
        description=f"{in_words(ORGANIZATION_KINDS)}.",
        examples=["working_group"],
    )
    country: str | None = Field(
        description="ISO 3166-1 alpha-3 code of the home country; null for international bodies.",
        examples=["KAZ"],
    )
    parent_id: str | None = Field(
        description="The organization this one belongs to.", examples=["sco"]
    )
    website: str | None = Field(examples=["http://eng.sectsco.org/"])
    note: str | None = Field(examples=['Abbreviated "SWG" by oq.gov.kz.'])
    founded_on: date | None = Field(
        description="When it was founded or created, as far as a source says; null where no "
        "source gives it. With `founded_on_precision` `month` or `year`, the first day of it.",
        examples=["2019-06-17"],
    )
    founded_on_precision: str = Field(
        description=f"{in_words(DATE_PRECISIONS)}: how much of `founded_on` is known.",
        examples=["day"],
    )
    source_ids: SourceIds = Field(
        description="Sources that state facts about this organization, in order.",
        examples=[["kazinform-2024-04-30", "oq-gov-kz-2024-05-02"]],
    )
