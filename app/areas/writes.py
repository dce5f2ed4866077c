"""Write side of the areas domain: request bodies and the registered write routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.orm import Session

from app.areas import repository
from app.areas.models import Area
from app.areas.schemas import AreaOut
from app.vocabulary import AreaKind
from app.writes.fields import EntitySpec
from app.writes.service import WritableResource


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


def _resolve(session: Session, code: str) -> str | None:
    area = repository.get_area(session, code)
    return area.code if area else None


AREA = WritableResource(
    type_name="area",
    entity=EntitySpec(Area),
    create_schema=AreaIn,
    out_schema=AreaOut,
    render=lambda _session, area: area,
    id_field="code",
    path_pattern=r"^[A-Za-z]{2,3}$",
    resolve=_resolve,
)
