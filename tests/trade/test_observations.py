"""`/trade/indicators`, `/trade/observations` and `/trade/series` on the seeded figures."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer
from tests.factories.trade import observation_body

OBSERVATIONS = "/api/v1/trade/observations"
SERIES = "/api/v1/trade/series"

KAZ_2023_OQ = "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"
KAZ_2022_OQ = "kaz-sco-trade-turnover-2022-oq-gov-kz-2024-05-02"
MEMBERS_2022 = ["CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]


def exact_json(text: str) -> Any:
    """Parse JSON keeping every number exact (floats would hide wrong digits)."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def get_exact(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return exact_json(response.text)


def all_items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    body = get_exact(client, OBSERVATIONS, limit=500, **params)
    assert body["next_cursor"] is None
    items: list[dict[str, Any]] = body["items"]
    return items


def test_indicators_list_every_seeded_indicator(client: TestClient) -> None:
    response = client.get("/api/v1/trade/indicators")
    assert response.status_code == 200
    items = response.json()["items"]
    codes = [item["code"] for item in items]
    assert codes == sorted(codes)
    assert {
        "trade_turnover",
        "trade_turnover_growth",
        "trade_growth_multiple",
        "share_in_sco_trade",
        "trade_turnover_cagr",
        "imports",
        "exports",
    } <= set(codes)
    imports = next(item for item in items if item["code"] == "imports")
    assert (imports["unit"], imports["name"]) == ("USD", "Imports")
    assert "reporter=KAZ, partner=CHN" in imports["description"]
    turnover = next(item for item in items if item["code"] == "trade_turnover")
    assert turnover["id"] == "trade_turnover"
    assert turnover["unit"] == "USD"
    assert {"name", "description", "created_at", "updated_at"} <= turnover.keys()


def test_preferred_2023_kaz_sco_turnover_is_the_ministry_figure(client: TestClient) -> None:
    items = all_items(
        client, reporter="KAZ", partner="SCO", indicator="trade_turnover", year="2023"
    )
    values = {item["source_id"]: item["value"] for item in items}
    assert values == {
        "oq-gov-kz-2024-05-02": Decimal("66000000000"),
        "kazinform-2024-04-30": Decimal("66000000000"),
        "astanatimes-2024-10-bektenov-islamabad": Decimal("66700000000"),
        "sputnik-kz-2024-07-03-sco-in-figures": Decimal("66000000000"),
    }
    preferred = [item for item in items if item["preferred"]]
    assert [item["id"] for item in preferred] == [KAZ_2023_OQ]
    assert preferred[0]["precision"] == Decimal("100000000")
    assert preferred[0]["status"] == "reported"
    assert preferred[0]["derivation"] is None


def test_values_are_json_numbers_with_the_stored_digits(client: TestClient) -> None:
    text = client.get(OBSERVATIONS, params={"reporter": "KAZ", "year": "2023"}).text
    assert '"value":66000000000,' in text
    assert '"value":6.8,' in text
    assert '"value":"' not in text


def test_2022_reported_value_is_preferred_over_derived(client: TestClient) -> None:
    items = all_items(
        client, reporter="KAZ", partner="SCO", indicator="trade_turnover", year="2022"
    )
    by_id = {item["id"]: item for item in items}
    assert by_id[KAZ_2022_OQ]["preferred"] is True
    assert by_id[KAZ_2022_OQ]["value"] == Decimal("61800000000")
    derived = by_id["kaz-sco-trade-turnover-2022-from-growth-oq-gov-kz-2024-05-02"]
    assert derived["status"] == "derived"
    assert derived["preferred"] is False
    assert derived["value"] == Decimal("61797752808.988764")
    assert derived["source_id"] is None
    assert derived["derivation"] == {
        "formula": "value / (1 + growth / 100)",
        "inputs": [KAZ_2023_OQ, "kaz-sco-trade-turnover-growth-2023-oq-gov-kz-2024-05-02"],
    }


def test_exactly_one_preferred_observation_per_key(client: TestClient) -> None:
    items = all_items(client)
    keys = Counter(
        (item["reporter"], item["partner"], item["indicator"], item["year"]) for item in items
    )
    preferred = Counter(
        (item["reporter"], item["partner"], item["indicator"], item["year"])
        for item in items
        if item["preferred"]
    )
    assert set(preferred) == set(keys)
    assert set(preferred.values()) == {1}


def test_every_reported_figure_names_its_source_and_wording(client: TestClient) -> None:
    reported = all_items(client, status="reported")
    assert len(reported) >= 21
    for item in reported:
        assert item["source_id"], item["id"]
        assert item["note"], item["id"]
        assert item["precision"] is not None, item["id"]
    qualifiers = {item["id"]: item["qualifier"] for item in reported}
    assert qualifiers["kaz-sco-trade-turnover-2021-zonakz-2022-11-01-smailov"] == "less_than"
    assert (
        qualifiers["kaz-sco-trade-turnover-2024-primeminister-kz-2025-11-18-bektenov"]
        == "more_than"
    )


def test_default_order_is_the_key_then_id(client: TestClient) -> None:
    items = all_items(client)
    keys = [
        (item["reporter"], item["partner"], item["indicator"], item["year"], item["id"])
        for item in items
    ]
    assert keys == sorted(keys)


def test_filters_accept_repetition_commas_and_alpha2(client: TestClient) -> None:
    by_comma = all_items(client, reporter="kz,cn", year="2023")
    repeated = [("reporter", "KZ"), ("reporter", "chn"), ("year", "2023"), ("limit", "500")]
    by_repetition = exact_json(client.get(OBSERVATIONS, params=repeated).text)["items"]
    assert by_comma == by_repetition
    assert {item["reporter"] for item in by_comma} == {"KAZ", "CHN"}
    assert {item["year"] for item in by_comma} == {2023}


def test_year_range_and_status_filters(client: TestClient) -> None:
    items = all_items(client, year_from=2021, year_to=2022, status="reported,derived")
    assert {item["year"] for item in items} == {2021, 2022}
    reported = all_items(client, year_from=2021, year_to=2022, status="reported")
    assert {item["status"] for item in reported} == {"reported"}
    assert len(reported) < len(items)


def test_include_derived_false_hides_derived(client: TestClient) -> None:
    everything = all_items(client, reporter="KAZ")
    without = all_items(client, reporter="KAZ", include_derived="false")
    assert any(item["status"] == "derived" for item in everything)
    assert all(item["status"] != "derived" for item in without)
    assert len(without) == sum(item["status"] != "derived" for item in everything)


def test_preferred_filter(client: TestClient) -> None:
    preferred = all_items(client, preferred="true", indicator="trade_turnover", reporter="KAZ")
    assert all(item["preferred"] for item in preferred)
    assert [item["year"] for item in preferred] == [2020, 2021, 2022, 2023, 2024]
    others = all_items(client, preferred="false", indicator="trade_turnover", reporter="KAZ")
    assert not any(item["preferred"] for item in others)


def test_partner_sco_matches_figures_recorded_for_the_group(client: TestClient) -> None:
    items = all_items(client, partner="sco", indicator="trade_turnover")
    assert {item["partner"] for item in items} == {"SCO"}
    assert {item["reporter"] for item in items} == {"KAZ", "RUS", "SCO"}


def test_sort_by_value_descending_answers_who_trades_most(client: TestClient) -> None:
    items = all_items(client, indicator="share_in_sco_trade", year="2023", sort="-value")
    assert [item["reporter"] for item in items] == ["CHN", "RUS", "KAZ"]
    ascending = all_items(client, indicator="share_in_sco_trade", year="2023", sort="value")
    assert [item["reporter"] for item in ascending] == ["KAZ", "RUS", "CHN"]


def test_sort_by_value_is_numeric_across_magnitudes(client: TestClient) -> None:
    values = [item["value"] for item in all_items(client, sort="value")]
    assert values == sorted(values)
    assert values[0] < 10 < values[-1]


@pytest.mark.parametrize("sort", ["-value", "value", "year", "-year"])
def test_pagination_walks_every_row_once(client: TestClient, sort: str) -> None:
    expected = [item["id"] for item in all_items(client, sort=sort)]
    seen: list[str] = []
    params: dict[str, Any] = {"sort": sort, "limit": 4}
    pages = 0
    while True:
        response = client.get(OBSERVATIONS, params=params)
        assert response.status_code == 200
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            assert "Link" not in response.headers
            break
        assert 'rel="next"' in response.headers["Link"]
        params = {"sort": sort, "limit": 4, "cursor": body["next_cursor"]}
    assert seen == expected
    assert pages > 3


# Figures of 2023 whose ids disagree with every other order: only `-year`'s own order (year,
# then reporter, partner and indicator, then id) puts them where the test expects them.
YEAR_TIES = (
    # After KAZ's 2023 rows by reporter, before them by id.
    ("a-uzb-sco-2023-first-by-id", "UZB", "kazinform-2024-04-30"),
    # One figure from two sources: only the id orders these two, against their sources and
    # the order they were written in.
    ("tjk-sco-2023-zz-second-by-id", "TJK", "kazinform-2024-04-30"),
    ("tjk-sco-2023-aa-first-by-id", "TJK", "oq-gov-kz-2024-05-02"),
)


def test_sort_by_year_descending_breaks_ties_on_id(client: TestClient, write_key: str) -> None:
    """`-year` (OBSERVATION_ORDERS): newest year first; within a year by reporter, partner
    and indicator; the rows of one figure (one per source) by id."""
    for id_, reporter, source_id in YEAR_TIES:
        figure = observation_body(id=id_, reporter=reporter, year=2023, source_id=source_id)
        response = client.post(OBSERVATIONS, json=figure, headers=bearer(write_key))
        assert response.status_code == 201, response.text
    items = all_items(client, sort="-year")
    keys = [
        (-item["year"], item["reporter"], item["partner"], item["indicator"], item["id"])
        for item in items
    ]
    assert keys == sorted(keys)
    ids = [item["id"] for item in items]
    assert ids.index("tjk-sco-2023-aa-first-by-id") + 1 == ids.index("tjk-sco-2023-zz-second-by-id")
    assert ids.index("a-uzb-sco-2023-first-by-id") > ids.index(
        "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"
    )


def test_a_cursor_of_another_ordering_is_rejected(client: TestClient) -> None:
    cursor = client.get(OBSERVATIONS, params={"limit": 1}).json()["next_cursor"]
    response = client.get(OBSERVATIONS, params={"limit": 1, "cursor": cursor, "sort": "-value"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.cursor"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"reporter": "XX"}, "query.reporter"),
        ({"reporter": "KAZ,NOPE"}, "query.reporter"),
        ({"partner": "ZZZ"}, "query.partner"),
        ({"indicator": "gdp"}, "query.indicator"),
        ({"year": "1989"}, "query.year"),
        ({"year": "2101"}, "query.year"),
        ({"year": "twenty"}, "query.year"),
        ({"year_from": "1989"}, "query.year_from"),
        ({"year_to": "2101"}, "query.year_to"),
        ({"year_from": "2024", "year_to": "2020"}, "query.year_from"),
        ({"status": "final"}, "query.status"),
        ({"preferred": "maybe"}, "query.preferred"),
        ({"include_derived": "perhaps"}, "query.include_derived"),
        ({"sort": "name"}, "query.sort"),
        ({"sort": "-id"}, "query.sort"),
        ({"format": "xml"}, "query.format"),
        ({"limit": "0"}, "query.limit"),
        ({"limit": "501"}, "query.limit"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
    ],
)
def test_bad_observation_queries_are_422_naming_the_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get(OBSERVATIONS, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["errors"][0]["field"] == field


def test_series_of_kazakhstan_with_the_sco(client: TestClient) -> None:
    body = get_exact(client, SERIES, reporter="kz", partner="sco", indicator="trade_turnover")
    assert (body["reporter"], body["partner"], body["indicator"], body["unit"]) == (
        "KAZ",
        "SCO",
        "trade_turnover",
        "USD",
    )
    points = body["points"]
    assert [point["year"] for point in points] == [2020, 2021, 2022, 2023, 2024]
    by_year = {point["year"]: point for point in points}
    assert by_year[2023]["value"] == Decimal("66000000000")
    assert by_year[2023]["observation_id"] == KAZ_2023_OQ
    assert by_year[2023]["source_id"] == "oq-gov-kz-2024-05-02"
    assert by_year[2022]["value"] == Decimal("61800000000")
    assert (by_year[2021]["qualifier"], by_year[2024]["qualifier"]) == ("less_than", "more_than")
    assert by_year[2020]["status"] == "derived"
    assert by_year[2020]["observation_id"].endswith("-from-growth-zonakz-2022-11-01-smailov")
    assert all(point["status"] == "reported" for point in points if point["year"] > 2020)


def test_series_resolves_sco_membership_as_of_each_year(client: TestClient) -> None:
    body = client.get(
        SERIES, params={"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"}
    ).json()
    by_year = {point["year"]: point for point in body["points"]}
    assert by_year[2022]["members"] == MEMBERS_2022
    assert by_year[2022]["members_as_of"] == "2022-12-31"
    # Iran joined on 2023-07-04, Belarus on 2024-07-04.
    assert by_year[2023]["members"] == sorted([*MEMBERS_2022, "IRN"])
    assert by_year[2024]["members"] == sorted([*MEMBERS_2022, "IRN", "BLR"])


def test_series_lists_the_caveats_that_concern_it(client: TestClient) -> None:
    body = client.get(
        SERIES, params={"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"}
    ).json()
    check_ids = {check["id"] for check in body["checks"]}
    assert "source_conflict:kaz-sco-trade_turnover-2023" in check_ids
    assert "share_mismatch:kaz-sco-share_in_sco_trade-2023" in check_ids
    assert not any(check_id.startswith("span_mismatch") for check_id in check_ids)


def test_series_caveats_include_those_of_the_inputs_of_derived_points(
    client: TestClient,
) -> None:
    body = client.get(
        SERIES, params={"reporter": "SCO", "partner": "SCO", "indicator": "trade_turnover_cagr"}
    ).json()
    by_year = {point["year"]: point for point in body["points"]}
    # 2014-2019 as PM Mamin stated it; 2019-2023 only implied by oq.gov.kz's "1.5 times".
    assert [point["year"] for point in body["points"]] == [2019, 2023]
    assert by_year[2019]["status"] == "reported"
    assert by_year[2023]["status"] == "derived"
    check_ids = {check["id"] for check in body["checks"]}
    # The multiple the 2023 point is derived from says "5 years" for 2019 to 2023.
    assert "span_mismatch:sco-sco-trade_growth_multiple-2023" in check_ids


def test_series_without_derived_points(client: TestClient) -> None:
    body = client.get(
        SERIES,
        params={
            "reporter": "KAZ",
            "partner": "SCO",
            "indicator": "trade_turnover",
            "include_derived": "false",
        },
    ).json()
    assert [point["year"] for point in body["points"]] == [2021, 2022, 2023, 2024]


def test_series_of_a_country_pair_has_no_members(client: TestClient) -> None:
    body = client.get(
        SERIES, params={"reporter": "KAZ", "partner": "CHN", "indicator": "trade_turnover"}
    ).json()
    assert body["points"] == []
    assert body["checks"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"partner": "SCO", "indicator": "trade_turnover"}, "query.reporter"),
        ({"reporter": "KAZ", "indicator": "trade_turnover"}, "query.partner"),
        ({"reporter": "KAZ", "partner": "SCO"}, "query.indicator"),
        ({"reporter": "XX", "partner": "SCO", "indicator": "trade_turnover"}, "query.reporter"),
        (
            {"reporter": "KAZ,CHN", "partner": "SCO", "indicator": "trade_turnover"},
            "query.reporter",
        ),
        ({"reporter": "KAZ", "partner": "SCO", "indicator": "gdp"}, "query.indicator"),
        (
            {"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover", "format": "pdf"},
            "query.format",
        ),
    ],
)
def test_bad_series_queries_are_422_naming_the_field(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get(SERIES, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_openapi_documents_the_trade_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    observations = paths["/api/v1/trade/observations"]["get"]
    assert observations["operationId"] == "listTradeObservations"
    content = observations["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= content.keys()
    assert "422" in observations["responses"]
    assert paths["/api/v1/trade/series"]["get"]["operationId"] == "getTradeSeries"
    assert paths["/api/v1/trade/checks"]["get"]["operationId"] == "listTradeChecks"
    assert paths["/api/v1/trade/indicators"]["get"]["operationId"] == "listTradeIndicators"
