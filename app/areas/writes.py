"""Write side of the areas domain: the request body and the resource the write service reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.areas.models import Area
from app.areas.schemas import AreaOut
from app.areas.service import localized
from app.vocabulary import AreaKind
from app.writes.fields import EntitySpec
from app.writes.resource import WritableResource


class AreaIn(BaseModel):
    """A new area; codes are stored upper-case.

    Every ISO 3166-1 country is seeded already; what one adds is a group or an area outside
    ISO 3166-1 under a user-assigned code (Kosovo's `XKX`, as the IMF and the EU write it).
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"code": "XKX", "iso2": "XK", "name": "Kosovo", "kind": "country"}]
        },
    )

    code: str = Field(pattern=r"^[A-Za-z]{3}$", examples=["XKX"])
    iso2: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", examples=["XK"])
    name: str = Field(
        min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$", examples=["Kosovo"]
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
    localize=localized,
)
