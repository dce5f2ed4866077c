"""The range every trade figure allows (`bounds`, DESIGN section 7), through the HTTP API.

A reported figure's range follows from its digits and qualifier (66.0 bn at precision
0.1 bn is 65.95-66.05 bn; "almost $51 bn" is 50-51 bn; "exceeded $67 bn" has no upper end;
money never goes below 0). A derived figure's range is interval arithmetic on its inputs'
ranges, rounded outward to the six decimals stored. The ranges appear in the JSON, in the
CSV (`bounds_lower`, `bounds_upper`), follow writes, are ignored on import, and decide
whether two sources agree (`/trade/checks`). The natural key of a figure includes its base
year. Every test runs on SQLite and on PostgreSQL.

The CSV is read with pandas, as analysts read it (every cell as text, an empty cell
standing for null).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal, localcontext
from typing import Any

import pandas
import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.trade import observation_body

OBSERVATIONS = "/api/v1/trade/observations"
SERIES = "/api/v1/trade/series"
CHECKS = "/api/v1/trade/checks"
IMPORTS = "/api/v1/trade/imports"
CHANGES = "/api/v1/changes"
MERGE_PATCH = "application/merge-patch+json"
KAZ_SCO_TURNOVER = {"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"}

KAZ_2023_OQ = "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"
KAZ_2023_GROWTH_OQ = "kaz-sco-trade-turnover-growth-2023-oq-gov-kz-2024-05-02"
KAZ_2022_FROM_GROWTH_OQ = "kaz-sco-trade-turnover-2022-from-growth-oq-gov-kz-2024-05-02"
KAZ_2021_ALMOST = "kaz-sco-trade-turnover-2021-zonakz-2022-11-01-smailov"
KAZ_2024_EXCEEDED = "kaz-sco-trade-turnover-2024-primeminister-kz-2025-11-18-bektenov"
SCO_2025_NEARS_TRILLION = "sco-sco-trade-turnover-2025-qazinform-bektenov-sco-internal-trade-1tln"
KAZ_2023_CONFLICT = "source_conflict:kaz-sco-trade_turnover-2023"

CONTEXT = Context(prec=34)
SIX_PLACES = Decimal("0.000001")
INFINITY = Decimal("Infinity")
BN = Decimal(10) ** 9

KYRGYZ_2024 = observation_body(
    reporter="KGZ", value="12500000000", precision="100000000", qualifier="exact"
)
KYRGYZ_MULTIPLE = observation_body(
    reporter="KGZ", indicator="trade_growth_multiple", value="1.5", precision="0.1"
)
CSV_HEADER = "reporter,partner,indicator,year,base_year,value,precision,qualifier,source_id\r\n"
CSV_MULTIPLE = "KGZ,SCO,trade_growth_multiple,2024,{base_year},1.5,0.1,exact,kazinform-2024-04-30"


# --- reading answers exactly ---------------------------------------------------------------


def exact_json(text: str) -> Any:
    """JSON with every number as an exact Decimal (a binary float would hide wrong digits)."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def get_json(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return exact_json(response.text)


def every_page(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated list, following `next_cursor` to the end."""
    items: list[dict[str, Any]] = []
    query: dict[str, Any] = {**params, "limit": 500}
    while True:
        body = get_json(client, url, **query)
        items += body["items"]
        if body["next_cursor"] is None:
            return items
        query["cursor"] = body["next_cursor"]


def observations(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in every_page(client, OBSERVATIONS, **params)}


def findings(client: TestClient) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in every_page(client, CHECKS)}


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV answer as pandas reads them, every cell as text (an empty cell is "")."""
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return [{str(key): str(cell) for key, cell in row.items()} for row in frame.to_dict("records")]


def csv_text(client: TestClient, url: str, **params: Any) -> str:
    response = client.get(url, params={**params, "format": "csv"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    text: str = response.text
    return text


def cell_number(cell: str) -> Decimal | None:
    return Decimal(cell) if cell != "" else None


def bounds(lower: Decimal | int | None, upper: Decimal | int | None) -> dict[str, Decimal | None]:
    """A `bounds` object as the parsed JSON holds it."""
    return {
        "lower": Decimal(lower) if lower is not None else None,
        "upper": Decimal(upper) if upper is not None else None,
    }


# --- the expected ranges, computed here with `decimal` --------------------------------------


def floor6(value: Decimal) -> Decimal:
    with localcontext(CONTEXT):
        return value.quantize(SIX_PLACES, rounding=ROUND_FLOOR)


def ceil6(value: Decimal) -> Decimal:
    with localcontext(CONTEXT):
        return value.quantize(SIX_PLACES, rounding=ROUND_CEILING)


def stored(low: Decimal, high: Decimal) -> dict[str, Decimal | None]:
    """A range as the API shows it: rounded outward to 6 decimals, an open end as null."""
    return {
        "lower": floor6(low) if low.is_finite() else None,
        "upper": ceil6(high) if high.is_finite() else None,
    }


def reported_range(item: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """What a reported figure's digits and qualifier allow (the table of DESIGN section 7)."""
    value: Decimal = item["value"]
    precision: Decimal = item["precision"]
    with localcontext(CONTEXT):
        low, high = {
            "exact": (value - precision / 2, value + precision / 2),
            "approximately": (value - precision, value + precision),
            "less_than": (value - precision, value),
            "more_than": (value, INFINITY),
        }[item["qualifier"]]
    if item["unit"] == "USD":
        low = max(low, Decimal(0))
    return low, high


def shown_range(item: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """A figure's range as the API shows it (an open upper end as infinity)."""
    lower, upper = item["bounds"]["lower"], item["bounds"]["upper"]
    assert lower is not None, item["id"]
    return lower, upper if upper is not None else INFINITY


def _cagr(multiple: Decimal, years: int) -> Decimal:
    if not multiple.is_finite():
        return INFINITY
    return (CONTEXT.power(multiple, Decimal(1) / Decimal(years)) - 1) * 100


# Turnover and SCO totals from declarations of imports and exports: sums of their inputs.
SUM_FORMULAS = (
    "exports[reporter, partner] + imports[reporter, partner]",
    "imports[reporter, partner] + imports[partner, reporter]",
    "sum(imports[a, b] for a in reporter, b in partner, a != b)",
    "sum(exports[a, b] for a in reporter, b in partner, a != b)",
    "sum(imports[a, b] + imports[b, a] for a in reporter, b in partner)",
    "sum(exports[a, b] + imports[a, b] for a in reporter, b in partner)",
)


def derived_range(
    formula: str, inputs: Sequence[tuple[Decimal, Decimal]], years: int | None
) -> tuple[Decimal, Decimal]:
    """Interval arithmetic on the inputs' ranges, for each formula of `derivations`."""
    with localcontext(CONTEXT):
        if formula == "value / (1 + growth / 100)":
            (v_low, v_high), (g_low, g_high) = inputs
            return v_low / (1 + g_high / 100), v_high / (1 + g_low / 100)
        if formula == "value / multiple":
            (v_low, v_high), (m_low, m_high) = inputs
            return v_low / m_high, v_high / m_low
        if formula == "(value / previous_value - 1) * 100":
            (c_low, c_high), (p_low, p_high) = inputs
            return (c_low / p_high - 1) * 100, (c_high / p_low - 1) * 100
        if formula == "sum(values)" or formula in SUM_FORMULAS:
            lows: Decimal = sum((low for low, _high in inputs), Decimal(0))
            highs: Decimal = sum((high for _low, high in inputs), Decimal(0))
            return lows, highs
        if formula == "(multiple ^ (1 / (year - base_year)) - 1) * 100":
            assert years is not None
            ((m_low, m_high),) = inputs
            return _cagr(m_low, years), _cagr(m_high, years)
    raise AssertionError(f"unknown formula {formula!r}")


# --- writing --------------------------------------------------------------------------------


def post_observation(client: TestClient, key: str, body: dict[str, Any]) -> Any:
    return client.post(OBSERVATIONS, json=body, headers=bearer(key))


def merge_patch(client: TestClient, key: str, id_: str, patch: dict[str, Any]) -> Any:
    return client.patch(
        f"{OBSERVATIONS}/{id_}",
        content=json.dumps(patch),
        headers={**bearer(key), "Content-Type": MERGE_PATCH},
    )


def import_csv(client: TestClient, key: str, body: str | bytes) -> tuple[int, Any]:
    response = client.post(
        IMPORTS,
        content=body.encode() if isinstance(body, str) else body,
        headers={**bearer(key), "Content-Type": "text/csv"},
    )
    return response.status_code, response.json()


def last_change(client: TestClient) -> int:
    items = every_page(client, CHANGES)
    return int(items[-1]["seq"]) if items else 0


# --- 1. reported figures ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("observation_id", "expected"),
    [
        (KAZ_2023_OQ, bounds(65950000000, 66050000000)),  # 66.0 bn, exact, p = 0.1 bn
        (KAZ_2021_ALMOST, bounds(50 * BN, 51 * BN)),  # "almost $51 bn"
        (KAZ_2024_EXCEEDED, bounds(67 * BN, None)),  # "exceeded $67 bn"
        (SCO_2025_NEARS_TRILLION, bounds(0, 10**12)),  # "nears $1 trillion": not below 0
    ],
)
def test_reported_figures_have_the_range_their_wording_allows(
    client: TestClient, observation_id: str, expected: dict[str, Decimal | None]
) -> None:
    item = get_json(client, f"{OBSERVATIONS}/{observation_id}")
    assert item["bounds"] == expected
    listed = observations(client, year=str(item["year"]))[observation_id]
    assert listed["bounds"] == expected


@pytest.mark.parametrize(
    ("observation_id", "text"),
    [
        (KAZ_2023_OQ, '"bounds":{"lower":65950000000,"upper":66050000000}'),
        (KAZ_2021_ALMOST, '"bounds":{"lower":50000000000,"upper":51000000000}'),
        (KAZ_2024_EXCEEDED, '"bounds":{"lower":67000000000,"upper":null}'),
        (SCO_2025_NEARS_TRILLION, '"bounds":{"lower":0,"upper":1000000000000}'),
    ],
)
def test_bounds_are_json_numbers_with_plain_digits(
    client: TestClient, observation_id: str, text: str
) -> None:
    year = observation_id.split("-trade-turnover-")[1][:4]
    listing = client.get(OBSERVATIONS, params={"year": year, "limit": 500}).text
    assert text in listing
    assert text in client.get(f"{OBSERVATIONS}/{observation_id}").text


def test_every_observation_has_a_bounds_object(client: TestClient) -> None:
    items = every_page(client, OBSERVATIONS)
    assert len(items) > 30
    for item in items:
        assert set(item["bounds"]) == {"lower", "upper"}, item["id"]
        for end in item["bounds"].values():
            assert end is None or isinstance(end, Decimal), item["id"]


def test_every_reported_range_follows_value_precision_and_qualifier(client: TestClient) -> None:
    reported = [item for item in every_page(client, OBSERVATIONS) if item["status"] != "derived"]
    assert {item["qualifier"] for item in reported} >= {"exact", "less_than", "more_than"}
    for item in reported:
        assert item["bounds"] == stored(*reported_range(item)), item["id"]


# --- 2. derived figures -----------------------------------------------------------------


def test_kazakhstan_2022_from_growth_is_approximate_with_outward_rounded_bounds(
    client: TestClient,
) -> None:
    item = get_json(client, f"{OBSERVATIONS}/{KAZ_2022_FROM_GROWTH_OQ}")
    assert item["derivation"]["inputs"] == [KAZ_2023_OQ, KAZ_2023_GROWTH_OQ]
    assert item["value"] == Decimal("61797752808.988764")  # 66.0e9 / 1.068
    assert item["qualifier"] == "approximately"  # rounded inputs never give an exact figure
    with localcontext(CONTEXT):
        lower = Decimal("65950000000") / Decimal("1.0685")  # 66.0 bn low, 6.8 % high
        upper = Decimal("66050000000") / Decimal("1.0675")  # 66.0 bn high, 6.8 % low
    assert item["bounds"] == {"lower": floor6(lower), "upper": ceil6(upper)}
    # Not exact quotients: the rounding went outward, so the range still holds them.
    assert item["bounds"]["lower"] < lower < upper < item["bounds"]["upper"]
    # DESIGN section 7: "66.0 bn / 1.068 has bounds ≈ 61.72-61.87 bn".
    in_bn = [(end / BN).quantize(Decimal("0.01")) for end in item["bounds"].values()]
    assert in_bn == [Decimal("61.72"), Decimal("61.87")]


def test_every_derived_value_lies_within_its_bounds(client: TestClient) -> None:
    derived = list(observations(client, status="derived").values())
    assert len(derived) >= 5
    for item in derived:
        lower, upper = item["bounds"]["lower"], item["bounds"]["upper"]
        assert lower is not None, item["id"]
        assert lower <= item["value"], item["id"]
        assert upper is None or item["value"] <= upper, item["id"]
        assert item["qualifier"] == "approximately", item["id"]


def test_every_derived_range_is_interval_arithmetic_on_its_inputs(client: TestClient) -> None:
    by_id = observations(client)
    derived = [item for item in by_id.values() if item["status"] == "derived"]
    formulas = {item["derivation"]["formula"] for item in derived}
    assert {"value / (1 + growth / 100)", "value / multiple"} <= formulas
    for item in derived:
        inputs = [shown_range(by_id[input_id]) for input_id in item["derivation"]["inputs"]]
        years = item["year"] - item["base_year"] if item["base_year"] is not None else None
        expected = derived_range(item["derivation"]["formula"], inputs, years)
        assert item["bounds"] == stored(*expected), item["id"]


# --- 3. CSV -------------------------------------------------------------------------------


def test_observations_csv_has_the_bounds_after_the_note(client: TestClient) -> None:
    header = csv_text(client, OBSERVATIONS, reporter="BLR").split("\r\n")[0].split(",")
    note = header.index("note")
    assert header[note + 1 : note + 3] == ["bounds_lower", "bounds_upper"]


def test_observations_csv_bounds_equal_the_json_bounds(client: TestClient) -> None:
    items = every_page(client, OBSERVATIONS)
    rows = read_csv(csv_text(client, OBSERVATIONS))
    assert [row["id"] for row in rows] == [item["id"] for item in items]
    for row, item in zip(rows, items, strict=True):
        assert cell_number(row["bounds_lower"]) == item["bounds"]["lower"], item["id"]
        assert cell_number(row["bounds_upper"]) == item["bounds"]["upper"], item["id"]
    exceeded = next(row for row in rows if row["id"] == KAZ_2024_EXCEEDED)
    assert (exceeded["bounds_lower"], exceeded["bounds_upper"]) == ("67000000000", "")


def test_series_csv_bounds_equal_the_json_points(client: TestClient) -> None:
    points = get_json(client, SERIES, **KAZ_SCO_TURNOVER)["points"]
    rows = read_csv(csv_text(client, SERIES, **KAZ_SCO_TURNOVER))
    assert [row["observation_id"] for row in rows] == [point["observation_id"] for point in points]
    by_id = observations(client, **KAZ_SCO_TURNOVER)
    for row, point in zip(rows, points, strict=True):
        assert cell_number(row["bounds_lower"]) == point["bounds"]["lower"], row["year"]
        assert cell_number(row["bounds_upper"]) == point["bounds"]["upper"], row["year"]
        # A point's range is that of the observation it shows.
        assert point["bounds"] == by_id[point["observation_id"]]["bounds"]
    assert {int(row["year"]) for row in rows if row["bounds_upper"] == ""} == {2024}


# --- 4. writes ----------------------------------------------------------------------------


def test_written_figure_gets_its_bounds_and_a_qualifier_patch_changes_them(
    client: TestClient, write_key: str
) -> None:
    created = post_observation(client, write_key, KYRGYZ_2024)
    assert created.status_code == 201, created.text
    item = exact_json(created.text)
    assert item["bounds"] == bounds(12450000000, 12550000000)
    path = f"{OBSERVATIONS}/{item['id']}"
    assert get_json(client, path)["bounds"] == item["bounds"]

    since = last_change(client)
    patched = merge_patch(client, write_key, item["id"], {"qualifier": "more_than"})
    assert patched.status_code == 200, patched.text
    assert exact_json(patched.text)["bounds"] == bounds(12500000000, None)
    assert '"bounds":{"lower":12500000000,"upper":null}' in client.get(path).text
    feed = every_page(client, CHANGES, since=since)
    assert ("trade_observation", item["id"], "update") in {
        (change["type"], change["id"], change["action"]) for change in feed
    }


def test_patching_a_precision_moves_the_bounds_derived_from_it(
    client: TestClient, write_key: str
) -> None:
    since = last_change(client)
    patched = merge_patch(client, write_key, KAZ_2023_OQ, {"precision": 1000000000})
    assert patched.status_code == 200, patched.text
    assert exact_json(patched.text)["bounds"] == bounds(65500000000, 66500000000)
    derived = get_json(client, f"{OBSERVATIONS}/{KAZ_2022_FROM_GROWTH_OQ}")
    with localcontext(CONTEXT):
        lower = Decimal("65500000000") / Decimal("1.0685")
        upper = Decimal("66500000000") / Decimal("1.0675")
    assert derived["bounds"] == {"lower": floor6(lower), "upper": ceil6(upper)}
    updated = {change["id"] for change in every_page(client, CHANGES, since=since)}
    assert {KAZ_2023_OQ, KAZ_2022_FROM_GROWTH_OQ} <= updated


def test_import_recomputes_bounds_and_ignores_the_bounds_cells(
    client: TestClient, write_key: str
) -> None:
    created = post_observation(client, write_key, KYRGYZ_2024)
    assert created.status_code == 201, created.text
    body = (
        "reporter,partner,indicator,year,value,precision,qualifier,source_id,"
        "bounds_lower,bounds_upper\r\n"
        "KGZ,SCO,trade_turnover,2024,12500000000,100000000,approximately,"
        "kazinform-2024-04-30,1,2\r\n"
    )
    status, summary = import_csv(client, write_key, body)
    assert status == 200, summary
    assert (summary["inserted"], summary["updated"]) == (0, 1)
    stored_item = get_json(client, f"{OBSERVATIONS}/{created.json()['id']}")
    assert stored_item["qualifier"] == "approximately"
    assert stored_item["bounds"] == bounds(12400000000, 12600000000)  # 12.5 bn +/- 0.1 bn


@pytest.mark.parametrize(
    "patch",
    [
        {"bounds": {"lower": 1, "upper": 2}},
        {"bounds": None},
        {"bounds": {"upper": None}},
    ],
)
def test_bounds_cannot_be_written(
    client: TestClient, write_key: str, patch: dict[str, Any]
) -> None:
    before = get_json(client, f"{OBSERVATIONS}/{KAZ_2023_OQ}")
    response = merge_patch(client, write_key, KAZ_2023_OQ, patch)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["body.bounds"]
    assert get_json(client, f"{OBSERVATIONS}/{KAZ_2023_OQ}") == before
    created = post_observation(client, write_key, {**KYRGYZ_2024, "bounds": patch["bounds"]})
    assert created.status_code == 422, created.text


# --- 5. identity: the natural key includes the base year ---------------------------------


def test_multiples_differing_only_by_base_year_are_two_figures(
    client: TestClient, write_key: str
) -> None:
    since_2018 = post_observation(client, write_key, {**KYRGYZ_MULTIPLE, "base_year": 2018})
    since_2019 = post_observation(client, write_key, {**KYRGYZ_MULTIPLE, "base_year": 2019})
    assert (since_2018.status_code, since_2019.status_code) == (201, 201), since_2019.text
    assert since_2018.json()["id"] != since_2019.json()["id"]
    again = post_observation(client, write_key, {**KYRGYZ_MULTIPLE, "base_year": 2019})
    assert again.status_code == 409, again.text
    stored_ids = observations(client, reporter="KGZ", indicator="trade_growth_multiple")
    assert set(stored_ids) == {since_2018.json()["id"], since_2019.json()["id"]}


def test_multiples_without_a_base_year_from_one_source_are_one_figure(
    client: TestClient, write_key: str
) -> None:
    open_span = {**KYRGYZ_MULTIPLE, "span_years": 5}
    first = post_observation(client, write_key, open_span)
    assert first.status_code == 201, first.text
    second = post_observation(client, write_key, {**open_span, "id": "kgz-another-multiple"})
    assert second.status_code == 409, second.text


def test_each_multiple_implies_its_own_average_growth(client: TestClient, write_key: str) -> None:
    for base_year in (2018, 2019):
        answer = post_observation(client, write_key, {**KYRGYZ_MULTIPLE, "base_year": base_year})
        assert answer.status_code == 201, answer.text
    cagrs = observations(client, reporter="KGZ", indicator="trade_turnover_cagr").values()
    # 1.5 times over 6 years (2018-2024) and over 5 years (2019-2024).
    assert sorted(item["base_year"] for item in cagrs) == [2018, 2019]


def test_import_keeps_rows_that_differ_only_by_base_year(
    client: TestClient, write_key: str
) -> None:
    body = (
        CSV_HEADER
        + CSV_MULTIPLE.format(base_year=2018)
        + "\r\n"
        + CSV_MULTIPLE.format(base_year=2019)
        + "\r\n"
    )
    status, summary = import_csv(client, write_key, body)
    assert status == 200, summary
    assert (summary["received"], summary["inserted"], summary["updated"]) == (2, 2, 0)
    stored_multiples = observations(client, reporter="KGZ", indicator="trade_growth_multiple")
    assert sorted(item["base_year"] for item in stored_multiples.values()) == [2018, 2019]
    status, again = import_csv(client, write_key, body)
    assert status == 200, again
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_import_refuses_two_rows_without_base_year_naming_the_second_line(
    client: TestClient, write_key: str
) -> None:
    row = CSV_MULTIPLE.format(base_year="")
    status, problem = import_csv(client, write_key, f"{CSV_HEADER}{row}\r\n{row}\r\n")
    assert status == 422, problem
    assert [(error["line"], error["field"]) for error in problem["errors"]] == [(3, "row")]
    assert "line 2" in problem["errors"][0]["message"]
    assert observations(client, reporter="KGZ", indicator="trade_growth_multiple") == {}


def test_reimporting_the_export_ignores_its_bounds_and_changes_nothing(
    client: TestClient, write_key: str
) -> None:
    export = client.get(OBSERVATIONS, params={"format": "csv"})
    assert export.status_code == 200
    header = export.text.split("\r\n")[0].split(",")
    assert {"bounds_lower", "bounds_upper", "base_year"} <= set(header)
    before = observations(client)
    since = last_change(client)
    status, summary = import_csv(client, write_key, export.content)
    assert status == 200, summary
    assert (summary["inserted"], summary["updated"]) == (0, 0)
    reported = sum(item["status"] != "derived" for item in before.values())
    assert (summary["unchanged"], summary["skipped_derived"]) == (reported, len(before) - reported)
    assert summary["derived"] == {"inserted": 0, "updated": 0, "deleted": 0, "preferred_changed": 0}
    assert observations(client) == before
    assert every_page(client, CHANGES, since=since) == []


# --- 6. checks agree by overlapping ranges -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "listed"),
    [
        ("66040000000", False),  # 66.035-66.045 bn overlaps 65.95-66.05 bn
        ("66100000000", True),  # 66.095-66.105 bn does not
    ],
)
def test_source_conflict_lists_a_figure_only_when_the_ranges_do_not_overlap(
    client: TestClient, write_key: str, value: str, listed: bool
) -> None:
    # KAZ→SCO trade turnover, the series `observation_body` writes to unless told otherwise.
    figure = observation_body(
        year=2023, value=value, precision="10000000", source_id="trend-2024-07-04-tokayev"
    )
    created = post_observation(client, write_key, figure)
    assert created.status_code == 201, created.text
    new_id = created.json()["id"]
    assert created.json()["preferred"] is False  # the ministry's 66.0 bn stays preferred
    finding = findings(client)[KAZ_2023_CONFLICT]
    assert finding["observation_ids"][0] == KAZ_2023_OQ
    assert (new_id in finding["observation_ids"]) is listed
    assert finding["reported_bounds"] == bounds(65950000000, 66050000000)
    # The farthest conflicting figure stays Bektenov's 66.7 bn (66.65-66.75 bn).
    assert finding["implied_bounds"] == bounds(66650000000, 66750000000)


def test_findings_carry_their_ranges_as_bounds_objects_or_null(client: TestClient) -> None:
    items = list(findings(client).values())
    assert items
    for item in items:
        for name in ("reported_bounds", "implied_bounds"):
            compared = item[name]
            if compared is None:
                continue
            assert set(compared) == {"lower", "upper"}, item["id"]
            if compared["lower"] is not None and compared["upper"] is not None:
                assert compared["lower"] <= compared["upper"], item["id"]
    with_ranges = [item for item in items if item["reported_bounds"] is not None]
    assert {item["kind"] for item in with_ranges} >= {"source_conflict", "derivation_mismatch"}
    # Ranges that a finding says disagree do not overlap.
    for item in with_ranges:
        if item["kind"] in ("source_conflict", "derivation_mismatch"):
            assert_disjoint(item["reported_bounds"], item["implied_bounds"], item["id"])


def assert_disjoint(first: dict[str, Any], second: dict[str, Any], label: str) -> None:
    """Two shown ranges (an open end as null) have no value in common."""
    low_first = first["lower"] if first["lower"] is not None else -INFINITY
    high_first = first["upper"] if first["upper"] is not None else INFINITY
    low_second = second["lower"] if second["lower"] is not None else -INFINITY
    high_second = second["upper"] if second["upper"] is not None else INFINITY
    assert high_first < low_second or high_second < low_first, label
