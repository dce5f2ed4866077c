"""Migration safety, on SQLite and PostgreSQL: every step up and down, one head, no drift,
and the data already stored survives (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.orm import Session

from app.areas.models import Area
from app.db.base import Base
from app.db.migrations import alembic_config, current_revisions, downgrade, upgrade
from app.db.session import make_engine, make_session_factory
from app.meetings.models import Meeting, MeetingSession
from app.migrate import migrate
from app.organizations.models import Organization
from app.people.models import Person
from app.reports.models import Report
from app.seed import seed
from app.sources.models import Source
from app.trade.models import TradeObservation

BACKENDS = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)
# The revision before the search index: the seed is loaded there, as a deployment of that
# time held it, and must come through the later migrations whole.
BEFORE_SEARCH = "0002"
SEEDED_MODELS = (Area, Organization, Person, Meeting, MeetingSession, Report, Source)
SEARCHED_MODELS = (Organization, Person, Meeting, MeetingSession, Report, Source)


def _revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def _revision(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return current_revisions(connection)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_there_is_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert _revisions()[0] == "0001"


@BACKENDS
def test_every_revision_goes_up_and_down_step_by_step(
    empty_database_url: str, engine: Engine
) -> None:
    revisions = _revisions()
    tables_at: dict[str, set[str]] = {}
    for revision in revisions:
        upgrade(empty_database_url, revision)
        assert _revision(engine) == {revision}
        tables_at[revision] = _tables(engine)
        # Each step is revertible and can be applied again.
        downgrade(empty_database_url, "-1")
        upgrade(empty_database_url, revision)
        assert _tables(engine) == tables_at[revision]
    for previous, revision in reversed(list(zip([None, *revisions], revisions, strict=False))):
        downgrade(empty_database_url, "-1")
        if previous is None:
            assert _revision(engine) == set()
            assert not {t for t in _tables(engine) if not t.startswith("sqlite_")}
        else:
            assert _revision(engine) == {previous}
            assert _tables(engine) == tables_at[previous], revision


@BACKENDS
def test_the_models_and_the_migrations_do_not_drift(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    # `alembic check`: autogenerate against the migrated database, with env.py's filters.
    command.check(alembic_config(empty_database_url))
    assert Base.metadata.tables  # the comparison had models to compare


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        counts = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (*SEEDED_MODELS, TradeObservation)
        }
    return {name: count or 0 for name, count in counts.items()}


def _indexed(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT type, count(*) FROM search_index GROUP BY type"))
        return {str(kind): int(count) for kind, count in rows}


@BACKENDS
def test_migrations_keep_the_data_a_database_holds(
    empty_database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seeded by today's code (at head), then taken back to the revision before the search
    # index with its rows: the way up again must keep every row and index them all.
    upgrade(empty_database_url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    seeded = _counts(engine)
    assert all(seeded.values()), seeded
    downgrade(empty_database_url, BEFORE_SEARCH)
    assert _counts(engine) == seeded

    upgrade(empty_database_url)
    assert _counts(engine) == seeded
    expected_index = {
        "organization": seeded["organizations"],
        "person": seeded["people"],
        "meeting": seeded["meetings"],
        "session": seeded["sessions"],
        "report": seeded["reports"],
        "source": seeded["sources"],
    }
    assert _indexed(engine) == expected_index  # backfilled from the rows already there

    downgrade(empty_database_url, BEFORE_SEARCH)
    assert _counts(engine) == seeded
    upgrade(empty_database_url)
    assert _counts(engine) == seeded
    assert _indexed(engine) == expected_index


def test_0004_gives_every_sqlite_decimal_its_one_spelling(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'before-0004.db'}"
    # Seeded by today's code (at head), then taken back to before 0004 with its rows.
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    downgrade(url, "0003")
    # Text as the earlier column type wrote it: `format(value, "f")` of the value as given.
    written = {"6.800000": "6.8", "66000000000": "66000000000", "0.000": "0", "-0": "0"}
    with engine.begin() as connection:
        ids = (
            connection.execute(
                text("SELECT id FROM trade_observations ORDER BY id LIMIT :n"), {"n": len(written)}
            )
            .scalars()
            .all()
        )
        for id_, stored in zip(ids, written, strict=True):
            connection.execute(
                text("UPDATE trade_observations SET value = :v, precision = :v WHERE id = :id"),
                {"v": stored, "id": id_},
            )
    upgrade(url)
    with engine.connect() as connection:
        for id_, expected in zip(ids, written.values(), strict=True):
            row = connection.execute(
                text("SELECT value, precision FROM trade_observations WHERE id = :id"),
                {"id": id_},
            ).one()
            assert tuple(row) == (expected, expected)
    engine.dispose()


@BACKENDS
def test_migrating_fills_what_new_columns_need(empty_database_url: str, engine: Engine) -> None:
    """`sco-api db upgrade` computes the ranges a migration adds (migration 0008)."""
    upgrade(empty_database_url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    columns = "id, bounds_lower, bounds_upper, qualifier"
    query = text(f"SELECT {columns} FROM trade_observations ORDER BY id")  # noqa: S608
    with engine.connect() as connection:
        seeded = connection.execute(query).all()
    assert all(row.bounds_lower is not None for row in seeded)

    downgrade(empty_database_url, "0007")  # as a database of the previous release
    assert migrate(empty_database_url) is not None
    with engine.connect() as connection:
        assert connection.execute(query).all() == seeded
    assert migrate(empty_database_url) is None  # nothing left to fill: one question


@BACKENDS
def test_0010_gives_the_entries_already_indexed_their_cjk_terms(
    empty_database_url: str, engine: Engine
) -> None:
    upgrade(empty_database_url)
    with make_session_factory(engine).begin() as session:
        seed(session, data_sets=False)
    terms = text("SELECT terms FROM search_index WHERE type = 'organization' AND id = 'sco'")
    with engine.connect() as connection:
        written = connection.execute(terms).scalar_one()
    assert "合作" in written.split()  # as the application writes them

    downgrade(empty_database_url, "0009")  # a database of the previous release
    upgrade(empty_database_url)
    with engine.connect() as connection:
        assert connection.execute(terms).scalar_one() == written
