"""A write re-derives the declaration world only for the years it touched (`recompute(years=)`).

What a scoped recompute leaves is what a full one makes: after each write below, a full
recompute finds nothing to change. The database holds declarations of several years
(every pair of the year's SCO member states and a non-member, both ways, imports and
exports: SCO totals too), the seeded press figures (KAZ-SCO turnover of 2021-2024, whose
keys the totals of the declarations share) and the press figures the tests add.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sources.models import Source
from app.trade import repository, service
from app.trade.models import TradeObservation
from app.trade.service import members_resolver, recompute
from tests.conftest import bearer
from tests.trade.test_declarations import declaration, declaration_id, import_rows

OBSERVATIONS = "/api/v1/trade/observations"
CUSTOMS = "test-customs"
PRESS = "test-press"
YEARS = (2021, 2022, 2023)
OUTSIDER = "USA"
BILLION = 1_000_000_000


@pytest.fixture(autouse=True)
def _sources(db_session: Session) -> None:
    """The customs source of the declarations, and a press source ranked above it."""
    db_session.add(Source(id=CUSTOMS, title="Test customs", url="https://example.org", priority=80))
    db_session.add(Source(id=PRESS, title="Test press", url="https://example.org/p", priority=100))
    db_session.flush()


def _declarations(db_session: Session) -> list[dict[str, Any]]:
    members_of = members_resolver(db_session)
    rows = []
    for year in YEARS:
        countries = [*members_of(year), OUTSIDER]
        for number, reporter in enumerate(countries):
            for other, partner in enumerate(countries):
                if reporter != partner:
                    value = (1 + number + 3 * other + year % 10) * BILLION
                    rows.append(declaration(reporter, partner, "imports", year, value))
                    rows.append(declaration(reporter, partner, "exports", year, value + BILLION))
    return rows


@pytest.fixture
def declared(client: TestClient, write_key: str, db_session: Session) -> None:
    """Every declaration of `YEARS`, imported (a scoped recompute of those years)."""
    import_rows(client, write_key, _declarations(db_session))
    assert_nothing_to_change(db_session)


def assert_nothing_to_change(db_session: Session) -> None:
    result = recompute(db_session)
    assert (result.changed, result.bounds_set) == (0, 0), result


def write(client: TestClient, key: str, method: str, path: str, body: Any = None) -> None:
    response = client.request(method, path, json=body, headers=bearer(key))
    assert response.status_code in (200, 201, 204), response.text


def press(reporter: str, partner: str, indicator: str, year: int, value: Any) -> dict[str, Any]:
    return {
        "reporter": reporter,
        "partner": partner,
        "indicator": indicator,
        "year": year,
        "value": value,
        "precision": "0.1" if indicator != "trade_turnover" else 100_000_000,
        "source_id": PRESS,
    }


def derived_stamps(db_session: Session) -> dict[str, tuple[int, datetime, bool]]:
    """Each derived figure's year, last change and flag."""
    rows = db_session.execute(
        select(
            TradeObservation.id,
            TradeObservation.year,
            TradeObservation.updated_at,
            TradeObservation.preferred,
        ).where(TradeObservation.status == "derived")
    )
    return {row.id: (row.year, row.updated_at, row.preferred) for row in rows}


def test_declarations_give_sco_totals_sharing_press_keys(
    declared: None, db_session: Session
) -> None:
    """The fixture is what the tests below rely on: totals of KAZ with the SCO of each year,
    in the keys of the seeded press figures."""
    totals = db_session.scalars(
        select(TradeObservation.year).where(
            TradeObservation.reporter == "KAZ",
            TradeObservation.partner == "SCO",
            TradeObservation.indicator == "trade_turnover",
            TradeObservation.status == "derived",
            TradeObservation.id.like("%from-exports-and-imports"),
        )
    ).all()
    assert sorted(totals) == list(YEARS)


def test_each_scoped_write_leaves_nothing_for_a_full_recompute(
    declared: None, client: TestClient, write_key: str, db_session: Session
) -> None:
    kaz_chn_2022 = f"{OBSERVATIONS}/{declaration_id('KAZ', 'CHN', 'imports', 2022)}"
    rus_chn_2023 = f"{OBSERVATIONS}/{declaration_id('RUS', 'CHN', 'exports', 2023)}"
    steps: list[tuple[str, str, Any]] = [
        # A declaration's value, then its year (the old year loses its totals).
        ("PATCH", kaz_chn_2022, {"value": 77 * BILLION}),
        ("PATCH", kaz_chn_2022, {"year": 2020}),
        ("PATCH", kaz_chn_2022, {"year": 2022}),
        ("DELETE", rus_chn_2023, None),
        ("POST", OBSERVATIONS, declaration("RUS", "CHN", "exports", 2023, 5 * BILLION)),
        # A press turnover in a key only derived figures held: it wins the key.
        ("POST", OBSERVATIONS, press("KGZ", "CHN", "trade_turnover", 2021, 3 * BILLION)),
        # A seeded press figure whose key a total shares.
        (
            "PATCH",
            f"{OBSERVATIONS}/kaz-sco-trade-turnover-2023-kazinform-2024-04-30",
            {"value": 70 * BILLION},
        ),
        # A source's rank (every figure it reports and those derived from them).
        ("PATCH", f"/api/v1/sources/{CUSTOMS}", {"priority": 30}),
    ]
    for method, path, body in steps:
        write(client, write_key, method, path, body)
        assert_nothing_to_change(db_session)


def test_a_write_of_one_year_re_ranks_the_key_its_press_figures_imply_in_another(
    declared: None, client: TestClient, write_key: str, db_session: Session
) -> None:
    """A 2023 turnover and its growth imply a 2022 turnover (from the press source, ranked
    above the customs): it takes the flag of KGZ-SCO 2022 from the total of the 2022
    declarations, although the write touched 2023 only."""
    write(
        client,
        write_key,
        "POST",
        OBSERVATIONS,
        press("KGZ", "SCO", "trade_turnover", 2023, 9 * BILLION),
    )
    assert_nothing_to_change(db_session)
    write(
        client,
        write_key,
        "POST",
        OBSERVATIONS,
        press("KGZ", "SCO", "trade_turnover_growth", 2023, "12.5"),
    )
    assert_nothing_to_change(db_session)
    preferred = db_session.scalars(
        select(TradeObservation.id).where(
            TradeObservation.reporter == "KGZ",
            TradeObservation.partner == "SCO",
            TradeObservation.indicator == "trade_turnover",
            TradeObservation.year == 2022,
            TradeObservation.preferred.is_(True),
        )
    ).all()
    assert preferred == [f"kgz-sco-trade-turnover-2022-from-growth-{PRESS}"]


def test_a_scoped_write_leaves_other_years_untouched(
    declared: None, client: TestClient, write_key: str, db_session: Session
) -> None:
    before = derived_stamps(db_session)
    path = f"{OBSERVATIONS}/{declaration_id('KAZ', 'CHN', 'imports', 2022)}"
    write(client, write_key, "PATCH", path, {"value": 66 * BILLION})
    after = derived_stamps(db_session)
    others = {id_: stamp for id_, stamp in before.items() if stamp[0] != 2022}
    assert others == {id_: stamp for id_, stamp in after.items() if stamp[0] != 2022}
    changed = [id_ for id_, stamp in after.items() if stamp[0] == 2022 and stamp != before[id_]]
    assert "kaz-chn-trade-turnover-2022-from-exports-and-imports" in changed
    assert_nothing_to_change(db_session)


def test_checks_read_only_the_years_that_can_hold_a_finding_and_find_the_same(
    client: TestClient, write_key: str, db_session: Session, declared: None
) -> None:
    """A year of import declarations alone (one source, no exports, no press figure) is left
    out of the checks' reading; what they find is what reading every figure finds."""
    import_rows(
        client,
        write_key,
        [
            declaration("KAZ", "CHN", "imports", 2010, 5 * BILLION),
            declaration("CHN", "KAZ", "imports", 2010, 6 * BILLION),
        ],
    )
    everything = repository.observation_records(db_session)
    assert any(record.year == 2010 for record in everything)
    read = service._records_for_checks(db_session)
    assert not any(record.year == 2010 for record in read)
    assert {record.year for record in read} >= set(YEARS)
    assert service.find_checks(db_session) == service._find(db_session, everything)
