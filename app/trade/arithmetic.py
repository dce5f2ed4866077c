"""The exact arithmetic of derived figures and findings, on values and on ranges.

Values are `Decimal`s computed in `numbers.CONTEXT` (34 significant digits); callers round
once, with `round_stored`, when they store. A function raises ValueError outside its
domain (a non-positive divisor), which callers take as "implies nothing".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, localcontext

from app.trade.numbers import CONTEXT, HUNDRED, ONE
from app.trade.tolerance import Interval


def previous_year_value(value: Decimal, growth_percent: Decimal) -> Decimal:
    """The previous year's value from this year's value and its growth in percent."""
    with localcontext(CONTEXT):
        factor = ONE + growth_percent / HUNDRED
        if factor <= 0:
            raise ValueError("a growth of -100 % or less has no previous-year value")
        return value / factor


def base_year_value(value: Decimal, multiple: Decimal) -> Decimal:
    """The base year's value from the end year's value and the growth multiple."""
    if multiple <= 0:
        raise ValueError("a multiple must be positive")
    with localcontext(CONTEXT):
        return value / multiple


def compound_annual_growth(multiple: Decimal, years: int) -> Decimal:
    """Average yearly growth in percent that compounds to `multiple` over `years`."""
    if multiple <= 0 or years <= 0:
        raise ValueError("a multiple must be positive and its span at least one year")
    with localcontext(CONTEXT) as context:
        return (context.power(multiple, ONE / Decimal(years)) - ONE) * HUNDRED


def growth_between(previous: Decimal, current: Decimal) -> Decimal:
    """Growth in percent from `previous` to `current`."""
    if previous <= 0:
        raise ValueError("growth needs a positive previous value")
    with localcontext(CONTEXT):
        return (current / previous - ONE) * HUNDRED


def share_percent(part: Decimal, whole: Decimal) -> Decimal:
    if whole <= 0:
        raise ValueError("a share needs a positive whole")
    with localcontext(CONTEXT):
        return part / whole * HUNDRED


def total(values: Iterable[Decimal]) -> Decimal:
    with localcontext(CONTEXT):
        return sum(values, Decimal(0))


# --- the same formulas on ranges --------------------------------------------------------------


def bounded(low: Callable[[], Decimal], high: Callable[[], Decimal]) -> Interval | None:
    """The range between two computed ends; None where either is outside its domain.

    Every formula here is monotonic in each input on its domain, so a range follows from
    its inputs' ends; a range that crosses a pole gives None, not a misleading range.
    """
    try:
        return Interval(low(), high())
    except (ValueError, ArithmeticError):
        return None


def share_interval(part: Interval, whole: Interval) -> Interval | None:
    if part.low < 0 or whole.low <= 0:
        return None
    return bounded(
        lambda: share_percent(part.low, whole.high), lambda: share_percent(part.high, whole.low)
    )
