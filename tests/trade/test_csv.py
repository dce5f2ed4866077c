"""CSV answers of `/trade/observations` and `/trade/series`: the same rows as the JSON."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.trade.test_observations import all_items, get_exact

OBSERVATIONS = "/api/v1/trade/observations"
SERIES = "/api/v1/trade/series"
KAZ_SCO = {"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"}


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def as_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"reporter": "KAZ", "sort": "-value"},
        {"indicator": "share_in_sco_trade", "sort": "value"},
        {"year_from": "2022", "include_derived": "false", "sort": "-year"},
    ],
)
def test_observations_csv_equals_json(client: TestClient, params: dict[str, str]) -> None:
    items = all_items(client, **params)
    response = client.get(OBSERVATIONS, params={**params, "format": "csv"})
    assert response.status_code == 200
    rows = parse_csv(response.text)
    assert [row["id"] for row in rows] == [item["id"] for item in items]
    for row, item in zip(rows, items, strict=True):
        assert Decimal(row["value"]) == item["value"]
        assert row["value"] == as_cell(item["value"])  # the same digits, no exponent
        for column in ("reporter", "partner", "indicator", "unit", "qualifier", "status"):
            assert row[column] == item[column]
        for column in ("year", "base_year", "precision", "preferred", "source_id", "note"):
            assert row[column] == as_cell(item[column]), column
        derivation = item["derivation"] or {"formula": None, "inputs": []}
        assert row["derivation_formula"] == as_cell(derivation["formula"])
        assert row["derivation_inputs"].split() == derivation["inputs"]


def test_observations_csv_is_rfc4180_with_a_download_name(client: TestClient) -> None:
    response = client.get(OBSERVATIONS, params={"reporter": "KAZ", "format": "csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="sco-trade-observations.csv"'
    )
    text = response.text
    assert text.startswith(
        "id,reporter,partner,indicator,year,base_year,value,unit,precision,qualifier,status,"
        "preferred,source_id,derivation_formula,derivation_inputs,note,"
        "bounds_lower,bounds_upper,span_years,qualifier_word\r\n"
    )
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    # Quotes inside a field are doubled and the field quoted.
    assert '"PM Smailov: ""In 2022, Kazakhstan' in text


def test_csv_by_accept_header_and_format_wins(client: TestClient) -> None:
    by_accept = client.get(OBSERVATIONS, headers={"Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")
    by_format = client.get(OBSERVATIONS, params={"format": "csv"})
    assert by_accept.text == by_format.text
    json_asked = client.get(OBSERVATIONS, params={"format": "json"}, headers={"Accept": "text/csv"})
    assert json_asked.headers["content-type"] == "application/json"
    prefers_json = client.get(OBSERVATIONS, headers={"Accept": "text/csv;q=0.5, application/json"})
    assert prefers_json.headers["content-type"] == "application/json"
    browser = client.get(OBSERVATIONS, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.headers["content-type"] == "application/json"


def test_csv_ignores_pagination_unless_asked(client: TestClient) -> None:
    everything = parse_csv(client.get(OBSERVATIONS, params={"format": "csv"}).text)
    assert len(everything) == len(all_items(client)) > 10
    page = client.get(OBSERVATIONS, params={"format": "csv", "limit": 5})
    assert len(parse_csv(page.text)) == 5
    assert 'rel="next"' in page.headers["link"]


def test_csv_with_no_rows_is_only_the_header(client: TestClient) -> None:
    response = client.get(OBSERVATIONS, params={"format": "csv", "reporter": "BLR"})
    assert response.status_code == 200
    assert response.text.count("\r\n") == 1


def test_series_csv_equals_json(client: TestClient) -> None:
    body = get_exact(client, SERIES, **KAZ_SCO)
    response = client.get(SERIES, params={**KAZ_SCO, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        'filename="sco-trade-series-kaz-sco-trade_turnover.csv"'
        in (response.headers["content-disposition"])
    )
    rows = parse_csv(response.text)
    assert len(rows) == len(body["points"])
    for row, point in zip(rows, body["points"], strict=True):
        assert (row["reporter"], row["partner"], row["indicator"], row["unit"]) == (
            "KAZ",
            "SCO",
            "trade_turnover",
            "USD",
        )
        assert int(row["year"]) == point["year"]
        assert row["value"] == as_cell(point["value"])
        assert row["observation_id"] == point["observation_id"]
        assert row["qualifier"] == point["qualifier"]
        assert row["status"] == point["status"]
        assert row["members"].split() == point["members"]


def test_series_csv_by_accept_header(client: TestClient) -> None:
    response = client.get(SERIES, params=KAZ_SCO, headers={"Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("reporter,partner,indicator,unit,year,value,")
