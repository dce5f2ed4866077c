"""The derivation rules: each one says what reported figures imply, and within what range.

A rule is one class: its `formula` (the text stored in `derivation.formula`, naming the
inputs in order), how it `plan`s implied figures from the reported ones, and its
`interval`: the range the formula takes on its inputs' ranges. `RULES` lists them; the
planner (`derivations.plan_derived`), the ranges of derived figures and the findings go
through it. Adding a rule is adding a class here and its line in `RULES`.

Rules only propose figures (`Implied`); the planner decides what is stored: the
indicator must exist, the year be a year the API takes, the value storable, and it adds
the range, the qualifier and the range to the note. Rules read non-derived figures only
(no derived-from-derived chains).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from app.trade.arithmetic import (
    base_year_value,
    bounded,
    compound_annual_growth,
    growth_between,
    previous_year_value,
    total,
)
from app.trade.records import (
    CAGR,
    GROWTH,
    MULTIPLE,
    SCO,
    TURNOVER,
    FigureId,
    Key,
    ObservationRecord,
    SourceRank,
)
from app.trade.tolerance import Interval
from app.trade.wording import amount, figure, source_label

SourceKey = tuple[str, str, str, int, str]  # (reporter, partner, indicator, year, source)


@dataclass(frozen=True, slots=True)
class Implied(FigureId):
    """A figure a rule finds implied, before the planner decides to store it."""

    inputs: tuple[ObservationRecord, ...]
    exact_value: Decimal
    # Without the range and the final full stop: the planner adds them.
    note: str


class ReportedFigures:
    """The non-derived figures, indexed the ways the rules look them up."""

    def __init__(
        self,
        rows: Sequence[ObservationRecord],
        members_of: Callable[[int], Sequence[str]],
        rank: Callable[[ObservationRecord], tuple[object, ...]],
        sources: Mapping[str, SourceRank],
    ) -> None:
        self.rows = [row for row in rows if not row.is_derived]
        self.members_of = members_of
        self.sources = sources
        # One figure per key and source (the last listed, where a source gives several).
        self.by_source: dict[SourceKey, ObservationRecord] = {}
        for row in self.rows:
            if row.source_id is not None:
                key = (row.reporter, row.partner, row.indicator, row.year, row.source_id)
                self.by_source[key] = row
        grouped: dict[Key, list[ObservationRecord]] = defaultdict(list)
        for row in self.rows:
            grouped[row.key].append(row)
        # The preferred non-derived row of each key (the same rule that sets `preferred`).
        self.best = {key: min(items, key=rank) for key, items in grouped.items()}

    def cite(self, row: ObservationRecord) -> str:
        return source_label(self.sources, row.source_id)

    def same_source_turnover(self, row: ObservationRecord, year: int) -> ObservationRecord | None:
        """The turnover of `row`'s reporter and partner in `year` that `row`'s source gives."""
        if row.source_id is None:
            return None
        return self.by_source.get((row.reporter, row.partner, TURNOVER, year, row.source_id))


class DerivationRule(ABC):
    formula: ClassVar[str]

    @abstractmethod
    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        """Every figure this rule finds implied by `figures`."""

    @abstractmethod
    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        """The range of the formula on its inputs' ranges (None: none can be given).

        `inputs` are in the order the formula names them; `span_years` is the derived
        figure's span (year - base year) where it has one.
        """


def _slug(code: str) -> str:
    return code.lower().replace("_", "-")


def _pair(row: ObservationRecord) -> str:
    """`kaz-sco`: the reporter and partner part of a derived id."""
    return f"{_slug(row.reporter)}-{_slug(row.partner)}"


def _is_year_on_year(row: ObservationRecord) -> bool:
    return (row.base_year is None or row.base_year == row.year - 1) and row.span_years in (
        None,
        1,
    )


def _dated_multiples(figures: ReportedFigures) -> Iterator[tuple[ObservationRecord, int, int]]:
    """(multiple, base year, span in years) of the growth multiples whose base year the
    source names, before their year.

    A multiple "over the past 5 years" with no base year implies nothing here (the
    findings say what it would imply).
    """
    for multiple in figures.rows:
        if multiple.indicator != MULTIPLE or multiple.base_year is None:
            continue
        span_years = multiple.year - multiple.base_year
        if span_years > 0:
            yield multiple, multiple.base_year, span_years


class PreviousYearValue(DerivationRule):
    """The previous year's value from a value and its growth rate, both from the **same
    source** (KAZ→SCO 2022 = 66.0e9 / 1.068)."""

    formula = "value / (1 + growth / 100)"

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for growth in figures.rows:
            if growth.indicator != GROWTH or not _is_year_on_year(growth):
                continue
            value = figures.same_source_turnover(growth, growth.year)
            if value is None:
                continue
            try:
                result = previous_year_value(value.value, growth.value)
            except ValueError:
                continue
            year = growth.year - 1
            yield Implied(
                inputs=(value, growth),
                id=f"{_pair(growth)}-trade-turnover-{year}-from-growth-{growth.source_id}",
                reporter=growth.reporter,
                partner=growth.partner,
                indicator=TURNOVER,
                year=year,
                base_year=None,
                exact_value=result,
                note=f"Implied by {figures.cite(growth)}: {figure(value)} in {growth.year}, "
                f"{figure(growth)} more than in {year}, gives "
                f"≈{amount(result, value.unit)} for {year}",
            )

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        if len(inputs) != 2:
            return None
        value, growth = inputs
        if value.low < 0:
            return None
        return bounded(
            lambda: previous_year_value(value.low, growth.high),
            lambda: previous_year_value(value.high, growth.low),
        )


class CompoundAnnualGrowth(DerivationRule):
    """The average yearly growth a multiple implies over its span (1.5 times over
    2019→2023 = 10.67 %/yr), indicator `trade_turnover_cagr`."""

    formula = "(multiple ^ (1 / (year - base_year)) - 1) * 100"

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for multiple, base_year, span_years in _dated_multiples(figures):
            try:
                cagr = compound_annual_growth(multiple.value, span_years)
            except ValueError:
                continue
            yield Implied(
                inputs=(multiple,),
                id=f"{_pair(multiple)}-trade-turnover-cagr-{base_year}-{multiple.year}"
                f"-from-multiple-{multiple.source_id}",
                reporter=multiple.reporter,
                partner=multiple.partner,
                indicator=CAGR,
                year=multiple.year,
                base_year=base_year,
                exact_value=cagr,
                note=f"Average yearly growth implied by {figures.cite(multiple)}: "
                f"{figure(multiple)} from {base_year} to {multiple.year} "
                f"({span_years} years) is ≈{amount(cagr, 'percent')} a year",
            )

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        if len(inputs) != 1 or not span_years:
            return None
        (multiple,) = inputs
        return bounded(
            lambda: compound_annual_growth(multiple.low, span_years),
            lambda: compound_annual_growth(multiple.high, span_years),
        )


class BaseYearValue(DerivationRule):
    """The base year's value from a growth multiple and the end year's value of the
    **same source** (intra-SCO 2019 = 490e9 / 1.5)."""

    formula = "value / multiple"

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for multiple, base_year, _span_years in _dated_multiples(figures):
            value = figures.same_source_turnover(multiple, multiple.year)
            if value is None:
                continue
            try:
                base_value = base_year_value(value.value, multiple.value)
            except ValueError:
                continue
            yield Implied(
                inputs=(value, multiple),
                id=f"{_pair(multiple)}-trade-turnover-{base_year}"
                f"-from-multiple-{multiple.source_id}",
                reporter=multiple.reporter,
                partner=multiple.partner,
                indicator=TURNOVER,
                year=base_year,
                base_year=None,
                exact_value=base_value,
                note=f"Implied by {figures.cite(multiple)}: {figure(value)} in {multiple.year}, "
                f"{figure(multiple)} the {base_year} value, gives "
                f"≈{amount(base_value, value.unit)} for {base_year}",
            )

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        if len(inputs) != 2:
            return None
        value, multiple = inputs
        if value.low < 0 or multiple.low <= 0:
            return None
        return bounded(
            lambda: base_year_value(value.low, multiple.high),
            lambda: base_year_value(value.high, multiple.low),
        )


class GrowthBetweenYears(DerivationRule):
    """Year-on-year growth between two consecutive years that **one source** gives a value
    for (a quotient of two sources' figures would mix their methods and roundings, and its
    mismatch with a third would be an artefact)."""

    formula = "(value / previous_value - 1) * 100"

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for (reporter, partner, indicator, year, source_id), current in sorted(
            figures.by_source.items()
        ):
            if indicator != TURNOVER:
                continue
            previous = figures.by_source.get((reporter, partner, TURNOVER, year - 1, source_id))
            if previous is None:
                continue
            try:
                result = growth_between(previous.value, current.value)
            except ValueError:
                continue
            yield Implied(
                inputs=(current, previous),
                id=f"{_pair(current)}-trade-turnover-growth-{year}-between-years-{source_id}",
                reporter=reporter,
                partner=partner,
                indicator=GROWTH,
                year=year,
                base_year=None,
                exact_value=result,
                note=f"Growth within {figures.cite(current)}'s own figures: "
                f"{figure(previous)} in {year - 1} to {figure(current)} in {year} is "
                f"≈{amount(result, 'percent')}",
            )

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        if len(inputs) != 2:
            return None
        current, previous = inputs
        if current.low < 0:
            return None
        return bounded(
            lambda: growth_between(previous.high, current.low),
            lambda: growth_between(previous.low, current.high),
        )


class SumOverMembers(DerivationRule):
    """A country's turnover with `SCO` as the sum of its turnover with each SCO member
    state as of 31 December of that year, when every one of them is reported."""

    formula = "sum(values)"

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        bilateral: dict[tuple[str, int], dict[str, ObservationRecord]] = defaultdict(dict)
        for (reporter, partner, indicator, year), row in figures.best.items():
            if indicator == TURNOVER and SCO not in (reporter, partner):
                bilateral[(reporter, year)][partner] = row
        for (reporter, year), by_partner in sorted(bilateral.items()):
            members = sorted(set(figures.members_of(year)) - {reporter})
            if not members or any(member not in by_partner for member in members):
                continue
            parts = tuple(by_partner[member] for member in members)
            result = total(part.value for part in parts)
            yield Implied(
                inputs=parts,
                id=f"{_slug(reporter)}-sco-trade-turnover-{year}-sum-over-members",
                reporter=reporter,
                partner=SCO,
                indicator=TURNOVER,
                year=year,
                base_year=None,
                exact_value=result,
                note=f"Sum of {reporter}'s turnover with the {len(members)} SCO member "
                f"states as of {year}-12-31 ({', '.join(members)}): "
                f"≈{amount(result, parts[0].unit)}",
            )

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        if not inputs:
            return None
        return bounded(
            lambda: total(item.low for item in inputs),
            lambda: total(item.high for item in inputs),
        )


# Every rule, in the order they are planned (a derived id is planned once: the first wins).
RULES: tuple[DerivationRule, ...] = (
    PreviousYearValue(),
    CompoundAnnualGrowth(),
    BaseYearValue(),
    GrowthBetweenYears(),
    SumOverMembers(),
)
RULES_BY_FORMULA: Mapping[str, DerivationRule] = {rule.formula: rule for rule in RULES}
