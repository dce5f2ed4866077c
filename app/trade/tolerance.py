"""What range of true values a published figure allows, and when two figures agree.

A figure published as 61.8 billion (last digit 0.1 billion) stands for anything that rounds
to it: [61.75, 61.85] billion. Qualifiers widen or shift that range (DESIGN section 7):

| qualifier | wording | range, with p = precision |
|---|---|---|
| exact | "$66.0 billion" | [v - p/2, v + p/2] |
| approximately | "about $500 billion" | [v - p, v + p] |
| less_than | "almost $51 billion" | [v - p, v] (close to v, not above it) |
| more_than | "exceeded $67 billion" | [v, no upper bound] |

Money is never negative, so a money range stops at 0. Two figures agree when their ranges
overlap; derived figures get their range from the ranges of their inputs (interval
arithmetic on monotonic formulas, see `derivation_rules`). Stored ranges are rounded outward
to the six decimal places of the value column, so they never claim more than they know.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from app.trade.numbers import CONTEXT, STORED_PLACES, last_digit_unit

TWO = Decimal(2)
ZERO = Decimal(0)
# An open upper end ("exceeded $67 billion"); stored and shown as null.
UNBOUNDED = Decimal("Infinity")


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
    def is_point(self) -> bool:
        """One value only: a figure known exactly, not a rounded one."""
        return self.low == self.high

    @property
    def width(self) -> Decimal:
        with localcontext(CONTEXT):
            return self.high - self.low


def _unit(value: Decimal, precision: Decimal | None) -> Decimal:
    if precision is not None and precision != 0:
        return abs(precision)
    return last_digit_unit(value)


def published_interval(value: Decimal, precision: Decimal | None, qualifier: str) -> Interval:
    """The values a figure published with `precision` and `qualifier` stands for."""
    unit = _unit(value, precision)
    with localcontext(CONTEXT):
        if qualifier == "approximately":
            return Interval(value - unit, value + unit)
        if qualifier == "less_than":
            return Interval(value - unit, value)
        if qualifier == "more_than":
            return Interval(value, UNBOUNDED)
        half = unit / TWO
        return Interval(value - half, value + half)


def figure_interval(
    value: Decimal, precision: Decimal | None, qualifier: str, unit: str
) -> Interval:
    """As `published_interval`, and a money range never goes below zero."""
    interval = published_interval(value, precision, qualifier)
    if unit == "USD" and interval.low < ZERO <= value:
        return Interval(ZERO, interval.high)
    return interval


def cut_interval(value: Decimal, precision: Decimal | None) -> Interval:
    """What a figure stands for if its digits were cut rather than rounded: [v, v + p]."""
    with localcontext(CONTEXT):
        return Interval(value, value + _unit(value, precision))


def stored_bounds(interval: Interval) -> tuple[Decimal | None, Decimal | None]:
    """The range as stored and shown: rounded outward to the column's scale; open is None."""
    with localcontext(CONTEXT):
        low = interval.low.quantize(STORED_PLACES, rounding=ROUND_FLOOR)
        high = (
            None
            if not interval.high.is_finite()
            else interval.high.quantize(STORED_PLACES, rounding=ROUND_CEILING)
        )
    return (low if low.is_finite() else None), high


def from_stored(lower: Decimal | None, upper: Decimal | None) -> Interval:
    """A stored range back as an interval (an absent upper end is open)."""
    return Interval(
        lower if lower is not None else -UNBOUNDED, upper if upper is not None else UNBOUNDED
    )


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
