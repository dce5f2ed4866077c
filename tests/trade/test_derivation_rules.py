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
    member_pairs,
)
from app.trade.derivations import (
    DerivedFigure,
    derived_interval,
    derived_preference,
    formula_interval,
    plan_derived,
)
from app.trade.records import EXPORTS, GROWTH, IMPORTS, TURNOVER, ObservationRecord
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


# --- declarations of imports and exports --------------------------------------------------------

DECLARATION_UNITS = {TURNOVER: "USD", IMPORTS: "USD", EXPORTS: "USD"}


def _declaration(reporter: str, partner: str, indicator: str, value: int) -> ObservationRecord:
    return ObservationRecord(
        id=f"{reporter}-{partner}-{indicator}".lower(),
        reporter=reporter,
        partner=partner,
        indicator=indicator,
        year=2016,
        base_year=None,
        value=Decimal(value),
        unit="USD",
        precision=Decimal(1),
        qualifier="exact",
        status="reported",
        source_id="src",
        derivation=None,
        note=None,
    )


def _plan_declarations(
    rows: Sequence[ObservationRecord], members: Sequence[str] = ()
) -> dict[str, DerivedFigure]:
    return plan_derived(
        rows,
        indicators=DECLARATION_UNITS,
        members_of=lambda _year: members,
        rank=lambda row: (row.id,),
    )


def test_every_sum_of_declarations_has_the_range_of_a_sum() -> None:
    inputs = [Interval(Decimal(1), Decimal(2)), Interval(Decimal(10), Decimal(20))]
    for rule in RULES[5:]:
        assert rule.interval(inputs, None) == Interval(Decimal(11), Decimal(22)), rule.formula
        assert rule.interval([], None) is None


def test_turnover_from_one_side_or_both() -> None:
    rows = [
        _declaration("KAZ", "CHN", IMPORTS, 8),
        _declaration("CHN", "KAZ", IMPORTS, 9),
        _declaration("KAZ", "CHN", EXPORTS, 10),
    ]
    planned = _plan_declarations(rows)
    assert {id_: figure.value for id_, figure in planned.items()} == {
        "kaz-chn-trade-turnover-2016-from-imports": 17,
        "chn-kaz-trade-turnover-2016-from-imports": 17,
        "kaz-chn-trade-turnover-2016-from-exports-and-imports": 18,
    }
    own = planned["kaz-chn-trade-turnover-2016-from-exports-and-imports"]
    assert own.inputs == ("kaz-chn-exports", "kaz-chn-imports")
    both = planned["kaz-chn-trade-turnover-2016-from-imports"]
    # The reporter's own declarations come first among derived figures of one key.
    assert derived_preference(_as_stored(own)) < derived_preference(_as_stored(both))


def _as_stored(figure: DerivedFigure) -> ObservationRecord:
    return ObservationRecord(
        id=figure.id,
        reporter=figure.reporter,
        partner=figure.partner,
        indicator=figure.indicator,
        year=figure.year,
        base_year=None,
        value=figure.value,
        unit="USD",
        precision=None,
        qualifier=figure.qualifier,
        status="derived",
        source_id=None,
        derivation=figure.derivation,
        note=figure.note,
    )


def test_the_pairs_an_sco_total_stands_for() -> None:
    members = frozenset({"CHN", "KAZ", "RUS"})
    assert member_pairs("SCO", "SCO", members) == [
        ("CHN", "KAZ"),
        ("CHN", "RUS"),
        ("KAZ", "CHN"),
        ("KAZ", "RUS"),
        ("RUS", "CHN"),
        ("RUS", "KAZ"),
    ]
    assert member_pairs("SCO", "USA", members) == [("CHN", "USA"), ("KAZ", "USA"), ("RUS", "USA")]
    assert member_pairs("KAZ", "SCO", members) == [("KAZ", "CHN"), ("KAZ", "RUS")]
    assert member_pairs("USA", "SCO", members) == [("USA", "CHN"), ("USA", "KAZ"), ("USA", "RUS")]
    # A member's trade with the SCO is reporter=member, partner=SCO; one member is no group.
    assert member_pairs("SCO", "KAZ", members) is None
    assert member_pairs("SCO", "SCO", frozenset({"CHN"})) is None


def test_sco_totals_need_every_declaration() -> None:
    members = ["CHN", "KAZ", "RUS"]
    rows = [
        _declaration(a, b, IMPORTS, 1 + index)
        for index, (a, b) in enumerate((a, b) for a in members for b in members if a != b)
    ]
    planned = _plan_declarations(rows, members)
    total = planned["sco-sco-trade-turnover-2016-from-imports"]
    assert total.value == sum(range(1, 7))
    assert len(total.inputs) == 6
    assert planned["sco-sco-imports-2016-sum-over-members"].value == total.value
    assert planned["kaz-sco-trade-turnover-2016-from-imports"].inputs == (
        "kaz-chn-imports",
        "chn-kaz-imports",
        "kaz-rus-imports",
        "rus-kaz-imports",
    )
    missing_one = _plan_declarations(rows[1:], members)
    assert "sco-sco-trade-turnover-2016-from-imports" not in missing_one
    assert "sco-sco-imports-2016-sum-over-members" not in missing_one
    # Without members (before the SCO was founded) there is no total at all.
    assert not [id_ for id_ in _plan_declarations(rows) if "sco" in id_]
