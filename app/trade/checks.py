"""Consistency findings between figures (`GET /trade/checks`), computed on demand, no database.

Kinds:
* `source_conflict`: a non-preferred figure of a key whose range does not overlap the
  preferred figure's range (one finding per key);
* `derivation_mismatch`: a derived figure whose range (interval arithmetic on its inputs'
  ranges) does not overlap the preferred reported figure of its key (one per derived row);
* `share_mismatch`: a reported share of intra-SCO trade against the share implied by the
  reporter's turnover with SCO over intra-SCO turnover;
* `share_total`: the preferred shares of one year add up to more than 100 %;
* `span_mismatch`: figures over a span of years (multiples) that disagree about the span,
  either between sources or between a source's words ("over the past 5 years") and its
  dates (2019 to 2023 is 4 years);
* `open_base_year`: a figure over a span stated in words only ("1.5 times over the past 5
  years"), whose base year the source leaves open: what counting back would imply, which
  the source itself does not say (so nothing is derived from it);
* `mirror_gap`: A's declared exports to B against B's declared imports from A in the same
  year (one finding per flow, named by its exports key), when they differ by more than a
  tolerance (default 10 %) beyond what their published digits allow. Imports are usually
  valued CIF and exports FOB, so imports exceeding the mirror exports by a few percent is
  expected and stays within the tolerance.

Figures agree when their ranges overlap (`tolerance`), so 61.8 billion agrees with the
derived 61.797… billion. Severity is `info` where the gap disappears if the coarser figure
was cut rather than rounded (61 billion said for 61.8 billion), and for open base years;
`warning` otherwise.

Messages write figures as people do (`$61.8 bn`, `almost $51 bn`, `≈13.5 %`), name each
figure's own source by publisher and date, and say when sources only relay one release:
copies of one statement agree by construction and never count as corroboration.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from app.trade.arithmetic import previous_year_value, share_interval, share_percent, total
from app.trade.derivations import derived_interval, reported_interval
from app.trade.numbers import CONTEXT, HUNDRED, plain, round_stored
from app.trade.records import (
    EXPORTS,
    GROWTH,
    GROWTH_OVER_SPAN,
    IMPORTS,
    MULTIPLE,
    SCO,
    SHARE,
    TURNOVER,
    Key,
    ObservationRecord,
    SourceRank,
    key_slug,
)
from app.trade.tolerance import Interval, agree, cut_interval
from app.trade.wording import amount, figure, source_label, span
from app.vocabulary import CHECK_KINDS, CheckKind, CheckSeverity

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
GAP_DIGITS = Decimal("0.1")  # a gap is written to a tenth of a percent
TOLERANCE_DIGITS = Decimal("0.01")  # the tolerance to a hundredth, as far as anyone sets it
# How far (in percent of the exports) a mirror declaration may stray before it is a finding.
MIRROR_TOLERANCE = Decimal(10)
CIF_FOB = (
    "Imports are usually valued CIF (with the cost of insurance and freight to the "
    "importer's border) and exports FOB (free on board at the exporter's border), so imports "
    "typically exceed the mirror exports by a few percent"
)
_SPAN_PATTERN = re.compile(
    r"\b(?:over|in|during|for|within)\s+the\s+(?:past|last|previous)\s+"
    r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    kind: CheckKind
    severity: CheckSeverity
    message: str
    observation_ids: tuple[str, ...]
    reported: Decimal | None
    implied: Decimal | None
    key: Key
    # The ranges compared (agreement is overlap); None where a finding compares no ranges.
    reported_range: Interval | None = None
    implied_range: Interval | None = None


def stated_span_years(note: str | None) -> int | None:
    """The span a text states in words ("over the past 5 years" -> 5), if any."""
    if not note:
        return None
    match = _SPAN_PATTERN.search(note)
    if match is None:
        return None
    word = match.group(1).lower()
    return _NUMBER_WORDS.get(word) or int(word)


def _truncation_explains(first: ObservationRecord, second: ObservationRecord) -> bool:
    """Whether the gap vanishes if the coarser exact figure was cut, not rounded."""
    coarse, fine = sorted(
        (first, second), key=lambda row: -(row.precision or reported_interval(row).width)
    )
    if coarse.qualifier != "exact":
        return False
    return agree(cut_interval(coarse.value, coarse.precision), reported_interval(fine))


class _Checker:
    def __init__(
        self,
        rows: Sequence[ObservationRecord],
        rank: Callable[[ObservationRecord], tuple[object, ...]],
        sources: Mapping[str, SourceRank],
        indicator_names: Mapping[str, str],
        mirror_tolerance: Decimal = MIRROR_TOLERANCE,
        concerning: Collection[str] | None = None,
    ) -> None:
        self.rows = rows
        self.concerning = None if concerning is None else frozenset(concerning)
        self.mirror_tolerance = mirror_tolerance
        self.rank = rank
        self.sources = sources
        self.indicator_names = indicator_names
        self.by_id = {row.id: row for row in rows}
        grouped: dict[Key, list[ObservationRecord]] = defaultdict(list)
        for row in rows:
            if not row.is_derived:
                grouped[row.key].append(row)
        self.reported = {key: sorted(items, key=rank) for key, items in grouped.items()}
        self.findings: list[Finding] = []

    def may_concern(self, rows: Iterable[ObservationRecord]) -> bool:
        """False when no finding drawn from `rows` alone can name a wanted figure: the
        per-key kinds skip such a key before writing a message nobody asked for."""
        return self.concerning is None or any(row.id in self.concerning for row in rows)

    # --- how findings speak ------------------------------------------------------------------

    def label(self, key: Key) -> str:
        """`KAZ→SCO trade turnover, 2023`."""
        reporter, partner, indicator, year = key
        name = self.indicator_names.get(indicator, indicator)
        return f"{reporter}→{partner} {name[:1].lower()}{name[1:]}, {year}"

    def cite(self, row: ObservationRecord) -> str:
        return source_label(self.sources, row.source_id)

    def cited(self, row: ObservationRecord) -> str:
        """`$66.0 bn (oq.gov.kz, 2 May 2024)`."""
        return f"{figure(row)} ({self.cite(row)})"

    def relays(self, row: ObservationRecord) -> str | None:
        source = self.sources.get(row.source_id or "")
        return source.relays_id if source is not None else None

    def same_release(self, first: ObservationRecord, second: ObservationRecord) -> bool:
        """Whether two figures are copies of one release (not independent of each other)."""
        if first.source_id == second.source_id:
            return True
        relayed = self.relays(first)
        return relayed is not None and relayed == self.relays(second)

    def same_source(self, row: ObservationRecord, key: Key) -> ObservationRecord | None:
        """The figure of `key` that `row`'s own source reports, if any."""
        if row.source_id is None:
            return None
        found = [item for item in self.reported.get(key, []) if item.source_id == row.source_id]
        return found[0] if found else None

    def best(self, key: Key) -> ObservationRecord | None:
        items = self.reported.get(key)
        return items[0] if items else None

    # --- the kinds ---------------------------------------------------------------------------

    def source_conflicts(self) -> None:
        for key, items in self.reported.items():
            if not self.may_concern(items):
                continue
            best, others = items[0], items[1:]
            best_range = reported_interval(best)
            conflicting = [row for row in others if not agree(best_range, reported_interval(row))]
            if not conflicting:
                continue
            farthest = max(conflicting, key=lambda row: abs(row.value - best.value))
            agreeing = [row for row in others if row not in conflicting]
            explained = all(_truncation_explains(best, row) for row in conflicting)
            self.findings.append(
                Finding(
                    id=f"source_conflict:{key_slug(key)}",
                    kind="source_conflict",
                    severity="info" if explained else "warning",
                    message=self._conflict_message(key, best, agreeing, conflicting, explained),
                    observation_ids=(best.id, *(row.id for row in conflicting)),
                    reported=best.value,
                    implied=farthest.value,
                    key=key,
                    reported_range=best_range,
                    implied_range=reported_interval(farthest),
                )
            )

    def _conflict_message(
        self,
        key: Key,
        best: ObservationRecord,
        agreeing: Sequence[ObservationRecord],
        conflicting: Sequence[ObservationRecord],
        explained: bool,
    ) -> str:
        unit = best.unit
        copies = [row for row in agreeing if self.same_release(best, row)]
        independent = [row for row in agreeing if row not in copies]
        parts = [f"{self.label(key)}: the preferred {self.cited(best)}"]
        if copies:
            parts.append(
                "; "
                + ", ".join(self.cite(row) for row in copies)
                + " carries the same release (a copy, not a confirmation)"
            )
        if independent:
            parts.append("; agreeing with it: " + ", ".join(self.cited(row) for row in independent))
        parts.append(
            "; in conflict: "
            + ", ".join(
                f"{self.cited(row)}, range {span(reported_interval(row), unit)}"
                for row in conflicting
            )
        )
        parts.append(
            f". The ranges the published digits allow ({span(reported_interval(best), unit)} "
            "for the preferred figure) do not overlap"
        )
        parts.append("; the coarser figure may be cut, not rounded." if explained else ".")
        return "".join(parts)

    def derivation_mismatches(self) -> None:
        for row in self.rows:
            if not row.is_derived or not self.may_concern([row, *self.reported.get(row.key, ())]):
                continue
            mismatch = self._derivation_mismatch(row)
            if mismatch is not None:
                self.findings.append(mismatch)

    def _derivation_mismatch(self, row: ObservationRecord) -> Finding | None:
        """A warning when the range the inputs of derived `row` imply misses the preferred
        reported figure's range; None without one of them, or when they agree."""
        best = self.best(row.key)
        known = self._known_inputs(row)
        if best is None or known is None:
            return None
        span_years = row.year - row.base_year if row.base_year is not None else None
        implied = derived_interval(row.formula, known, span_years)
        best_range = reported_interval(best)
        if implied is None or agree(implied, best_range):
            return None
        return Finding(
            id=f"derivation_mismatch:{row.id}",
            kind="derivation_mismatch",
            severity="warning",
            message=f"{self.label(row.key)}: {self._inputs_basis(known)} imply {figure(row)} "
            f"(range {span(implied, row.unit)}), which does not agree with the "
            f"preferred reported {self.cited(best)} (range {span(best_range, best.unit)}).",
            observation_ids=(row.id, best.id),
            reported=best.value,
            implied=row.value,
            key=row.key,
            reported_range=best_range,
            implied_range=implied,
        )

    def _known_inputs(self, row: ObservationRecord) -> list[ObservationRecord] | None:
        """The inputs of derived `row`; None when it has none or one is not among the rows."""
        inputs = [self.by_id.get(input_id) for input_id in row.inputs]
        known = [item for item in inputs if item is not None]
        return known if known and len(known) == len(inputs) else None

    def _inputs_basis(self, inputs: Sequence[ObservationRecord]) -> str:
        """What the inputs state, with their sources: one source named once ("both ...")."""
        origins = list(dict.fromkeys(self.cite(item) for item in inputs))
        if len(origins) == 1:
            basis = " and ".join(_statement(item) for item in inputs)
            return basis + f" ({'both ' if len(inputs) == 2 else ''}{origins[0]})"
        basis = "; ".join(f"{_statement(item)} ({self.cite(item)})" for item in inputs)
        return basis + f", from {len(origins)} different sources,"

    def share_mismatches(self) -> None:
        for key, items in self.reported.items():
            reporter, partner, indicator, year = key
            if indicator != SHARE or partner != SCO or reporter == SCO:
                continue
            share = items[0]
            part = self.best((reporter, SCO, TURNOVER, year))
            whole = self.best((SCO, SCO, TURNOVER, year))
            if part is None or whole is None:
                continue
            bounds = share_interval(reported_interval(part), reported_interval(whole))
            share_range = reported_interval(share)
            if bounds is None or agree(bounds, share_range):
                continue
            implied = round_stored(share_percent(part.value, whole.value))
            with localcontext(CONTEXT):
                once = implied / 2
            self.findings.append(
                Finding(
                    id=f"share_mismatch:{key_slug(key)}",
                    kind="share_mismatch",
                    severity="warning",
                    message=f"{self.label(key)}: {self.cite(share)} gives a share of "
                    f"{figure(share)}, but {reporter}'s trade with the SCO, {self.cited(part)}, "
                    f"is ≈{amount(implied, 'percent')} (range {span(bounds, 'percent')}) of "
                    f"intra-SCO trade of {self.cited(whole)}, or ≈{amount(once, 'percent')} "
                    "if that total counts each pair of countries once. The source does not "
                    "say what its share is of.",
                    observation_ids=(share.id, part.id, whole.id),
                    reported=share.value,
                    implied=implied,
                    key=key,
                    reported_range=share_range,
                    implied_range=bounds,
                )
            )

    def share_totals(self) -> None:
        by_year: dict[tuple[str, int], list[ObservationRecord]] = defaultdict(list)
        for (reporter, partner, indicator, year), items in self.reported.items():
            if indicator == SHARE and partner == SCO and reporter != SCO:
                by_year[(partner, year)].append(items[0])
        for (partner, year), shares in by_year.items():
            low = total(reported_interval(share).low for share in shares)
            if low <= HUNDRED:
                continue
            key: Key = (SCO, partner, SHARE, year)
            summed = total(share.value for share in shares)
            self.findings.append(
                Finding(
                    id=f"share_total:{key_slug(key)}",
                    kind="share_total",
                    severity="warning",
                    message=f"The preferred shares of intra-SCO trade in {year} ("
                    + ", ".join(f"{share.reporter} {self.cited(share)}" for share in shares)
                    + f") add up to {amount(summed, 'percent')}, more than 100 %.",
                    observation_ids=tuple(share.id for share in shares),
                    reported=summed,
                    implied=HUNDRED,
                    key=key,
                )
            )

    def span_mismatches(self) -> None:
        for key, items in self.reported.items():
            spans = [row for row in items if row.base_year is not None or row.span_years]
            if not spans or not self.may_concern(spans):
                continue
            best = spans[0]
            dated = _dated_span(best) or best.span_years
            claims: list[tuple[ObservationRecord, int, str]] = []
            for row in spans:
                by_dates, words = _dated_span(row), row.span_years
                if by_dates is not None and by_dates != dated:
                    claims.append((row, by_dates, f"names {row.base_year} to {row.year}"))
                if words is not None and words not in (dated, by_dates):
                    claims.append((row, words, f'says "over the past {words} years"'))
            if not claims:
                continue
            ids = tuple(dict.fromkeys([best.id, *(row.id for row, _span, _how in claims)]))
            self.findings.append(
                Finding(
                    id=f"span_mismatch:{key_slug(key)}",
                    kind="span_mismatch",
                    severity="warning",
                    message=self._span_message(key, best, dated, claims),
                    observation_ids=ids,
                    reported=Decimal(claims[0][1]),
                    implied=Decimal(dated) if dated is not None else None,
                    key=key,
                )
            )

    def _span_message(
        self,
        key: Key,
        best: ObservationRecord,
        dated: int | None,
        claims: Sequence[tuple[ObservationRecord, int, str]],
    ) -> str:
        if best.base_year is not None:
            reference = (
                f"the preferred {self.cited(best)} names {best.base_year} to {best.year}, "
                f"{dated} years"
            )
        else:
            reference = f"the preferred {self.cited(best)} is over {dated} years"
        said = []
        for row, _claimed, how in claims:
            if row is best:
                said.append(f"yet it {how}")
                continue
            who = self.cite(row)
            if self.same_release(best, row):
                who += ", carrying the same release,"
            named = "" if row.base_year is not None else " and names no base year"
            said.append(f"{who} {how}{named}")
        return f"{self.label(key)}: {reference}, " + "; ".join(said) + "."

    def open_base_years(self) -> None:
        for items in self.reported.values():
            for row in items:
                if row.span_years is None or row.base_year is not None:
                    continue
                self.findings.append(self._open_base_year(row))

    def _open_base_year(self, row: ObservationRecord) -> Finding:
        start = row.year - (row.span_years or 0)
        end_value = self.same_source(row, (row.reporter, row.partner, TURNOVER, row.year))
        implied = _base_value(row, end_value) if end_value is not None else None
        named = [
            item
            for item in self.reported.get(row.key, [])
            if item.base_year is not None and self.same_release(row, item) and item is not row
        ]
        message = (
            f"{self.label(row.key)}: {self.cite(row)} gives {figure(row)} over "
            f"{row.span_years} years without naming the base year. Counted back from "
            f"{row.year}, {row.span_years} years would start in {start}"
        )
        if implied is not None and end_value is not None:
            message += (
                f", and with its {figure(end_value)} for {row.year} that would mean "
                f"≈{amount(implied, end_value.unit)} in {start}"
            )
        message += "; the source does not say so, so nothing is derived from this figure."
        if named:
            message += " " + "; ".join(
                f"{self.cite(item)}, carrying the same release, names {item.base_year} "
                f"({row.year - (item.base_year or row.year)} years)."
                for item in named
            )
        return Finding(
            id=f"open_base_year:{row.id}",
            kind="open_base_year",
            severity="info",
            message=message,
            observation_ids=(row.id, *((end_value.id,) if end_value is not None else ())),
            reported=row.value,
            implied=round_stored(implied) if implied is not None else None,
            key=row.key,
        )

    def mirror_gaps(self) -> None:
        for key, items in self.reported.items():
            exporter, importer, indicator, year = key
            if indicator != EXPORTS or SCO in key[:2] or exporter == importer:
                continue
            exports = items[0]
            imports = self.best((importer, exporter, IMPORTS, year))
            if imports is None or exports.value <= 0:
                continue  # no mirror; a gap to nothing has no percentage
            exports_range, imports_range = reported_interval(exports), reported_interval(imports)
            allowed = _widened(exports_range, self.mirror_tolerance)
            if allowed is None or agree(allowed, imports_range):
                continue
            with localcontext(CONTEXT):
                gap = round_stored((imports.value / exports.value - 1) * HUNDRED)
            self.findings.append(
                Finding(
                    id=f"mirror_gap:{key_slug(key)}",
                    kind="mirror_gap",
                    severity="warning",
                    message=self._mirror_message(exports, imports, gap),
                    observation_ids=(exports.id, imports.id),
                    reported=exports.value,
                    implied=imports.value,
                    key=key,
                    reported_range=exports_range,
                    implied_range=imports_range,
                )
            )

    def _mirror_message(
        self, exports: ObservationRecord, imports: ObservationRecord, gap: Decimal
    ) -> str:
        exporter, importer = exports.reporter, exports.partner
        direction = "more" if gap > 0 else "less"
        with localcontext(CONTEXT):
            shown = self.mirror_tolerance.quantize(TOLERANCE_DIGITS)
        tolerance = f"{plain(shown)} %"
        size = amount(abs(gap), "percent", GAP_DIGITS)
        return (
            f"{self.label(exports.key)}: {exporter} declares exports to {importer} of "
            f"{self.cited(exports)}; {importer} declares imports from {exporter} of "
            f"{self.cited(imports)}, {size} {direction}. {CIF_FOB}; "
            f"a gap beyond {tolerance} points to other causes: timing, goods attributed to "
            "another partner (re-exports, transit, origin against consignment), coverage or "
            "confidential trade."
        )


def _widened(interval: Interval, percent: Decimal) -> Interval | None:
    """The range `percent` either side of `interval` (None for a range below zero)."""
    if interval.low < 0:
        return None
    with localcontext(CONTEXT):
        factor = percent / HUNDRED
        return Interval(interval.low * (1 - factor), interval.high * (1 + factor))


def _statement(row: ObservationRecord) -> str:
    """What a figure says, in words: `$66.7 bn in 2023`, `growth of 6 % in 2023`."""
    if row.indicator == GROWTH:
        return f"growth of {figure(row)} in {row.year}"
    if row.base_year is not None:
        return f"{figure(row)} from {row.base_year} to {row.year}"
    return f"{figure(row)} in {row.year}"


def _dated_span(row: ObservationRecord) -> int | None:
    return row.year - row.base_year if row.base_year is not None else None


def _base_value(row: ObservationRecord, end_value: ObservationRecord) -> Decimal | None:
    """The start value a span figure implies with the same source's end value, if any."""
    try:
        if row.indicator == MULTIPLE and row.value > 0:
            with localcontext(CONTEXT):
                return end_value.value / row.value
        if row.indicator == GROWTH_OVER_SPAN:
            return previous_year_value(end_value.value, row.value)
    except ValueError:
        return None
    return None


def find_issues(
    rows: Sequence[ObservationRecord],
    rank: Callable[[ObservationRecord], tuple[object, ...]],
    kinds: Iterable[str] = CHECK_KINDS,
    *,
    sources: Mapping[str, SourceRank] | None = None,
    indicator_names: Mapping[str, str] | None = None,
    mirror_tolerance: Decimal = MIRROR_TOLERANCE,
    concerning: Collection[str] | None = None,
) -> list[Finding]:
    """Every finding of the given kinds over `rows`, ordered by id.

    `sources` names the sources (publisher and date) and says which relay one release;
    `indicator_names` names the indicators in the messages; `mirror_tolerance` is the
    gap in percent that `mirror_gap` lets pass. With `concerning`, only the findings that
    name one of those observation ids (a series asks for the findings of its own points).
    """
    checker = _Checker(
        rows, rank, sources or {}, indicator_names or {}, mirror_tolerance, concerning
    )
    wanted = set(kinds)
    steps: Mapping[CheckKind, Callable[[], None]] = {
        "source_conflict": checker.source_conflicts,
        "derivation_mismatch": checker.derivation_mismatches,
        "share_mismatch": checker.share_mismatches,
        "share_total": checker.share_totals,
        "span_mismatch": checker.span_mismatches,
        "open_base_year": checker.open_base_years,
        "mirror_gap": checker.mirror_gaps,
    }
    for kind, step in steps.items():
        if kind in wanted:
            step()
    found, wanted_ids = checker.findings, checker.concerning
    if wanted_ids is not None:
        found = [finding for finding in found if wanted_ids.intersection(finding.observation_ids)]
    return sorted(found, key=lambda finding: finding.id)
