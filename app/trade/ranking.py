"""The preferred-figure rule (DESIGN section 5), as one sort key.

For each key (reporter, partner, indicator, year), exactly one observation is preferred:
1. status: reported, then provisional, then estimated, then derived (a reported figure
   always beats a derived one);
2. among derived figures, the rule's `preference`: a turnover from the reporter's own
   declarations (its exports plus its imports) before one from both sides' imports;
3. the higher source `priority` (a derived figure counts its least authoritative input);
4. the more precise figure (the smaller `precision`; unknown precision last);
5. the newer source (`published_on`; an undated source counts as the oldest);
6. the observation id, so that the choice never depends on storage order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from app.trade.derivations import derived_preference, derived_source_rank
from app.trade.records import Key, ObservationRecord, SourceRank

STATUS_ORDER = {"reported": 0, "provisional": 1, "estimated": 2, "derived": 3}
_UNKNOWN_PRECISION = Decimal("Infinity")

RankKey = tuple[object, ...]


def make_rank(
    by_id: Mapping[str, ObservationRecord], sources: Mapping[str, SourceRank]
) -> Callable[[ObservationRecord], RankKey]:
    """The sort key of the rule above: the smallest key is the preferred observation."""

    def rank(row: ObservationRecord) -> RankKey:
        if row.is_derived:
            preference = derived_preference(row)
            priority = derived_source_rank(row, by_id, sources)
            published = 0
        else:
            source = sources.get(row.source_id or "")
            preference = 0
            priority = source.priority if source else 0
            published = source.published_on.toordinal() if source and source.published_on else 0
        precision = abs(row.precision) if row.precision is not None else _UNKNOWN_PRECISION
        return (
            STATUS_ORDER.get(row.status, len(STATUS_ORDER)),
            preference,
            -priority,
            precision,
            -published,
            row.id,
        )

    return rank


def preferred_ids(
    rows: Iterable[ObservationRecord], rank: Callable[[ObservationRecord], RankKey]
) -> set[str]:
    """The id of the one preferred observation of every key present in `rows`."""
    grouped: dict[Key, list[ObservationRecord]] = defaultdict(list)
    for row in rows:
        grouped[row.key].append(row)
    return {min(items, key=rank).id for items in grouped.values()}
