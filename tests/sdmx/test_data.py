"""Data queries: flow references, keys, periods, the three formats, errors, HTTP caching."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pandas as pd
import pytest
import sdmx
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.trade.models import TradeObservation

BASE = "/sdmx/2.1"
GENERIC = "application/vnd.sdmx.genericdata+xml; version=2.1"
SDMX_JSON = "application/vnd.sdmx.data+json; version=1.0.0"
SDMX_CSV = "application/vnd.sdmx.data+csv; version=1.0.0"
NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "generic": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
}
# Series key -> period -> (OBS_VALUE, OBS_STATUS, OBS_QUALIFIER or "" for an exact figure).
Figures = dict[tuple[str, ...], dict[str, tuple[Decimal, str, str]]]


def generic(client: TestClient, path: str, **params: str) -> etree._Element:
    answer = client.get(BASE + path, params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == GENERIC
    return etree.fromstring(answer.content)


def value_of(element: etree._Element, path: str, default: str | None = None) -> str:
    found = element.find(path, NS)
    if found is None and default is not None:
        return default
    assert found is not None, path
    return found.get("value", "")


def figures(root: etree._Element) -> Figures:
    """The figures of a generic data message."""
    found: Figures = {}
    for series in root.iterfind(".//generic:Series", NS):
        key = tuple(v.get("value", "") for v in series.iterfind("generic:SeriesKey/*", NS))
        found[key] = {
            value_of(obs, "generic:ObsDimension"): (
                Decimal(value_of(obs, "generic:ObsValue")),
                value_of(obs, "generic:Attributes/generic:Value[@id='OBS_STATUS']"),
                value_of(obs, "generic:Attributes/generic:Value[@id='OBS_QUALIFIER']", ""),
            )
            for obs in series.iterfind("generic:Obs", NS)
        }
    return found


def series_points(
    client: TestClient, reporter: str, partner: str, indicator: str
) -> dict[str, tuple[Decimal, str, str]]:
    """The points of `/api/v1/trade/series` as SDMX says them."""
    points = client.get(
        "/api/v1/trade/series",
        params={"reporter": reporter, "partner": partner, "indicator": indicator},
    ).json()["points"]
    status = {"reported": "A", "derived": "I", "estimated": "E", "provisional": "P"}
    return {
        str(p["year"]): (
            Decimal(str(p["value"])),
            status[p["status"]],
            "" if p["qualifier"] == "exact" else p["qualifier"],
        )
        for p in points
    }


def problem(client: TestClient, path: str, status: int, **params: str) -> dict[str, object]:
    answer = client.get(BASE + path, params=params)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = answer.json()
    return body


KAZ_TURNOVER = ("A", "KAZ", "SCO", "trade_turnover")


def test_a_series_holds_the_preferred_figures_with_their_status(client: TestClient) -> None:
    found = figures(generic(client, "/data/TRADE/A.KAZ.SCO.trade_turnover"))
    assert found == {KAZ_TURNOVER: series_points(client, "KAZ", "SCO", "trade_turnover")}
    # The seed's 2020 figure is derived from 2021's and its growth rate.
    assert found[KAZ_TURNOVER]["2020"][1] == "I"
    assert found[KAZ_TURNOVER]["2023"] == (Decimal("66000000000"), "A", "")
    # "exceeded $67 billion" (Prime Minister of Kazakhstan, 18 Nov 2025)
    assert found[KAZ_TURNOVER]["2024"] == (Decimal("67000000000"), "A", "more_than")


# Tests with several cases run them in one app per backend (an app is built for every test).


def test_the_forms_of_a_flow_reference(client: TestClient) -> None:
    for flow in ("TRADE", "SCOTRADE,TRADE", "SCOTRADE,TRADE,1.0", "all,TRADE,latest"):
        found = figures(generic(client, f"/data/{flow}/A.KAZ.SCO.trade_turnover"))
        assert set(found) == {KAZ_TURNOVER}, flow


def test_plus_several_values_and_empty_any_value(client: TestClient) -> None:
    found = figures(generic(client, "/data/TRADE/.KAZ+RUS.SCO.trade_turnover+share_in_sco_trade"))
    assert set(found) == {
        ("A", "KAZ", "SCO", "trade_turnover"),
        ("A", "KAZ", "SCO", "share_in_sco_trade"),
        ("A", "RUS", "SCO", "trade_turnover"),
        ("A", "RUS", "SCO", "share_in_sco_trade"),
    }
    for (_, reporter, partner, indicator), points in found.items():
        assert points == series_points(client, reporter, partner, indicator)


def test_every_series_without_a_key(client: TestClient) -> None:
    # Exactly the preferred figures: one per key and year.
    preferred = client.get(
        "/api/v1/trade/observations", params={"preferred": "true", "limit": 500}
    ).json()["items"]
    answers = [
        figures(generic(client, path))
        for path in ("/data/TRADE", "/data/TRADE/all", "/data/TRADE/...", "/data/TRADE/all/all")
    ]
    assert sum(len(points) for points in answers[0].values()) == len(preferred)
    assert ("A", "SCO", "SCO", "trade_growth_multiple") in answers[0]
    assert all(found == answers[0] for found in answers)


def test_units_and_multipliers_are_series_attributes(client: TestClient) -> None:
    root = generic(
        client, "/data/TRADE/A..SCO.trade_turnover+trade_turnover_growth+trade_growth_multiple"
    )
    units = {}
    for series in root.iterfind(".//generic:Series", NS):
        indicator = series.find("generic:SeriesKey/generic:Value[@id='INDICATOR']", NS)
        values = {v.get("id"): v.get("value") for v in series.iterfind("generic:Attributes/*", NS)}
        assert indicator is not None
        units[indicator.get("value")] = values
    assert units == {
        "trade_turnover": {"UNIT_MEASURE": "USD", "UNIT_MULT": "0"},
        "trade_turnover_growth": {"UNIT_MEASURE": "PC", "UNIT_MULT": "0"},
        "trade_growth_multiple": {"UNIT_MEASURE": "PURE_NUMB", "UNIT_MULT": "0"},
    }


PERIODS_AND_COUNTS = [
    ({"startPeriod": "2022"}, ["2022", "2023", "2024"]),
    ({"endPeriod": "2021"}, ["2020", "2021"]),
    ({"startPeriod": "2021-06", "endPeriod": "2022-Q1"}, ["2021", "2022"]),
    ({"startPeriod": "2023-12-31", "endPeriod": "2023-M01"}, ["2023"]),
    ({"firstNObservations": "2"}, ["2020", "2021"]),
    ({"lastNObservations": "1"}, ["2024"]),
    ({"firstNObservations": "1", "lastNObservations": "1"}, ["2020", "2024"]),
    ({"startPeriod": "2021", "lastNObservations": "9"}, ["2021", "2022", "2023", "2024"]),
]


def test_periods_and_counts_choose_the_years(client: TestClient) -> None:
    for params, years in PERIODS_AND_COUNTS:
        found = figures(generic(client, "/data/TRADE/A.KAZ.SCO.trade_turnover", **params))
        assert list(found[KAZ_TURNOVER]) == years, params


def test_updated_after_gives_the_figures_changed_since(
    client: TestClient, db_session: Session
) -> None:
    path = "/data/TRADE/A.KAZ.SCO.trade_turnover"
    later = datetime.now(UTC) + timedelta(days=1)
    db_session.execute(
        update(TradeObservation)
        .where(TradeObservation.id == "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02")
        .values(updated_at=later + timedelta(hours=1))
    )
    found = figures(generic(client, path, updatedAfter=later.isoformat()))
    assert list(found[KAZ_TURNOVER]) == ["2023"]
    problem(client, path, 404, updatedAfter=(later + timedelta(days=1)).date().isoformat())
    assert len(figures(generic(client, path, updatedAfter="2000-01-01"))[KAZ_TURNOVER]) == 5


def test_detail_leaves_out_observations_or_attributes(client: TestClient) -> None:
    # detail: (observations given, number of <Attributes>) for the 4 series of KAZ, SCO.
    for detail, observations, attributes in [
        ("serieskeysonly", False, 0),
        ("nodata", False, 4),
        ("dataonly", True, 0),
    ]:
        root = generic(client, "/data/TRADE/A.KAZ.SCO.", detail=detail)
        assert len(root.findall(".//generic:Series", NS)) == 4
        assert bool(root.findall(".//generic:Obs", NS)) is observations, detail
        assert len(root.findall(".//generic:Attributes", NS)) == attributes, detail


# --- the other formats -------------------------------------------------------------------------


FORMATS = [
    (None, GENERIC),
    ("*/*", GENERIC),
    ("application/vnd.sdmx.genericdata+xml;version=2.1", GENERIC),
    ("application/xml", "application/xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml"),
    ("application/vnd.sdmx.data+json;version=1.0.0", SDMX_JSON),
    ("application/json", "application/json"),
    ("application/vnd.sdmx.data+csv;version=1.0.0", SDMX_CSV),
    ("text/csv", "text/csv; charset=utf-8"),
    ("application/json;q=0.5, application/vnd.sdmx.data+csv", SDMX_CSV),
]


def test_accept_chooses_the_format(client: TestClient) -> None:
    for accept, content_type in FORMATS:
        headers = {"Accept": accept} if accept else {}
        answer = client.get(f"{BASE}/data/TRADE/A.KAZ.SCO.trade_turnover", headers=headers)
        assert answer.status_code == 200
        assert answer.headers["content-type"] == content_type, accept
        assert "Accept" in answer.headers["vary"]


def test_a_format_no_route_answers_is_406(client: TestClient) -> None:
    for path in ("/data/TRADE/A.KAZ.SCO.trade_turnover", "/dataflow"):
        answer = client.get(
            BASE + path,
            headers={"Accept": "application/vnd.sdmx.structurespecificdata+xml;version=2.1"},
        )
        assert answer.status_code == 406
        assert answer.headers["content-type"] == "application/problem+json"


def test_sdmx_json_holds_the_same_figures(client: TestClient) -> None:
    path = f"{BASE}/data/TRADE/A.KAZ+SCO.SCO."
    answer = client.get(path, headers={"Accept": SDMX_JSON})
    assert answer.status_code == 200
    body = json.loads(answer.content)
    assert body["header"]["sender"] == {"id": "SCOTRADE", "name": "SCO Trade API"}
    values = sdmx.to_pandas(sdmx.read_sdmx(io.BytesIO(answer.content)))
    assert isinstance(values, pd.Series)
    read: dict[tuple[str, ...], dict[str, Decimal]] = {}
    for key, observation in zip(values.index, values, strict=True):
        *series, period = key
        read.setdefault(tuple(series), {})[period] = Decimal(str(observation))
    expected = figures(generic(client, "/data/TRADE/A.KAZ+SCO.SCO."))
    assert read == {
        key: {period: value for period, (value, _, _) in points.items()}
        for key, points in expected.items()
    }
    # KAZ's turnover has figures that are not exact ("exceeded $67 bn"): the qualifier is listed.
    listed = body["structure"]["attributes"]["observation"]
    assert [attribute["id"] for attribute in listed] == ["OBS_STATUS", "OBS_QUALIFIER"]
    assert {"id": "more_than", "name": "More than this value"} in listed[1]["values"]


@pytest.mark.parametrize("key", ["A.KAZ.SCO.trade_turnover", "A..SCO.trade_turnover"])
def test_sdmx_json_names_the_areas_of_its_series(client: TestClient, key: str) -> None:
    """A key that names its areas and one that leaves the reporter open: each area of the
    message carries its stored name."""
    answer = client.get(f"{BASE}/data/TRADE/{key}", headers={"Accept": SDMX_JSON})
    assert answer.status_code == 200, answer.text
    dimensions = json.loads(answer.content)["structure"]["dimensions"]["series"]
    listed = {
        value["id"]: value["name"]
        for dimension in dimensions
        if dimension["id"] in ("REPORTER", "PARTNER")
        for value in dimension["values"]
    }
    assert "KAZ" in listed
    assert "SCO" in listed
    for code, name in listed.items():
        assert name == client.get(f"/api/v1/areas/{code}").json()["name"]


def test_sdmx_json_lists_only_attributes_with_a_value(client: TestClient) -> None:
    answer = client.get(
        f"{BASE}/data/TRADE/A..SCO.share_in_sco_trade", headers={"Accept": SDMX_JSON}
    )
    body = json.loads(answer.content)
    listed = body["structure"]["attributes"]["observation"]
    assert [attribute["id"] for attribute in listed] == ["OBS_STATUS"]
    series = body["dataSets"][0]["series"]
    assert all(len(point) == 2 for one in series.values() for point in one["observations"].values())


def test_sdmx_csv_holds_the_same_figures(client: TestClient) -> None:
    answer = client.get(f"{BASE}/data/TRADE/A.KAZ+SCO.SCO.", headers={"Accept": SDMX_CSV})
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text, newline="")))
    assert list(rows[0]) == [
        "DATAFLOW",
        "FREQ",
        "REPORTER",
        "PARTNER",
        "INDICATOR",
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_STATUS",
        "OBS_QUALIFIER",
        "UNIT_MEASURE",
        "UNIT_MULT",
    ]
    assert {row["DATAFLOW"] for row in rows} == {"SCOTRADE:TRADE(1.0)"}
    read: Figures = {}
    for row in rows:
        key = (row["FREQ"], row["REPORTER"], row["PARTNER"], row["INDICATOR"])
        read.setdefault(key, {})[row["TIME_PERIOD"]] = (
            Decimal(row["OBS_VALUE"]),
            row["OBS_STATUS"],
            row["OBS_QUALIFIER"],
        )
    assert read == figures(generic(client, "/data/TRADE/A.KAZ+SCO.SCO."))


def test_sdmx_csv_without_observations_has_a_row_per_series(client: TestClient) -> None:
    answer = client.get(
        f"{BASE}/data/TRADE/A.KAZ.SCO.", params={"detail": "nodata"}, headers={"Accept": SDMX_CSV}
    )
    rows = list(csv.reader(io.StringIO(answer.text, newline="")))
    assert rows[0] == [
        "DATAFLOW",
        "FREQ",
        "REPORTER",
        "PARTNER",
        "INDICATOR",
        "UNIT_MEASURE",
        "UNIT_MULT",
    ]
    assert len(rows) == 1 + 4


# --- errors ------------------------------------------------------------------------------------


MALFORMED = [
    ("/data/TRADE/A.KAZ.SCO", {}, "path.key"),
    ("/data/TRADE/A.KAZ.SCO.trade_turnover.x", {}, "path.key"),
    ("/data/TRADE/A.KAZ++RUS.SCO.", {}, "path.key.REPORTER"),
    ("/data/TRADE/A.K*Z.SCO.", {}, "path.key.REPORTER"),
    ("/data/SCOTRADE,TRADE,1.0,x/all", {}, "path.flowRef"),
    ("/data/SCO TRADE,TRADE/all", {}, "path.flowRef"),
    ("/data/TRADE/all", {"startPeriod": "2020-13"}, "query.startPeriod"),
    ("/data/TRADE/all", {"endPeriod": "2020-Q5"}, "query.endPeriod"),
    ("/data/TRADE/all", {"startPeriod": "2023", "endPeriod": "2021"}, "query.startPeriod"),
    ("/data/TRADE/all", {"updatedAfter": "yesterday"}, "query.updatedAfter"),
    ("/data/TRADE/all", {"firstNObservations": "0"}, "query.firstNObservations"),
    ("/data/TRADE/all", {"detail": "everything"}, "query.detail"),
    ("/data/TRADE/all", {"dimensionAtObservation": "YEAR"}, "query.dimensionAtObservation"),
    ("/data/TRADE/all", {"includeHistory": "yes"}, "query.includeHistory"),
]


def test_a_malformed_query_is_a_400_naming_the_part(client: TestClient) -> None:
    for path, params, field in MALFORMED:
        body = problem(client, path, 400, **params)
        assert body["type"] == "/problems/bad-request"
        errors = body["errors"]
        assert isinstance(errors, list)
        assert [error["field"] for error in errors] == [field], (path, params)


NO_RESULTS = [
    ("/data/OTHER/all", {}),
    ("/data/ECB,TRADE,1.0/all", {}),
    ("/data/SCOTRADE,TRADE,2.0/all", {}),
    ("/data/TRADE/M.KAZ.SCO.trade_turnover", {}),
    ("/data/TRADE/A.XKX.SCO.trade_turnover", {}),
    ("/data/TRADE/A.kaz.SCO.trade_turnover", {}),
    ("/data/TRADE/A.KAZ.SCO.no_such_indicator", {}),
    ("/data/TRADE/A.CHN.KAZ.trade_turnover", {}),
    ("/data/TRADE/A.KAZ.SCO.trade_turnover/ECB", {}),
    ("/data/TRADE/A.KAZ.SCO.trade_turnover", {"startPeriod": "2090"}),
]


def test_a_query_matching_nothing_is_no_results_found(client: TestClient) -> None:
    for path, params in NO_RESULTS:
        body = problem(client, path, 404, **params)
        assert body["type"] == "/problems/no-results-found"


def test_extreme_but_valid_values_are_answered(client: TestClient) -> None:
    for params, status in [
        ({"startPeriod": "0000", "endPeriod": "9999-12-31"}, 200),
        ({"updatedAfter": "0001-01-01T00:00:00+01:00"}, 200),
        ({"updatedAfter": "9999-12-31T23:59:59-01:00"}, 404),
        ({"firstNObservations": "999999999", "lastNObservations": "999999999"}, 200),
    ]:
        answer = client.get(f"{BASE}/data/TRADE/A.KAZ.SCO.trade_turnover", params=params)
        assert answer.status_code == status, params


def test_features_not_offered_are_501(client: TestClient) -> None:
    for params in [
        {"dimensionAtObservation": "AllDimensions"},
        {"dimensionAtObservation": "REPORTER"},
        {"includeHistory": "true"},
    ]:
        problem(client, "/data/TRADE/all", 501, **params)


def test_a_repeated_parameter_is_422_as_everywhere(client: TestClient) -> None:
    answer = client.get(f"{BASE}/data/TRADE/all?startPeriod=2020&startPeriod=2021")
    assert answer.status_code == 422


# --- through the API's middleware --------------------------------------------------------------


def test_etag_304_gzip_and_head(client: TestClient) -> None:
    path = f"{BASE}/data/TRADE/all"
    first = client.get(path, headers={"Accept-Encoding": "identity"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    assert again.status_code == 304
    assert client.get(path, headers={"Accept-Encoding": "identity"}).content == first.content
    zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == first.content  # decoded by the client
    head = client.head(path, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == etag
    structure = client.get(f"{BASE}/dataflow/all/all/latest", params={"references": "all"})
    assert structure.headers["content-encoding"] == "gzip"
    assert structure.headers["etag"]
