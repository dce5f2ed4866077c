"""The SVG chart module on its own: geometry, markers, labels, escaping, well-formed XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise

import pytest

from app.trade.tolerance import Interval
from app.trade.wording import EN_DASH
from app.web import charts
from app.web.catalogue import ENGLISH
from app.web.charts import Bar, ChartPoint, LinearScale

SVG = "{http://www.w3.org/2000/svg}"
BILLION = Decimal(10) ** 9

# KAZ→SCO as seeded: a preferred derived 2020, "almost" 2021, a crowded 2022, "exceeded" 2024.
KAZ_POINTS = [
    ChartPoint(2020, Decimal("41803278688.52459"), "derived", True, "approximately"),
    ChartPoint(2021, Decimal("50833333333.333336"), "derived", False, "approximately"),
    ChartPoint(2021, Decimal("51000000000"), "reported", True, "less_than", "zonakz"),
    ChartPoint(2022, Decimal("62924528301.886795"), "derived", False),
    ChartPoint(2022, Decimal("61000000000"), "reported", False, origin="kt-kz"),
    ChartPoint(2022, Decimal("61800000000"), "reported", True, origin="oq-gov-kz"),
    ChartPoint(2023, Decimal("66700000000"), "reported", False),
    ChartPoint(2023, Decimal("66000000000"), "reported", True),
    ChartPoint(2024, Decimal("67000000000"), "reported", True, "more_than"),
]


def parse(markup: object) -> ET.Element:
    """The chart as XML: parsing it proves it well-formed (it is our own output, not input)."""
    return ET.fromstring(str(markup))  # noqa: S314


def _series(
    points: list[ChartPoint], *, title: str = "Test chart", description: str = "What it shows."
) -> ET.Element:
    markup = charts.time_series_svg(
        points,
        chart_id="chart-test",
        title=title,
        description=description,
        y_label="Billions of US dollars",
        divisor=BILLION,
        unit="billion USD",
    )
    return parse(markup)


def _points(root: ET.Element) -> list[ET.Element]:
    return [element for element in root.iter() if "data-status" in element.attrib]


def _labels(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text") if e.get("class") == "label"]


def _view_box(root: ET.Element) -> tuple[float, float]:
    _x, _y, width, height = (float(part) for part in root.attrib["viewBox"].split())
    return width, height


def _centre(element: ET.Element) -> tuple[float, float]:
    """The centre of a circle, square or diamond marker."""
    if element.tag == f"{SVG}circle":
        return float(element.attrib["cx"]), float(element.attrib["cy"])
    if element.tag == f"{SVG}rect":
        x, y = float(element.attrib["x"]), float(element.attrib["y"])
        return x + float(element.attrib["width"]) / 2, y + float(element.attrib["height"]) / 2
    start = element.attrib["d"].split("l")[0].removeprefix("M").split()
    x, top = float(start[0]), float(start[1])
    return x, top + charts.MARKER_RADIUS * 1.35


# --- scales, ticks and numbers -------------------------------------------------------------


def test_a_linear_scale_maps_the_domain_ends_to_the_range_ends() -> None:
    scale = LinearScale((2019.5, 2024.5), (58.0, 386.0))
    assert scale(2019.5) == pytest.approx(58.0)
    assert scale(2024.5) == pytest.approx(386.0)
    assert scale(2022.0) == pytest.approx((58.0 + 386.0) / 2)
    flipped = LinearScale((0.0, 80.0), (236.0, 26.0))  # a y axis: larger values higher up
    assert flipped(0.0) == pytest.approx(236.0)
    assert flipped(80.0) == pytest.approx(26.0)
    assert flipped(40.0) == pytest.approx(131.0)


def test_a_one_value_domain_maps_to_the_middle() -> None:
    assert LinearScale((5.0, 5.0), (0.0, 100.0))(5.0) == 50.0


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.0, 67.0, [0.0, 20.0, 40.0, 60.0, 80.0]),
        (0.0, 490.0, [0.0, 200.0, 400.0, 600.0]),
        (0.0, 64.6, [0.0, 20.0, 40.0, 60.0, 80.0]),
        (0.0, 3.3, [0.0, 1.0, 2.0, 3.0, 4.0]),
        (0.0, 100.0, [0.0, 25.0, 50.0, 75.0, 100.0]),
        (-12.0, 30.0, [-20.0, 0.0, 20.0, 40.0]),
        (0.0, 0.0, [0.0, 0.25, 0.5, 0.75, 1.0]),
    ],
)
def test_nice_ticks_cover_the_values_with_round_even_steps(
    low: float, high: float, expected: list[float]
) -> None:
    ticks = charts.nice_ticks(low, high)
    assert ticks == expected
    assert ticks[0] <= low
    assert ticks[-1] >= high


@pytest.mark.parametrize(
    ("value", "qualifier", "label", "words"),
    [
        ("66000000000", "exact", "66", "66"),
        ("61800000000", "exact", "61.8", "61.8"),
        ("41803278688.52459", "approximately", "≈41.8", "approximately 41.8"),
        ("51000000000", "less_than", "<51", "almost (less than) 51"),
        ("67000000000", "more_than", ">67", "more than (exceeded) 67"),
    ],
)
def test_value_labels_carry_the_qualifier(
    value: str, qualifier: str, label: str, words: str
) -> None:
    assert charts.qualified(Decimal(value), qualifier, BILLION) == label
    assert charts.describe(Decimal(value), qualifier, BILLION) == words


# --- time series ---------------------------------------------------------------------------


def test_one_marker_per_point_with_its_figures_as_data_attributes() -> None:
    root = _series(KAZ_POINTS)
    drawn = _points(root)
    assert len(drawn) == len(KAZ_POINTS)
    seen = sorted(
        (int(e.attrib["data-year"]), Decimal(e.attrib["data-value"]), e.attrib["data-status"])
        for e in drawn
    )
    assert seen == sorted((p.year, p.value, p.status) for p in KAZ_POINTS)
    preferred = [e for e in drawn if e.attrib["data-preferred"] == "true"]
    assert sorted(int(e.attrib["data-year"]) for e in preferred) == [2020, 2021, 2022, 2023, 2024]


def test_markers_differ_by_status_and_by_preferred() -> None:
    root = _series(KAZ_POINTS)
    looks: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
    for element in _points(root):
        kind = (element.attrib["data-status"], element.attrib["data-preferred"])
        look = (element.tag, element.attrib["fill"], element.get("stroke-dasharray", ""))
        looks.setdefault(kind, set()).add(look)
    assert set(looks) == {
        ("reported", "true"),
        ("reported", "false"),
        ("derived", "true"),
        ("derived", "false"),
    }
    assert all(len(variants) == 1 for variants in looks.values()), "one look per kind"
    distinct = {next(iter(variants)) for variants in looks.values()}
    assert len(distinct) == 4
    reported = next(iter(looks[("reported", "true")]))
    other = next(iter(looks[("reported", "false")]))
    derived = next(iter(looks[("derived", "false")]))
    assert reported[0] == f"{SVG}circle"
    assert other[1] == charts.PAPER  # hollow
    assert derived[0] == f"{SVG}path"
    assert derived[2]  # dashed


def test_estimated_and_provisional_figures_are_squares() -> None:
    points = [
        ChartPoint(2022, Decimal(1), "estimated", True),
        ChartPoint(2023, Decimal(2), "provisional", True),
    ]
    assert {e.tag for e in _points(_series(points))} == {f"{SVG}rect"}


def test_the_legend_names_each_kind_drawn_and_has_no_data_points() -> None:
    root = _series(KAZ_POINTS)
    texts = {e.text for e in root.iter(f"{SVG}text")}
    expected = {"Preferred figures", "Preferred, reported", "Other, reported"}
    assert expected | {"Preferred, derived", "Other, derived"} <= texts
    only_reported = _series([p for p in KAZ_POINTS if p.status == "reported"])
    assert "Other, derived" not in {e.text for e in only_reported.iter(f"{SVG}text")}


def test_preferred_points_are_labelled_with_their_qualifiers() -> None:
    assert _labels(_series(KAZ_POINTS)) == ["≈41.8", "<51", "61.8", "66", ">67"]


def test_labels_of_crowded_years_are_thinned_so_that_none_overlap() -> None:
    points = [
        ChartPoint(year, Decimal(year - 1990) * BILLION, "derived", True)
        for year in range(2001, 2015)
    ]
    root = _series(points)
    labels = [e for e in root.iter(f"{SVG}text") if e.get("class") == "label"]
    centres = [float(e.attrib["x"]) for e in labels]
    assert 1 < len(labels) < len(points)
    assert all(b - a >= charts.LABEL_SPACING for a, b in pairwise(centres))
    assert labels[-1].text == charts.qualified(points[-1].value, "exact", BILLION)
    # Every point keeps its marker: only the labels are thinned.
    assert len(_points(root)) == len(points)


def test_points_lie_inside_the_view_box_with_larger_values_higher() -> None:
    root = _series(KAZ_POINTS)
    width, height = _view_box(root)
    centres = {}
    for element in _points(root):
        x, y = _centre(element)
        assert 0 < x < width
        assert 0 < y < height
        if element.attrib["data-preferred"] == "true":
            centres[int(element.attrib["data-year"])] = (x, y)
    years = sorted(centres)
    xs = [centres[year][0] for year in years]
    assert xs == sorted(xs), "later years further right"
    # 41.8 < 51 < 61.8 < 66 < 67: each higher up than the last (smaller y).
    ys = [centres[year][1] for year in years]
    assert ys == sorted(ys, reverse=True)


def test_the_preferred_line_is_dashed_across_years_without_a_figure() -> None:
    points = [
        ChartPoint(2018, Decimal("326666666666.6667"), "derived", True),
        ChartPoint(2019, Decimal("336000000000"), "reported", True),
        ChartPoint(2023, Decimal("490000000000"), "reported", True),
    ]
    lines = [e for e in _series(points).iter(f"{SVG}line") if e.get("class") == "series-line"]
    assert [bool(line.get("stroke-dasharray")) for line in lines] == [False, True]


def test_the_chart_is_an_accessible_image() -> None:
    root = _series(KAZ_POINTS, title="KAZ→SCO", description="Five years.")
    assert root.tag == f"{SVG}svg"
    assert root.attrib["role"] == "img"
    assert root.attrib["width"] == "100%"
    assert root.attrib["viewBox"].startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert (title.text, desc.text) == ("KAZ→SCO", "Five years.")
    assert root.attrib["aria-labelledby"].split() == [title.attrib["id"], desc.attrib["id"]]


def test_every_text_is_escaped() -> None:
    hostile = "<script>alert('x')</script> & \"quotes\""
    points = [ChartPoint(2023, Decimal(5), "reported", True, origin=hostile)]
    markup = str(
        charts.time_series_svg(
            points, chart_id='c"1', title=hostile, description=hostile, y_label=hostile
        )
    )
    assert "<script>" not in markup
    root = parse(markup)  # still well-formed
    assert root.attrib["id"] == 'c"1'
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == hostile
    marker_title = _points(root)[0].find(f"{SVG}title")
    assert marker_title is not None
    assert hostile in (marker_title.text or "")


def test_no_points_is_still_a_well_formed_chart_saying_so() -> None:
    root = _series([])
    assert _points(root) == []
    assert "No figures recorded yet." in {e.text for e in root.iter(f"{SVG}text")}
    assert root.find(f"{SVG}title") is not None


# --- bars ----------------------------------------------------------------------------------

SHARES = [
    Bar("China", Decimal("64.6"), 2023, "reported", key="CHN"),
    Bar("Russia", Decimal("26.2"), 2023, "reported", key="RUS"),
    Bar("Kazakhstan", Decimal("3.3"), 2023, "reported", key="KAZ", qualifier="approximately"),
]


def _bars(bars: list[Bar]) -> ET.Element:
    markup = charts.bar_svg(
        bars,
        chart_id="shares",
        title="Shares",
        description="Shares.",
        x_label="Percent",
        suffix=" %",
    )
    return parse(markup)


def test_one_bar_per_value_in_the_given_order_and_proportional() -> None:
    root = _bars(SHARES)
    drawn = _points(root)
    assert [e.attrib["data-key"] for e in drawn] == ["CHN", "RUS", "KAZ"]
    assert [e.attrib["data-value"] for e in drawn] == ["64.6", "26.2", "3.3"]
    assert {e.attrib["data-year"] for e in drawn} == {"2023"}
    tops = [float(e.attrib["y"]) for e in drawn]
    assert tops == sorted(tops)
    widths = [float(e.attrib["width"]) for e in drawn]
    assert widths[0] / widths[1] == pytest.approx(64.6 / 26.2)
    starts = {float(e.attrib["x"]) for e in drawn}
    assert len(starts) == 1, "every bar starts at zero"
    width, _height = _view_box(root)
    assert all(float(e.attrib["x"]) + float(e.attrib["width"]) < width for e in drawn)


def test_bar_labels_carry_qualifier_and_unit() -> None:
    assert _labels(_bars(SHARES)) == ["64.6 %", "26.2 %", "≈3.3 %"]
    texts = {e.text for e in _bars(SHARES).iter(f"{SVG}text")}
    assert {"China", "Russia", "Kazakhstan", "Percent"} <= texts


def test_bar_labels_are_escaped() -> None:
    root = _bars([Bar("<b>A&B</b>", Decimal(1), 2023, "reported")])
    assert "<b>A&B</b>" in {e.text for e in root.iter(f"{SVG}text")}


def test_no_bars_is_still_a_well_formed_chart() -> None:
    root = _bars([])
    assert _points(root) == []
    assert root.attrib["role"] == "img"


# --- ranges (error bars) -------------------------------------------------------------------

PLOT_TOP, PLOT_BOTTOM = 26.0, 236.0  # the plot area of a time-series chart, in viewBox units


def _range(lower: str, upper: str | None) -> Interval | None:
    return charts.bounds(Decimal(lower), Decimal(upper) if upper is not None else None)


# KAZ→SCO as seeded, with the ranges their precision, qualifier or derivation allow.
RANGED_POINTS = [
    ChartPoint(
        2020,
        Decimal("41803278688.52459"),
        "derived",
        True,
        "approximately",
        bounds=_range("40816326530.612244", "41975308641.975309"),
    ),
    ChartPoint(
        2021,
        Decimal("51000000000"),
        "reported",
        True,
        "less_than",
        bounds=_range("50000000000", "51000000000"),
    ),
    ChartPoint(
        2022, Decimal("61000000000"), "reported", False, bounds=_range("60500000000", "61500000000")
    ),
    ChartPoint(2022, Decimal("61800000000"), "reported", True),  # no range known: no error bar
    ChartPoint(
        2023, Decimal("66000000000"), "reported", True, bounds=_range("65950000000", "66050000000")
    ),
    ChartPoint(
        2024,
        Decimal("67000000000"),
        "reported",
        True,
        "more_than",
        bounds=_range("67000000000", None),
    ),
]


def _ranges(root: ET.Element) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == "range"]


def _ink(error_bar: ET.Element) -> ET.Element:
    """The drawn (not halo) group of an error bar: its last group."""
    return error_bar.findall(f"{SVG}g")[-1]


def _span(error_bar: ET.Element, axis: str = "y") -> tuple[float, float]:
    """Where the bar itself (its first line) starts and ends along `axis`."""
    line = _ink(error_bar).findall(f"{SVG}line")[0]
    return float(line.attrib[f"{axis}1"]), float(line.attrib[f"{axis}2"])


def _title_text(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    return (title.text or "") if title is not None else ""


def _tick_values(root: ET.Element) -> list[float]:
    texts = [e.text or "" for e in root.iter(f"{SVG}text") if e.get("text-anchor") == "end"]
    return [float(text) for text in texts if text.replace(".", "").replace("-", "").isdigit()]


def test_bounds_are_none_without_either_end_and_open_without_an_upper_one() -> None:
    assert charts.bounds(None, None) is None
    opened = charts.bounds(Decimal(67), None)
    assert opened is not None
    assert opened.low == 67
    assert not opened.high.is_finite()
    assert charts.is_ranged(opened)
    assert not charts.is_ranged(charts.bounds(Decimal(5), Decimal(5)))  # a point
    assert not charts.is_ranged(None)


@pytest.mark.parametrize(
    ("lower", "upper", "unit", "divisor", "text"),
    [
        ("65950000000", "66050000000", "billion USD", BILLION, f"65.95{EN_DASH}66.05 billion USD"),
        ("67000000000", None, "billion USD", BILLION, "67 billion USD or more"),
        ("64.55", "64.65", "percent", Decimal(1), f"64.55{EN_DASH}64.65 %"),
        ("0", "1000000000000", "", BILLION, f"0{EN_DASH}1,000"),
    ],
)
def test_a_range_in_words(
    lower: str, upper: str | None, unit: str, divisor: Decimal, text: str
) -> None:
    interval = _range(lower, upper)
    assert interval is not None
    assert charts.range_text(interval, unit, divisor) == text


def test_one_error_bar_per_point_whose_range_is_wider_than_a_point() -> None:
    points = [*RANGED_POINTS, ChartPoint(2019, Decimal(40 * 10**9), "reported", True)]
    points.append(
        ChartPoint(2018, Decimal(39 * 10**9), "reported", True, bounds=_range("39e9", "39e9"))
    )
    root = _series(points)
    ranged = [p for p in points if charts.is_ranged(p.bounds)]
    drawn = _ranges(root)
    assert len(drawn) == len(ranged) == 5
    assert sorted(int(e.attrib["data-year"]) for e in drawn) == sorted(p.year for p in ranged)
    assert all("data-status" not in e.attrib for e in drawn)
    assert len(_points(root)) == len(points), "error bars are not data points"
    (bar_2023,) = [e for e in drawn if e.attrib["data-year"] == "2023"]
    assert (bar_2023.attrib["data-lower"], bar_2023.attrib["data-upper"]) == (
        "65950000000",
        "66050000000",
    )


def test_an_error_bar_runs_from_the_lower_to_the_upper_end_through_its_marker() -> None:
    root = _series(RANGED_POINTS)
    markers = {
        (int(e.attrib["data-year"]), e.attrib["data-preferred"]): _centre(e) for e in _points(root)
    }
    for error_bar in _ranges(root):
        bottom, top = _span(error_bar)
        assert PLOT_TOP <= top < bottom <= PLOT_BOTTOM
        line = _ink(error_bar).findall(f"{SVG}line")[0]
        assert line.attrib["x1"] == line.attrib["x2"], "vertical"
        x = float(line.attrib["x1"])
        year = int(error_bar.attrib["data-year"])
        centres = [c for (y, _chosen), c in markers.items() if y == year]
        assert any(cx == pytest.approx(x) and top <= cy <= bottom for cx, cy in centres)
    # "Almost $51 billion": the range is 50-51 billion, ending at the value itself.
    (almost,) = [e for e in _ranges(root) if e.attrib["data-year"] == "2021"]
    (marker,) = [e for e in _points(root) if e.attrib["data-year"] == "2021"]
    assert _span(almost)[1] == pytest.approx(_centre(marker)[1])


def test_closed_ends_have_caps_and_an_open_upper_end_an_arrow_to_the_plot_top() -> None:
    root = _series(RANGED_POINTS)
    for error_bar in _ranges(root):
        ink = _ink(error_bar)
        lines, arrows = ink.findall(f"{SVG}line"), ink.findall(f"{SVG}polyline")
        if error_bar.attrib["data-year"] != "2024":
            assert (len(lines), len(arrows)) == (3, 0), "the bar and two caps"
            assert "data-open" not in error_bar.attrib
            continue
        assert error_bar.attrib["data-open"] == "upper"
        assert "data-upper" not in error_bar.attrib
        assert error_bar.attrib["data-lower"] == "67000000000"
        assert (len(lines), len(arrows)) == (2, 1), "the bar, a cap below, an arrow on top"
        _bottom, top = _span(error_bar)
        assert top == pytest.approx(PLOT_TOP)
        tip = [tuple(map(float, p.split(","))) for p in arrows[0].attrib["points"].split()]
        assert tip[1][1] == pytest.approx(PLOT_TOP), "the arrow points up from the plot top"
        assert tip[0][1] > PLOT_TOP
        assert tip[2][1] > PLOT_TOP
        title = error_bar.find(f"{SVG}title")
        assert title is not None
        assert title.text == "2024: range 67 billion USD or more"


def test_an_open_upper_end_does_not_stretch_the_scale() -> None:
    with_ranges = _tick_values(_series(RANGED_POINTS))
    without = _tick_values(
        _series([ChartPoint(p.year, p.value, p.status, p.preferred) for p in RANGED_POINTS])
    )
    assert with_ranges == without == [0.0, 20.0, 40.0, 60.0, 80.0]


def test_an_open_upper_end_at_the_top_tick_still_has_room_above_it() -> None:
    points = [
        ChartPoint(
            2024, Decimal(80 * 10**9), "reported", True, "more_than", bounds=_range("80e9", None)
        )
    ]
    root = _series(points)
    assert max(_tick_values(root)) > 80
    bottom, top = _span(_ranges(root)[0])
    assert bottom - top > 10, "the open bar has a visible length"


def test_the_scale_takes_in_every_closed_end_of_a_range() -> None:
    # "Nears $1 trillion": 0 to 1000 billion; and a range reaching below zero and above the values.
    points = [
        ChartPoint(
            2025, Decimal(10**12), "reported", True, "less_than", bounds=_range("0", "1e12")
        ),
        ChartPoint(2019, Decimal(336 * 10**9), "reported", True, bounds=_range("-50e9", "1200e9")),
    ]
    root = _series(points)
    ticks = _tick_values(root)
    assert min(ticks) <= -50
    assert max(ticks) >= 1200
    for error_bar in _ranges(root):
        bottom, top = _span(error_bar)
        assert PLOT_TOP <= top < bottom <= PLOT_BOTTOM
    zero = next(e for e in _ranges(root) if e.attrib["data-year"] == "2025")
    zero_tick = next(float(e.attrib["y"]) - 4 for e in root.iter(f"{SVG}text") if e.text == "0")
    assert _span(zero)[0] == pytest.approx(zero_tick), "a lower bound of 0 is drawn at 0"


def test_marker_tooltips_and_the_legend_name_the_range() -> None:
    root = _series(RANGED_POINTS)
    titles = [_title_text(e) for e in _points(root)]
    assert any(f"2023: 66 billion USD, range 65.95{EN_DASH}66.05 billion USD" in t for t in titles)
    assert any("range 67 billion USD or more" in t for t in titles)
    texts = {e.text for e in root.iter(f"{SVG}text")}
    assert ENGLISH("legend.range") in texts
    assert ENGLISH("legend.range") not in {e.text for e in _series(KAZ_POINTS).iter(f"{SVG}text")}


RANGED_SHARES = [
    Bar("China", Decimal("64.6"), 2023, "reported", key="CHN", bounds=_range("64.55", "64.65")),
    Bar("Russia", Decimal("26.2"), 2023, "reported", key="RUS", bounds=_range("26.15", "26.25")),
    Bar("Kazakhstan", Decimal("3.3"), 2023, "reported", key="KAZ"),
    Bar(
        "Other",
        Decimal("2"),
        2023,
        "reported",
        qualifier="more_than",
        key="OTH",
        bounds=_range("2", None),
    ),
]


def _ranged_bars() -> ET.Element:
    markup = charts.bar_svg(
        RANGED_SHARES,
        chart_id="shares",
        title="Shares",
        description="Shares.",
        x_label="Percent",
        suffix=" %",
        unit="percent",
    )
    return parse(markup)


def test_bars_have_an_error_bar_across_their_end_where_ranged() -> None:
    root = _ranged_bars()
    drawn = _ranges(root)
    assert [e.attrib["data-key"] for e in drawn] == ["CHN", "RUS", "OTH"]
    rects = {e.attrib["data-key"]: e for e in _points(root)}
    assert len(rects) == len(RANGED_SHARES), "error bars are not data points"
    for error_bar in drawn:
        rect = rects[error_bar.attrib["data-key"]]
        start, end = _span(error_bar, "x")
        bar_end = float(rect.attrib["x"]) + float(rect.attrib["width"])
        assert start <= bar_end <= end
        line = _ink(error_bar).findall(f"{SVG}line")[0]
        middle = float(rect.attrib["y"]) + float(rect.attrib["height"]) / 2
        assert float(line.attrib["y1"]) == float(line.attrib["y2"]) == pytest.approx(middle)
        assert len(error_bar.findall(f"{SVG}g")) == 2, "a white halo under the ink"
    title = drawn[0].find(f"{SVG}title")
    assert title is not None
    assert title.text == f"China, 2023: range 64.55{EN_DASH}64.65 %"


def test_an_open_bar_runs_to_the_plot_edge_and_its_label_follows_it() -> None:
    root = _ranged_bars()
    (opened,) = [e for e in _ranges(root) if e.attrib.get("data-open") == "upper"]
    _start, end = _span(opened, "x")
    assert end == pytest.approx(charts.WIDTH - 60)
    assert len(_ink(opened).findall(f"{SVG}polyline")) == 1
    label = next(
        e for e in root.iter(f"{SVG}text") if e.get("class") == "label" and e.text == ">2 %"
    )
    assert float(label.attrib["x"]) > end
    titles = [_title_text(e) for e in _points(root)]
    assert any("range 2 % or more" in t for t in titles)
