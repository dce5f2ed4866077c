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
  dates (2019 to 2023 is 4 years).

Ranges follow `tolerance.published_interval`, so 61.8 billion agrees with the derived
61.797… billion. Severity is `info` where the gap disappears if the coarser figure was cut
rather than rounded (61 billion said for 61.8 billion), `warning` otherwise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from app.trade.derivations import formula_interval, share_interval, share_percent, total
from app.trade.numbers import CONTEXT, HUNDRED, plain, round_stored
from app.trade.records import (
    SCO,
    SHARE,
    TURNOVER,
    Key,
    ObservationRecord,
    key_label,
    key_slug,
)
from app.trade.tolerance import Interval, agree, published_interval

KINDS = ("source_conflict", "derivation_mismatch", "share_mismatch", "share_total", "span_mismatch")
SEVERITIES = ("info", "warning")

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_SPAN_PATTERN = re.compile(
    r"\b(?:over|in|during|for|within)\s+the\s+(?:past|last|previous)\s+"
    r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    kind: str
    severity: str
    message: str
    observation_ids: tuple[str, ...]
    reported: Decimal | None
    implied: Decimal | None
    key: Key


def stated_span_years(note: str | None) -> int | None:
    """The span a source states in words ("over the past 5 years" -> 5), if any."""
    if not note:
        return None
    match = _SPAN_PATTERN.search(note)
    if match is None:
        return None
    word = match.group(1).lower()
    return _NUMBER_WORDS.get(word) or int(word)


def interval_of(row: ObservationRecord) -> Interval:
    return published_interval(row.value, row.precision, row.qualifier)


def _truncation_explains(first: ObservationRecord, second: ObservationRecord) -> bool:
    """Whether the gap vanishes if the coarser exact figure was cut, not rounded."""
    coarse, fine = sorted(
        (first, second), key=lambda row: -(row.precision or interval_of(row).width)
    )
    if coarse.qualifier != "exact":
        return False
    cut = published_interval(coarse.value, coarse.precision, "more_than")
    return agree(cut, interval_of(fine))


def _describe(row: ObservationRecord) -> str:
    origin = row.source_id or (f"derived: {row.formula}" if row.formula else row.status)
    qualifier = "" if row.qualifier == "exact" else f"{row.qualifier.replace('_', ' ')} "
    return f"{qualifier}{plain(row.value)} {row.unit} ({origin})"


class _Checker:
    def __init__(
        self,
        rows: Sequence[ObservationRecord],
        rank: Callable[[ObservationRecord], tuple[object, ...]],
    ) -> None:
        self.rows = rows
        self.rank = rank
        self.by_id = {row.id: row for row in rows}
        grouped: dict[Key, list[ObservationRecord]] = defaultdict(list)
        for row in rows:
            if not row.is_derived:
                grouped[row.key].append(row)
        self.reported = {key: sorted(items, key=rank) for key, items in grouped.items()}
        self.findings: list[Finding] = []

    def best(self, key: Key) -> ObservationRecord | None:
        items = self.reported.get(key)
        return items[0] if items else None

    def source_conflicts(self) -> None:
        for key, items in self.reported.items():
            best, others = items[0], items[1:]
            conflicting = [row for row in others if not agree(interval_of(best), interval_of(row))]
            if not conflicting:
                continue
            farthest = max(conflicting, key=lambda row: abs(row.value - best.value))
            agreeing = [row for row in others if row not in conflicting]
            explained = all(_truncation_explains(best, row) for row in conflicting)
            also = f"; {len(agreeing)} other source(s) agree with it" if agreeing else ""
            self.findings.append(
                Finding(
                    id=f"source_conflict:{key_slug(key)}",
                    kind="source_conflict",
                    severity="info" if explained else "warning",
                    message=f"{key_label(key)}: the preferred figure {_describe(best)}{also}; "
                    + "; ".join(f"conflicting: {_describe(row)}" for row in conflicting)
                    + ". Their ranges at the published precision do not overlap"
                    + (" (the coarser figure may be cut, not rounded)." if explained else "."),
                    observation_ids=(best.id, *(row.id for row in conflicting)),
                    reported=best.value,
                    implied=farthest.value,
                    key=key,
                )
            )

    def derivation_mismatches(self) -> None:
        for row in self.rows:
            if not row.is_derived:
                continue
            best = self.best(row.key)
            inputs = [self.by_id.get(input_id) for input_id in row.inputs]
            if best is None or not inputs or any(item is None for item in inputs):
                continue
            span = row.year - row.base_year if row.base_year is not None else None
            implied = formula_interval(
                row.formula, [interval_of(item) for item in inputs if item is not None], span
            )
            if implied is None or agree(implied, interval_of(best)):
                continue
            self.findings.append(
                Finding(
                    id=f"derivation_mismatch:{row.id}",
                    kind="derivation_mismatch",
                    severity="warning",
                    message=f"{key_label(row.key)}: derived {plain(row.value)} {row.unit} "
                    f"({row.formula} from {', '.join(row.inputs)}; range "
                    f"{plain(round_stored(implied.low))} to {plain(round_stored(implied.high))}) "
                    f"does not agree with the preferred reported {_describe(best)}.",
                    observation_ids=(row.id, best.id),
                    reported=best.value,
                    implied=row.value,
                    key=row.key,
                )
            )

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
            bounds = share_interval(interval_of(part), interval_of(whole))
            if bounds is None or agree(bounds, interval_of(share)):
                continue
            implied = round_stored(share_percent(part.value, whole.value))
            with localcontext(CONTEXT):
                once = round_stored(implied / 2)
            self.findings.append(
                Finding(
                    id=f"share_mismatch:{key_slug(key)}",
                    kind="share_mismatch",
                    severity="warning",
                    message=f"{key_label(key)}: reported share {_describe(share)}, but "
                    f"{reporter}→SCO turnover {_describe(part)} over intra-SCO turnover "
                    f"{_describe(whole)} is {plain(implied)} % ({plain(once)} % if the total "
                    "counts each pair of countries once). The source does not say what the "
                    "share is of.",
                    observation_ids=(share.id, part.id, whole.id),
                    reported=share.value,
                    implied=implied,
                    key=key,
                )
            )

    def share_totals(self) -> None:
        by_year: dict[tuple[str, int], list[ObservationRecord]] = defaultdict(list)
        for (reporter, partner, indicator, year), items in self.reported.items():
            if indicator == SHARE and partner == SCO and reporter != SCO:
                by_year[(partner, year)].append(items[0])
        for (partner, year), shares in by_year.items():
            low = total(interval_of(share).low for share in shares)
            if low <= HUNDRED:
                continue
            key: Key = (SCO, partner, SHARE, year)
            self.findings.append(
                Finding(
                    id=f"share_total:{key_slug(key)}",
                    kind="share_total",
                    severity="warning",
                    message=f"The preferred shares of intra-SCO trade in {year} add up to "
                    f"{plain(total(share.value for share in shares))} %, more than 100 %.",
                    observation_ids=tuple(share.id for share in shares),
                    reported=total(share.value for share in shares),
                    implied=HUNDRED,
                    key=key,
                )
            )

    def span_mismatches(self) -> None:
        for key, items in self.reported.items():
            spans = [(row, row.year - row.base_year) for row in items if row.base_year is not None]
            if not spans:
                continue
            best, dated = spans[0]
            claims: list[tuple[ObservationRecord, int, str]] = []
            for row, by_dates in spans:
                words = stated_span_years(row.note)
                if by_dates != dated:
                    how = f"{row.base_year}→{row.year}"
                    if words == by_dates:
                        how += f', "{words} years" in its wording'
                    claims.append((row, by_dates, how))
                if words is not None and words not in (dated, by_dates):
                    claims.append((row, words, f'"{words} years" in its wording'))
            if not claims:
                continue
            ids = tuple(dict.fromkeys([best.id, *(row.id for row, _span, _how in claims)]))
            self.findings.append(
                Finding(
                    id=f"span_mismatch:{key_slug(key)}",
                    kind="span_mismatch",
                    severity="warning",
                    message=f"{key_label(key)}: the preferred figure ({best.source_id}) runs "
                    f"{best.base_year}→{best.year}, {dated} years; "
                    + "; ".join(
                        f"{row.source_id or row.id} gives {span} years ({how})"
                        for row, span, how in claims
                    )
                    + ".",
                    observation_ids=ids,
                    reported=Decimal(claims[0][1]),
                    implied=Decimal(dated),
                    key=key,
                )
            )


def find_issues(
    rows: Sequence[ObservationRecord],
    rank: Callable[[ObservationRecord], tuple[object, ...]],
    kinds: Iterable[str] = KINDS,
) -> list[Finding]:
    """Every finding of the given kinds over `rows`, ordered by id."""
    checker = _Checker(rows, rank)
    wanted = set(kinds)
    steps: Mapping[str, Callable[[], None]] = {
        "source_conflict": checker.source_conflicts,
        "derivation_mismatch": checker.derivation_mismatches,
        "share_mismatch": checker.share_mismatches,
        "share_total": checker.share_totals,
        "span_mismatch": checker.span_mismatches,
    }
    for kind, step in steps.items():
        if kind in wanted:
            step()
    return sorted(checker.findings, key=lambda finding: finding.id)
