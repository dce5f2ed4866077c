"""Response bodies of the trade domain (they document the OpenAPI schema).

Observation, series and check bodies are serialized by `app.trade.json_body` straight
from rows, so that exact decimals go out as JSON numbers (`66000000000`, `6.8`) rather
than the strings Pydantic would write; these models describe that JSON.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, WithJsonSchema

from app.schemas import OutModel, TimestampsOut
from app.vocabulary import CHECK_KINDS, OBSERVATION_STATUSES, UNITS, in_words

# An exact decimal written as a JSON number with the stored digits (never a string).
Number = Annotated[Decimal, WithJsonSchema({"type": "number"})]


class IndicatorOut(TimestampsOut):
    id: str = Field(description="Same as `code`.", examples=["trade_turnover"])
    code: str = Field(examples=["trade_turnover"])
    name: str = Field(
        description="In the language asked for (`lang`, `Accept-Language`): the stored name in "
        "English, the project's label of the code in Russian and Chinese.",
        examples=["Trade turnover"],
    )
    unit: str = Field(description=f"{in_words(UNITS)}.", examples=["USD"])
    description: str = Field(
        examples=["Exports plus imports between reporter and partner in the year, in US dollars."]
    )


class DerivationOut(OutModel):
    formula: str = Field(
        description="How the value follows from the inputs, naming them in order.",
        examples=["value / (1 + growth / 100)"],
    )
    inputs: list[str] = Field(
        description="Observation ids, in the order the formula names them.",
        examples=[
            [
                "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02",
                "kaz-sco-trade-turnover-growth-2023-oq-gov-kz-2024-05-02",
            ]
        ],
    )


class BoundsOut(OutModel):
    lower: Number | None = Field(
        description="The lowest value the figure allows (rounded down); null: none known.",
        examples=[65950000000],
    )
    upper: Number | None = Field(
        description='The highest value the figure allows (rounded up); null: open ("exceeded").',
        examples=[66050000000],
    )


BOUNDS_DESCRIPTION = (
    "The range of true values the figure allows (DESIGN section 7): for a reported figure "
    "from its published precision and qualifier (66.0 bn at 0.1 bn -> 65.95 to 66.05 bn; "
    '"almost 51 bn" -> 50 to 51 bn; "exceeded 67 bn" -> 67 bn, no upper bound), for a '
    "derived one by interval arithmetic on its inputs' ranges, rounded outward."
)


class ObservationOut(TimestampsOut):
    id: str = Field(examples=["kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"])
    reporter: str = Field(description="Alpha-3 code, or `SCO`.", examples=["KAZ"])
    partner: str = Field(
        description="Alpha-3 code, or `SCO` (the member states as of that year).",
        examples=["SCO"],
    )
    indicator: str = Field(examples=["trade_turnover"])
    year: int = Field(examples=[2023])
    base_year: int | None = Field(
        description="Start of the span of a multiple or compound growth, where the source "
        "names it; null where it leaves it open (see `span_years`).",
        examples=[None],
    )
    span_years: int | None = Field(
        description='The span the source states in words ("over the past 5 years" -> 5); '
        "null where it states none.",
        examples=[None],
    )
    value: Number = Field(
        description="In the unit itself (66.0 billion USD is 66000000000, 6.8 % is 6.8); "
        "the digits as published, derived values rounded half-even to 6 decimal places "
        "(read `bounds` for what they are worth).",
        examples=[66000000000],
    )
    unit: str = Field(examples=["USD"])
    precision: Number | None = Field(
        description="Unit of the last digit the source published (66.0 billion -> "
        "100000000); null for derived figures.",
        examples=[100000000],
    )
    qualifier: str = Field(
        description="`exact` (as published, to its precision), `approximately`, `more_than` "
        '("exceeded") or `less_than` ("almost"). A derived figure is `exact` only when '
        "every input is known exactly.",
        examples=["exact"],
    )
    qualifier_word: str | None = Field(
        description='The source\'s own word for the qualifier ("almost", "exceeded"); '
        "null where the usual word fits or none is needed.",
        examples=[None],
    )
    bounds: BoundsOut = Field(description=BOUNDS_DESCRIPTION)
    status: str = Field(description=f"{in_words(OBSERVATION_STATUSES)}.", examples=["reported"])
    preferred: bool = Field(
        description="Exactly one observation per (reporter, partner, indicator, year) is.",
        examples=[True],
    )
    source_id: str | None = Field(examples=["oq-gov-kz-2024-05-02"])
    derivation: DerivationOut | None = Field(
        description="How a derived value was computed; null for reported ones.", examples=[None]
    )
    note: str | None = Field(
        description="The source's own wording, and caveats.",
        examples=["Kazakhstan's trade turnover with the SCO countries in 2023 amounted to ..."],
    )


class ObservationVersionOut(ObservationOut):
    """An observation as it stood from `valid_from` until `valid_to`."""

    valid_from: datetime = Field(
        description="When this version was recorded (the commit that wrote it).",
        examples=["2024-05-02T09:00:00Z"],
    )
    valid_to: datetime | None = Field(
        description="When the next version replaced it, or the observation was deleted; "
        "null while it stands.",
        examples=[None],
    )


class SeriesPointOut(OutModel):
    year: int = Field(examples=[2023])
    value: Number = Field(examples=[66000000000])
    qualifier: str = Field(examples=["exact"])
    status: str = Field(examples=["reported"])
    observation_id: str = Field(examples=["kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"])
    base_year: int | None = Field(examples=[None])
    span_years: int | None = Field(examples=[None])
    precision: Number | None = Field(examples=[100000000])
    bounds: BoundsOut = Field(description=BOUNDS_DESCRIPTION)
    source_id: str | None = Field(
        description="The source of a reported value (derived: see the observation).",
        examples=["oq-gov-kz-2024-05-02"],
    )
    members: list[str] | None = Field(
        description="When reporter or partner is `SCO`: the member states that `SCO` "
        "stands for in this year (members on 31 December of the year); null otherwise.",
        examples=[["CHN", "IND", "IRN", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]],
    )
    members_as_of: date | None = Field(examples=["2023-12-31"])


class CheckOut(OutModel):
    id: str = Field(
        description="Stable: `<kind>:<reporter>-<partner>-<indicator>-<year>`, or "
        "`derivation_mismatch:<derived observation id>`.",
        examples=["source_conflict:kaz-sco-trade_turnover-2023"],
    )
    kind: str = Field(
        description=f"{in_words(CHECK_KINDS)}.",
        examples=["source_conflict"],
    )
    severity: str = Field(
        description="`warning`, or `info` where cutting instead of rounding explains the gap "
        "and for an open base year.",
        examples=["warning"],
    )
    message: str = Field(
        description="The finding in words: figures as people write them, each with its "
        "source's publisher and date.",
        examples=[
            "KAZ→SCO trade turnover, 2023: the preferred $66.0 bn (oq.gov.kz, 2 May 2024); ..."
        ],
    )
    observation_ids: list[str] = Field(
        examples=[
            [
                "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02",
                "kaz-sco-trade-turnover-2023-astanatimes-2024-10-bektenov-islamabad",
            ]
        ]
    )
    reported: Number | None = Field(
        description="The reported (preferred) figure, or the span stated in words.",
        examples=[66000000000],
    )
    implied: Number | None = Field(
        description="What the other figure, the derivation or the dates imply.",
        examples=[66700000000],
    )
    reported_bounds: BoundsOut | None = Field(
        description="The range of `reported` where the finding compares ranges.",
        examples=[{"lower": 65950000000, "upper": 66050000000}],
    )
    implied_bounds: BoundsOut | None = Field(
        description="The range of `implied`; the two do not overlap (that is the finding).",
        examples=[{"lower": 66650000000, "upper": 66750000000}],
    )


class SeriesOut(OutModel):
    reporter: str = Field(examples=["KAZ"])
    partner: str = Field(examples=["SCO"])
    indicator: str = Field(examples=["trade_turnover"])
    unit: str = Field(examples=["USD"])
    points: list[SeriesPointOut] = Field(description="Preferred values, one per year, by year.")
    checks: list[CheckOut] = Field(
        description="Findings of `/trade/checks` that concern this series (the caveats)."
    )
