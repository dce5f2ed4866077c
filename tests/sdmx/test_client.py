"""Acceptance: the Python client `sdmx1` reads the service as a custom source (DESIGN section 9).

`Client("SCOTRADE").dataflow("TRADE")` lists the dataflow with its DSD and code lists, and
`.data("TRADE", key=...)` (a dict or a string) through `sdmx.to_pandas` gives the values of
`/api/v1/trade/series` — on the seeded data of SQLite and of PostgreSQL.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pandas as pd
import pytest
import requests
import sdmx

from app.vocabulary import LANGUAGES
from tests.sdmx.conftest import Service

# Series of the seed: reported and derived figures, USD, percent and a ratio, SCO as both.
SERIES = [
    ("KAZ", "SCO", "trade_turnover"),
    ("KAZ", "SCO", "trade_turnover_growth"),
    ("SCO", "SCO", "trade_turnover"),
    ("SCO", "SCO", "trade_turnover_cagr"),
    ("SCO", "SCO", "trade_growth_multiple"),
]


def by_year(values: pd.Series | pd.DataFrame) -> dict[int, Decimal]:
    """A series of `to_pandas`, by the year of its TIME_PERIOD."""
    assert isinstance(values, pd.Series)
    years = values.index.get_level_values("TIME_PERIOD")
    return {int(year): Decimal(str(value)) for year, value in zip(years, values, strict=True)}


def expected(service: Service, reporter: str, partner: str, indicator: str) -> dict[int, Decimal]:
    points = service.series(reporter, partner, indicator)
    return {int(str(p["year"])): Decimal(str(p["value"])) for p in points}


def test_the_dataflow_comes_with_its_structure_and_code_lists(scotrade: Service) -> None:
    message = scotrade.client.dataflow("TRADE")
    assert scotrade.asked == ["/sdmx/2.1/dataflow/SCOTRADE/TRADE/latest?references=all"]
    flow = message.dataflow["TRADE"]
    assert flow.maintainer.id == "SCOTRADE"
    assert flow.version == "1.0"
    assert set(flow.name.localizations) == set(LANGUAGES)
    assert flow.name.localizations["zh"] == "上海合作组织贸易统计"
    dsd = message.structure["DSD_TRADE"]
    assert flow.structure is dsd
    assert [d.id for d in dsd.dimensions] == [
        "FREQ",
        "REPORTER",
        "PARTNER",
        "INDICATOR",
        "TIME_PERIOD",
    ]
    assert [a.id for a in dsd.attributes] == [
        "OBS_STATUS",
        "OBS_QUALIFIER",
        "UNIT_MEASURE",
        "UNIT_MULT",
    ]
    assert set(message.codelist) == {
        "CL_FREQ",
        "CL_AREA",
        "CL_INDICATOR",
        "CL_OBS_STATUS",
        "CL_OBS_QUALIFIER",
        "CL_UNIT_MEASURE",
        "CL_UNIT_MULT",
    }
    areas = message.codelist["CL_AREA"]
    assert dsd.dimensions.get("REPORTER").local_representation.enumerated is areas
    assert {"SCO", "KAZ", "CHN", "RUS"} <= {code.id for code in areas}
    assert str(areas["KAZ"].name) == "Kazakhstan"
    assert "trade_turnover" in message.codelist["CL_INDICATOR"]
    assert {code.id for code in message.codelist["CL_OBS_STATUS"]} == {"A", "E", "P", "I"}
    assert "FREQ" in message.concept_scheme["CS_TRADE"]


@pytest.mark.parametrize(("reporter", "partner", "indicator"), SERIES)
def test_data_by_a_key_dict_are_the_figures_of_the_series(
    scotrade: Service, reporter: str, partner: str, indicator: str
) -> None:
    key = {"REPORTER": reporter, "PARTNER": partner, "INDICATOR": indicator}
    message = scotrade.client.data("TRADE", key=key)
    # The client checks the key against the DSD it asks for first.
    assert scotrade.asked == [
        "/sdmx/2.1/dataflow/SCOTRADE/TRADE/latest?references=all",
        f"/sdmx/2.1/data/TRADE/.{reporter}.{partner}.{indicator}",
    ]
    values = sdmx.to_pandas(message)
    assert by_year(values) == expected(scotrade, reporter, partner, indicator)


def test_data_by_a_string_key_with_a_period(scotrade: Service) -> None:
    message = scotrade.client.data(
        "TRADE", key="A.KAZ.SCO.trade_turnover", params={"startPeriod": "2022"}
    )
    assert scotrade.asked == ["/sdmx/2.1/data/TRADE/A.KAZ.SCO.trade_turnover?startPeriod=2022"]
    figures = expected(scotrade, "KAZ", "SCO", "trade_turnover")
    assert by_year(sdmx.to_pandas(message)) == {y: v for y, v in figures.items() if y >= 2022}


def test_several_values_of_a_dimension_give_several_series(scotrade: Service) -> None:
    message = scotrade.client.data(
        "TRADE", key={"REPORTER": ["KAZ", "RUS"], "INDICATOR": "trade_turnover"}
    )
    values = sdmx.to_pandas(message)
    for reporter in ("KAZ", "RUS"):
        one = values.xs(reporter, level="REPORTER").xs("SCO", level="PARTNER")
        assert by_year(one) == expected(scotrade, reporter, "SCO", "trade_turnover")


def test_attributes_say_status_and_unit(scotrade: Service) -> None:
    message = scotrade.client.data("TRADE", key="A.KAZ.SCO.trade_turnover")
    frame = sdmx.to_pandas(message, attributes="osgd")
    statuses = {
        int(point["year"]): point["status"]  # type: ignore[call-overload]
        for point in scotrade.series("KAZ", "SCO", "trade_turnover")
    }
    codes = {"reported": "A", "derived": "I", "estimated": "E", "provisional": "P"}
    years = frame.index.get_level_values("TIME_PERIOD").astype(int)
    assert dict(zip(years, frame["OBS_STATUS"], strict=True)) == {
        year: codes[str(status)] for year, status in statuses.items()
    }
    assert set(frame["UNIT_MEASURE"]) == {"USD"}
    assert set(frame["UNIT_MULT"]) == {"0"}


def test_sdmx_json_reads_as_the_same_figures(scotrade: Service) -> None:
    message = scotrade.client.data(
        "TRADE",
        key="A.SCO.SCO.trade_turnover",
        headers={"Accept": "application/vnd.sdmx.data+json;version=1.0.0"},
    )
    assert message.response.headers["Content-Type"].startswith("application/vnd.sdmx.data+json")
    values = sdmx.to_pandas(message)
    assert by_year(values) == expected(scotrade, "SCO", "SCO", "trade_turnover")


def test_series_keys_come_without_observations(scotrade: Service) -> None:
    keys = scotrade.client.series_keys("TRADE")
    assert scotrade.asked == ["/sdmx/2.1/data/TRADE?detail=serieskeysonly"]
    found = {tuple(value.value for value in key.values.values()) for key in keys}
    assert ("A", "KAZ", "SCO", "trade_turnover") in found
    assert ("A", "SCO", "SCO", "trade_growth_multiple") in found


def test_the_answer_cache_keeps_sdmx_answers(live_base: str) -> None:
    """The live server's answer cache is on (a rolled-back test session's is not)."""
    url = f"{live_base}/sdmx/2.1/data/TRADE/A.KAZ.SCO.trade_turnover"
    first = requests.get(url, timeout=30)
    # The data version is read by a background thread: wait for its first reading.
    deadline = time.monotonic() + 5
    while (again := requests.get(url, timeout=30)).headers.get("x-cache") != "hit":
        assert time.monotonic() < deadline, "the answer cache never hit"
        time.sleep(0.02)
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
