"""Derived figures: computed from the reported ones, recomputed when they change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.seed import seed
from app.trade.models import TradeObservation
from app.trade.service import recompute
from tests.factories.sources import source_record
from tests.factories.trade import observation_record
from tests.trade.test_observations import all_items, get_exact

SERIES = "/api/v1/trade/series"


def by_id(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in all_items(client, **params)}


def test_base_year_value_from_the_multiple(client: TestClient) -> None:
    items = by_id(client, reporter="SCO", partner="SCO", indicator="trade_turnover", year="2019")
    derived = items["sco-sco-trade-turnover-2019-from-multiple-oq-gov-kz-2024-05-02"]
    assert derived["value"] == Decimal("326666666666.666667")
    assert derived["status"] == "derived"
    assert derived["derivation"] == {
        "formula": "value / multiple",
        "inputs": [
            "sco-sco-trade-turnover-2023-oq-gov-kz-2024-05-02",
            "sco-sco-trade-growth-multiple-2023-oq-gov-kz-2024-05-02",
        ],
    }
    reported = items["sco-sco-trade-turnover-2019-oq-gov-kz-2024-05-02"]
    assert reported["value"] == Decimal("336000000000")
    assert reported["preferred"] is True
    assert derived["preferred"] is False


def test_compound_annual_growth_of_the_multiple(client: TestClient) -> None:
    items = by_id(client, reporter="SCO", indicator="trade_turnover_cagr")
    oq = items["sco-sco-trade-turnover-cagr-2019-2023-from-multiple-oq-gov-kz-2024-05-02"]
    # 1.5 ** (1/4) - 1 = 0.10668192...: 10.67 % a year over 2019 -> 2023.
    assert oq["value"] == Decimal("10.668192")
    assert (oq["year"], oq["base_year"], oq["unit"]) == (2023, 2019, "percent")
    assert oq["derivation"] == {
        "formula": "(multiple ^ (1 / (year - base_year)) - 1) * 100",
        "inputs": ["sco-sco-trade-growth-multiple-2023-oq-gov-kz-2024-05-02"],
    }
    assert oq["preferred"] is True
    assert oq["qualifier"] == "approximately"  # from a multiple published to 0.1
    # 1.45 ** (1/4) - 1 to 1.55 ** (1/4) - 1: the range of the published "1.5".
    assert oq["bounds"] == {"lower": Decimal("9.734199"), "upper": Decimal("11.579119")}
    # Kazinform names no base year ("over the past 5 years"): no yearly growth from it.
    assert not [item_id for item_id in items if item_id.endswith("multiple-kazinform-2024-04-30")]


def test_growth_between_two_reported_years(client: TestClient) -> None:
    items = by_id(client, reporter="KAZ", indicator="trade_turnover_growth", status="derived")
    # oq.gov.kz states both years: $61.8 bn (2022) and $66.0 bn (2023).
    growth_2023 = items["kaz-sco-trade-turnover-growth-2023-between-years-oq-gov-kz-2024-05-02"]
    assert growth_2023["value"] == Decimal("6.796117")  # 66.0 / 61.8 - 1
    assert growth_2023["derivation"]["inputs"] == [
        "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02",
        "kaz-sco-trade-turnover-2022-oq-gov-kz-2024-05-02",
    ]
    # (65.95 / 61.85 - 1) to (66.05 / 61.75 - 1), rounded outward.
    assert growth_2023["bounds"] == {"lower": Decimal("6.628940"), "upper": Decimal("6.963563")}


def test_growth_is_never_derived_across_sources(client: TestClient) -> None:
    # 61.8 bn (oq.gov.kz, 2022) over "almost 51 bn" (zonakz.net, 2021), or "exceeded 67 bn"
    # (2024) over 66.0 bn (2023): different sources, methods and roundings; no quotient.
    items = by_id(client, reporter="KAZ", indicator="trade_turnover_growth", status="derived")
    assert list(items) == ["kaz-sco-trade-turnover-growth-2023-between-years-oq-gov-kz-2024-05-02"]


def test_previous_year_values_come_from_one_source_each(client: TestClient) -> None:
    items = by_id(client, reporter="KAZ", indicator="trade_turnover", status="derived")
    bektenov = items[
        "kaz-sco-trade-turnover-2022-from-growth-astanatimes-2024-10-bektenov-islamabad"
    ]
    assert bektenov["value"] == Decimal("62924528301.886792")  # 66.7e9 / 1.06
    smailov = items["kaz-sco-trade-turnover-2020-from-growth-zonakz-2022-11-01-smailov"]
    assert smailov["value"] == Decimal("41803278688.52459")  # "almost" 51e9 / 1.22
    assert smailov["qualifier"] == "approximately"
    # Tokayev gave a growth rate without a value: nothing can be derived from it alone.
    assert not any("trend-2024-07-04-tokayev" in item_id for item_id in items)


def test_recompute_is_idempotent(client: TestClient, db_session: Session) -> None:
    before = {
        row.id: (row.value, row.preferred, row.updated_at)
        for row in db_session.scalars(select(TradeObservation))
    }
    result = recompute(db_session)
    assert result.changed == 0
    after = {
        row.id: (row.value, row.preferred, row.updated_at)
        for row in db_session.scalars(select(TradeObservation))
    }
    assert after == before


def test_seeding_again_changes_no_trade_row(client: TestClient, db_session: Session) -> None:
    def snapshot() -> dict[str, tuple[Any, ...]]:
        return {
            row.id: (row.value, row.preferred, row.derivation, row.updated_at)
            for row in db_session.scalars(select(TradeObservation))
        }

    before = snapshot()
    report = seed(db_session, data_sets=False)
    assert report.inserted.get("trade_observations", 0) == 0
    assert report.updated.get("trade_observations", 0) == 0
    assert report.inserted["derived_trade_observations"] == 0
    assert report.updated["derived_trade_observations"] == 0
    assert snapshot() == before


def test_derived_figures_follow_their_inputs(client: TestClient, db_session: Session) -> None:
    growth = db_session.get(
        TradeObservation, "kaz-sco-trade-turnover-growth-2023-oq-gov-kz-2024-05-02"
    )
    assert growth is not None
    growth.value = Decimal("7")
    db_session.flush()
    result = recompute(db_session)
    assert result.updated >= 1
    derived_id = "kaz-sco-trade-turnover-2022-from-growth-oq-gov-kz-2024-05-02"
    item = by_id(client, reporter="KAZ", year="2022")[derived_id]
    assert item["value"] == Decimal("61682242990.654206")  # 66.0e9 / 1.07

    db_session.delete(growth)
    db_session.flush()
    result = recompute(db_session)
    assert result.deleted >= 1
    assert derived_id not in by_id(client, reporter="KAZ", year="2022")


def test_preferred_flag_moves_when_a_better_source_arrives(
    client: TestClient, db_session: Session
) -> None:
    db_session.add(
        source_record(
            "test-statistics-office",
            title="A statistical office release (test fixture)",
            url="https://example.org/release",
            priority=100,
        )
    )
    db_session.add(
        observation_record(
            "kaz-sco-trade-turnover-2023-test-statistics-office",
            year=2023,
            value=Decimal("66012345678"),
            precision=Decimal("1"),
            source_id="test-statistics-office",
        )
    )
    db_session.flush()
    recompute(db_session)
    body = get_exact(client, SERIES, reporter="KAZ", partner="SCO", indicator="trade_turnover")
    point = next(point for point in body["points"] if point["year"] == 2023)
    assert point["observation_id"] == "kaz-sco-trade-turnover-2023-test-statistics-office"
    preferred = all_items(
        client, reporter="KAZ", indicator="trade_turnover", year="2023", preferred="true"
    )
    assert len(preferred) == 1


def _bilateral(reporter: str, partner: str, year: int, value: str) -> TradeObservation:
    return observation_record(
        f"test-{reporter}-{partner}-{year}".lower(),
        reporter=reporter,
        partner=partner,
        year=year,
        value=Decimal(value),
        precision=Decimal("1000000"),
        source_id="test-customs",
    )


def test_sco_aggregate_uses_the_members_of_each_year(
    client: TestClient, db_session: Session
) -> None:
    """KAZ→SCO = the sum over the SCO members of that year (India and Pakistan from 2017)."""
    db_session.add(source_record("test-customs"))
    founders = ["CHN", "KGZ", "RUS", "TJK", "UZB"]
    for year in (2016, 2017):
        for index, partner in enumerate(founders, start=1):
            db_session.add(_bilateral("KAZ", partner, year, f"{index}000000000"))
        db_session.add(_bilateral("KAZ", "IND", year, "7000000000"))
    db_session.flush()
    recompute(db_session)

    items = by_id(client, reporter="KAZ", partner="SCO", indicator="trade_turnover")
    sum_2016 = items["kaz-sco-trade-turnover-2016-sum-over-members"]
    # India was not a member in 2016: its 7 bn is not part of "SCO" that year.
    assert sum_2016["value"] == Decimal("15000000000")
    assert sum_2016["derivation"]["formula"] == "sum(values)"
    assert sum_2016["derivation"]["inputs"] == [
        f"test-kaz-{code.lower()}-2016" for code in founders
    ]
    # 2017: India and Pakistan were members; Pakistan is missing, so no partial sum.
    assert "kaz-sco-trade-turnover-2017-sum-over-members" not in items

    db_session.add(_bilateral("KAZ", "PAK", 2017, "500000000"))
    db_session.flush()
    recompute(db_session)
    items = by_id(client, reporter="KAZ", partner="SCO", indicator="trade_turnover")
    sum_2017 = items["kaz-sco-trade-turnover-2017-sum-over-members"]
    assert sum_2017["value"] == Decimal("22500000000")
    assert len(sum_2017["derivation"]["inputs"]) == 7
    assert sum_2017["preferred"] is True

    series = client.get(
        SERIES, params={"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"}
    ).json()
    point = next(point for point in series["points"] if point["year"] == 2017)
    assert point["members"] == ["CHN", "IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]
