"""The seed: idempotent, all-or-nothing, and every seeded fact traced to a source."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.db.migrations import upgrade
from app.db.models import (
    Area,
    Base,
    Change,
    Delegation,
    Meeting,
    MeetingSession,
    MeetingSource,
    Organization,
    OrganizationSource,
    Participation,
    Person,
    PersonPost,
    PersonSource,
    Report,
    ReportSource,
    Source,
)
from app.db.session import make_engine, make_session_factory
from app.package_data import package_folder
from app.seed import seed
from tests.factories.meetings import delegation_record

BACKENDS = ["sqlite", "postgresql"]
ASTANA_MEETING = "2024-04-30-astana-swg-trade-facilitation"

Snapshot = dict[str, list[tuple[Any, ...]]]


def _snapshot(engine: Engine) -> Snapshot:
    """Every row of every table (timestamps included), in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    """An engine on a migrated database that holds no seed rows yet."""
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_seeding_twice_changes_nothing(empty_engine: Engine) -> None:
    with make_session_factory(empty_engine).begin() as session:
        first = seed(session, data_sets=False)
    assert first.changed > 0
    before = _snapshot(empty_engine)

    with make_session_factory(empty_engine).begin() as session:
        second = seed(session, data_sets=False)

    assert second.changed == 0
    assert _snapshot(empty_engine) == before


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_a_broken_row_in_a_late_file_stores_nothing(empty_engine: Engine, tmp_path: Path) -> None:
    seed_dir = tmp_path / "seed_data"
    shutil.copytree(package_folder("seed_data"), seed_dir)
    reports_path = seed_dir / "reports.yaml"
    reports = yaml.safe_load(reports_path.read_text(encoding="utf-8"))
    reports[0]["author_organization_ids"] = ["no-such-organization"]
    reports_path.write_text(yaml.safe_dump(reports, allow_unicode=True), encoding="utf-8")
    before = _snapshot(empty_engine)

    with pytest.raises(IntegrityError), make_session_factory(empty_engine).begin() as session:
        seed(session, seed_dir, data_sets=False)

    after = _snapshot(empty_engine)
    assert after == before
    for table in ("organizations", "sources", "people", "meetings", "sessions", "reports"):
        assert after[table] == []


def test_every_seeded_fact_has_a_source(db_session: Session) -> None:
    def without(model: Any, link: Any, link_column: Any) -> list[str]:
        orphan = ~exists().where(link_column == model.id)
        return list(db_session.scalars(select(model.id).where(orphan).order_by(model.id)))

    assert without(Organization, OrganizationSource, OrganizationSource.organization_id) == []
    assert without(Person, PersonSource, PersonSource.person_id) == []
    assert without(Meeting, MeetingSource, MeetingSource.meeting_id) == []
    assert without(Report, ReportSource, ReportSource.report_id) == []
    for model in (MeetingSession, Delegation, Participation):
        unsourced = select(model.id).where(model.source_id.is_(None))
        assert list(db_session.scalars(unsourced)) == [], model.__name__
    assert (
        list(db_session.scalars(select(PersonPost.id).where(PersonPost.source_id.is_(None)))) == []
    )


def test_every_source_has_a_web_address_and_a_priority_on_the_scale(db_session: Session) -> None:
    sources = db_session.scalars(select(Source)).all()
    assert sources
    for source in sources:
        assert source.url.startswith(("http://", "https://")), source.id
        assert source.priority in {40, 60, 80, 90, 100}, source.id


@pytest.mark.parametrize(
    ("source_id", "priority"),
    [
        ("kazinform-2024-04-30", 40),
        ("oq-gov-kz-2024-05-02", 80),
        ("cow-trade-4-0", 90),
        ("zonakz-2022-11-01-smailov", 60),
        ("kt-kz-smailov-sco-chg", 60),
        ("astanatimes-2024-10-bektenov-islamabad", 60),
        ("trend-2024-07-04-tokayev", 60),
        ("primeminister-kz-2025-11-18-bektenov", 60),
    ],
)
def test_fixed_sources_have_their_priority(
    db_session: Session, source_id: str, priority: int
) -> None:
    source = db_session.get(Source, source_id)
    assert source is not None
    assert source.priority == priority


def test_kazinform_excerpt_keeps_the_article_figures(db_session: Session) -> None:
    source = db_session.get(Source, "kazinform-2024-04-30")
    assert source is not None
    assert source.excerpt is not None
    for figure in ("$66.0 billion", "6.8%", "1.5 times", "$490 billion", "3.3%"):
        assert figure in source.excerpt


def test_astana_meeting_keeps_only_what_its_sources_state(db_session: Session) -> None:
    meeting = db_session.get(
        Meeting, ASTANA_MEETING, options=[selectinload(Meeting.organizer_links)]
    )
    assert meeting is not None
    assert (meeting.body_id, meeting.city, meeting.country, meeting.chair_country) == (
        "sco-swg-trade-facilitation",
        "Astana",
        "KAZ",
        "KAZ",
    )
    # Neither source says who organized it, names a delegation, or numbers its sessions.
    assert meeting.organizer_links == []
    assert db_session.scalars(select(Delegation.id)).all() == []
    sessions = db_session.scalars(
        select(MeetingSession)
        .where(MeetingSession.meeting_id == ASTANA_MEETING)
        .order_by(MeetingSession.ordinal)
    ).all()
    assert [(session.ordinal, session.source_id) for session in sessions] == [
        (1, "oq-gov-kz-2024-05-02"),
        (2, "oq-gov-kz-2024-05-02"),
    ]
    assert "Trans-Caspian International Transport Route" in sessions[0].title
    assert "Middle Corridor" in sessions[0].topics
    assert "smooth functioning of markets" in sessions[1].title


def test_kushukova_gave_the_welcoming_speech(db_session: Session) -> None:
    participations = db_session.scalars(
        select(Participation).where(Participation.meeting_id == ASTANA_MEETING)
    ).all()
    assert [(p.id, p.person_id, p.role) for p in participations] == [
        (
            f"{ASTANA_MEETING}-kushukova-welcoming-speech",
            "janel-kushukova",
            "welcoming_speech",
        )
    ]


def test_national_report_was_presented_at_the_astana_meeting(db_session: Session) -> None:
    report = db_session.scalars(
        select(Report)
        .where(Report.id == "kaz-national-report-trade-facilitation-2023")
        .options(selectinload(Report.author_links), selectinload(Report.meeting_links))
    ).one()
    assert (report.kind, report.country, report.year) == ("national_report", "KAZ", 2023)
    assert [link.organization_id for link in report.author_links] == [
        "kaz-ministry-of-trade-and-integration",
        "qaztrade",
    ]
    assert [link.meeting_id for link in report.meeting_links] == [ASTANA_MEETING]


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_reseeding_withdraws_what_no_source_states(empty_engine: Engine) -> None:
    """A database seeded by an earlier seed loses the records `retired.yaml` withdraws."""
    with make_session_factory(empty_engine).begin() as session:
        seed(session, data_sets=False)
    # What the earlier seed had written: a delegation no source names, a session whose
    # title and order were ours, and a meeting whose id claimed a day.
    with make_session_factory(empty_engine).begin() as session:
        session.add(delegation_record(ASTANA_MEETING, [("janel-kushukova", "Vice Minister")]))
        session.add(
            MeetingSession(
                id=f"{ASTANA_MEETING}-national-report",
                meeting_id=ASTANA_MEETING,
                ordinal=2,
                title="Presentation of Kazakhstan's National Report on Trade Facilitation",
            )
        )
        session.add(
            Meeting(
                id="2015-12-04-beijing-swg-trade-facilitation",
                title="First meeting of the SCO Special Working Group on Trade Facilitation",
                start_date=date(2015, 12, 4),
            )
        )

    with make_session_factory(empty_engine).begin() as session:
        report = seed(session, data_sets=False)
    assert report.deleted == {"delegations": 1, "sessions": 1, "meetings": 1}
    with Session(empty_engine) as session:
        assert session.get(Delegation, f"{ASTANA_MEETING}-kaz") is None
        assert session.get(MeetingSession, f"{ASTANA_MEETING}-national-report") is None
        assert session.get(Meeting, "2015-12-04-beijing-swg-trade-facilitation") is None
        deleted = session.scalars(
            select(Change.resource_id).where(Change.action == "delete").order_by(Change.seq)
        ).all()
    # Sync clients learn of each withdrawal from the change feed.
    assert set(deleted) == {
        f"{ASTANA_MEETING}-kaz",
        f"{ASTANA_MEETING}-national-report",
        "2015-12-04-beijing-swg-trade-facilitation",
    }
    with make_session_factory(empty_engine).begin() as session:
        assert seed(session, data_sets=False).changed == 0


def test_a_database_seeded_before_the_country_list_gets_it_on_the_next_seed(
    db_session: Session,
) -> None:
    # A database seeded when only the areas of seed_data/areas.yaml were seeded lacks the
    # other ISO countries: the next seed adds them, and changes nothing else.
    for code in ("DEU", "FRA"):
        db_session.delete(db_session.get_one(Area, code))
    db_session.flush()

    report = seed(db_session, data_sets=False)

    assert report.inserted == {"areas": 2, "derived_trade_observations": 0}
    assert report.updated.get("areas", 0) == 0
    assert db_session.get_one(Area, "DEU").name == "Germany"
