"""Write side of the sources domain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import Field, model_validator
from sqlalchemy.orm import Session

from app.schemas import InModel, Slug, Text, Title, Url, require_period_start
from app.sources.models import Source
from app.sources.schemas import SourceOut
from app.vocabulary import DatePrecision
from app.writes.fields import EntitySpec
from app.writes.resource import WritableResource, WriteRules


class SourceIn(InModel):
    """A publication facts are traced to; `priority` ranks it when figures disagree."""

    id: Slug | None = Field(default=None, examples=["kazinform-2024-05-15-trade-figures"])
    publisher_id: Slug | None = Field(default=None, examples=["kazinform"])
    title: Title = Field(examples=["Kazakhstan's trade with SCO countries"])
    url: Url = Field(examples=["https://en.inform.kz/news/example"])
    published_on: date | None = Field(default=None, examples=["2024-05-15"])
    published_on_precision: DatePrecision = Field(
        default="day",
        description="`month` or `year` where only that much of the date is known "
        "(`published_on` is then the first day of it).",
        examples=["day"],
    )
    relays_id: Slug | None = Field(
        default=None,
        description="The organization whose release the source relays, if any.",
        examples=[None],
    )
    language: str = Field(
        default="en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", examples=["en"]
    )
    excerpt: Text | None = Field(default=None, examples=["The source's own words."])
    priority: int = Field(
        default=40,
        ge=0,
        le=100,
        description="100 statistical office, 80 ministry or government release, "
        "60 an official's speech, 40 media report.",
        examples=[40],
    )

    @model_validator(mode="after")
    def _date(self) -> SourceIn:
        require_period_start(self.published_on, self.published_on_precision, "published_on")
        return self


class SourceRules(WriteRules[Source]):
    def after_write(self, session: Session, states: Sequence[Mapping[str, Any]]) -> None:
        """A source's priority and date rank the figures it reports: re-pick preferred ones."""
        # Imported here: trade sits above sources in the domain order.
        from app.trade.service import recompute_for_sources

        recompute_for_sources(session, {state["id"] for state in states})


SOURCE = WritableResource(
    entity=EntitySpec(Source),
    body=SourceIn,
    out=SourceOut,
    item_url="/api/v1/sources/{}",
    slug_from=("title",),
    rules=SourceRules(),
)
