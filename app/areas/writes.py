"""Write side of the areas domain: the request body and the resource the write service reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.areas.models import Area
from app.areas.schemas import AreaOut
from app.vocabulary import AreaKind
from app.writes.fields import EntitySpec
from app.writes.resource import WritableResource


class AreaIn(BaseModel):
    """A new area; codes are stored upper-case."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"code": "TKM", "iso2": "TM", "name": "Turkmenistan", "kind": "country"}]
        },
    )

    code: str = Field(pattern=r"^[A-Za-z]{3}$", examples=["TKM"])
    iso2: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", examples=["TM"])
    name: str = Field(
        min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["Turkmenistan"]
    )
    kind: AreaKind = Field(default="country", examples=["country"])

    @field_validator("code", "iso2")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


# The id is the `code`; a path may name an area by alpha-2 or in any case, which the
# router resolves (`service.stored_code`) before the service loads it.
AREA = WritableResource(
    entity=EntitySpec(Area),
    body=AreaIn,
    out=AreaOut,
    item_url="/api/v1/areas/{}",
)
