"""Derived trade figures: what the reported ones imply, computed exactly (no database here).

Each derived row says how in `derivation = {formula, inputs}`, inputs being observation
ids in the order the formula names them. The rules that find them are the classes of
`derivation_rules.RULES` (previous-year value from a growth rate, base-year value and
compound annual growth from a multiple, growth between two years of one source, the sum
of a country's turnover with each SCO member state, turnover from declarations of
imports and exports, and SCO totals of those declarations); this module stores what
they find.

Derivations use non-derived rows only (no derived-from-derived chains), and only figures
whose span is known: a multiple "over the past 5 years" with no base year named implies
nothing here (the findings say what it would imply). Values are exact (34 significant
digits) and rounded once, half-even, to 6 decimal places when stored; each derived figure
carries the range its inputs' ranges allow (interval arithmetic, rounded outward), and is
`exact` only when every input is known exactly, which a rounded published figure is not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.trade.derivation_rules import (
    RULES,
    RULES_BY_FORMULA,
    DerivationRule,
    Implied,
    ReportedFigures,
)
from app.trade.numbers import is_storable, round_stored
from app.trade.records import FigureId, ObservationRecord, SourceRank
from app.trade.tolerance import Interval, figure_interval, stored_bounds
from app.trade.wording import span
from app.vocabulary import Qualifier, is_year

# --- ranges -------------------------------------------------------------------------------------


def reported_interval(row: ObservationRecord) -> Interval:
    """The range a reported figure allows, from its precision and qualifier."""
    return figure_interval(row.value, row.precision, row.qualifier, row.unit)


def formula_interval(
    formula: str | None, inputs: Sequence[Interval], span: int | None
) -> Interval | None:
    """The range a derived figure can take given its inputs' ranges (None: not computable,
    or a formula no rule states)."""
    rule = RULES_BY_FORMULA.get(formula or "")
    return rule.interval(inputs, span) if rule is not None else None


def derived_interval(
    formula: str | None, inputs: Sequence[ObservationRecord], span_years: int | None
) -> Interval | None:
    """The range a derived figure allows, from its (reported) inputs' ranges."""
    return formula_interval(formula, [reported_interval(item) for item in inputs], span_years)


# --- planning the derived rows ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DerivedFigure(FigureId):
    """A derived row as it should be stored."""

    value: Decimal
    qualifier: Qualifier
    formula: str
    inputs: tuple[str, ...]
    note: str
    bounds_lower: Decimal | None = None
    bounds_upper: Decimal | None = None

    @property
    def derivation(self) -> dict[str, object]:
        return {"formula": self.formula, "inputs": list(self.inputs)}


def _derived_figure(
    rule: DerivationRule,
    implied: Implied,
    units: Mapping[str, str],
    ranges: Callable[[ObservationRecord], Interval],
) -> DerivedFigure | None:
    """The row to store for what `rule` found implied, if it can be stored.

    `ranges` gives a reported figure's range (an input of many totals is asked often).
    """
    year, base_year = implied.year, implied.base_year
    if implied.indicator not in units or not is_year(year):
        return None
    if base_year is not None and not base_year < year:
        return None
    if not is_storable(implied.exact_value):
        return None
    span_years = year - base_year if base_year is not None else None
    inputs = [ranges(item) for item in implied.inputs]
    interval = rule.interval(inputs, span_years)
    lower, upper = stored_bounds(interval) if interval is not None else (None, None)
    exact = interval is not None and all(item.is_point for item in inputs)
    range_text = f" (range {span(interval, units[implied.indicator])})" if interval else ""
    return DerivedFigure(
        id=implied.id,
        reporter=implied.reporter,
        partner=implied.partner,
        indicator=implied.indicator,
        year=year,
        base_year=base_year,
        value=round_stored(implied.exact_value),
        qualifier="exact" if exact else "approximately",
        formula=rule.formula,
        inputs=tuple(item.id for item in implied.inputs),
        note=implied.note + range_text + ".",
        bounds_lower=lower,
        bounds_upper=upper,
    )


def plan_derived(
    rows: Sequence[ObservationRecord],
    *,
    indicators: Mapping[str, str],
    members_of: Callable[[int], Sequence[str]],
    rank: Callable[[ObservationRecord], tuple[object, ...]],
    sources: Mapping[str, SourceRank] | None = None,
    rules: Sequence[DerivationRule] = RULES,
) -> dict[str, DerivedFigure]:
    """Every derived figure the non-derived `rows` imply, by id (deterministic).

    `indicators` maps each indicator code to its unit; `sources` names the sources in the
    derived figures' notes. An id is planned once: the first rule (and row) to imply it.
    """
    figures = ReportedFigures(rows, members_of, rank, sources or {})
    planned: dict[str, DerivedFigure] = {}
    known: dict[str, Interval] = {}

    def ranges(row: ObservationRecord) -> Interval:
        if row.id not in known:
            known[row.id] = reported_interval(row)
        return known[row.id]

    for rule in rules:
        for implied in rule.plan(figures):
            if implied.id in planned:
                continue
            derived = _derived_figure(rule, implied, indicators, ranges)
            if derived is not None:
                planned[derived.id] = derived
    return dict(sorted(planned.items()))


def derived_preference(row: ObservationRecord) -> int:
    """The `preference` of the rule that derived `row` (lower wins; 0 for an unknown rule)."""
    rule = RULES_BY_FORMULA.get(row.formula or "")
    return rule.preference if rule is not None else 0


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
