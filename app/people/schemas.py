"""Response bodies of the people domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from app.schemas import OutModel, SourceIds, TimestampsOut


class PostOut(OutModel):
    organization_id: str = Field(examples=["kaz-ministry-of-trade-and-integration"])
    role: str = Field(examples=["Vice Minister of Trade and Integration"])
    since: date | None = Field(
        description="First day in the post; null where no source gives it.", examples=[None]
    )
    until: date | None = Field(
        description="Last day in the post; null while current or where no source gives it.",
        examples=[None],
    )
    source_id: str | None = Field(
        description="The source that states the post.", examples=["kazinform-2024-04-30"]
    )


class PersonOut(TimestampsOut):
    id: str = Field(examples=["janel-kushukova"])
    name: str = Field(examples=["Janel Kushukova"])
    note: str | None = Field(examples=["Also spelled Zhanel Kushukova."])
    posts: list[PostOut] = Field(description="Posts held, in the order the sources give them.")
    source_ids: SourceIds = Field(
        description="Sources that state facts about this person, in order.",
        examples=[["kazinform-2024-04-30", "oq-gov-kz-2024-05-02"]],
    )
