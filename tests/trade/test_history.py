"""Past releases (DESIGN section 8): every change keeps the previous version; `as_of` answers
the figures as they stood then; `/history` lists an observation's versions."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.migrations import downgrade, upgrade
from app.db.session import make_engine, make_session_factory
from app.seed import seed
from app.trade.models import VERSIONED_COLUMNS, TradeObservation, trade_observation_versions
from app.trade.writes import ObservationIn
from tests.conftest import bearer
from tests.support.live import committed_app, prepare_database

OBSERVATIONS = "/api/v1/trade/observations"
SERIES = "/api/v1/trade/series"
KAZ_SCO_TURNOVER = {"reporter": "KAZ", "partner": "SCO", "indicator": "trade_turnover"}
KAZ_2023_OQ = "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02"
KAZ_2023_ASTANA = "kaz-sco-trade-turnover-2023-astanatimes-2024-10-bektenov-islamabad"
KYRGYZ_2024 = {
    "reporter": "KGZ",
    "partner": "SCO",
    "indicator": "trade_turnover",
    "year": 2024,
    "value": 12500000000,
    "precision": 100000000,
    "source_id": "kazinform-2024-04-30",
}
KYRGYZ_2024_ID = "kgz-sco-trade-turnover-2024-kazinform-2024-04-30"


def _now() -> str:
    """This moment as an RFC 3339 time (with microseconds: writes a test makes are that close)."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _t(moment: str) -> datetime:
    """A time as the API writes it (`…Z`), to compare as a time rather than as text."""
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _all(
    client: TestClient, path: str, *, page_size: int = 500, **params: Any
) -> list[dict[str, Any]]:
    """Every item of a list, page after page."""
    items: list[dict[str, Any]] = []
    query = {**params, "limit": page_size}
    while True:
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if not page["next_cursor"]:
            return items
        query["cursor"] = page["next_cursor"]


def _by_id(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in _all(client, OBSERVATIONS, **params)}


def _history(client: TestClient, observation_id: str) -> list[dict[str, Any]]:
    return _all(client, f"{OBSERVATIONS}/{observation_id}/history")


def _derived_from(items: dict[str, dict[str, Any]], input_id: str) -> set[str]:
    return {
        item["id"]
        for item in items.values()
        if item["derivation"] and input_id in item["derivation"]["inputs"]
    }


def test_a_patch_then_as_of_before_and_after(client: TestClient, write_key: str) -> None:
    before = _now()
    patched = client.patch(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"value": 66100000000}, headers=bearer(write_key)
    )
    assert patched.status_code == 200, patched.text
    after = _now()

    then = _by_id(client, **KAZ_SCO_TURNOVER, as_of=before)
    now = _by_id(client, **KAZ_SCO_TURNOVER, as_of=after)
    latest = _by_id(client, **KAZ_SCO_TURNOVER)
    assert then[KAZ_2023_OQ]["value"] == 66000000000
    assert now[KAZ_2023_OQ]["value"] == latest[KAZ_2023_OQ]["value"] == 66100000000
    # The answer as of now is the latest answer, field for field.
    assert now == latest

    # The figures derived from it changed with it, and `as_of` shows them as they were.
    derived = _derived_from(then, KAZ_2023_OQ)
    assert derived
    for observation_id in derived:
        assert then[observation_id]["value"] != now[observation_id]["value"]
        assert then[observation_id]["derivation"] == now[observation_id]["derivation"]


def test_a_delete_then_as_of_before(client: TestClient, write_key: str) -> None:
    auth = bearer(write_key)
    before_create = _now()
    assert client.post(OBSERVATIONS, json=KYRGYZ_2024, headers=auth).status_code == 201
    created = _now()
    assert client.delete(f"{OBSERVATIONS}/{KYRGYZ_2024_ID}", headers=auth).status_code == 204
    deleted = _now()

    kyrgyz = {"reporter": "KGZ", "year": 2024}
    assert KYRGYZ_2024_ID not in _by_id(client, **kyrgyz, as_of=before_create)
    assert _by_id(client, **kyrgyz, as_of=created)[KYRGYZ_2024_ID]["value"] == 12500000000
    assert KYRGYZ_2024_ID not in _by_id(client, **kyrgyz, as_of=deleted)
    assert client.get(f"{OBSERVATIONS}/{KYRGYZ_2024_ID}").status_code == 404

    # A deleted observation keeps its history: one version, ended when it was deleted.
    (version,) = _history(client, KYRGYZ_2024_ID)
    assert version["value"] == 12500000000
    assert _t(created) < _t(version["valid_to"]) < _t(deleted)


def test_a_priority_change_that_moves_preferred_then_as_of_before(
    client: TestClient, write_key: str
) -> None:
    before = _now()
    response = client.patch(
        "/api/v1/sources/astanatimes-2024-10-bektenov-islamabad",
        json={"priority": 90},
        headers=bearer(write_key),
    )
    assert response.status_code == 200, response.text
    after = _now()

    def point_2023(as_of: str | None) -> dict[str, Any]:
        params = {**KAZ_SCO_TURNOVER, **({"as_of": as_of} if as_of else {})}
        series = client.get(SERIES, params=params)
        assert series.status_code == 200, series.text
        return next(point for point in series.json()["points"] if point["year"] == 2023)

    assert (point_2023(before)["observation_id"], point_2023(before)["value"]) == (
        KAZ_2023_OQ,
        66000000000,
    )
    assert point_2023(after)["observation_id"] == point_2023(None)["observation_id"]
    assert (point_2023(after)["observation_id"], point_2023(after)["value"]) == (
        KAZ_2023_ASTANA,
        66700000000,
    )
    preferred_then = _by_id(client, **KAZ_SCO_TURNOVER, year=2023, preferred=True, as_of=before)
    assert set(preferred_then) == {KAZ_2023_OQ}
    # The flag that moved is a version of each figure.
    assert [v["preferred"] for v in _history(client, KAZ_2023_OQ)][:2] == [False, True]
    assert [v["preferred"] for v in _history(client, KAZ_2023_ASTANA)][:2] == [True, False]


def test_history_is_newest_first_and_gapless(client: TestClient, write_key: str) -> None:
    auth = bearer(write_key)
    seeded = _history(client, KAZ_2023_OQ)
    assert len(seeded) == 1
    assert seeded[0]["valid_to"] is None
    for value in (66100000000, 66200000000):
        response = client.patch(
            f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"value": value}, headers=auth
        )
        assert response.status_code == 200, response.text

    versions = _history(client, KAZ_2023_OQ)
    assert [v["value"] for v in versions] == [66200000000, 66100000000, 66000000000]
    assert versions[0]["valid_to"] is None
    for newer, older in itertools.pairwise(versions):
        assert older["valid_to"] == newer["valid_from"]
        assert _t(older["valid_from"]) < _t(older["valid_to"])
    # Items carry the contract's fields (and the whole observation as it stood).
    assert {
        "value",
        "qualifier",
        "precision",
        "status",
        "source_id",
        "valid_from",
        "valid_to",
    } <= set(versions[0])
    # A list page like every other: limit, cursor, Link, ETag, 304.
    first = client.get(f"{OBSERVATIONS}/{KAZ_2023_OQ}/history", params={"limit": 1})
    assert first.status_code == 200
    assert [v["value"] for v in first.json()["items"]] == [66200000000]
    assert 'rel="next"' in first.headers["link"]
    second = client.get(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}/history",
        params={"limit": 1, "cursor": first.json()["next_cursor"]},
    )
    assert [v["value"] for v in second.json()["items"]] == [66100000000]
    etag = first.headers["etag"]
    again = client.get(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}/history",
        params={"limit": 1},
        headers={"If-None-Match": etag},
    )
    assert again.status_code == 304
    assert "max-age" in first.headers["cache-control"]


def test_a_version_starts_when_the_feed_records_the_change(
    client: TestClient, write_key: str
) -> None:
    since = _all(client, "/api/v1/changes")[-1]["seq"]
    response = client.patch(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"note": "Checked."}, headers=bearer(write_key)
    )
    assert response.status_code == 200, response.text
    feed = _all(client, "/api/v1/changes", since=since)
    # The feed lists the observation's own update, once; versions are not feed items.
    assert [(c["type"], c["id"], c["action"]) for c in feed] == [
        ("trade_observation", KAZ_2023_OQ, "update")
    ]
    newest = _history(client, KAZ_2023_OQ)[0]
    assert newest["note"] == "Checked."
    assert _t(newest["valid_from"]) == _t(feed[0]["at"])


def test_unknown_id_has_no_history(client: TestClient) -> None:
    response = client.get(f"{OBSERVATIONS}/no-such-figure/history")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"{OBSERVATIONS}/Not A Slug/history").status_code == 422


@pytest.mark.parametrize(
    "as_of",
    [
        "yesterday",
        "2024-13-01",
        "2024-05-01T12:00:00",  # no offset: not RFC 3339
        "1714564800",
        "2024-05-01T25:00:00Z",
        "",
    ],
)
@pytest.mark.parametrize("path", [OBSERVATIONS, SERIES])
def test_unreadable_as_of_is_422(client: TestClient, path: str, as_of: str) -> None:
    response = client.get(path, params={**KAZ_SCO_TURNOVER, "as_of": as_of})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["query.as_of"]


@pytest.mark.parametrize("path", [OBSERVATIONS, SERIES])
def test_future_as_of_is_422(client: TestClient, path: str) -> None:
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    for as_of in (soon, tomorrow):
        response = client.get(path, params={**KAZ_SCO_TURNOVER, "as_of": as_of})
        assert response.status_code == 422, response.text
        (error,) = response.json()["errors"]
        assert error["field"] == "query.as_of"
        assert "future" in error["message"]
        # Well-formed, but not a moment whose figures are known: a rule, not a typo.
        assert error["type"] == "rule_error"


def test_a_date_means_the_end_of_that_day(client: TestClient, write_key: str) -> None:
    """Today's date is now (its end has not come); a date before anything was recorded is
    an empty answer, not an error."""
    today = datetime.now(UTC).date().isoformat()
    patched = client.patch(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"value": 66100000000}, headers=bearer(write_key)
    )
    assert patched.status_code == 200
    assert _by_id(client, **KAZ_SCO_TURNOVER, as_of=today)[KAZ_2023_OQ]["value"] == 66100000000
    assert _by_id(client, **KAZ_SCO_TURNOVER, as_of="2000-01-01") == {}
    # Before the first moment Python holds in UTC: the first moment, with nothing in it yet.
    assert _by_id(client, **KAZ_SCO_TURNOVER, as_of="0001-01-01T00:00:00+01:00") == {}
    # An unencoded `+` arrives as a space; it is read as the `+` it was.
    path = f"{OBSERVATIONS}?reporter=KAZ&as_of="
    spaced = client.get(path + "2024-05-01T12:00:00+05:00")
    encoded = client.get(path + "2024-05-01T12:00:00%2B05:00")
    assert spaced.status_code == encoded.status_code == 200, spaced.text
    assert spaced.json() == encoded.json()


def test_as_of_csv_and_paging(client: TestClient, write_key: str) -> None:
    before = _now()
    patched = client.patch(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"value": 66100000000}, headers=bearer(write_key)
    )
    assert patched.status_code == 200
    params = {**KAZ_SCO_TURNOVER, "year": 2023, "as_of": before, "format": "csv"}
    whole = client.get(OBSERVATIONS, params=params)
    assert whole.status_code == 200
    line = next(line for line in whole.text.splitlines() if line.startswith(KAZ_2023_OQ))
    assert ",66000000000," in line
    paged = client.get(OBSERVATIONS, params={**params, "limit": 2})
    assert paged.text.splitlines()[1:] == whole.text.splitlines()[1:3]
    # Pages of an `as_of` list, by sort, join up to the whole list as it stood.
    query = {"as_of": before, "sort": "-value", "reporter": "KAZ"}
    listed = _all(client, OBSERVATIONS, page_size=3, **query)
    whole_page = client.get(OBSERVATIONS, params={**query, "limit": 500}).json()["items"]
    assert [item["id"] for item in listed] == [item["id"] for item in whole_page]
    assert next(item for item in listed if item["id"] == KAZ_2023_OQ)["value"] == 66000000000


IMPORT_HEADER = "reporter,partner,indicator,year,value,precision,qualifier,source_id,note\r\n"


def _import(client: TestClient, key: str, body: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/trade/imports",
        content=body.encode(),
        headers={**bearer(key), "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_imports_record_versions(client: TestClient, write_key: str) -> None:
    row = "KGZ,SCO,trade_turnover,2024,{value},100000000,exact,kazinform-2024-04-30,imported\r\n"
    _import(client, write_key, IMPORT_HEADER + row.format(value=12500000000))
    assert [v["value"] for v in _history(client, KYRGYZ_2024_ID)] == [12500000000]

    # The same rows again: nothing changes, so no version.
    _import(client, write_key, IMPORT_HEADER + row.format(value=12500000000))
    assert len(_history(client, KYRGYZ_2024_ID)) == 1

    # A changed value: exactly one new version, the old one closed where it starts.
    _import(client, write_key, IMPORT_HEADER + row.format(value=12600000000))
    versions = _history(client, KYRGYZ_2024_ID)
    assert [v["value"] for v in versions] == [12600000000, 12500000000]
    assert versions[1]["valid_to"] == versions[0]["valid_from"]


def test_a_derived_figure_keeps_one_history_through_removal_and_return(
    client: TestClient, write_key: str
) -> None:
    """Derived ids are stable: removed by recompute and made again, it is the same figure."""
    auth = bearer(write_key)
    growth_id = "kaz-sco-trade-turnover-growth-2023-kazinform-2024-04-30"
    growth = client.get(f"{OBSERVATIONS}/{growth_id}").json()
    dependent = sorted(_derived_from(_by_id(client, status="derived"), growth_id))
    assert dependent
    assert client.delete(f"{OBSERVATIONS}/{growth_id}", headers=auth).status_code == 204
    removed = _now()
    body = {
        key: value
        for key, value in growth.items()
        if key in ObservationIn.model_fields and value is not None
    }
    assert client.post(OBSERVATIONS, json=body, headers=auth).status_code == 201, body
    for observation_id in dependent:
        versions = _history(client, observation_id)
        assert len(versions) >= 2
        assert versions[0]["valid_to"] is None
        assert versions[1]["valid_to"] is not None
        assert _t(versions[1]["valid_to"]) < _t(removed) < _t(versions[0]["valid_from"])
        assert versions[0]["value"] == versions[1]["value"]


def _open_versions_match_the_table(session: Session) -> None:
    """Every observation has exactly one open version, holding what the row holds, and no
    open version names an observation that is gone."""
    columns = [column.name for column in VERSIONED_COLUMNS]
    table, versions = TradeObservation.__table__, trade_observation_versions
    live = {
        row[0]: tuple(row[1:])
        for row in session.execute(select(table.c.id, *(table.c[name] for name in columns)))
    }
    open_rows = session.execute(
        select(versions.c.observation_id, *(versions.c[name] for name in columns)).where(
            versions.c.valid_to.is_(None)
        )
    ).all()
    kept = {row[0]: tuple(row[1:]) for row in open_rows}
    assert len(kept) == len(open_rows)
    assert kept == live


def test_every_write_path_leaves_the_versions_complete(
    client: TestClient, db_session: Session, write_key: str
) -> None:
    auth = bearer(write_key)
    _open_versions_match_the_table(db_session)  # the seed
    assert client.post(OBSERVATIONS, json=KYRGYZ_2024, headers=auth).status_code == 201
    row = "KGZ,SCO,trade_turnover,2023,11000000000,100000000,exact,kazinform-2024-04-30,x\r\n"
    _import(client, write_key, IMPORT_HEADER + row)
    patched = client.patch(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"value": 66100000000}, headers=auth
    )
    assert patched.status_code == 200
    source = client.patch(
        "/api/v1/sources/astanatimes-2024-10-bektenov-islamabad",
        json={"priority": 90},
        headers=auth,
    )
    assert source.status_code == 200
    growth_id = "kaz-sco-trade-turnover-growth-2023-kazinform-2024-04-30"
    assert client.delete(f"{OBSERVATIONS}/{growth_id}", headers=auth).status_code == 204
    _open_versions_match_the_table(db_session)
    # What recompute removed with the growth rate is closed, not forgotten.
    assert _history(client, growth_id)[0]["valid_to"] is not None


# --- migration and the answer cache ------------------------------------------------------------

BACKENDS = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


@BACKENDS
def test_the_migration_gives_each_observation_a_first_version(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    downgrade(empty_database_url, "0008")
    upgrade(empty_database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT id, updated_at FROM trade_observations ORDER BY id")
        ).all()
        versions = connection.execute(
            text(
                "SELECT observation_id, valid_from, valid_to FROM trade_observation_versions "
                "ORDER BY observation_id"
            )
        ).all()
    engine.dispose()
    assert stored
    assert [(row.observation_id, row.valid_from, row.valid_to) for row in versions] == [
        (row.id, row.updated_at, None) for row in stored
    ]


@pytest.fixture
def cached_client(empty_database_url: str) -> Iterator[tuple[TestClient, str]]:
    """The app with its answer cache on, on a committed database."""
    engine: Engine = prepare_database(empty_database_url)
    from app.auth.service import create_key

    with make_session_factory(engine).begin() as session:
        key = create_key(session, name="history-test", scope="write")
    settings = Settings(SCO_RATE_LIMIT=0, SCO_RESPONSE_CACHE_TTL_MS=50)
    with TestClient(committed_app(engine, settings)) as client:
        yield client, key
    engine.dispose()


@BACKENDS
def test_the_answer_cache_keeps_as_of_answers_apart(cached_client: tuple[TestClient, str]) -> None:
    client, key = cached_client
    before = _now()
    response = client.patch(
        f"{OBSERVATIONS}/{KAZ_2023_OQ}", json={"value": 66100000000}, headers=bearer(key)
    )
    assert response.status_code == 200
    after = _now()
    url = f"{OBSERVATIONS}/{KAZ_2023_OQ}/history"

    def value(as_of: str) -> Any:
        params = {**KAZ_SCO_TURNOVER, "year": 2023, "as_of": as_of}
        items = client.get(OBSERVATIONS, params=params).json()["items"]
        return next(item["value"] for item in items if item["id"] == KAZ_2023_OQ)

    for _ in range(3):  # hits and misses alike
        assert value(before) == 66000000000
        assert value(after) == 66100000000
        assert len(client.get(url).json()["items"]) == 2
