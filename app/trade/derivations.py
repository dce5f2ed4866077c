"""Derived trade figures: what the reported ones imply, computed exactly (no database here).

Kinds (each derived row says how in `derivation = {formula, inputs}`, inputs being
observation ids in the order the formula names them):

* previous-year value from a value and its growth rate, both from the **same source**
  (KAZ→SCO 2022 = 66.0e9 / 1.068): `value / (1 + growth / 100)`;
* base-year value from a growth multiple and the end-year value of the **same source**
  (intra-SCO 2019 = 490e9 / 1.5): `value / multiple`;
* compound annual growth implied by a multiple over its span (1.5 times over 2019→2023 =
  10.67 %/yr), indicator `trade_turnover_cagr`;
* year-on-year growth between two consecutive years that **one source** reports a value
  for: `(value / previous_value - 1) * 100` (a quotient of two sources' figures would mix
  their methods and roundings, and its mismatch with a third would be an artefact);
* a country's turnover with `SCO` as the sum of its turnover with each SCO member state
  as of 31 December of that year, when every one of them is reported: `sum(values)`.

Derivations use non-derived rows only (no derived-from-derived chains), and only figures
whose span is known: a multiple "over the past 5 years" with no base year named implies
nothing here (the findings say what it would imply). Values are exact (34 significant
digits) and rounded once, half-even, to 6 decimal places when stored; each derived figure
carries the range its inputs' ranges allow (interval arithmetic, rounded outward), and is
`exact` only when every input is known exactly, which a rounded published figure is not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from app.trade.numbers import CONTEXT, HUNDRED, ONE, is_storable, round_stored
from app.trade.records import (
    CAGR,
    GROWTH,
    MULTIPLE,
    SCO,
    TURNOVER,
    ObservationRecord,
    SourceRank,
)
from app.trade.tolerance import Interval, figure_interval, stored_bounds
from app.trade.wording import amount, figure, source_label, span
from app.vocabulary import is_year

FORMULA_PREVIOUS_YEAR = "value / (1 + growth / 100)"
FORMULA_BASE_YEAR = "value / multiple"
FORMULA_CAGR = "(multiple ^ (1 / (year - base_year)) - 1) * 100"
FORMULA_GROWTH_BETWEEN = "(value / previous_value - 1) * 100"
FORMULA_SUM = "sum(values)"


# --- the arithmetic (exact; callers round with `round_stored`) -----------------------------


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


# --- the same formulas on ranges (for the tolerance of derived figures) ---------------------


def _bounded(low: Callable[[], Decimal], high: Callable[[], Decimal]) -> Interval | None:
    try:
        return Interval(low(), high())
    except (ValueError, ArithmeticError):
        return None


def formula_interval(
    formula: str | None, inputs: Sequence[Interval], span: int | None
) -> Interval | None:
    """The range a derived figure can take given its inputs' ranges (None: not computable).

    Every formula is monotonic in each input on the valid domain, so the bounds come from
    the inputs' bounds; any input range that crosses a pole (a non-positive divisor) gives
    None rather than a misleading range.
    """
    if formula == FORMULA_PREVIOUS_YEAR and len(inputs) == 2:
        value, growth = inputs
        if value.low < 0:
            return None
        return _bounded(
            lambda: previous_year_value(value.low, growth.high),
            lambda: previous_year_value(value.high, growth.low),
        )
    if formula == FORMULA_BASE_YEAR and len(inputs) == 2:
        value, multiple = inputs
        if value.low < 0 or multiple.low <= 0:
            return None
        return _bounded(
            lambda: base_year_value(value.low, multiple.high),
            lambda: base_year_value(value.high, multiple.low),
        )
    if formula == FORMULA_CAGR and len(inputs) == 1 and span:
        (multiple,) = inputs
        return _bounded(
            lambda: compound_annual_growth(multiple.low, span),
            lambda: compound_annual_growth(multiple.high, span),
        )
    if formula == FORMULA_GROWTH_BETWEEN and len(inputs) == 2:
        current, previous = inputs
        if current.low < 0:
            return None
        return _bounded(
            lambda: growth_between(previous.high, current.low),
            lambda: growth_between(previous.low, current.high),
        )
    if formula == FORMULA_SUM and inputs:
        return _bounded(
            lambda: total(item.low for item in inputs),
            lambda: total(item.high for item in inputs),
        )
    return None


def share_interval(part: Interval, whole: Interval) -> Interval | None:
    if part.low < 0 or whole.low <= 0:
        return None
    return _bounded(
        lambda: share_percent(part.low, whole.high), lambda: share_percent(part.high, whole.low)
    )


def reported_interval(row: ObservationRecord) -> Interval:
    """The range a reported figure allows, from its precision and qualifier."""
    return figure_interval(row.value, row.precision, row.qualifier, row.unit)


def derived_interval(
    formula: str | None, inputs: Sequence[ObservationRecord], span_years: int | None
) -> Interval | None:
    """The range a derived figure allows, from its (reported) inputs' ranges."""
    return formula_interval(formula, [reported_interval(item) for item in inputs], span_years)


# --- planning the derived rows ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DerivedFigure:
    """A derived row as it should be stored."""

    id: str
    reporter: str
    partner: str
    indicator: str
    year: int
    base_year: int | None
    value: Decimal
    qualifier: str
    formula: str
    inputs: tuple[str, ...]
    note: str
    bounds_lower: Decimal | None = None
    bounds_upper: Decimal | None = None

    @property
    def derivation(self) -> dict[str, object]:
        return {"formula": self.formula, "inputs": list(self.inputs)}


def _slug(code: str) -> str:
    return code.lower().replace("_", "-")


def _is_year_on_year(row: ObservationRecord) -> bool:
    return (row.base_year is None or row.base_year == row.year - 1) and row.span_years in (
        None,
        1,
    )


class _Planner:
    def __init__(
        self,
        rows: Sequence[ObservationRecord],
        indicators: Mapping[str, str],
        members_of: Callable[[int], Sequence[str]],
        rank: Callable[[ObservationRecord], tuple[object, ...]],
        sources: Mapping[str, SourceRank],
    ) -> None:
        self.rows = [row for row in rows if not row.is_derived]
        self.indicators = indicators
        self.members_of = members_of
        self.rank = rank
        self.sources = sources
        self.planned: dict[str, DerivedFigure] = {}
        self.by_source: dict[tuple[str, str, str, int, str], ObservationRecord] = {}
        for row in self.rows:
            if row.source_id is not None:
                self.by_source[
                    (row.reporter, row.partner, row.indicator, row.year, row.source_id)
                ] = row
        grouped: dict[tuple[str, str, str, int], list[ObservationRecord]] = defaultdict(list)
        for row in self.rows:
            grouped[row.key].append(row)
        # The preferred non-derived row of each key (the same rule that sets `preferred`).
        self.best = {key: min(items, key=self.rank) for key, items in grouped.items()}

    def cite(self, row: ObservationRecord) -> str:
        return source_label(self.sources, row.source_id)

    def add(
        self,
        inputs: Sequence[ObservationRecord],
        *,
        id: str,
        reporter: str,
        partner: str,
        indicator: str,
        year: int,
        base_year: int | None,
        exact_value: Decimal,
        formula: str,
        note: str,
    ) -> None:
        """Plan one derived figure, with its range and qualifier, if it can be stored."""
        if indicator not in self.indicators or not is_year(year):
            return
        if base_year is not None and not base_year < year:
            return
        if not is_storable(exact_value):
            return
        span_years = year - base_year if base_year is not None else None
        interval = derived_interval(formula, inputs, span_years)
        lower, upper = stored_bounds(interval) if interval is not None else (None, None)
        exact = interval is not None and all(reported_interval(item).is_point for item in inputs)
        range_text = f" (range {span(interval, self.indicators[indicator])})" if interval else ""
        self.planned.setdefault(
            id,
            DerivedFigure(
                id=id,
                reporter=reporter,
                partner=partner,
                indicator=indicator,
                year=year,
                base_year=base_year,
                value=round_stored(exact_value),
                qualifier="exact" if exact else "approximately",
                formula=formula,
                inputs=tuple(item.id for item in inputs),
                note=note + range_text + ".",
                bounds_lower=lower,
                bounds_upper=upper,
            ),
        )

    def same_source_value(self, row: ObservationRecord, year: int) -> ObservationRecord | None:
        if row.source_id is None:
            return None
        return self.by_source.get((row.reporter, row.partner, TURNOVER, year, row.source_id))

    def previous_years(self) -> None:
        for growth in self.rows:
            if growth.indicator != GROWTH or not _is_year_on_year(growth):
                continue
            value = self.same_source_value(growth, growth.year)
            if value is None:
                continue
            try:
                result = previous_year_value(value.value, growth.value)
            except ValueError:
                continue
            year = growth.year - 1
            self.add(
                (value, growth),
                id=f"{_slug(growth.reporter)}-{_slug(growth.partner)}-trade-turnover-{year}"
                f"-from-growth-{growth.source_id}",
                reporter=growth.reporter,
                partner=growth.partner,
                indicator=TURNOVER,
                year=year,
                base_year=None,
                exact_value=result,
                formula=FORMULA_PREVIOUS_YEAR,
                note=f"Implied by {self.cite(growth)}: {figure(value)} in {growth.year}, "
                f"{figure(growth)} more than in {year}, gives "
                f"≈{amount(result, value.unit)} for {year}",
            )

    def multiples(self) -> None:
        for multiple in self.rows:
            if multiple.indicator != MULTIPLE or multiple.base_year is None:
                continue
            span_years = multiple.year - multiple.base_year
            prefix = f"{_slug(multiple.reporter)}-{_slug(multiple.partner)}"
            try:
                cagr = compound_annual_growth(multiple.value, span_years)
            except ValueError:
                continue
            self.add(
                (multiple,),
                id=f"{prefix}-trade-turnover-cagr-{multiple.base_year}-{multiple.year}"
                f"-from-multiple-{multiple.source_id}",
                reporter=multiple.reporter,
                partner=multiple.partner,
                indicator=CAGR,
                year=multiple.year,
                base_year=multiple.base_year,
                exact_value=cagr,
                formula=FORMULA_CAGR,
                note=f"Average yearly growth implied by {self.cite(multiple)}: "
                f"{figure(multiple)} from {multiple.base_year} to {multiple.year} "
                f"({span_years} years) is ≈{amount(cagr, 'percent')} a year",
            )
            value = self.same_source_value(multiple, multiple.year)
            if value is None:
                continue
            base_value = base_year_value(value.value, multiple.value)
            self.add(
                (value, multiple),
                id=f"{prefix}-trade-turnover-{multiple.base_year}"
                f"-from-multiple-{multiple.source_id}",
                reporter=multiple.reporter,
                partner=multiple.partner,
                indicator=TURNOVER,
                year=multiple.base_year,
                base_year=None,
                exact_value=base_value,
                formula=FORMULA_BASE_YEAR,
                note=f"Implied by {self.cite(multiple)}: {figure(value)} in {multiple.year}, "
                f"{figure(multiple)} the {multiple.base_year} value, gives "
                f"≈{amount(base_value, value.unit)} for {multiple.base_year}",
            )

    def growth_between_years(self) -> None:
        """Growth from one year to the next, both values stated by one source."""
        for (reporter, partner, indicator, year, source_id), current in sorted(
            self.by_source.items()
        ):
            if indicator != TURNOVER:
                continue
            previous = self.by_source.get((reporter, partner, TURNOVER, year - 1, source_id))
            if previous is None:
                continue
            try:
                result = growth_between(previous.value, current.value)
            except ValueError:
                continue
            self.add(
                (current, previous),
                id=f"{_slug(reporter)}-{_slug(partner)}-trade-turnover-growth-{year}"
                f"-between-years-{source_id}",
                reporter=reporter,
                partner=partner,
                indicator=GROWTH,
                year=year,
                base_year=None,
                exact_value=result,
                formula=FORMULA_GROWTH_BETWEEN,
                note=f"Growth within {self.cite(current)}'s own figures: {figure(previous)} "
                f"in {year - 1} to {figure(current)} in {year} is "
                f"≈{amount(result, 'percent')}",
            )

    def sums_over_members(self) -> None:
        bilateral: dict[tuple[str, int], dict[str, ObservationRecord]] = defaultdict(dict)
        for (reporter, partner, indicator, year), row in self.best.items():
            if indicator == TURNOVER and SCO not in (reporter, partner):
                bilateral[(reporter, year)][partner] = row
        for (reporter, year), by_partner in sorted(bilateral.items()):
            members = sorted(set(self.members_of(year)) - {reporter})
            if not members or any(member not in by_partner for member in members):
                continue
            parts = [by_partner[member] for member in members]
            result = total(part.value for part in parts)
            self.add(
                parts,
                id=f"{_slug(reporter)}-sco-trade-turnover-{year}-sum-over-members",
                reporter=reporter,
                partner=SCO,
                indicator=TURNOVER,
                year=year,
                base_year=None,
                exact_value=result,
                formula=FORMULA_SUM,
                note=f"Sum of {reporter}'s turnover with the {len(members)} SCO member "
                f"states as of {year}-12-31 ({', '.join(members)}): "
                f"≈{amount(result, parts[0].unit)}",
            )


def plan_derived(
    rows: Sequence[ObservationRecord],
    *,
    indicators: Mapping[str, str],
    members_of: Callable[[int], Sequence[str]],
    rank: Callable[[ObservationRecord], tuple[object, ...]],
    sources: Mapping[str, SourceRank] | None = None,
) -> dict[str, DerivedFigure]:
    """Every derived figure the non-derived `rows` imply, by id (deterministic).

    `indicators` maps each indicator code to its unit; `sources` names the sources in the
    derived figures' notes.
    """
    planner = _Planner(rows, indicators, members_of, rank, sources or {})
    planner.previous_years()
    planner.multiples()
    planner.growth_between_years()
    planner.sums_over_members()
    return dict(sorted(planner.planned.items()))


def derived_source_rank(
    row: ObservationRecord,
    by_id: Mapping[str, ObservationRecord],
    sources: Mapping[str, SourceRank],
) -> int:
    """A derived figure is as authoritative as its least authoritative input's source."""
    priorities = [
        sources[item.source_id].priority
        for item in (by_id.get(input_id) for input_id in row.inputs)
        if item is not None and item.source_id is not None and item.source_id in sources
    ]
    return min(priorities, default=0)
