"""Schema building blocks shared by every domain."""

from __future__ import annotations

import math
import re
import types
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.dates import period_start
from app.errors import RULE_ERROR
from app.vocabulary import SLUG_PATTERN, YEAR_MAX, YEAR_MIN

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def require_iso_date(value: Any) -> Any:
    """A date is `YYYY-MM-DD`, as the schema says (Pydantic alone also takes 0 or "0")."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", "Input should be a date as YYYY-MM-DD")


def require_period_start(day: date | None, precision: str, field: str) -> None:
    """A date known only to the month or year is written as the first day of it."""
    if day is not None and period_start(day, precision) != day:
        raise PydanticCustomError(
            RULE_ERROR, f"a `{field}` known only to the month or year is the first day of it"
        )


# Validation context for values that arrive as text (CSV cells): "2024" is then a year.
TEXT_VALUES: dict[str, bool] = {"text_values": True}

# A date in a query or a body: only the ISO form.
IsoDate = Annotated[date, BeforeValidator(require_iso_date)]
# A year in a query or a body (a figure's, a base year, a report's): 1990-2100.
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


def _scalar(annotation: Any) -> Any:
    """`int` for `int`, `int | None`, `Annotated[int, ...]`; anything else as it is."""
    if get_origin(annotation) is Annotated:
        return _scalar(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _scalar(options[0]) if len(options) == 1 else annotation
    return annotation


def _link_targets(attribute: str) -> BeforeValidator:
    """Read ordered ORM link rows as the ids they point to (`attribute`); ids pass as given."""

    def targets(links: Any) -> Any:
        return [getattr(link, attribute, link) for link in links]

    return BeforeValidator(targets)


# Response fields whose ids the ORM keeps as ordered link rows (`source_links`,
# `organizer_links`...): the API gives the ids, in the rows' order. The field names the
# relationship it is read from in its `validation_alias` (`SourceIds` always reads
# `source_links`).
SourceIds = Annotated[
    list[str],
    Field(validation_alias=AliasChoices("source_ids", "source_links")),
    _link_targets("source_id"),
]
OrganizationIds = Annotated[list[str], _link_targets("organization_id")]
MeetingIds = Annotated[list[str], _link_targets("meeting_id")]


class Overlay:
    """An item read with some attributes shown otherwise (a name in the answer's language).

    A response schema reads it as it reads the item (`from_attributes`). The item itself is
    never changed: a changed ORM object would be written back by the next flush.
    """

    __slots__ = ("_item", "_shown")

    def __init__(self, item: object, shown: Mapping[str, object]) -> None:
        self._item = item
        self._shown = shown

    def __getattr__(self, name: str) -> Any:
        if name in self._shown:
            return self._shown[name]
        return getattr(self._item, name)


class OutModel(BaseModel):
    """Base of every response body: built from ORM objects or plain rows."""

    model_config = ConfigDict(from_attributes=True)


class TimestampsOut(OutModel):
    created_at: datetime = Field(examples=["2024-05-02T09:00:00Z"])
    updated_at: datetime = Field(examples=["2024-05-02T09:00:00Z"])


class InModel(BaseModel):
    """Base of every request body: unknown fields are refused (422), never ignored.

    Strings are taken as sent (not stripped): the patterns and lengths in the OpenAPI
    document are then exactly what is checked.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _json_types(cls, value: Any, info: ValidationInfo) -> Any:
        # JSON types as the OpenAPI schema states them: Pydantic's lax mode would also take
        # "5" or 5.0 for an integer, "yes" for a boolean and a number of seconds for a date.
        if value is None or info.field_name is None or (info.context or {}).get("text_values"):
            return value
        expected = _scalar(cls.model_fields[info.field_name].annotation)
        if expected is bool and not isinstance(value, bool):
            raise PydanticCustomError("bool_type", "Input should be a valid boolean")
        if expected is int and not (
            (isinstance(value, int) and not isinstance(value, bool))
            # JSON Schema: 5.0 is the integer 5 (a Decimal where JSON is parsed exactly).
            or (isinstance(value, float | Decimal) and math.isfinite(value) and value % 1 == 0)
        ):
            raise PydanticCustomError("int_type", "Input should be a valid integer")
        if expected is date:
            return require_iso_date(value)
        return value


# Building blocks of request bodies. Text never holds control characters (a NUL cannot
# be stored in PostgreSQL text and would otherwise surface as a 500).
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
AreaCodeIn = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}$"),
    Field(description="ISO 3166-1 alpha-3 or alpha-2, any case; stored as alpha-3."),
]
Title = Annotated[
    str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Text = Annotated[
    str, StringConstraints(max_length=20_000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
]
# No `\s` in patterns: JSON Schema (ECMA-262) and the validator (Rust) disagree on what
# it matches (U+0085), and the document must say exactly what is accepted.
Url = Annotated[str, StringConstraints(max_length=1000, pattern=r"^https?://[^\x00-\x20\x7f]+$")]
