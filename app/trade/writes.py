"""Write side of the trade domain: indicators and reported observations.

Derived observations are never written through the API: they follow from the reported
ones, and every write here ends with `service.recompute` (`TradeRules.after_write`),
which also re-picks the preferred figure of each key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import REFERENCE_ERROR, RULE_ERROR, Conflict, FieldError
from app.schemas import AreaCodeIn, InModel, Slug, Text, Title, Year
from app.trade import repository, service
from app.trade.json_body import dumps
from app.trade.models import TradeIndicator, TradeObservation
from app.trade.schemas import IndicatorOut, ObservationOut
from app.vocabulary import Qualifier, SourcedStatus, Unit
from app.writes.fields import EntitySpec
from app.writes.ids import slugify
from app.writes.resource import ModelT, WritableResource, WriteRules

INDICATOR_CODE = r"^[a-z][a-z0-9_]{1,59}$"
# An exact decimal: a JSON number, or a string for more digits than a binary float keeps.
ExactNumber = Decimal
# What such a string may hold (the digits allowed are checked after parsing).
DECIMAL_TEXT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,6})?$"
POSITIVE_DECIMAL_TEXT = (
    r"^\+?([0-9]*[1-9][0-9]*(\.[0-9]*)?|[0-9]*\.[0-9]*[1-9][0-9]*)([eE][+-]?[0-9]{1,6})?$"
)


def _string_pattern(pattern: str) -> Callable[[dict[str, Any]], None]:
    """Give the string form of an exact number its pattern in the OpenAPI document."""

    def complete(schema: dict[str, Any]) -> None:
        for branch in schema.get("anyOf", []):
            if branch.get("type") == "string":
                branch["pattern"] = pattern

    return complete


class IndicatorIn(InModel):
    """A statistical indicator observations can be recorded in."""

    code: str = Field(pattern=INDICATOR_CODE, examples=["trade_exports"])
    name: Title = Field(examples=["Exports of goods"])
    unit: Unit = Field(examples=["USD"])
    description: Text = Field(min_length=1, examples=["Exports of goods, current US dollars."])


class ObservationIn(InModel):
    """A figure as one source published it. `preferred` and derived figures are computed."""

    id: Slug | None = Field(
        default=None,
        description="Derived from reporter, partner, indicator, year and source when omitted.",
        examples=["kgz-sco-trade-turnover-2024-example-source"],
    )
    reporter: AreaCodeIn = Field(examples=["KGZ"])
    partner: AreaCodeIn = Field(examples=["SCO"])
    indicator: str = Field(pattern=INDICATOR_CODE, examples=["trade_turnover"])
    year: Year = Field(examples=[2024])
    base_year: Year | None = Field(default=None, examples=[None])
    value: ExactNumber = Field(
        max_digits=24,
        decimal_places=6,
        allow_inf_nan=False,
        description="In the unit itself (USD, percent, ratio). Send a string for more than "
        "15 significant digits.",
        examples=[12500000000],
        json_schema_extra=_string_pattern(DECIMAL_TEXT),
    )
    unit: Unit | None = Field(
        default=None, description="Must match the indicator's unit; filled in when omitted."
    )
    precision: ExactNumber | None = Field(
        default=None,
        gt=0,
        max_digits=24,
        decimal_places=6,
        allow_inf_nan=False,
        description="Unit of the last digit published (12.5 billion -> 100000000).",
        examples=[100000000],
        json_schema_extra=_string_pattern(POSITIVE_DECIMAL_TEXT),
    )
    qualifier: Qualifier = Field(default="exact", examples=["exact"])
    status: SourcedStatus = Field(default="reported", examples=["reported"])
    source_id: Slug = Field(examples=["kazinform-2024-04-30"])
    note: Text | None = Field(default=None, examples=["The source's own wording."])
    span_years: int | None = Field(
        default=None,
        ge=1,
        le=110,
        description='The span the source states in words ("over the past 5 years" -> 5); '
        "set `base_year` only where the source names the base year itself.",
        examples=[None],
    )
    qualifier_word: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description='The source\'s own word for the qualifier ("almost", "exceeded"), '
        "quoted by the findings.",
        examples=[None],
    )

    @model_validator(mode="after")
    def _span(self) -> ObservationIn:
        if self.base_year is not None and self.base_year >= self.year:
            raise PydanticCustomError(RULE_ERROR, "`base_year` must be before `year`")
        return self


class TradeRules(WriteRules[ModelT]):
    """Every write of trade data re-derives figures and re-picks the preferred ones."""

    def after_write(self, session: Session, states: Sequence[Mapping[str, Any]]) -> None:
        service.recompute(session)


class ObservationRules(TradeRules[TradeObservation]):
    """A reported figure: in its indicator's unit, never negative money, one per source."""

    def check(self, session: Session, data: dict[str, Any]) -> list[FieldError]:
        """The indicator's unit (filled in when omitted), money signs, the natural key."""
        unit = session.scalar(
            select(TradeIndicator.unit).where(TradeIndicator.code == data.get("indicator"))
        )
        if unit is None:
            return [
                FieldError(
                    field="body.indicator", message="unknown indicator", type=REFERENCE_ERROR
                )
            ]
        errors: list[FieldError] = []
        if data.get("unit") is None:
            data["unit"] = unit
        elif data["unit"] != unit:
            errors.append(
                FieldError(
                    field="body.unit", message=f"the indicator's unit is {unit}", type=RULE_ERROR
                )
            )
        if unit == "USD" and data["value"] < 0:
            errors.append(
                FieldError(
                    field="body.value", message="money values cannot be negative", type=RULE_ERROR
                )
            )
        if not errors:
            ensure_new_natural_key(session, data)
        return errors

    def after_write(self, session: Session, states: Sequence[Mapping[str, Any]]) -> None:
        """Only the years of the observation, as it was and as it is, are re-derived."""
        service.recompute(session, years={state["year"] for state in states})

    def refuse_change(self, item: TradeObservation) -> str | None:
        if item.status == "derived":
            return "Derived figures are computed from reported ones; change their inputs instead."
        return None


# The readable parts of a new observation's id; the base year only where one is named.
ID_PARTS = ("reporter", "partner", "indicator", "year", "base_year", "source_id")


def observation_id(data: dict[str, Any]) -> str:
    return slugify("-".join(str(data[part]) for part in ID_PARTS if data.get(part) is not None))


def observation_json(_session: Session, observation: TradeObservation) -> bytes:
    """Exact decimals written as JSON numbers (`app.trade.json_body`), as lists write them."""
    return dumps(service.observation_item(observation))


INDICATOR = WritableResource(
    entity=EntitySpec(TradeIndicator),
    body=IndicatorIn,
    out=IndicatorOut,
    item_url="/api/v1/trade/indicators/{}",
    rules=TradeRules[TradeIndicator](),
    localize=service.localized_indicator,
)

OBSERVATION = WritableResource(
    entity=EntitySpec(TradeObservation),
    body=ObservationIn,
    out=ObservationOut,
    item_url="/api/v1/trade/observations/{}",
    render=observation_json,
    slug_from=ID_PARTS,
    area_fields=("reporter", "partner"),
    rules=ObservationRules(),
)


def ensure_new_natural_key(session: Session, data: dict[str, Any]) -> None:
    """One observation per (reporter, partner, indicator, year, base year, source)."""
    found = repository.find_by_identity(
        session, [repository.identity_of(data)], [TradeObservation.id]
    )
    existing = found[0].id if found else None
    if existing is not None and existing != data.get("id"):
        raise Conflict(
            f"Observation {existing!r} already records this figure from this source; "
            "PATCH it instead."
        )
