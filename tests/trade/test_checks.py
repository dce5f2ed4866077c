"""`/trade/checks`: every kind fires on the seed, and agreement within precision stays quiet."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.trade import repository, service
from tests.factories.trade import observation_body
from tests.trade.test_observations import exact_json

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


# --- findings people can read and cite (DESIGN section 7) --------------------------------

RAW_NUMBER = re.compile(r"\d{7,}|\d+\.\d{4,}")


def test_messages_write_figures_as_people_do(client: TestClient) -> None:
    items = findings(client)
    for item in items.values():
        # No `61800000000 USD`, no `13.469388 %`: no long digit runs anywhere.
        assert not RAW_NUMBER.search(item["message"]), item["message"]
    share = items["share_mismatch:kaz-sco-share_in_sco_trade-2023"]["message"]
    for text in ("3.3 %", "≈13.5 %", "$66.0 bn"):
        assert text in share
    assert "$490 bn" in share
    conflict = items["source_conflict:kaz-sco-trade_turnover-2022"]["message"]
    assert "$61.8 bn (oq.gov.kz, 2 May 2024)" in conflict
    assert "$61 bn (Kazakhstan Today, undated)" in conflict


def test_messages_name_each_figure_by_its_own_source(client: TestClient) -> None:
    share = findings(client)["share_mismatch:kaz-sco-share_in_sco_trade-2023"]["message"]
    # The share is Kazinform's; the figures it is checked against are oq.gov.kz's own.
    assert share.startswith(
        "KAZ→SCO share in intra-SCO trade, 2023: Kazinform International News Agency, "
        "30 Apr 2024 gives a share of 3.3 %"
    )
    assert "$66.0 bn (oq.gov.kz, 2 May 2024)" in share
    assert "$490 bn (oq.gov.kz, 2 May 2024)" in share


def test_messages_quote_the_sources_own_qualifier_word(client: TestClient, write_key: str) -> None:
    # A figure that conflicts with "almost $51 bn" (zonakz.net): the finding says "almost".
    response = client.post(
        "/api/v1/trade/observations",
        json=observation_body(
            year=2021,
            value="53000000000",
            precision="1000000000",
            source_id="oq-gov-kz-2024-05-02",
        ),
        headers={"Authorization": f"Bearer {write_key}"},
    )
    assert response.status_code == 201, response.text
    message = findings(client)["source_conflict:kaz-sco-trade_turnover-2021"]["message"]
    assert "almost $51 bn (Zona.kz, 1 Nov 2022)" in message
    assert "$50\u201351 bn" in message  # its range, with an en dash


def test_copies_of_one_release_are_not_counted_as_confirmation(client: TestClient) -> None:
    message = findings(client)["source_conflict:kaz-sco-trade_turnover-2023"]["message"]
    assert "the preferred $66.0 bn (oq.gov.kz, 2 May 2024)" in message
    assert "Kazinform International News Agency, 30 Apr 2024 carries the same release" in message
    assert "agreeing with it: $66 bn (Sputnik, 3 Jul 2024)" in message
    assert "$66.7 bn (The Astana Times, Oct 2024)" in message


def test_growth_is_never_checked_as_a_quotient_of_two_sources(client: TestClient) -> None:
    # 61.8 (oq.gov.kz) over "almost 51" (zonakz.net) against "almost 20 %" (kt.kz) would be an
    # artefact of mixing sources: no derivation mixes them, so no such finding.
    for item in findings(client, kind="derivation_mismatch").values():
        assert "different sources" not in item["message"]
        assert not item["id"].endswith("-between-years")
    assert "derivation_mismatch:kaz-sco-trade-turnover-growth-2022-between-years" not in findings(
        client
    )


def test_russias_share_against_its_own_sco_trade(client: TestClient) -> None:
    item = findings(client)["share_mismatch:rus-sco-share_in_sco_trade-2023"]
    assert item["reported"] == Decimal("26.2")
    assert item["implied"] == Decimal("67.959184")  # 333 / 490
    assert "$333 bn (rantsorinsights.com, 9 Jul 2024)" in item["message"]
    assert item["reported_bounds"] == {"lower": Decimal("26.15"), "upper": Decimal("26.25")}


def test_an_open_base_year_says_what_counting_back_would_imply(client: TestClient) -> None:
    items = findings(client, kind="open_base_year")
    kazinform = items["open_base_year:sco-sco-trade-growth-multiple-2023-kazinform-2024-04-30"]
    assert kazinform["severity"] == "info"
    assert "without naming the base year" in kazinform["message"]
    assert "would start in 2018" in kazinform["message"]
    assert "oq.gov.kz, 2 May 2024, carrying the same release, names 2019" in kazinform["message"]
    assert kazinform["implied"] == Decimal("326666666666.666667")  # 490 / 1.5
    sputnik = items[
        "open_base_year:kaz-sco-trade-turnover-growth-over-span-2023-sputnik-kz-2024-07-03-sco-in-figures"
    ]
    assert "56.5 % over 5 years" in sputnik["message"]
    assert "≈$42.2 bn in 2018" in sputnik["message"]  # 66 / 1.565


def test_the_span_finding_does_not_put_words_in_a_sources_mouth(client: TestClient) -> None:
    message = findings(client)["span_mismatch:sco-sco-trade_growth_multiple-2023"]["message"]
    assert 'names 2019 to 2023, 4 years, yet it says "over the past 5 years"' in message
    assert "Kazinform" in message
    assert "names no base year" in message
    assert "2018" not in message


def test_findings_concerning_some_figures_are_those_of_all_that_name_them(
    db_session: Session,
) -> None:
    """`/trade/series` asks only for the findings that name its figures: the checks skip the
    keys that cannot give one, and what they return is exactly the subset of all findings
    naming one of the ids asked for (each figure a finding names, and one it does not)."""
    records = repository.observation_records(db_session)
    everything = service._find(db_session, records)
    assert {finding.kind for finding in everything} >= {"source_conflict", "span_mismatch"}
    named = sorted({id_ for finding in everything for id_ in finding.observation_ids})
    unnamed = [record.id for record in records if record.id not in set(named)][:1]
    for wanted in [*([id_] for id_ in named), unnamed, named[:3], []]:
        concerning = service._find(db_session, records, concerning=wanted)
        assert concerning == [f for f in everything if set(wanted) & set(f.observation_ids)]
