"""What range of true values a published figure allows, and when two figures agree.

A figure published as 61.8 billion (last digit 0.1 billion) stands for anything that rounds
to it: [61.75, 61.85] billion. Qualifiers widen or shift that range:

| qualifier | wording | range, with p = precision |
|---|---|---|
| exact | "$66.0 billion" | [v - p/2, v + p/2] |
| approximately | "about $500 billion" | [v - p, v + p] |
| less_than | "almost $51 billion" | [v - p, v] (close to v, not above it) |
| more_than | "exceeded $67 billion" | [v, v + p] (above v, short of the next step) |

Two figures agree when their ranges overlap; derived figures get their range from the
ranges of their inputs (interval arithmetic on monotonic formulas, see `derivations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from app.trade.numbers import CONTEXT, last_digit_unit

TWO = Decimal(2)


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed range [low, high] of values a figure is compatible with."""

    low: Decimal
    high: Decimal

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"empty interval [{self.low}, {self.high}]")

    @classmethod
    def point(cls, value: Decimal) -> Interval:
        return cls(value, value)

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high

    @property
    def width(self) -> Decimal:
        with localcontext(CONTEXT):
            return self.high - self.low


def published_interval(value: Decimal, precision: Decimal | None, qualifier: str) -> Interval:
    """The values a figure published with `precision` and `qualifier` stands for."""
    unit = abs(precision) if precision is not None and precision != 0 else None
    if unit is None:
        unit = last_digit_unit(value)
    with localcontext(CONTEXT):
        if qualifier == "approximately":
            return Interval(value - unit, value + unit)
        if qualifier == "less_than":
            return Interval(value - unit, value)
        if qualifier == "more_than":
            return Interval(value, value + unit)
        half = unit / TWO
        return Interval(value - half, value + half)


def agree(first: Interval, second: Interval) -> bool:
    """Whether two figures can both be right (their ranges overlap); symmetric."""
    return first.low <= second.high and second.low <= first.high


def gap(first: Interval, second: Interval) -> Decimal:
    """How far apart two ranges are (0 when they overlap); symmetric."""
    with localcontext(CONTEXT):
        if first.high < second.low:
            return second.low - first.high
        if second.high < first.low:
            return first.low - second.high
    return Decimal(0)
