"""The SVG chart module on its own: geometry, markers, labels, escaping, well-formed XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from app.web import charts
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
