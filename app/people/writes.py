"""Write side of the people domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from app.errors import RULE_ERROR
from app.people.models import Person, PersonPost, PersonSource
from app.people.schemas import PersonOut
from app.schemas import InModel, Slug, Text, Title
from app.writes.fields import ChildSpec, EntitySpec, LinkSpec
from app.writes.resource import WritableResource


class PostIn(InModel):
    organization_id: Slug = Field(examples=["kaz-ministry-of-trade-and-integration"])
    role: Title = Field(examples=["Vice Minister of Trade and Integration"])
    since: date | None = Field(default=None, examples=[None])
    until: date | None = Field(default=None, examples=[None])
    source_id: Slug | None = Field(default=None, examples=["kazinform-2024-04-30"])

    @model_validator(mode="after")
    def _period(self) -> PostIn:
        if self.since and self.until and self.until < self.since:
            raise PydanticCustomError(RULE_ERROR, "`until` must not be before `since`")
        return self


class PersonIn(InModel):
    """A person; `id` is derived from `name` when omitted."""

    id: Slug | None = Field(default=None, examples=["serik-zhumangarin"])
    name: Title = Field(examples=["Serik Zhumangarin"])
    note: Text | None = Field(default=None, examples=[None])
    posts: list[PostIn] = Field(default_factory=list, max_length=100)
    source_ids: list[Slug] = Field(
        default_factory=list, max_length=50, examples=[["kazinform-2024-04-30"]]
    )


PERSON = WritableResource(
    entity=EntitySpec(
        Person,
        links={"source_ids": LinkSpec("source_links", PersonSource, "source_id")},
        children={
            "posts": ChildSpec(
                "posts", PersonPost, ("organization_id", "role", "since", "until", "source_id")
            )
        },
    ),
    body=PersonIn,
    out=PersonOut,
    item_url="/api/v1/people/{}",
    slug_from=("name",),
)
