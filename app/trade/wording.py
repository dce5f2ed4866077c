"""Figures and sources written the way people write them, for findings and derived notes.

`$61.8 bn`, `almost $51 bn`, `≈13.5 %`, `1.5 times`, "oq.gov.kz, 2 May 2024": a reported
figure keeps the digits its source published (its precision says how many); a derived one
is marked `≈` and shows three significant digits, since its inputs were rounded. Ranges
are shown rounded outward, so a range never looks narrower than it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext

from app.dates import spoken
from app.trade.numbers import CONTEXT
from app.trade.records import ObservationRecord, SourceRank
from app.trade.tolerance import Interval

# The usual word of each qualifier, where the source's own (`qualifier_word`) is not kept.
QUALIFIER_WORDS = {"less_than": "almost", "more_than": "more than", "approximately": "about"}
_MONEY_SCALES = (
    (Decimal(10) ** 12, "tn"),
    (Decimal(10) ** 9, "bn"),
    (Decimal(10) ** 6, "m"),
)
DERIVED_DIGITS = 3
EN_DASH = "\u2013"  # between the ends of a range, as typeset
RANGE_DIGITS = 4


def _places(step: Decimal) -> int:
    """Decimal places needed to show a multiple of `step` (0.1 -> 1, 1 -> 0, 10 -> 0)."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _digits(value: Decimal, places: int, rounding: str = ROUND_HALF_EVEN) -> str:
    with localcontext(CONTEXT):
        shown = value.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    return f"{shown:,.{places}f}"


def _significant_places(value: Decimal, digits: int) -> int:
    """Decimal places that show `value` with `digits` significant digits (at least 0)."""
    if value.is_zero():
        return 0
    magnitude = value.copy_abs().adjusted()  # 61.8 -> 1, 0.52 -> -1
    return max(0, digits - 1 - magnitude)


def _scale(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit != "USD":
        return Decimal(1), ""
    for factor, name in _MONEY_SCALES:
        if value.copy_abs() >= factor:
            return factor, name
    return Decimal(1), ""


def _dress(number: str, unit: str, name: str) -> str:
    if unit == "USD":
        return f"${number} {name}".rstrip()
    if unit == "percent":
        return f"{number} %"
    if unit == "ratio":
        return f"{number} times"
    return f"{number} {unit}"


def amount(value: Decimal, unit: str, precision: Decimal | None = None) -> str:
    """`$66.0 bn`, `6.8 %`, `1.5 times`: the digits a precision allows, else 3 significant."""
    factor, name = _scale(value, unit)
    with localcontext(CONTEXT):
        scaled = value / factor
        if precision is not None and precision > 0:
            places = _places(precision / factor)
        else:
            places = _significant_places(scaled, DERIVED_DIGITS)
    return _dress(_digits(scaled, places), unit, name)


def span(interval: Interval, unit: str) -> str:
    """A range, rounded outward: `$65.95-66.05 bn` (an en dash), `$67 bn or more`.

    Each end shows the digits it has, up to four significant ones.
    """
    top = interval.high if interval.high.is_finite() else interval.low
    factor, name = _scale(top, unit)
    with localcontext(CONTEXT):
        ends = [interval.low / factor]
        if interval.high.is_finite():
            ends.append(interval.high / factor)
        widest = max(end.copy_abs() for end in ends)
        places = min(max(_places(end) for end in ends), _significant_places(widest, RANGE_DIGITS))
        low = _digits(ends[0], places, ROUND_FLOOR)
        if len(ends) == 1:
            return _dress(low, unit, name) + " or more"
        text = f"{low}{EN_DASH}{_digits(ends[1], places, ROUND_CEILING)}"
    return _dress(text, unit, name)


def figure(row: ObservationRecord) -> str:
    """A figure as its source put it (`almost $51 bn`, `exceeded $67 bn`), `≈` if derived."""
    if row.is_derived:
        return "≈" + amount(row.value, row.unit)
    shown = amount(row.value, row.unit, row.precision)
    word = row.qualifier_word or QUALIFIER_WORDS.get(row.qualifier)
    return f"{word} {shown}" if word else shown


def source_label(sources: Mapping[str, SourceRank], source_id: str | None) -> str:
    """How a text names a source: "oq.gov.kz, 2 May 2024" (its id when unknown)."""
    if source_id is None:
        return "no source"
    known = sources.get(source_id)
    return known.label if known is not None and known.label else source_id


def label_source(
    source_id: str, publisher: str | None, url: str, published_on: date | None, precision: str
) -> str:
    """ "Kazinform International News Agency, 30 Apr 2024"; the site's domain without a
    named publisher; "undated" where no date is known."""
    name = publisher or url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.") or source_id
    when = spoken(published_on, precision) if published_on is not None else "undated"
    return f"{name}, {when}"
