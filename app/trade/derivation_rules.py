"""The derivation rules: each one says what reported figures imply, and within what range.

A rule is one class: its `formula` (the text stored in `derivation.formula`, naming the
inputs in order), how it `plan`s implied figures from the reported ones, and its
`interval`: the range the formula takes on its inputs' ranges. `RULES` lists them; the
planner (`derivations.plan_derived`), the ranges of derived figures and the findings go
through it. Adding a rule is adding a class here and its line in `RULES`.

Rules only propose figures (`Implied`); the planner decides what is stored: the
indicator must exist, the year be a year the API takes, the value storable, and it adds
the range, the qualifier and the range to the note. Rules read non-derived figures only
(no derived-from-derived chains): an SCO total of turnover is summed from the import
declarations themselves, not from the bilateral turnovers derived from them.

Where two rules derive a figure of one key, the one with the lower `preference` is
preferred (a reported figure always is, whatever the rules): a figure made of the
reporter's own declarations before one that mixes in its partners' (see `ranking`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
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
    EXPORTS,
    GROWTH,
    IMPORTS,
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
        self._members: dict[int, frozenset[str]] = {}

    def members(self, year: int) -> frozenset[str]:
        """The SCO member states of `year` (as `members_of` says), asked once per year."""
        if year not in self._members:
            self._members[year] = frozenset(self.members_of(year))
        return self._members[year]

    def cite(self, row: ObservationRecord) -> str:
        return source_label(self.sources, row.source_id)

    def same_source_turnover(self, row: ObservationRecord, year: int) -> ObservationRecord | None:
        """The turnover of `row`'s reporter and partner in `year` that `row`'s source gives."""
        if row.source_id is None:
            return None
        return self.by_source.get((row.reporter, row.partner, TURNOVER, year, row.source_id))


class DerivationRule(ABC):
    formula: str
    # Among derived figures of one key, the lower wins (before the sources' priority).
    preference: ClassVar[int] = 0
    # Whether the rule reads declarations: its figures are of the declaration world (see
    # `DECLARATIONS`).
    reads_declarations: ClassVar[bool] = False

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


class _SumRule(DerivationRule):
    """A rule whose figure is the sum of its inputs: its range is the sum of their ranges."""

    def interval(self, inputs: Sequence[Interval], span_years: int | None) -> Interval | None:
        if not inputs:
            return None
        return bounded(
            lambda: total(item.low for item in inputs),
            lambda: total(item.high for item in inputs),
        )


class SumOverMembers(_SumRule):
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


# --- turnover from declarations of imports and exports -------------------------------------


def _countries(reporter: str, partner: str) -> bool:
    """Two distinct countries (figures of the `SCO` group are summed by the rules below)."""
    return SCO not in (reporter, partner) and reporter != partner


def _pair_turnover(
    inputs: tuple[ObservationRecord, ObservationRecord],
    figure_id: str,
    basis: str,
) -> Implied:
    """The turnover of the first input's pair and year: the sum of both inputs' values; the
    inputs' figures are one link away (`derivation.inputs`), so the note only cites them."""
    first = inputs[0]
    result = total(item.value for item in inputs)
    return Implied(
        inputs=inputs,
        id=figure_id,
        reporter=first.reporter,
        partner=first.partner,
        indicator=TURNOVER,
        year=first.year,
        base_year=None,
        exact_value=result,
        note=f"{basis}: ≈{amount(result, first.unit)}",
    )


class TurnoverFromOwnDeclarations(_SumRule):
    """A country's turnover with a partner as the country itself declares it: its exports
    to the partner plus its imports from it, the basis of a turnover a national statistics
    office reports (so preferred over the sum of both sides' imports)."""

    formula = "exports[reporter, partner] + imports[reporter, partner]"
    reads_declarations = True

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for (reporter, partner, indicator, year), exports in figures.best.items():
            if indicator != EXPORTS or not _countries(reporter, partner):
                continue
            imports = figures.best.get((reporter, partner, IMPORTS, year))
            if imports is None:
                continue
            yield _pair_turnover(
                (exports, imports),
                f"{_pair(exports)}-trade-turnover-{year}-from-exports-and-imports",
                f"{reporter}'s own declarations: its exports to {partner} "
                f"({figures.cite(exports)}) plus its imports from {partner} "
                f"({figures.cite(imports)})",
            )


class TurnoverFromImports(_SumRule):
    """Two countries' turnover from both sides' import declarations: A's imports from B plus
    B's imports from A, each flow as its importer declares it (usually CIF). The same
    figure for A→B and B→A; where A's own exports are known, that figure is preferred."""

    formula = "imports[reporter, partner] + imports[partner, reporter]"
    preference = 1
    reads_declarations = True

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for (reporter, partner, indicator, year), imports in figures.best.items():
            if indicator != IMPORTS or not _countries(reporter, partner):
                continue
            mirror = figures.best.get((partner, reporter, IMPORTS, year))
            if mirror is None:
                continue
            yield _pair_turnover(
                (imports, mirror),
                f"{_pair(imports)}-trade-turnover-{year}-from-imports",
                f"Both sides' import declarations: {reporter}'s imports from "
                f"{partner} ({figures.cite(imports)}) plus {partner}'s imports from {reporter} "
                f"({figures.cite(mirror)})",
            )


# --- SCO totals summed from the member states' declarations ---------------------------------

Pair = tuple[str, str]


def _aggregates(figures: ReportedFigures, reads: Container[str]) -> list[tuple[str, str, int]]:
    """The SCO totals (reporter, partner, year) that declarations of `reads` between two
    countries may add up to: SCO with SCO, SCO with a non-member, a country with SCO."""
    found: set[tuple[str, str, int]] = set()
    for first, second, indicator, year in figures.best:
        if indicator not in reads or not _countries(first, second):
            continue
        members = figures.members(year)
        for country, other in ((first, second), (second, first)):
            if other in members:
                found.add((country, SCO, year))
                found.add((SCO, SCO, year) if country in members else (SCO, country, year))
    return sorted(found)


def member_pairs(reporter: str, partner: str, members: frozenset[str]) -> list[Pair] | None:
    """The ordered country pairs (a on the reporter's side, b on the partner's) that a total
    stands for; `SCO` is its member states of the year, and a member's trade with the SCO
    is with the other members. None: no total (SCO with one of its own members, whose
    trade with the rest of the SCO is reporter=member, partner=SCO; or fewer than two
    member states)."""
    ordered = sorted(members)
    if len(ordered) < 2:
        return None
    if reporter == SCO and partner == SCO:
        return [(a, b) for a in ordered for b in ordered if a != b]
    if reporter == SCO:
        return None if partner in members else [(a, partner) for a in ordered]
    return [(reporter, b) for b in ordered if b != reporter]


def _sides(reporter: str, partner: str, year: int, members: frozenset[str]) -> str:
    """`the 6 SCO member states as of 2014-12-31 (CHN, …)`, as the total's sides are."""
    others = sorted(members - {reporter})
    group = f"SCO member states as of {year}-12-31 ({', '.join(others)})"
    if reporter == SCO and partner == SCO:
        return f"the {len(others)} {group} with each other"
    if reporter == SCO:
        return f"the {len(others)} {group} with {partner}"
    other = " other" if reporter in members else ""
    return f"{reporter} with each of the {len(others)}{other} {group}"


class _MemberTotal(_SumRule):
    """A figure of the SCO summed over the member states of its year (on 31 December, as
    `SCO` means throughout the API) from the countries' own declarations, and only when
    every declaration it needs is there: a partial sum is never given as a total."""

    reads_declarations = True
    indicator: str  # of the figure
    reads: frozenset[str]  # the indicators of the declarations it sums
    suffix: str  # ends the derived id

    @abstractmethod
    def input_keys(self, pairs: Sequence[Pair], year: int, *, within: bool) -> list[Key] | None:
        """The declarations the total of `pairs` sums (`within`: SCO with SCO)."""

    @abstractmethod
    def describe(self, sides: str, count: int) -> str:
        """What the note says was summed, before the result."""

    def plan(self, figures: ReportedFigures) -> Iterator[Implied]:
        for reporter, partner, year in _aggregates(figures, self.reads):
            members = figures.members(year)
            pairs = member_pairs(reporter, partner, members)
            keys = (
                None if pairs is None else self.input_keys(pairs, year, within=reporter == partner)
            )
            if keys is None:
                continue
            found = [figures.best.get(key) for key in keys]
            parts = tuple(row for row in found if row is not None)
            if len(parts) != len(keys):
                continue  # a declaration is missing: no total rather than a partial one
            result = total(part.value for part in parts)
            sides = _sides(reporter, partner, year, members)
            yield Implied(
                inputs=parts,
                id=f"{_slug(reporter)}-{_slug(partner)}-{_slug(self.indicator)}-{year}"
                f"-{self.suffix}",
                reporter=reporter,
                partner=partner,
                indicator=self.indicator,
                year=year,
                base_year=None,
                exact_value=result,
                note=f"{self.describe(sides, len(parts))}: ≈{amount(result, parts[0].unit)}",
            )


class DeclarationsOverMembers(_MemberTotal):
    """The SCO's imports (or exports): the sum of each member state's declarations."""

    suffix = "sum-over-members"

    def __init__(self, indicator: str) -> None:
        self.indicator = indicator
        self.reads = frozenset({indicator})
        self.formula = f"sum({indicator}[a, b] for a in reporter, b in partner, a != b)"

    def input_keys(self, pairs: Sequence[Pair], year: int, *, within: bool) -> list[Key] | None:
        return [(a, b, self.indicator, year) for a, b in pairs]

    def describe(self, sides: str, count: int) -> str:
        return f"Sum of the {count} {self.indicator} declarations of {sides}"


class TurnoverOverMembersFromImports(_MemberTotal):
    """The SCO's turnover from import declarations: every flow between the two sides as its
    importer declares it. Within the SCO each flow between two members counts once (the
    sum of the members' imports from each other), as intra-SCO trade is counted."""

    indicator = TURNOVER
    reads = frozenset({IMPORTS})
    suffix = "from-imports"
    formula = "sum(imports[a, b] + imports[b, a] for a in reporter, b in partner)"
    preference = 1

    def input_keys(self, pairs: Sequence[Pair], year: int, *, within: bool) -> list[Key] | None:
        if within:  # the ordered pairs name each flow once already
            return [(a, b, IMPORTS, year) for a, b in pairs]
        return [key for a, b in pairs for key in ((a, b, IMPORTS, year), (b, a, IMPORTS, year))]

    def describe(self, sides: str, count: int) -> str:
        return f"Trade of {sides}, each flow as its importer declares it ({count} declarations)"


class TurnoverOverMembersFromOwnDeclarations(_MemberTotal):
    """The SCO's turnover from the reporter side's own declarations of exports and imports
    (a country's with the SCO: its own; the SCO's with a non-member: the members'). Not
    within the SCO, where it would count every flow twice (as exports and as imports)."""

    indicator = TURNOVER
    reads = frozenset({EXPORTS, IMPORTS})
    suffix = "from-exports-and-imports"
    formula = "sum(exports[a, b] + imports[a, b] for a in reporter, b in partner)"

    def input_keys(self, pairs: Sequence[Pair], year: int, *, within: bool) -> list[Key] | None:
        if within:
            return None
        return [key for a, b in pairs for key in ((a, b, EXPORTS, year), (a, b, IMPORTS, year))]

    def describe(self, sides: str, count: int) -> str:
        return (
            f"Trade of {sides}, as the side named first declares its exports and imports "
            f"({count} declarations)"
        )


# Every rule, in the order they are planned (a derived id is planned once: the first wins).
RULES: tuple[DerivationRule, ...] = (
    PreviousYearValue(),
    CompoundAnnualGrowth(),
    BaseYearValue(),
    GrowthBetweenYears(),
    SumOverMembers(),
    TurnoverFromOwnDeclarations(),
    TurnoverFromImports(),
    DeclarationsOverMembers(IMPORTS),
    DeclarationsOverMembers(EXPORTS),
    TurnoverOverMembersFromImports(),
    TurnoverOverMembersFromOwnDeclarations(),
)
RULES_BY_FORMULA: Mapping[str, DerivationRule] = {rule.formula: rule for rule in RULES}

# --- the declaration world ------------------------------------------------------------------

# The declaration world: every figure of imports or exports, and every figure a rule that
# reads declarations derives (its formula is one of DECLARATION_FORMULAS). Those rules read
# declarations alone, and only those of the year of the figure they derive (a turnover or a
# total of one year sums that year's declarations); no rule reads a derived figure. So the
# world's figures of one year follow from its declarations of that year alone, whatever
# happens in other years or outside the world: `service.recompute` re-plans only the years
# a write touched (`repository.declaration_world` says which rows are of the world).
DECLARATIONS = frozenset({IMPORTS, EXPORTS})
DECLARATION_FORMULAS = frozenset(rule.formula for rule in RULES if rule.reads_declarations)
