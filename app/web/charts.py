"""Small server-side SVG charts: observations over the years, and horizontal bars.

No JavaScript and no chart library: the pages inline the SVG these functions return.
Every chart is one image for assistive technology (`role="img"` named by its `<title>` and
`<desc>`), scales with its container (a `viewBox`, width 100 %), and carries the figures
on each data element as `data-year`, `data-value` (the exact value in the unit, as the
API writes it), `data-status` and `data-preferred`, so that a test, or a reader with the
developer tools open, can count and check them. Only data elements have `data-status`.

Styling is in presentation attributes, not page CSS, so a chart saved on its own looks
the same. Shape and fill carry the meaning, colour only repeats it: reported figures are
circles, derived ones diamonds (dashed when hollow), estimated and provisional ones
squares; the preferred figure of a year is filled, the other figures of that year hollow.

Each figure whose range of true values (`bounds`: what its published precision and
qualifier allow) is wider than a point gets an error bar (`class="range"`, with
`data-lower`, `data-upper`, and `data-open` for an open end) from one end of the range to
the other: capped at a closed end, an arrow without a cap at an open one ("exceeded $67
billion"), which runs to the edge of the plot. The scales take in every closed end.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from html import escape
from itertools import pairwise
from typing import TypeGuard
from unicodedata import east_asian_width

from markupsafe import Markup

from app.trade import wording
from app.trade.numbers import plain
from app.trade.tolerance import Interval, from_stored
from app.web.catalogue import ENGLISH, Translator

# Next to a value label: "almost $51 billion" is `<51`, "exceeded $67 billion" `>67`.
QUALIFIER_SYMBOLS = {"exact": "", "approximately": "≈", "less_than": "<", "more_than": ">"}

# A narrow canvas: on a 375 px phone the chart is drawn at about 0.8 of these units, so the
# 15-unit text stays about 12 px tall.
WIDTH = 400.0
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FONT_SIZE = 15
INK = "#1b1f24"
MUTED = "#4d5560"  # axis text, 7.6:1 on white
GRID = "#d5dae0"
PAPER = "#ffffff"
# Both well above 4.5:1 on white, so value labels in them stay readable (WCAG AA).
STATUS_COLOURS = {
    "reported": "#1f4e96",
    "derived": "#9a4a00",
    "estimated": "#6b3fa0",
    "provisional": "#6b3fa0",
}
MARKER_RADIUS = 5.5
# The other figures of a year sit beside the preferred one, alternately right and left.
SIBLING_OFFSET = 11.0
# The least distance between the centres of two value labels (about one `≈174.4` in bold):
# closer years leave some preferred points unlabelled, their values in the tooltip and table.
LABEL_SPACING = 56.0
LEGEND_ROW = 22.0
# The longest legend label, in Latin letters, that a column half the chart wide holds.
LEGEND_COLUMN_WIDTH = 20
# Error bars: half the width of a cap, the length of an arrow's wings, and the room left
# above (or below) an open end, as a share of the values' extent, so it never has no length.
CAP = 4.0
ARROW = 5.0
OPEN_HEADROOM = 0.1


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One observation on a time-series chart."""

    year: int
    value: Decimal
    status: str
    preferred: bool
    qualifier: str = "exact"
    origin: str = ""  # where the figure comes from (a source id, a formula): for tooltips
    bounds: Interval | None = None  # the range of true values; None when not known


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a bar chart (one observation)."""

    label: str
    value: Decimal
    year: int
    status: str
    preferred: bool = True
    qualifier: str = "exact"
    key: str = ""  # a stable code (an area code), written as `data-key`
    origin: str = ""
    bounds: Interval | None = None


@dataclass(frozen=True, slots=True)
class LinearScale:
    """Maps `domain` linearly onto `range`; a one-value domain maps to the middle."""

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        low, high = self.domain
        start, end = self.range
        if high == low:
            return (start + end) / 2
        return start + (value - low) / (high - low) * (end - start)


@dataclass(frozen=True, slots=True)
class MarkerStyle:
    shape: str  # circle | diamond | square
    filled: bool
    dashed: bool
    colour: str


def marker_style(status: str, preferred: bool) -> MarkerStyle:
    """How a figure looks: the shape and colour by its status, filled when preferred."""
    shape = {"reported": "circle", "derived": "diamond"}.get(status, "square")
    colour = STATUS_COLOURS.get(status, STATUS_COLOURS["estimated"])
    dashed = status == "derived" and not preferred
    return MarkerStyle(shape=shape, filled=preferred, dashed=dashed, colour=colour)


def legend_label(status: str, preferred: bool, t: Translator = ENGLISH) -> str:
    return t("legend.preferred" if preferred else "legend.other", status=t.status(status))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) from below `low` to above `high`."""
    low, high = min(low, high), max(low, high)
    if high == low:
        high = low + (abs(low) or 1.0)
    raw_step = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    return [round(first + index * step, 9) for index in range(round((last - first) / step) + 1)]


def format_value(value: Decimal, divisor: Decimal = Decimal(1)) -> str:
    """`value / divisor` to one decimal, without a trailing `.0` (66.0e9 / 1e9 -> `66`)."""
    return plain((value / divisor).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN))


def qualified(
    value: Decimal, qualifier: str, divisor: Decimal = Decimal(1), t: Translator = ENGLISH
) -> str:
    """The value label with its qualifier's symbol: `<51`, `≈41.8`, `>67`, `66`."""
    return QUALIFIER_SYMBOLS.get(qualifier, "") + t.number(format_value(value, divisor))


def describe(
    value: Decimal, qualifier: str, divisor: Decimal = Decimal(1), t: Translator = ENGLISH
) -> str:
    """The value in words: `almost (less than) 51`."""
    words = "" if qualifier == "exact" else t.label("qualifier", qualifier) + " "
    return words + t.number(format_value(value, divisor))


def bounds(lower: Decimal | None, upper: Decimal | None) -> Interval | None:
    """A stored range as an interval (an absent end is open); None when neither end is known."""
    if lower is None and upper is None:
        return None
    return from_stored(lower, upper)


def is_ranged(interval: Interval | None) -> TypeGuard[Interval]:
    """Whether a figure has a range wider than a point, so an error bar to draw."""
    return interval is not None and not interval.is_point


def range_text(
    interval: Interval, unit: str, divisor: Decimal = Decimal(1), t: Translator = ENGLISH
) -> str:
    """The range in the chart's unit: `65.95-66.05 billion USD` (an en dash), `67 billion USD
    or more`; `unit` as `wording.span` takes it ("percent" writes `%`)."""
    if not interval.low.is_finite():
        highest = wording.amount(interval.high / divisor, unit, language=t.language)
        return t("range.at_most", amount=highest)
    scaled = Interval(interval.low / divisor, interval.high / divisor)
    return " ".join(wording.span(scaled, unit, t.language).split())


# --- SVG text ------------------------------------------------------------------------------


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(attributes: dict[str, object]) -> str:
    """` name="value"` pairs, escaped; `None` is left out; `_` becomes `-` (`class_` -> `class`)."""
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        text = _number(value) if isinstance(value, float) else str(value)
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{escape(text, quote=True)}"')
    return "".join(parts)


def _tag(name: str, attributes: dict[str, object], content: str | None = None) -> str:
    """An element; `content` must already be markup (escaped text or child elements)."""
    if content is None:
        return f"<{name}{_attrs(attributes)}/>"
    return f"<{name}{_attrs(attributes)}>{content}</{name}>"


def _text(x: float, y: float, label: str, **attributes: object) -> str:
    return _tag("text", {"x": x, "y": y, **attributes}, escape(label, quote=False))


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, **attributes: object) -> str:
    return _tag(
        "line",
        {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "stroke": stroke, "stroke_width": 1, **attributes},
    )


def _title(text: str) -> str:
    return _tag("title", {}, escape(text, quote=False))


def _marker(style: MarkerStyle, x: float, y: float, extra: dict[str, object], title: str) -> str:
    """A marker at (x, y); `extra` holds the data-* attributes (none for a legend swatch)."""
    paint: dict[str, object] = {
        "fill": style.colour if style.filled else PAPER,
        "stroke": style.colour,
        "stroke_width": 2,
        "stroke_dasharray": "2.5 1.5" if style.dashed else None,
    }
    r = MARKER_RADIUS
    geometry: dict[str, object]
    if style.shape == "circle":
        name, geometry = "circle", {"cx": x, "cy": y, "r": r}
    elif style.shape == "diamond":
        d = _number(r * 1.35)
        path = f"M{_number(x)} {_number(y - r * 1.35)}l{d} {d}l-{d} {d}l-{d} -{d}z"
        name, geometry = "path", {"d": path}
    else:
        name, geometry = "rect", {"x": x - r, "y": y - r, "width": 2 * r, "height": 2 * r}
    return _tag(name, {**extra, **geometry, **paint}, _title(title) if title else None)


@dataclass(frozen=True, slots=True)
class _Whisker:
    """An error bar in viewBox units: from `low` to `high` along its axis, at `across`.

    `low` and `high` are where the lower and upper ends of the range are drawn (for an open
    end, the edge of the plot); `vertical` bars have their upper end higher up (smaller y).
    """

    across: float
    low: float
    high: float
    open_low: bool
    open_high: bool
    vertical: bool

    def at(self, along: float, aside: float = 0.0) -> tuple[float, float]:
        """The point `along` the bar and `aside` it, as (x, y)."""
        if self.vertical:
            return self.across + aside, along
        return along, self.across + aside


def _segment(start: tuple[float, float], end: tuple[float, float]) -> str:
    return _tag("line", {"x1": start[0], "y1": start[1], "x2": end[0], "y2": end[1]})


def _whisker_end(whisker: _Whisker, end: float, other: float, is_open: bool) -> str:
    """A cap across a closed end; an arrow pointing out of an open one."""
    if not is_open:
        return _segment(whisker.at(end, -CAP), whisker.at(end, CAP))
    back = end + math.copysign(ARROW, other - end)
    first, tip, second = whisker.at(back, -CAP), whisker.at(end), whisker.at(back, CAP)
    points = " ".join(f"{_number(x)},{_number(y)}" for x, y in (first, tip, second))
    return _tag("polyline", {"class": "open-end", "points": points})


def _whisker_lines(whisker: _Whisker) -> str:
    return "".join(
        [
            _segment(whisker.at(whisker.low), whisker.at(whisker.high)),
            _whisker_end(whisker, whisker.low, whisker.high, whisker.open_low),
            _whisker_end(whisker, whisker.high, whisker.low, whisker.open_high),
        ]
    )


def _range_attributes(year: int, interval: Interval) -> dict[str, object]:
    """`class="range"` and the range's ends; an open end has no `data-lower`/`data-upper`."""
    low, high = interval.low.is_finite(), interval.high.is_finite()
    opened = [name for name, closed in (("lower", low), ("upper", high)) if not closed]
    return {
        "class": "range",
        "data_year": year,
        "data_lower": plain(interval.low) if low else None,
        "data_upper": plain(interval.high) if high else None,
        "data_open": " ".join(opened) or None,
    }


def _error_bar(
    whisker: _Whisker, attributes: dict[str, object], colour: str, title: str, halo: bool
) -> str:
    """One error bar, a group named by its `title`; with a white `halo` to show over a bar."""
    paint = {"fill": "none", "stroke_linecap": "round", "stroke_linejoin": "round"}
    lines = _whisker_lines(whisker)
    inner = _tag("g", {"stroke": colour, "stroke_width": 1.5}, lines)
    if halo:
        inner = _tag("g", {"stroke": PAPER, "stroke_width": 4}, lines) + inner
    return _tag("g", {**attributes, **paint}, _title(title) + inner)


def _data_attributes(
    year: int, value: Decimal, status: str, preferred: bool, qualifier: str
) -> dict[str, object]:
    return {
        "class": "point preferred" if preferred else "point",
        "data_year": year,
        "data_value": plain(value),
        "data_status": status,
        "data_preferred": "true" if preferred else "false",
        "data_qualifier": qualifier,
    }


def _svg(chart_id: str, height: float, title: str, description: str, body: list[str]) -> Markup:
    attributes = _attrs(
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "id": chart_id,
            "class": "chart",
            "role": "img",
            "aria_labelledby": f"{chart_id}-title {chart_id}-desc",
            "viewBox": f"0 0 {_number(WIDTH)} {_number(height)}",
            "width": "100%",
            "font_family": FONT,
            "font_size": FONT_SIZE,
            "fill": INK,
        }
    )
    head = [
        f"<svg{attributes}>",
        _tag("title", {"id": f"{chart_id}-title"}, escape(title, quote=False)),
        _tag("desc", {"id": f"{chart_id}-desc"}, escape(description, quote=False)),
    ]
    # Markup: every label and attribute above went through `escape`.
    return Markup("".join([*head, *body, "</svg>"]))  # noqa: S704  # nosec B704


def _empty(chart_id: str, title: str, description: str, t: Translator) -> Markup:
    message = _text(WIDTH / 2, 56, t("chart.empty"), text_anchor="middle", fill=MUTED)
    return _svg(chart_id, 96, title, description, [message])


# --- time series ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plot:
    """The plotting area of a chart, in viewBox units."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


def _sibling_offsets(points: Sequence[ChartPoint]) -> list[float]:
    """Horizontal offset of each point: 0 for the preferred, ±11, ±22 ... for the others."""
    count: dict[int, int] = defaultdict(int)
    offsets = []
    for point in points:
        if point.preferred:
            offsets.append(0.0)
            continue
        index = count[point.year]
        count[point.year] += 1
        offsets.append((1 if index % 2 == 0 else -1) * SIBLING_OFFSET * (index // 2 + 1))
    return offsets


def _value_axis(
    plot: _Plot, ticks: list[float], y: LinearScale, label: str, t: Translator
) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(_line(plot.left, y(tick), plot.right, y(tick), GRID))
        parts.append(_text(plot.left - 6, y(tick) + 4, t.number(_number(tick)), text_anchor="end"))
    middle = (plot.top + plot.bottom) / 2
    rotate = f"rotate(-90 14 {_number(middle)})"
    parts.append(_text(14, middle, label, text_anchor="middle", transform=rotate, fill=MUTED))
    return parts


def _year_axis(plot: _Plot, first: int, last: int, x: LinearScale, t: Translator) -> list[str]:
    parts = [_line(plot.left, plot.bottom, plot.right, plot.bottom, MUTED)]
    step = max(1, math.ceil((last - first + 1) / 10))
    for year in range(first, last + 1, step):
        parts.append(_text(x(year), plot.bottom + 18, str(year), text_anchor="middle"))
    label = t("axis.year")
    parts.append(_text(plot.centre_x, plot.bottom + 38, label, text_anchor="middle", fill=MUTED))
    return parts


def _swatch(kind: MarkerStyle | str, x: float, y: float) -> str:
    """A legend swatch: a marker, the preferred line (`"line"`) or an error bar (`"range"`)."""
    if isinstance(kind, MarkerStyle):
        return _marker(kind, x, y, {}, "")
    if kind == "range":
        whisker = _Whisker(x, y + 8, y - 8, open_low=False, open_high=False, vertical=True)
        return _tag("g", {"stroke": MUTED, "stroke_width": 1.5}, _whisker_lines(whisker))
    return _line(x - 11, y, x + 11, y, STATUS_COLOURS["reported"], stroke_width=2)


def _width(label: str) -> int:
    """A label's width in Latin letters: a CJK character is about two of them."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in label)


def _legend(
    kinds: list[tuple[str, bool]], top: float, t: Translator, ranged: bool = False
) -> tuple[list[str], float]:
    """Swatches for the line and each kind of marker drawn: preferred ones left, others right,
    then the error bar if any is drawn (all in one column where a label is too long for two).

    Returns the elements and the height they take.
    """
    ordered = sorted(kinds, key=lambda kind: (kind[0] != "reported", kind[0]))
    swatch = [
        (marker_style(status, chosen), legend_label(status, chosen, t))
        for status, chosen in ordered
    ]
    columns: list[list[tuple[MarkerStyle | str, str]]] = [
        [("line", t("legend.line")), *(item for item in swatch if item[0].filled)],
        [item for item in swatch if not item[0].filled],
    ]
    if ranged:
        columns[1].append(("range", t("legend.range")))
    if any(_width(label) > LEGEND_COLUMN_WIDTH for items in columns for _, label in items):
        columns = [columns[0] + columns[1], []]  # labels too long for two columns: one
    parts = []
    for column, items in enumerate(columns):
        for row, (kind, label) in enumerate(items):
            x, y = 30 + column * (WIDTH - 40) / 2, top + row * LEGEND_ROW
            parts.append(_swatch(kind, x, y))
            parts.append(_text(x + 19, y + 4.5, label))
    return parts, max(len(items) for items in columns) * LEGEND_ROW


def _extent(
    figures: Sequence[tuple[Decimal, Interval | None]], divisor: Decimal = Decimal(1)
) -> tuple[float, float]:
    """The lowest and highest value to show: 0, every value and every closed end of a range,
    and some room beyond the value of a figure whose range is open."""
    shown: list[float] = []
    open_low: list[float] = []
    open_high: list[float] = []
    for value, interval in figures:
        shown.append(float(value / divisor))
        if not is_ranged(interval):
            continue
        for end, opened in ((interval.low, open_low), (interval.high, open_high)):
            if end.is_finite():
                shown.append(float(end / divisor))
            else:
                opened.append(float(value / divisor))
    low, high = min(0.0, *shown), max(shown)
    room = OPEN_HEADROOM * ((high - low) or 1.0)
    if open_high:
        high = max(high, max(open_high) + room)
    if open_low:
        low = min(low, min(open_low) - room)
    return low, high


def _clamp(value: float, edges: tuple[float, float]) -> float:
    return min(max(value, min(edges)), max(edges))


def _whisker(
    interval: Interval,
    scale: LinearScale,
    divisor: Decimal,
    edges: tuple[float, float],
    across: float,
    vertical: bool,
) -> _Whisker:
    """The error bar of `interval`; `edges` are where the plot ends on the low and high side,
    where an open end is drawn (and any other end is held)."""

    def place(end: Decimal, edge: float) -> float:
        return _clamp(scale(float(end / divisor)), edges) if end.is_finite() else edge

    return _Whisker(
        across,
        place(interval.low, edges[0]),
        place(interval.high, edges[1]),
        open_low=not interval.low.is_finite(),
        open_high=not interval.high.is_finite(),
        vertical=vertical,
    )


def _range_title(year: int, interval: Interval, unit: str, divisor: Decimal, t: Translator) -> str:
    return f"{year}: {t('tooltip.range')} {range_text(interval, unit, divisor, t)}"


def _tooltip(point: ChartPoint, divisor: Decimal, unit: str, t: Translator) -> str:
    chosen = t("tooltip.preferred") if point.preferred else ""
    origin = f"; {point.origin}" if point.origin else ""
    value = f"{describe(point.value, point.qualifier, divisor, t)} {unit}".strip()
    if is_ranged(point.bounds):
        value += f", {t('tooltip.range')} {range_text(point.bounds, unit, divisor, t)}"
    return f"{point.year}: {value} ({t.status(point.status)}{chosen}{origin})"


@dataclass(frozen=True, slots=True)
class _SeriesFrame:
    """Where a time-series chart draws: its plot and its two scales, in chart units."""

    plot: _Plot
    x: LinearScale
    y: LinearScale
    divisor: Decimal
    t: Translator

    def at(self, point: ChartPoint, offset: float = 0.0) -> tuple[float, float]:
        return self.x(point.year) + offset, self.y(float(point.value / self.divisor))


def _series_lines(frame: _SeriesFrame, preferred: Sequence[ChartPoint]) -> list[str]:
    """The line joining the preferred figures, dashed across years without a figure."""
    parts = []
    for before, after in pairwise(preferred):
        gap = after.year - before.year > 1
        parts.append(
            _line(
                *frame.at(before),
                *frame.at(after),
                STATUS_COLOURS["reported"],
                stroke_width=2,
                stroke_dasharray="5 4" if gap else None,
                class_="series-line",
            )
        )
    return parts


def _series_ranges(
    frame: _SeriesFrame, placed: Sequence[tuple[ChartPoint, float]], unit: str
) -> list[str]:
    """An error bar for each figure whose range is wider than a point, under its marker."""
    plot, parts = frame.plot, []
    for point, offset in placed:
        if not is_ranged(point.bounds):
            continue
        across = frame.x(point.year) + offset
        edges = (plot.bottom, plot.top)
        whisker = _whisker(point.bounds, frame.y, frame.divisor, edges, across, vertical=True)
        colour = marker_style(point.status, point.preferred).colour
        title = _range_title(point.year, point.bounds, unit, frame.divisor, frame.t)
        attributes = _range_attributes(point.year, point.bounds)
        parts.append(_error_bar(whisker, attributes, colour, title, halo=False))
    return parts


def _series_markers(
    frame: _SeriesFrame, placed: Sequence[tuple[ChartPoint, float]], unit: str
) -> list[str]:
    parts = []
    for point, offset in placed:
        extra = _data_attributes(
            point.year, point.value, point.status, point.preferred, point.qualifier
        )
        style = marker_style(point.status, point.preferred)
        tooltip = _tooltip(point, frame.divisor, unit, frame.t)
        parts.append(_marker(style, *frame.at(point, offset), extra, tooltip))
    return parts


def _spaced(frame: _SeriesFrame, preferred: Sequence[ChartPoint]) -> list[ChartPoint]:
    """The preferred points to label: the latest, then back through the years each one far
    enough from the last labelled that their labels cannot overlap."""
    chosen: list[ChartPoint] = []
    for point in reversed(preferred):
        if not chosen or frame.x(chosen[-1].year) - frame.x(point.year) >= LABEL_SPACING:
            chosen.append(point)
    return chosen[::-1]


def _series_labels(frame: _SeriesFrame, preferred: Sequence[ChartPoint]) -> list[str]:
    # A white halo keeps a label readable where it crosses a line, a marker or an error bar.
    halo = {"stroke": PAPER, "stroke_width": 4, "paint_order": "stroke", "stroke_linejoin": "round"}
    parts = []
    for point in _spaced(frame, preferred):
        px, py = frame.at(point)
        label = qualified(point.value, point.qualifier, frame.divisor, frame.t)
        parts.append(
            _text(px, py - 11, label, class_="label", text_anchor="middle", font_weight=600, **halo)
        )
    return parts


def time_series_svg(
    points: Sequence[ChartPoint],
    *,
    chart_id: str,
    title: str,
    description: str,
    y_label: str,
    divisor: Decimal = Decimal(1),
    unit: str = "",
    t: Translator = ENGLISH,
) -> Markup:
    """Every figure by year with its range; the preferred ones joined (dashed across gaps)
    and labelled, as many as fit side by side (the latest always); its words in `t`'s
    language."""
    if not points:
        return _empty(chart_id, title, description, t)
    ordered = sorted(points, key=lambda p: (p.year, not p.preferred, p.status, p.value))
    plot = _Plot(left=58, top=26, right=WIDTH - 14, bottom=236)
    first, last = min(p.year for p in ordered), max(p.year for p in ordered)
    ticks = nice_ticks(*_extent([(p.value, p.bounds) for p in ordered], divisor))
    frame = _SeriesFrame(
        plot,
        LinearScale((first - 0.5, last + 0.5), (plot.left, plot.right)),
        LinearScale((ticks[0], ticks[-1]), (plot.bottom, plot.top)),
        divisor,
        t,
    )
    preferred = [p for p in ordered if p.preferred]
    # The other figures first, so that the preferred marker and its label lie on top.
    placed = sorted(
        zip(ordered, _sibling_offsets(ordered), strict=True), key=lambda i: i[0].preferred
    )
    body = [
        *_value_axis(plot, ticks, frame.y, y_label, t),
        *_year_axis(plot, first, last, frame.x, t),
        *_series_lines(frame, preferred),
        *_series_ranges(frame, placed, unit),
        *_series_markers(frame, placed, unit),
        *_series_labels(frame, preferred),
    ]
    legend_top = plot.bottom + 64
    kinds = list({(p.status, p.preferred) for p in ordered})
    ranged = any(is_ranged(p.bounds) for p in ordered)
    legend, legend_height = _legend(kinds, legend_top, t, ranged)
    return _svg(chart_id, legend_top + legend_height - 6, title, description, body + legend)


# --- bars ----------------------------------------------------------------------------------


def _bar_axis(
    plot: _Plot, ticks: list[float], x: LinearScale, x_label: str, t: Translator
) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(_line(x(tick), plot.top, x(tick), plot.bottom, GRID))
        label = t.number(_number(tick))
        parts.append(_text(x(tick), plot.bottom + 18, label, text_anchor="middle"))
    parts.append(_text(plot.centre_x, plot.bottom + 38, x_label, text_anchor="middle", fill=MUTED))
    return parts


def _bar_range(
    bar: Bar, x: LinearScale, plot: _Plot, middle: float, unit: str, t: Translator
) -> tuple[str, float]:
    """The error bar of a bar (none if its range is a point) and where its far end lies."""
    if not is_ranged(bar.bounds):
        return "", x(float(bar.value))
    edges = (plot.left, plot.right)
    whisker = _whisker(bar.bounds, x, Decimal(1), edges, middle, vertical=False)
    title = f"{bar.label}, {_range_title(bar.year, bar.bounds, unit, Decimal(1), t)}"
    attributes = {**_range_attributes(bar.year, bar.bounds), "data_key": bar.key or None}
    far = max(whisker.low, whisker.high)
    return _error_bar(whisker, attributes, INK, title, halo=True), far


def _bar_tooltip(bar: Bar, suffix: str, unit: str, t: Translator) -> str:
    origin = f"; {bar.origin}" if bar.origin else ""
    value = f"{describe(bar.value, bar.qualifier, t=t)}{suffix}"
    if is_ranged(bar.bounds):
        value += f", {t('tooltip.range')} {range_text(bar.bounds, unit, t=t)}"
    return f"{bar.label}, {bar.year}: {value} ({t.status(bar.status)}{origin})"


def bar_svg(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    x_label: str,
    suffix: str = "",
    unit: str = "",
    t: Translator = ENGLISH,
) -> Markup:
    """Horizontal bars in the order given, each labelled with its (qualified) value, with an
    error bar where its range is wider than a point (`unit` names the range in words:
    `percent` writes `64.55-64.65 %`, with an en dash)."""
    if not bars:
        return _empty(chart_id, title, description, t)
    row, thickness = 34.0, 20.0
    plot = _Plot(left=100, top=8, right=WIDTH - 60, bottom=8 + row * len(bars))
    ticks = nice_ticks(*_extent([(bar.value, bar.bounds) for bar in bars]))
    x = LinearScale((ticks[0], ticks[-1]), (plot.left, plot.right))

    body = _bar_axis(plot, ticks, x, x_label, t)
    for index, bar in enumerate(bars):
        top = plot.top + index * row + (row - thickness) / 2
        start, end = sorted((x(0.0), x(float(bar.value))))
        style = marker_style(bar.status, bar.preferred)
        geometry = {"x": start, "y": top, "width": max(end - start, 1.0), "height": thickness}
        paint = {"fill": style.colour if style.filled else PAPER, "stroke": style.colour}
        extra = _data_attributes(bar.year, bar.value, bar.status, bar.preferred, bar.qualifier)
        tooltip = _title(_bar_tooltip(bar, suffix, unit, t))
        body.append(
            _tag("rect", {**extra, "data_key": bar.key or None, **geometry, **paint}, tooltip)
        )
        error_bar, far = _bar_range(bar, x, plot, top + thickness / 2, unit, t)
        body.append(error_bar)
        baseline = top + thickness / 2 + 4.5
        body.append(_text(plot.left - 8, baseline, bar.label, text_anchor="end"))
        value = qualified(bar.value, bar.qualifier, t=t) + suffix
        body.append(_text(max(end, far) + 6, baseline, value, class_="label", font_weight=600))
    body.append(_line(x(0.0), plot.top, x(0.0), plot.bottom, MUTED))
    return _svg(chart_id, plot.bottom + 48, title, description, body)
