"""Derivation rules as objects: each rule is one class, and everything goes through `RULES`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from app.trade.derivation_rules import (
    RULES,
    RULES_BY_FORMULA,
    DerivationRule,
    Implied,
    PreviousYearValue,
    ReportedFigures,
)
from app.trade.derivations import DerivedFigure, derived_interval, formula_interval, plan_derived
from app.trade.records import GROWTH, TURNOVER, ObservationRecord
from app.trade.tolerance import Interval

UNITS = {TURNOVER: "USD", GROWTH: "percent"}


def _record(
    id_: str, indicator: str, year: int, value: str, precision: Decimal | None = None
) -> ObservationRecord:
    """A figure KAZ→SCO of the source `src`, published with the digits of `value`."""
    return ObservationRecord(
        id=id_,
        reporter="KAZ",
        partner="SCO",
        indicator=indicator,
        year=year,
        base_year=None,
        value=Decimal(value),
        unit=UNITS[indicator],
        precision=precision,
        qualifier="exact",
        status="reported",
        source_id="src",
        derivation=None,
        note=None,
    )


def _plan(
    rows: Sequence[ObservationRecord], rules: Sequence[DerivationRule] = RULES
) -> dict[str, DerivedFigure]:
    return plan_derived(
        rows, indicators=UNITS, members_of=lambda _year: [], rank=lambda row: (row.id,), rules=rules
    )


def test_every_rule_states_its_own_formula() -> None:
    formulas = [rule.formula for rule in RULES]
    assert len(set(formulas)) == len(formulas)
    assert set(RULES_BY_FORMULA) == set(formulas)


def test_ranges_go_through_the_rule_of_the_formula() -> None:
    value, growth = Interval.point(Decimal(106)), Interval.point(Decimal(6))
    rule = PreviousYearValue()
    assert formula_interval(rule.formula, [value, growth], None) == rule.interval(
        [value, growth], None
    )
    assert formula_interval(rule.formula, [value, growth], None) == Interval.point(Decimal(100))
    assert formula_interval("value * 2", [value], None) is None
    assert formula_interval(None, [value], None) is None
    # A reported 106 stands for 105.5 to 106.5, a reported 6 % for 5.5 to 6.5 %.
    rows = [_record("v", TURNOVER, 2023, "106"), _record("g", GROWTH, 2023, "6")]
    implied = derived_interval(rule.formula, rows, None)
    assert implied == rule.interval(
        [Interval(Decimal("105.5"), Decimal("106.5")), Interval(Decimal("5.5"), Decimal("6.5"))],
        None,
    )


def test_a_rule_plans_what_is_stored_and_the_planner_checks_it() -> None:
    rows = [_record("v", TURNOVER, 2023, "106"), _record("g", GROWTH, 2023, "6")]
    (figure,) = _plan(rows).values()
    assert (figure.id, figure.year, figure.value) == (
        "kaz-sco-trade-turnover-2022-from-growth-src",
        2022,
        Decimal(100),
    )
    assert (figure.formula, figure.inputs, figure.qualifier) == (
        PreviousYearValue.formula,
        ("v", "g"),
        "approximately",  # its inputs were rounded when published
    )
    # A year the API does not take (1989) is not stored, whatever a rule implies.
    early = [_record("v", TURNOVER, 1990, "106"), _record("g", GROWTH, 1990, "6")]
    assert _plan(early) == {}


class _Doubling(DerivationRule):
    """A rule made up for the test: next year's turnover is twice this year's."""

    formula = "value * 2"

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for row in figures.rows:
            if row.indicator == TURNOVER:
                yield Implied(
                    inputs=(row,),
                    id=f"{row.id}-doubled",
                    reporter=row.reporter,
                    partner=row.partner,
                    indicator=TURNOVER,
                    year=row.year + 1,
                    base_year=None,
                    exact_value=row.value * 2,
                    note=f"Twice {row.value}",
                )

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        (value,) = inputs
        return Interval(value.low * 2, value.high * 2)


def test_adding_a_rule_is_one_class() -> None:
    rows = [_record("v", TURNOVER, 2023, "50", precision=Decimal(1))]
    doubled = _plan(rows, rules=(*RULES, _Doubling()))["v-doubled"]
    assert (doubled.year, doubled.value, doubled.formula) == (2024, Decimal(100), "value * 2")
    assert (doubled.bounds_lower, doubled.bounds_upper) == (Decimal(99), Decimal(101))
    assert doubled.note == "Twice 50 (range $99\u2013101)."
    assert doubled.qualifier == "approximately"
