"""Response bodies of the areas domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from app.schemas import OutModel, TimestampsOut
from app.vocabulary import AREA_KINDS, in_words


class AreaOut(TimestampsOut):
    id: str = Field(description="Same as `code`.", examples=["KAZ"])
    code: str = Field(description="ISO 3166-1 alpha-3, or a group code.", examples=["KAZ"])
    iso2: str | None = Field(description="ISO 3166-1 alpha-2 (countries).", examples=["KZ"])
    name: str = Field(
        description="In the language asked for (`lang`, `Accept-Language`): the stored name in "
        "English, the CLDR name in Russian and Chinese.",
        examples=["Kazakhstan"],
    )
    kind: str = Field(description=f"{in_words(AREA_KINDS)}.", examples=["country"])


class MembershipOut(OutModel):
    id: str = Field(examples=["kaz-member-2001-06-15"])
    country: str = Field(examples=["KAZ"])
    country_name: str = Field(
        description="The country's `name`, in the language asked for.", examples=["Kazakhstan"]
    )
    status: str = Field(examples=["member"])
    since: date = Field(examples=["2001-06-15"])
    since_precision: str = Field(
        description="`day`, or `month` / `year` where the source gives only that: `since` is "
        "then the first day of it.",
        examples=["day"],
    )
    certain: bool = Field(
        description="Whether the status certainly held on the `as_of` date: false while "
        "`as_of` falls in the month or year that a start known only to the month or year "
        "names (the status may not have begun yet).",
        examples=[True],
    )
    until: date | None = Field(description="Exclusive end; null while current.", examples=[None])
    source_url: str = Field(examples=["http://eng.sectsco.org/about_sco/20220810/909119.html"])
