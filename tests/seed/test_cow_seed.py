"""The seed's Correlates of War figures (DESIGN section 8), checked against the file itself.

One database per backend is seeded in full, published data sets included; every expectation
is read from `seed_data/cow_trade_sco_1992_2014.csv.gz` and the crosswalk, never typed in.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.package_data import package_folder
from app.seed import seed
from app.trade.importers.cow import crosswalk
from app.trade.models import TradeObservation
from tests.conftest import BACKENDS, create_postgres_database, drop_postgres_database
from tests.support.live import committed_app

COW_FILE = package_folder("seed_data") / "cow_trade_sco_1992_2014.csv.gz"
SOURCE = "cow-trade-4-0"
MILLION = Decimal(1_000_000)
MISSING = {"", "-9"}

# Seeding the file takes half a minute per backend: the module's tests share one seeded
# database per backend, so they run in one xdist worker (split, each worker seeded its own).
pytestmark = pytest.mark.xdist_group("cow_seed")


def file_figures() -> dict[tuple[str, str, int], Decimal]:
    """(reporter, partner, year) -> USD of every declaration the file gives for ISO states."""
    iso = crosswalk()
    figures: dict[tuple[str, str, int], Decimal] = {}
    with gzip.open(COW_FILE, "rt", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            first, second = iso.get(int(row["ccode1"])), iso.get(int(row["ccode2"]))
            year = int(row["year"])
            for flow, reporter, partner in (("flow1", first, second), ("flow2", second, first)):
                if reporter and partner and row[flow] not in MISSING:
                    figures[(reporter, partner, year)] = Decimal(row[flow]) * MILLION
    return figures


@pytest.fixture(scope="session")
def seeded_databases() -> Iterator[dict[str, Engine]]:
    """One fully seeded database per backend, made when a test first asks, kept until the
    worker ends.

    Not a parametrized module fixture: pytest tears one down whenever the next test has the
    other parameter or comes from another module, and under xdist this module's tests reach
    their worker interleaved with others (the file was seeded four times, 35 s each)."""
    engines: dict[str, Engine] = {}
    try:
        yield engines
    finally:
        for engine in engines.values():
            url = engine.url.render_as_string(hide_password=False)
            engine.dispose()
            if engine.dialect.name == "postgresql":
                drop_postgres_database(url)


@pytest.fixture(params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest,
    seeded_databases: dict[str, Engine],
    tmp_path_factory: pytest.TempPathFactory,
) -> Engine:
    backend: str = request.param
    if backend not in seeded_databases:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('cow') / 'sco.db'}"
        else:
            url = create_postgres_database(request.getfixturevalue("postgres_base_url"))
        upgrade(url)
        engine = make_engine(url)
        seeded_databases[backend] = engine
        with make_session_factory(engine).begin() as session:
            seed(session)
    return seeded_databases[backend]


def stored(engine: Engine) -> dict[tuple[str, str, int], Decimal]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                TradeObservation.reporter,
                TradeObservation.partner,
                TradeObservation.year,
                TradeObservation.value,
            ).where(TradeObservation.source_id == SOURCE)
        )
        return {(r, p, y): v for r, p, y, v in rows}


def test_every_declaration_of_the_file_is_stored_with_its_value(seeded: Engine) -> None:
    expected = file_figures()
    assert len(expected) > 60_000  # the SCO slice of 1992-2014
    assert stored(seeded) == expected


def test_the_figures_cite_the_codebook_as_imports_of_the_declaring_state(seeded: Engine) -> None:
    with seeded.connect() as connection:
        indicators = set(
            connection.scalars(
                select(TradeObservation.indicator).where(TradeObservation.source_id == SOURCE)
            )
        )
        years = connection.execute(
            select(func.min(TradeObservation.year), func.max(TradeObservation.year)).where(
                TradeObservation.source_id == SOURCE
            )
        ).one()
    assert indicators == {"imports"}
    assert tuple(years) == (1992, 2014)


def test_the_api_answers_a_known_pair_from_the_file_and_its_turnover(seeded: Engine) -> None:
    figures = file_figures()
    russia_from_china = figures[("RUS", "CHN", 2014)]
    china_from_russia = figures[("CHN", "RUS", 2014)]
    with TestClient(committed_app(seeded)) as client:
        answer = client.get(
            "/api/v1/trade/observations",
            params={"reporter": "RUS", "partner": "CHN", "indicator": "imports", "year": 2014},
        )
        assert answer.status_code == 200
        (item,) = answer.json()["items"]
        assert Decimal(str(item["value"])) == russia_from_china
        assert item["source_id"] == SOURCE
        turnover = client.get(
            "/api/v1/trade/observations",
            params={
                "reporter": "RUS",
                "partner": "CHN",
                "indicator": "trade_turnover",
                "year": 2014,
                "status": "derived",
            },
        ).json()["items"]
    from_imports = [i for i in turnover if "imports" in i["derivation"]["formula"]]
    assert from_imports, turnover
    assert Decimal(str(from_imports[0]["value"])) == russia_from_china + china_from_russia


def test_seeding_again_changes_nothing(seeded: Engine) -> None:
    with make_session_factory(seeded).begin() as session:
        assert seed(session).changed == 0
