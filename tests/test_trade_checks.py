"""`/trade/checks`: every kind fires on the seed, and agreement within precision stays quiet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.test_trade_observations import exact_json

CHECKS = "/api/v1/trade/checks"
KAZ_2022_OQ = "kaz-sco-trade-turnover-2022-oq-gov-kz-2024-05-02"
DERIVED_2022_AGREEING = (
    "kaz-sco-trade-turnover-2022-from-growth-oq-gov-kz-2024-05-02",
    "kaz-sco-trade-turnover-2022-from-growth-kazinform-2024-04-30",
)


def findings(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    response = client.get(CHECKS, params={"limit": 500, **params})
    assert response.status_code == 200
    body = exact_json(response.text)
    assert body["next_cursor"] is None
    return {item["id"]: item for item in body["items"]}


def test_every_kind_fires_on_the_seed(client: TestClient) -> None:
    kinds = {item["kind"] for item in findings(client).values()}
    assert {"source_conflict", "share_mismatch", "derivation_mismatch", "span_mismatch"} <= kinds


def test_findings_have_the_contract_shape_and_stable_order(client: TestClient) -> None:
    items = list(findings(client).values())
    assert [item["id"] for item in items] == sorted(item["id"] for item in items)
    for item in items:
        assert set(item) == {
            "id",
            "kind",
            "severity",
            "message",
            "observation_ids",
            "reported",
            "implied",
            "reported_bounds",
            "implied_bounds",
        }
        assert item["id"].startswith(item["kind"] + ":")
        assert item["severity"] in ("info", "warning")
        assert item["observation_ids"]


def test_source_conflict_66_0_against_66_7_billion(client: TestClient) -> None:
    item = findings(client)["source_conflict:kaz-sco-trade_turnover-2023"]
    assert item["severity"] == "warning"
    assert item["reported"] == Decimal("66000000000")
    assert item["implied"] == Decimal("66700000000")
    assert item["observation_ids"] == [
        "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02",
        "kaz-sco-trade-turnover-2023-astanatimes-2024-10-bektenov-islamabad",
    ]


def test_share_mismatch_for_kazakhstans_3_3_percent(client: TestClient) -> None:
    item = findings(client)["share_mismatch:kaz-sco-share_in_sco_trade-2023"]
    assert item["reported"] == Decimal("3.3")
    assert item["implied"] == Decimal("13.469388")  # 66.0 / 490
    assert "kaz-sco-share-in-sco-trade-2023-kazinform-2024-04-30" in item["observation_ids"]


def test_derivation_mismatch_for_bektenovs_implied_2022(client: TestClient) -> None:
    item_id = (
        "derivation_mismatch:"
        "kaz-sco-trade-turnover-2022-from-growth-astanatimes-2024-10-bektenov-islamabad"
    )
    item = findings(client)[item_id]
    assert item["reported"] == Decimal("61800000000")
    assert item["implied"] == Decimal("62924528301.886792")  # 66.7e9 / 1.06


def test_span_mismatch_over_the_past_5_years(client: TestClient) -> None:
    item = findings(client)["span_mismatch:sco-sco-trade_growth_multiple-2023"]
    assert (item["reported"], item["implied"]) == (Decimal(5), Decimal(4))
    assert "sco-sco-trade-growth-multiple-2023-oq-gov-kz-2024-05-02" in item["observation_ids"]


def test_no_check_for_61_8_against_the_derived_61_797_billion(client: TestClient) -> None:
    items = findings(client).values()
    for item in items:
        ids = set(item["observation_ids"])
        assert not ids.intersection(DERIVED_2022_AGREEING), item["id"]
    assert not any(
        item["kind"] == "derivation_mismatch" and item["implied"] == Decimal("61797752808.988764")
        for item in items
    )


def test_truncated_round_figure_is_only_info(client: TestClient) -> None:
    # Smailov's "61 billion" for 2022 is 61.8 billion cut, not rounded.
    item = findings(client)["source_conflict:kaz-sco-trade_turnover-2022"]
    assert item["severity"] == "info"
    assert item["observation_ids"][0] == KAZ_2022_OQ


def test_kind_filter(client: TestClient) -> None:
    only = findings(client, kind="span_mismatch,share_mismatch")
    assert {item["kind"] for item in only.values()} == {"span_mismatch", "share_mismatch"}


def test_checks_paginate_by_id(client: TestClient) -> None:
    expected = list(findings(client))
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        body = client.get(CHECKS, params=params).json()
        seen += [item["id"] for item in body["items"]]
        if body["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": body["next_cursor"]}
    assert seen == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "typo"}, "query.kind"),
        ({"cursor": "???"}, "query.cursor"),
        ({"limit": "0"}, "query.limit"),
    ],
)
def test_bad_check_queries_are_422(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get(CHECKS, params=params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
