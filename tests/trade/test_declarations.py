"""Declarations of imports and exports: turnover derived from them, SCO totals, mirror gaps."""

from __future__ import annotations

import json
from itertools import permutations
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.sources.models import Source
from tests.conftest import bearer
from tests.trade.test_observations import exact_json

OBSERVATIONS = "/api/v1/trade/observations"
CHECKS = "/api/v1/trade/checks"
SOURCE = "test-customs"
FOUNDERS = ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]  # the SCO member states 2001-2017
BILLION = 1_000_000_000
FROM_IMPORTS = "imports[reporter, partner] + imports[partner, reporter]"
FROM_OWN = "exports[reporter, partner] + imports[reporter, partner]"


@pytest.fixture(autouse=True)
def _source(db_session: Session) -> None:
    db_session.add(
        Source(id=SOURCE, title="Test customs figures", url="https://example.org", priority=80)
    )
    db_session.flush()


def declaration(
    reporter: str, partner: str, indicator: str, year: int, value: int
) -> dict[str, Any]:
    """A declaration published to the million dollars."""
    return {
        "reporter": reporter,
        "partner": partner,
        "indicator": indicator,
        "year": year,
        "value": value,
        "precision": 1_000_000,
        "source_id": SOURCE,
    }


def declaration_id(reporter: str, partner: str, indicator: str, year: int) -> str:
    return f"{reporter}-{partner}-{indicator}-{year}-{SOURCE}".lower().replace("_", "-")


def import_rows(client: TestClient, key: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Through the bulk import path (`POST /trade/imports`), which recomputes."""
    response = client.post(
        "/api/v1/trade/imports",
        content=json.dumps(rows).encode(),
        headers={**bearer(key), "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def observations(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    response = client.get(OBSERVATIONS, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    body = exact_json(response.text)
    assert body["next_cursor"] is None
    return {item["id"]: item for item in body["items"]}


def findings(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    response = client.get(CHECKS, params={"limit": 500, "kind": "mirror_gap", **params})
    assert response.status_code == 200, response.text
    return {item["id"]: item for item in exact_json(response.text)["items"]}


# --- bilateral turnover ----------------------------------------------------------------------


def test_turnover_from_both_import_declarations(client: TestClient, write_key: str) -> None:
    import_rows(
        client,
        write_key,
        [
            declaration("KAZ", "CHN", "imports", 2014, 8 * BILLION),
            declaration("CHN", "KAZ", "imports", 2014, 9 * BILLION),
        ],
    )
    items = observations(client, indicator="trade_turnover", year=2014)
    kaz_chn = items["kaz-chn-trade-turnover-2014-from-imports"]
    assert kaz_chn["value"] == 17 * BILLION
    assert (kaz_chn["status"], kaz_chn["qualifier"], kaz_chn["preferred"]) == (
        "derived",
        "approximately",
        True,
    )
    assert kaz_chn["derivation"] == {
        "formula": FROM_IMPORTS,
        "inputs": [
            declaration_id("KAZ", "CHN", "imports", 2014),
            declaration_id("CHN", "KAZ", "imports", 2014),
        ],
    }
    # Each input stands for ±0.5 million: the sum for ±1 million.
    assert kaz_chn["bounds"] == {"lower": 16_999_000_000, "upper": 17_001_000_000}
    # The same flows seen from the other side: the same figure, inputs in its own order.
    chn_kaz = items["chn-kaz-trade-turnover-2014-from-imports"]
    assert chn_kaz["value"] == 17 * BILLION
    assert chn_kaz["derivation"]["inputs"] == kaz_chn["derivation"]["inputs"][::-1]
    assert "CHN's imports from KAZ" in chn_kaz["note"]


def test_own_exports_and_imports_are_preferred_and_a_reported_figure_above_both(
    client: TestClient, write_key: str
) -> None:
    rows = [
        declaration("KAZ", "CHN", "imports", 2014, 8 * BILLION),
        declaration("CHN", "KAZ", "imports", 2014, 9 * BILLION),
        declaration("KAZ", "CHN", "exports", 2014, 10 * BILLION),
    ]
    import_rows(client, write_key, rows)
    items = observations(client, reporter="KAZ", partner="CHN", indicator="trade_turnover")
    own = items["kaz-chn-trade-turnover-2014-from-exports-and-imports"]
    assert own["value"] == 18 * BILLION
    assert own["derivation"] == {
        "formula": FROM_OWN,
        "inputs": [
            declaration_id("KAZ", "CHN", "exports", 2014),
            declaration_id("KAZ", "CHN", "imports", 2014),
        ],
    }
    assert own["preferred"] is True
    assert items["kaz-chn-trade-turnover-2014-from-imports"]["preferred"] is False
    # CHN's own exports are not known: its side stays on both imports.
    other_side = observations(client, reporter="CHN", partner="KAZ", indicator="trade_turnover")
    assert other_side["chn-kaz-trade-turnover-2014-from-imports"]["preferred"] is True

    reported = {**declaration("KAZ", "CHN", "trade_turnover", 2014, 17_500_000_000)}
    import_rows(client, write_key, [*rows, reported])
    items = observations(client, reporter="KAZ", partner="CHN", indicator="trade_turnover")
    preferred = [item for item in items.values() if item["preferred"]]
    assert [item["id"] for item in preferred] == [
        declaration_id("KAZ", "CHN", "trade_turnover", 2014)
    ]
    series = client.get(
        "/api/v1/trade/series",
        params={"reporter": "KAZ", "partner": "CHN", "indicator": "trade_turnover"},
    ).json()
    assert [(point["year"], point["status"]) for point in series["points"]] == [(2014, "reported")]


def test_both_declarations_of_a_flow_side_by_side(client: TestClient, write_key: str) -> None:
    import_rows(
        client,
        write_key,
        [
            declaration("KAZ", "CHN", "imports", 2014, 8 * BILLION),
            declaration("CHN", "KAZ", "exports", 2014, 7_600_000_000),
            declaration("CHN", "KAZ", "imports", 2014, 9 * BILLION),
            declaration("KAZ", "CHN", "exports", 2014, 10 * BILLION),
            declaration("KAZ", "RUS", "imports", 2014, 1 * BILLION),
        ],
    )
    params = "reporter=KAZ,CHN&partner=CHN,KAZ&indicator=imports,exports&year=2014"
    response = client.get(f"{OBSERVATIONS}?{params}")
    assert response.status_code == 200
    rows = [
        (item["reporter"], item["partner"], item["indicator"], item["value"])
        for item in response.json()["items"]
    ]
    assert rows == [
        ("CHN", "KAZ", "exports", 7_600_000_000),
        ("CHN", "KAZ", "imports", 9 * BILLION),
        ("KAZ", "CHN", "exports", 10 * BILLION),
        ("KAZ", "CHN", "imports", 8 * BILLION),
    ]


# --- SCO totals --------------------------------------------------------------------------------


def _between_founders(year: int) -> list[dict[str, Any]]:
    """Every founder's imports from every other founder: (index of a) * 10 + index of b bn."""
    return [
        declaration(a, b, "imports", year, (10 * FOUNDERS.index(a) + FOUNDERS.index(b)) * BILLION)
        for a, b in permutations(FOUNDERS, 2)
    ]


def test_intra_sco_totals_sum_the_member_states_of_the_year(
    client: TestClient, write_key: str
) -> None:
    # 2016: the six founders were the members; 2017: India and Pakistan too (from 9 June),
    # and `SCO` in a year means the members on 31 December, so 2017 needs their figures.
    import_rows(client, write_key, [*_between_founders(2016), *_between_founders(2017)])
    expected = sum(
        (10 * FOUNDERS.index(a) + FOUNDERS.index(b)) * BILLION for a, b in permutations(FOUNDERS, 2)
    )
    items = observations(client, reporter="SCO", partner="SCO")
    turnover = items["sco-sco-trade-turnover-2016-from-imports"]
    assert turnover["value"] == expected
    assert turnover["preferred"] is True
    assert turnover["derivation"]["formula"] == (
        "sum(imports[a, b] + imports[b, a] for a in reporter, b in partner)"
    )
    assert len(turnover["derivation"]["inputs"]) == 30  # each flow between two members once
    assert (
        "6 SCO member states as of 2016-12-31 (CHN, KAZ, KGZ, RUS, TJK, UZB)" in (turnover["note"])
    )
    assert turnover["bounds"] == {"lower": expected - 15_000_000, "upper": expected + 15_000_000}
    imports = items["sco-sco-imports-2016-sum-over-members"]
    assert imports["value"] == expected
    assert imports["derivation"]["formula"] == (
        "sum(imports[a, b] for a in reporter, b in partner, a != b)"
    )
    # No partial totals: India's and Pakistan's declarations of 2017 are missing.
    assert not [item for item in items.values() if item["year"] == 2017]

    # A member's trade with the SCO is its trade with the other members.
    kaz = observations(client, reporter="KAZ", partner="SCO", indicator="trade_turnover", year=2016)
    kaz_sco = kaz["kaz-sco-trade-turnover-2016-from-imports"]
    others = [code for code in FOUNDERS if code != "KAZ"]
    assert kaz_sco["value"] == sum(
        (10 * FOUNDERS.index(a) + FOUNDERS.index(b)) * BILLION
        for a, b in permutations(FOUNDERS, 2)
        if "KAZ" in (a, b)
    )
    assert len(kaz_sco["derivation"]["inputs"]) == 2 * len(others)


def test_sco_totals_with_a_non_member(client: TestClient, write_key: str) -> None:
    rows = [
        *(declaration(code, "USA", "imports", 2016, 2 * BILLION) for code in FOUNDERS),
        *(declaration("USA", code, "imports", 2016, 3 * BILLION) for code in FOUNDERS),
        *(declaration(code, "USA", "exports", 2016, 1 * BILLION) for code in FOUNDERS[:-1]),
    ]
    import_rows(client, write_key, rows)
    items = observations(client, reporter="SCO", partner="USA", year=2016)
    assert items["sco-usa-imports-2016-sum-over-members"]["value"] == 12 * BILLION
    turnover = items["sco-usa-trade-turnover-2016-from-imports"]
    assert turnover["value"] == 30 * BILLION
    assert turnover["preferred"] is True
    # Uzbekistan's exports to the USA are missing: no exports total and no turnover from the
    # members' own declarations, rather than a partial sum presented as the SCO's.
    assert "sco-usa-exports-2016-sum-over-members" not in items
    assert "sco-usa-trade-turnover-2016-from-exports-and-imports" not in items
    usa = observations(client, reporter="USA", partner="SCO", year=2016)
    assert usa["usa-sco-imports-2016-sum-over-members"]["value"] == 18 * BILLION
    assert usa["usa-sco-trade-turnover-2016-from-imports"]["value"] == 30 * BILLION

    import_rows(client, write_key, [*rows, declaration("UZB", "USA", "exports", 2016, BILLION)])
    items = observations(client, reporter="SCO", partner="USA", year=2016)
    assert items["sco-usa-exports-2016-sum-over-members"]["value"] == 6 * BILLION
    own = items["sco-usa-trade-turnover-2016-from-exports-and-imports"]
    assert own["value"] == 18 * BILLION
    assert own["preferred"] is True
    assert items["sco-usa-trade-turnover-2016-from-imports"]["preferred"] is False


# --- mirror gaps --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("imports", "found"),
    [
        (10_500_000_000, False),  # CIF above FOB by 5 %: expected
        (10_999_000_000, False),  # within 10 %
        (11_500_000_000, True),
        (8 * BILLION, True),  # 20 % below the mirror exports
    ],
)
def test_mirror_gap_beyond_the_tolerance(
    client: TestClient, write_key: str, imports: int, found: bool
) -> None:
    import_rows(
        client,
        write_key,
        [
            declaration("KAZ", "CHN", "exports", 2014, 10 * BILLION),
            declaration("CHN", "KAZ", "imports", 2014, imports),
        ],
    )
    items = findings(client)
    assert ("mirror_gap:kaz-chn-exports-2014" in items) is found
    if not found:
        return
    item = items["mirror_gap:kaz-chn-exports-2014"]
    assert item["kind"] == "mirror_gap"
    assert item["observation_ids"] == [
        declaration_id("KAZ", "CHN", "exports", 2014),
        declaration_id("CHN", "KAZ", "imports", 2014),
    ]
    assert (item["reported"], item["implied"]) == (10 * BILLION, imports)
    assert "CIF" in item["message"]
    assert "FOB" in item["message"]
    assert "KAZ declares exports to CHN of $10.000 bn" in item["message"]


def test_mirror_gap_both_ways_and_its_tolerance(client: TestClient, write_key: str) -> None:
    import_rows(
        client,
        write_key,
        [
            declaration("KAZ", "CHN", "exports", 2014, 10 * BILLION),
            declaration("CHN", "KAZ", "imports", 2014, 8 * BILLION),
            declaration("CHN", "KAZ", "exports", 2014, 5 * BILLION),
            declaration("KAZ", "CHN", "imports", 2014, 6 * BILLION),
        ],
    )
    items = findings(client)
    assert set(items) == {"mirror_gap:chn-kaz-exports-2014", "mirror_gap:kaz-chn-exports-2014"}
    assert "20.0 % more" in items["mirror_gap:chn-kaz-exports-2014"]["message"]
    assert "20.0 % less" in items["mirror_gap:kaz-chn-exports-2014"]["message"]
    assert findings(client, mirror_tolerance=25) == {}
    assert set(findings(client, mirror_tolerance="19.5")) == set(items)
    bad = client.get(CHECKS, params={"mirror_tolerance": "-1"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.mirror_tolerance"
    # The series of one declaration shows the finding about its mirror.
    series = client.get(
        "/api/v1/trade/series",
        params={"reporter": "CHN", "partner": "KAZ", "indicator": "imports"},
    ).json()
    assert [check["id"] for check in series["checks"]] == ["mirror_gap:kaz-chn-exports-2014"]


def test_mirror_gap_respects_the_published_digits(client: TestClient, write_key: str) -> None:
    # "$10 bn" stands for 9.5 to 10.5 bn: 11.5 bn imports are within 10 % of 10.5 bn.
    rough = {**declaration("KAZ", "CHN", "exports", 2014, 10 * BILLION), "precision": BILLION}
    import_rows(
        client, write_key, [rough, declaration("CHN", "KAZ", "imports", 2014, 11_500_000_000)]
    )
    assert findings(client) == {}
