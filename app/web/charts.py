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
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from html import escape
from itertools import pairwise

from markupsafe import Markup

from app.trade.numbers import plain

# Next to a value label: "almost $51 billion" is `<51`, "exceeded $67 billion" `>67`.
QUALIFIER_SYMBOLS = {"exact": "", "approximately": "≈", "less_than": "<", "more_than": ">"}
QUALIFIER_WORDS = {
    "exact": "exact",
    "approximately": "approximately",
    "less_than": "almost (less than)",
    "more_than": "more than (exceeded)",
}

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
LEGEND_ROW = 22.0


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One observation on a time-series chart."""

    year: int
    value: Decimal
    status: str
    preferred: bool
    qualifier: str = "exact"
    origin: str = ""  # where the figure comes from (a source id, a formula): for tooltips


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


def legend_label(status: str, preferred: bool) -> str:
    return f"{'Preferred' if preferred else 'Other'}, {status}"


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


def qualified(value: Decimal, qualifier: str, divisor: Decimal = Decimal(1)) -> str:
    """The value label with its qualifier's symbol: `<51`, `≈41.8`, `>67`, `66`."""
    return QUALIFIER_SYMBOLS.get(qualifier, "") + format_value(value, divisor)


def describe(value: Decimal, qualifier: str, divisor: Decimal = Decimal(1)) -> str:
    """The value in words: `almost (less than) 51`."""
    words = "" if qualifier == "exact" else QUALIFIER_WORDS.get(qualifier, qualifier) + " "
    return words + format_value(value, divisor)


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


def _empty(chart_id: str, title: str, description: str) -> Markup:
    message = _text(WIDTH / 2, 56, "No figures recorded yet.", text_anchor="middle", fill=MUTED)
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


def _value_axis(plot: _Plot, ticks: list[float], y: LinearScale, label: str) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(_line(plot.left, y(tick), plot.right, y(tick), GRID))
        parts.append(_text(plot.left - 6, y(tick) + 4, _number(tick), text_anchor="end"))
    middle = (plot.top + plot.bottom) / 2
    rotate = f"rotate(-90 14 {_number(middle)})"
    parts.append(_text(14, middle, label, text_anchor="middle", transform=rotate, fill=MUTED))
    return parts


def _year_axis(plot: _Plot, first: int, last: int, x: LinearScale) -> list[str]:
    parts = [_line(plot.left, plot.bottom, plot.right, plot.bottom, MUTED)]
    step = max(1, math.ceil((last - first + 1) / 10))
    for year in range(first, last + 1, step):
        parts.append(_text(x(year), plot.bottom + 18, str(year), text_anchor="middle"))
    parts.append(_text(plot.centre_x, plot.bottom + 38, "Year", text_anchor="middle", fill=MUTED))
    return parts


def _legend(kinds: list[tuple[str, bool]], top: float) -> tuple[list[str], float]:
    """Swatches for the line and each kind of marker drawn: preferred ones left, others right.

    Returns the elements and the height they take.
    """
    ordered = sorted(kinds, key=lambda kind: (kind[0] != "reported", kind[0]))
    swatch = [
        (marker_style(status, chosen), legend_label(status, chosen)) for status, chosen in ordered
    ]
    columns: list[list[tuple[MarkerStyle | None, str]]] = [
        [(None, "Preferred figures"), *(item for item in swatch if item[0].filled)],
        [item for item in swatch if not item[0].filled],
    ]
    parts = []
    for column, items in enumerate(columns):
        for row, (style, label) in enumerate(items):
            x, y = 30 + column * (WIDTH - 40) / 2, top + row * LEGEND_ROW
            if style is None:
                parts.append(
                    _line(x - 11, y, x + 11, y, STATUS_COLOURS["reported"], stroke_width=2)
                )
            else:
                parts.append(_marker(style, x, y, {}, ""))
            parts.append(_text(x + 19, y + 4.5, label))
    return parts, max(len(items) for items in columns) * LEGEND_ROW


def _tooltip(point: ChartPoint, divisor: Decimal, unit: str) -> str:
    chosen = ", preferred" if point.preferred else ""
    origin = f"; {point.origin}" if point.origin else ""
    value = describe(point.value, point.qualifier, divisor)
    return f"{point.year}: {value} {unit} ({point.status}{chosen}{origin})".replace("  ", " ")


def time_series_svg(
    points: Sequence[ChartPoint],
    *,
    chart_id: str,
    title: str,
    description: str,
    y_label: str,
    divisor: Decimal = Decimal(1),
    unit: str = "",
) -> Markup:
    """Every figure by year; the preferred ones labelled and joined (dashed across gaps)."""
    if not points:
        return _empty(chart_id, title, description)
    ordered = sorted(points, key=lambda p: (p.year, not p.preferred, p.status, p.value))
    plot = _Plot(left=58, top=26, right=WIDTH - 14, bottom=236)
    first, last = min(p.year for p in ordered), max(p.year for p in ordered)
    x = LinearScale((first - 0.5, last + 0.5), (plot.left, plot.right))
    values = [float(p.value / divisor) for p in ordered]
    ticks = nice_ticks(min(0.0, *values), max(values))
    y = LinearScale((ticks[0], ticks[-1]), (plot.bottom, plot.top))

    def at(point: ChartPoint, offset: float = 0.0) -> tuple[float, float]:
        return x(point.year) + offset, y(float(point.value / divisor))

    body = _value_axis(plot, ticks, y, y_label) + _year_axis(plot, first, last, x)
    preferred = [p for p in ordered if p.preferred]
    for before, after in pairwise(preferred):
        gap = after.year - before.year > 1  # no figure for the years between: dashed
        body.append(
            _line(
                *at(before),
                *at(after),
                STATUS_COLOURS["reported"],
                stroke_width=2,
                stroke_dasharray="5 4" if gap else None,
                class_="series-line",
            )
        )
    # The other figures first, so that the preferred marker and its label lie on top.
    placed = sorted(
        zip(ordered, _sibling_offsets(ordered), strict=True), key=lambda i: i[0].preferred
    )
    for point, offset in placed:
        extra = _data_attributes(
            point.year, point.value, point.status, point.preferred, point.qualifier
        )
        style = marker_style(point.status, point.preferred)
        body.append(_marker(style, *at(point, offset), extra, _tooltip(point, divisor, unit)))
    for point in preferred:
        px, py = at(point)
        label = qualified(point.value, point.qualifier, divisor)
        # A white halo keeps the label readable where it crosses a line or a marker.
        halo = {
            "stroke": PAPER,
            "stroke_width": 4,
            "paint_order": "stroke",
            "stroke_linejoin": "round",
        }
        body.append(
            _text(px, py - 11, label, class_="label", text_anchor="middle", font_weight=600, **halo)
        )
    legend_top = plot.bottom + 64
    legend, legend_height = _legend(list({(p.status, p.preferred) for p in ordered}), legend_top)
    return _svg(chart_id, legend_top + legend_height - 6, title, description, body + legend)


# --- bars ----------------------------------------------------------------------------------


def bar_svg(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    x_label: str,
    suffix: str = "",
) -> Markup:
    """Horizontal bars in the order given, each labelled with its (qualified) value."""
    if not bars:
        return _empty(chart_id, title, description)
    row, thickness = 34.0, 20.0
    plot = _Plot(left=100, top=8, right=WIDTH - 60, bottom=8 + row * len(bars))
    values = [float(bar.value) for bar in bars]
    ticks = nice_ticks(min(0.0, *values), max(values))
    x = LinearScale((ticks[0], ticks[-1]), (plot.left, plot.right))

    body = []
    for tick in ticks:
        body.append(_line(x(tick), plot.top, x(tick), plot.bottom, GRID))
        body.append(_text(x(tick), plot.bottom + 18, _number(tick), text_anchor="middle"))
    body.append(_text(plot.centre_x, plot.bottom + 38, x_label, text_anchor="middle", fill=MUTED))
    for index, bar in enumerate(bars):
        top = plot.top + index * row + (row - thickness) / 2
        start, end = sorted((x(0.0), x(float(bar.value))))
        style = marker_style(bar.status, bar.preferred)
        origin = f"; {bar.origin}" if bar.origin else ""
        tooltip = f"{bar.label}, {bar.year}: {describe(bar.value, bar.qualifier)}{suffix}"
        geometry = {"x": start, "y": top, "width": max(end - start, 1.0), "height": thickness}
        paint = {"fill": style.colour if style.filled else PAPER, "stroke": style.colour}
        extra = _data_attributes(bar.year, bar.value, bar.status, bar.preferred, bar.qualifier)
        body.append(
            _tag(
                "rect",
                {**extra, "data_key": bar.key or None, **geometry, **paint},
                _title(f"{tooltip} ({bar.status}{origin})"),
            )
        )
        baseline = top + thickness / 2 + 4.5
        body.append(_text(plot.left - 8, baseline, bar.label, text_anchor="end"))
        value = qualified(bar.value, bar.qualifier) + suffix
        body.append(_text(end + 6, baseline, value, class_="label", font_weight=600))
    body.append(_line(x(0.0), plot.top, x(0.0), plot.bottom, MUTED))
    return _svg(chart_id, plot.bottom + 48, title, description, body)
