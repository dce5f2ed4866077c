"""Figures and sources written the way people write them, for findings and derived notes.

`$61.8 bn`, `almost $51 bn`, `≈13.5 %`, `1.5 times`, "oq.gov.kz, 2 May 2024": a reported
figure keeps the digits its source published (its precision says how many); a derived one
is marked `≈` and shows three significant digits, since its inputs were rounded. Ranges
are shown rounded outward, so a range never looks narrower than it is.

Figures are written in English (the findings' messages, derived notes) unless a `language`
is given: the HTML pages write them in Russian as the Russian press does (`$66,0 млрд`) and
in Chinese in 亿 (10^8) and 万亿 (10^12) of dollars (`660亿美元`), with the same digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext

from app.dates import spoken
from app.trade.numbers import CONTEXT
from app.trade.records import ObservationRecord, SourceRank
from app.trade.tolerance import Interval
from app.vocabulary import DEFAULT_LANGUAGE, Language

# The usual word of each qualifier, where the source's own (`qualifier_word`) is not kept.
QUALIFIER_WORDS = {"less_than": "almost", "more_than": "more than", "approximately": "about"}
DERIVED_DIGITS = 3
EN_DASH = "\u2013"  # between the ends of a range, as typeset
RANGE_DIGITS = 4


@dataclass(frozen=True)
class Notation:
    """How one language writes a figure: money scales, units, separators, qualifiers."""

    money_scales: tuple[tuple[Decimal, str], ...]
    money: str  # "{number}" and "{scale}"
    percent: str
    ratio: str
    or_more: str  # "{amount}"
    qualifier_words: Mapping[str, str]
    qualified: str = "{word} {amount}"
    decimal: str = "."
    group: str = ","


NOTATIONS: Mapping[Language, Notation] = {
    "en": Notation(
        money_scales=((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m")),
        money="${number} {scale}",
        percent="{number} %",
        ratio="{number} times",
        or_more="{amount} or more",
        qualifier_words=QUALIFIER_WORDS,
    ),
    "ru": Notation(
        money_scales=(
            (Decimal(10) ** 12, "трлн"),
            (Decimal(10) ** 9, "млрд"),
            (Decimal(10) ** 6, "млн"),
        ),
        money="${number} {scale}",
        percent="{number} %",
        ratio="{number} раза",
        or_more="{amount} или более",
        qualifier_words={"less_than": "почти", "more_than": "более", "approximately": "около"},
        decimal=",",
        group="\u00a0",
    ),
    "zh": Notation(
        money_scales=(
            (Decimal(10) ** 12, "万亿"),
            (Decimal(10) ** 8, "亿"),
            (Decimal(10) ** 4, "万"),
        ),
        money="{number}{scale}美元",
        percent="{number}%",
        ratio="{number}倍",
        or_more="{amount}或以上",
        qualifier_words={"less_than": "近", "more_than": "超过", "approximately": "约"},
        qualified="{word}{amount}",
    ),
}


def _places(step: Decimal) -> int:
    """Decimal places needed to show a multiple of `step` (0.1 -> 1, 1 -> 0, 10 -> 0)."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _digits(
    value: Decimal, places: int, rounding: str = ROUND_HALF_EVEN, notation: Notation | None = None
) -> str:
    with localcontext(CONTEXT):
        shown = value.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    digits = f"{shown:,.{places}f}"
    if notation is None or (notation.decimal, notation.group) == (".", ","):
        return digits
    return digits.translate(str.maketrans(",.", notation.group + notation.decimal))


def _significant_places(value: Decimal, digits: int) -> int:
    """Decimal places that show `value` with `digits` significant digits (at least 0)."""
    if value.is_zero():
        return 0
    magnitude = value.copy_abs().adjusted()  # 61.8 -> 1, 0.52 -> -1
    return max(0, digits - 1 - magnitude)


def _scale(value: Decimal, unit: str, notation: Notation) -> tuple[Decimal, str]:
    if unit != "USD":
        return Decimal(1), ""
    for factor, name in notation.money_scales:
        if value.copy_abs() >= factor:
            return factor, name
    return Decimal(1), ""


def _dress(number: str, unit: str, name: str, notation: Notation) -> str:
    if unit == "USD":
        return notation.money.format(number=number, scale=name).strip()
    if unit == "percent":
        return notation.percent.format(number=number)
    if unit == "ratio":
        return notation.ratio.format(number=number)
    return f"{number} {unit}"


def amount(
    value: Decimal,
    unit: str,
    precision: Decimal | None = None,
    language: Language = DEFAULT_LANGUAGE,
) -> str:
    """`$66.0 bn`, `6.8 %`, `1.5 times`: the digits a precision allows, else 3 significant."""
    notation = NOTATIONS[language]
    factor, name = _scale(value, unit, notation)
    with localcontext(CONTEXT):
        scaled = value / factor
        if precision is not None and precision > 0:
            places = _places(precision / factor)
        else:
            places = _significant_places(scaled, DERIVED_DIGITS)
    return _dress(_digits(scaled, places, notation=notation), unit, name, notation)


def span(interval: Interval, unit: str, language: Language = DEFAULT_LANGUAGE) -> str:
    """A range, rounded outward: `$65.95-66.05 bn` (an en dash), `$67 bn or more`.

    Each end shows the digits it has, up to four significant ones.
    """
    notation = NOTATIONS[language]
    top = interval.high if interval.high.is_finite() else interval.low
    factor, name = _scale(top, unit, notation)
    with localcontext(CONTEXT):
        ends = [interval.low / factor]
        if interval.high.is_finite():
            ends.append(interval.high / factor)
        widest = max(end.copy_abs() for end in ends)
        places = min(max(_places(end) for end in ends), _significant_places(widest, RANGE_DIGITS))
        low = _digits(ends[0], places, ROUND_FLOOR, notation)
        if len(ends) == 1:
            return notation.or_more.format(amount=_dress(low, unit, name, notation))
        text = f"{low}{EN_DASH}{_digits(ends[1], places, ROUND_CEILING, notation)}"
    return _dress(text, unit, name, notation)


def figure(row: ObservationRecord, language: Language = DEFAULT_LANGUAGE) -> str:
    """A figure as its source put it (`almost $51 bn`, `exceeded $67 bn`), `≈` if derived.

    In another language than English the qualifier is that language's word for it (the
    source's own word is English or the source's language)."""
    if row.is_derived:
        return "≈" + amount(row.value, row.unit, language=language)
    shown = amount(row.value, row.unit, row.precision, language)
    notation = NOTATIONS[language]
    own = row.qualifier_word if language == DEFAULT_LANGUAGE else None
    word = own or notation.qualifier_words.get(row.qualifier)
    return notation.qualified.format(word=word, amount=shown) if word else shown


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
