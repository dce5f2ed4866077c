"""Property-based tests of the derivation and tolerance arithmetic (pure functions)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.trade.arithmetic import (
    base_year_value,
    compound_annual_growth,
    growth_between,
    previous_year_value,
)
from app.trade.checks import stated_span_years
from app.trade.derivation_rules import BaseYearValue, GrowthBetweenYears, PreviousYearValue
from app.trade.derivations import formula_interval
from app.trade.numbers import plain, round_stored, to_decimal
from app.trade.tolerance import Interval, agree, gap, published_interval

FORMULA_BASE_YEAR = BaseYearValue.formula
FORMULA_GROWTH_BETWEEN = GrowthBetweenYears.formula
FORMULA_PREVIOUS_YEAR = PreviousYearValue.formula

# Money with 6 decimal places (the stored scale), up to a trillion dollars.
money = st.decimals(
    min_value=Decimal("0.000001"), max_value=Decimal("1e12"), places=6, allow_nan=False
)
growth = st.decimals(min_value=Decimal("-90"), max_value=Decimal("500"), places=3)
multiple = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=4)
precisions = st.sampled_from([Decimal(10) ** exponent for exponent in range(-3, 11)])
qualifiers = st.sampled_from(["exact", "approximately", "less_than", "more_than"])
figures = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3, allow_nan=False
)
TINY = Decimal("1e-18")


@given(money, growth)
def test_previous_year_undoes_growth(value: Decimal, rate: Decimal) -> None:
    grown = value * (1 + rate / 100)
    assert round_stored(previous_year_value(grown, rate)) == value


@given(money, multiple)
def test_base_year_undoes_the_multiple(value: Decimal, times: Decimal) -> None:
    assert round_stored(base_year_value(value * times, times)) == value


@given(
    st.decimals(min_value=Decimal("-50"), max_value=Decimal("100"), places=3), st.integers(1, 30)
)
def test_compound_growth_undoes_compounding(rate: Decimal, years: int) -> None:
    compounded = (1 + rate / 100) ** years
    assert abs(compound_annual_growth(compounded, years) - rate) < TINY


@given(money, growth)
def test_growth_between_recovers_the_rate(previous: Decimal, rate: Decimal) -> None:
    current = previous * (1 + rate / 100)
    assert abs(growth_between(previous, current) - rate) < TINY


@given(money, growth)
def test_derived_value_lies_in_the_range_of_its_inputs(value: Decimal, rate: Decimal) -> None:
    value_range = published_interval(value, Decimal("0.000001"), "exact")
    rate_range = published_interval(rate, Decimal("0.1"), "exact")
    bounds = formula_interval(FORMULA_PREVIOUS_YEAR, [value_range, rate_range], None)
    assert bounds is not None
    assert bounds.contains(previous_year_value(value, rate))
    between = formula_interval(FORMULA_GROWTH_BETWEEN, [value_range, value_range], None)
    assert between is not None
    assert between.contains(Decimal(0))
    base = formula_interval(FORMULA_BASE_YEAR, [value_range, Interval.point(Decimal(2))], None)
    assert base is not None
    assert base.contains(value / 2)


@given(figures, precisions, qualifiers, figures, precisions, qualifiers)
def test_agreement_and_gap_are_symmetric(
    first: Decimal,
    first_precision: Decimal,
    first_qualifier: str,
    second: Decimal,
    second_precision: Decimal,
    second_qualifier: str,
) -> None:
    a = published_interval(first, first_precision, first_qualifier)
    b = published_interval(second, second_precision, second_qualifier)
    assert agree(a, b) == agree(b, a)
    assert gap(a, b) == gap(b, a)
    assert (gap(a, b) == 0) == agree(a, b)


@given(figures, precisions, qualifiers)
def test_a_figure_agrees_with_itself(value: Decimal, precision: Decimal, qualifier: str) -> None:
    interval = published_interval(value, precision, qualifier)
    assert interval.contains(value)
    assert agree(interval, interval)


@given(figures, precisions)
def test_a_value_agrees_with_itself_rounded_to_its_precision(
    value: Decimal, precision: Decimal
) -> None:
    published = (
        value.quantize(precision)
        if precision < 1
        else (value / precision).quantize(Decimal(1)) * precision
    )
    assert published_interval(published, precision, "exact").contains(value)
    assert agree(Interval.point(value), published_interval(published, precision, "exact"))


@given(figures)
def test_plain_text_is_exact_and_has_no_exponent(value: Decimal) -> None:
    text = plain(value)
    assert "E" not in text.upper()
    assert Decimal(text) == value
    assert to_decimal(text) == value


def test_the_papers_own_examples() -> None:
    # 61.8 billion (published to 0.1 bn) agrees with 66.0 / 1.068 = 61.797... billion.
    derived = previous_year_value(Decimal("66000000000"), Decimal("6.8"))
    assert round_stored(derived) == Decimal("61797752808.988764")
    reported = published_interval(Decimal("61800000000"), Decimal("100000000"), "exact")
    assert reported.contains(derived)
    # 66.0 and 66.7 billion do not.
    assert not agree(
        published_interval(Decimal("66000000000"), Decimal("100000000"), "exact"),
        published_interval(Decimal("66700000000"), Decimal("100000000"), "exact"),
    )
    # "almost $51 billion" is at most 51 and at least 50 at a precision of 1 bn.
    almost = published_interval(Decimal("51000000000"), Decimal("1000000000"), "less_than")
    assert (almost.low, almost.high) == (Decimal("50000000000"), Decimal("51000000000"))
    assert round(compound_annual_growth(Decimal("1.5"), 4), 6) == Decimal("10.668192")


@given(st.integers(1, 99))
def test_stated_span_is_read_from_the_wording(years: int) -> None:
    assert stated_span_years(f"Over the past {years} years, trade grew") == years
    assert stated_span_years(f"in the last {years} years") == years


def test_stated_span_words_and_absence() -> None:
    assert stated_span_years("over the past five years") == 5
    assert stated_span_years("from $336 billion in 2019 to $490 billion in 2023") is None
    assert stated_span_years(None) is None
