"""Plain, immutable views of observations for the pure rules (derivations, ranking, checks)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

# The group code: observations recorded against `SCO` mean "the SCO member states as of
# that year" (DESIGN section 5); see `service.membership_date` and `service.members_resolver`.
SCO = "SCO"

TURNOVER = "trade_turnover"
GROWTH = "trade_turnover_growth"
MULTIPLE = "trade_growth_multiple"
CAGR = "trade_turnover_cagr"
SHARE = "share_in_sco_trade"
GROWTH_OVER_SPAN = "trade_turnover_growth_over_span"
# Declarations of goods flows: `reporter` declares, `partner` is the counterpart.
IMPORTS = "imports"
EXPORTS = "exports"

Key = tuple[str, str, str, int]  # (reporter, partner, indicator, year)


@dataclass(frozen=True, slots=True)
class FigureId:
    """What names a figure, at every stage (reported, implied, derived): its id, and what it
    measures, the key (reporter, partner, indicator, year) and a base year."""

    id: str
    reporter: str
    partner: str
    indicator: str
    year: int
    base_year: int | None


@dataclass(frozen=True, slots=True)
class ObservationRecord(FigureId):
    value: Decimal
    unit: str
    precision: Decimal | None
    qualifier: str
    status: str
    source_id: str | None
    derivation: Mapping[str, Any] | None
    note: str | None
    preferred: bool = False
    bounds_lower: Decimal | None = None
    bounds_upper: Decimal | None = None
    span_years: int | None = None
    qualifier_word: str | None = None

    @property
    def key(self) -> Key:
        return (self.reporter, self.partner, self.indicator, self.year)

    @property
    def is_derived(self) -> bool:
        return self.status == "derived"

    @property
    def inputs(self) -> list[str]:
        raw = (self.derivation or {}).get("inputs") or []
        return [str(item) for item in raw] if isinstance(raw, list) else []

    @property
    def formula(self) -> str | None:
        raw = (self.derivation or {}).get("formula")
        return raw if isinstance(raw, str) else None


@dataclass(frozen=True, slots=True)
class SourceRank:
    """What the preferred-figure rule and the findings need to know about a source."""

    priority: int
    published_on: date | None
    # "Kazinform, 30 Apr 2024": how findings name the source (publisher and date).
    label: str = ""
    # The organization whose release the source relays, if any (see `Source.relays_id`).
    relays_id: str | None = None


def key_slug(key: Key) -> str:
    """`kaz-sco-trade_turnover-2023`: the readable part of a check id."""
    reporter, partner, indicator, year = key
    return f"{reporter.lower()}-{partner.lower()}-{indicator}-{year}"
