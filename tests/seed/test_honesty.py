"""The seed claims nothing its sources do not state (DESIGN section 7), on both databases.

`unsupported_claims` reads the seeded rows against the words kept with them: a source's
`excerpt`, or an observation's note where the note says where its quotation comes from.
It is tested on the seed (nothing unsupported) and on rows that repeat the defects an
earlier seed had (a base year no source names, a delegation member no source names), so
that it would have caught them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.db.models import (
    Delegation,
    Meeting,
    Organization,
    Person,
    Report,
    ReportAuthor,
    ReportSource,
    ScoMembership,
    Source,
    TradeObservation,
)
from app.trade.service import recompute
from tests.factories.meetings import delegation_record

ASTANA = "2024-04-30-astana-swg-trade-facilitation"
# A note that quotes a page the reference only reports says where the quotation is from.
QUOTED_FROM = re.compile(r"\(quoted from [^)]+\)")


def _words(observation: TradeObservation, sources: dict[str, Source]) -> str:
    """The text that states a figure: its source's excerpt, and a note's own quotations."""
    source = sources.get(observation.source_id or "")
    text = source.excerpt or "" if source is not None else ""
    note = observation.note or ""
    if QUOTED_FROM.search(note):
        text += "\n" + note
    return text


def _states_span(text: str, years: int) -> bool:
    return re.search(rf"\b{years}\s+(?:years|лет)\b", text) is not None


def unsupported_claims(session: Session) -> list[str]:
    """Every seeded claim its source's words do not carry, as readable lines."""
    sources = {source.id: source for source in session.scalars(select(Source))}
    problems: list[str] = []
    reported = select(TradeObservation).where(TradeObservation.status != "derived")
    for observation in session.scalars(reported):
        words = _words(observation, sources)
        if observation.base_year is not None and str(observation.base_year) not in words:
            problems.append(f"{observation.id}: base year {observation.base_year} unstated")
        if observation.span_years is not None and not _states_span(words, observation.span_years):
            problems.append(f"{observation.id}: span of {observation.span_years} years unstated")
    delegations = session.scalars(
        select(Delegation).options(selectinload(Delegation.members))
    ).all()
    for delegation in delegations:
        excerpt = sources[delegation.source_id].excerpt if delegation.source_id else None
        for member in delegation.members:
            person = session.get(Person, member.person_id)
            if person is None or person.name not in (excerpt or ""):
                problems.append(f"{delegation.id}: member {member.person_id} unnamed by source")
    for report in session.scalars(select(Report)):
        cited = session.scalars(
            select(Source.excerpt)
            .join(ReportSource, ReportSource.source_id == Source.id)
            .where(ReportSource.report_id == report.id)
        ).all()
        text = "\n".join(excerpt or "" for excerpt in cited)
        authors = session.scalars(
            select(Organization.name)
            .join(ReportAuthor, ReportAuthor.organization_id == Organization.id)
            .where(ReportAuthor.report_id == report.id)
        ).all()
        if authors and "prepared" not in text:
            problems.append(f"{report.id}: no source says who prepared it")
        for name in authors:
            short = name.removesuffix(" of the Republic of Kazakhstan")
            if short not in text:
                problems.append(f"{report.id}: author {name} unnamed by its sources")
    return problems


def test_the_seed_claims_nothing_its_sources_do_not_state(db_session: Session) -> None:
    assert unsupported_claims(db_session) == []


def test_a_base_year_no_source_names_is_caught(db_session: Session) -> None:
    # The defect of an earlier seed: Kazinform's "over the past 5 years" given base year 2018.
    multiple = db_session.get(
        TradeObservation, "sco-sco-trade-growth-multiple-2023-kazinform-2024-04-30"
    )
    assert multiple is not None
    assert (multiple.base_year, multiple.span_years) == (None, 5)
    multiple.base_year = 2018
    db_session.flush()
    assert unsupported_claims(db_session) == [f"{multiple.id}: base year 2018 unstated"]


def test_a_delegation_member_no_source_names_is_caught(db_session: Session) -> None:
    # The defect of an earlier seed: a Kazakh delegation the article never names.
    db_session.add(delegation_record(ASTANA, [("bakhyt-sultanov", "Minister")]))
    db_session.flush()
    assert unsupported_claims(db_session) == [
        f"{ASTANA}-kaz: member bakhyt-sultanov unnamed by source"
    ]


def test_an_author_whose_source_only_says_presented_is_caught(db_session: Session) -> None:
    report = db_session.get(
        Report,
        "kaz-national-report-trade-facilitation-2023",
        options=[selectinload(Report.source_links)],
    )
    assert report is not None
    report.source_links = [ReportSource(source_id="kazinform-2024-04-30")]
    db_session.flush()
    assert unsupported_claims(db_session) == [
        "kaz-national-report-trade-facilitation-2023: no source says who prepared it"
    ]


def test_the_kazinform_multiple_has_an_open_base_year_and_implies_nothing(
    db_session: Session,
) -> None:
    derived_from_it = db_session.scalars(
        select(TradeObservation.id).where(TradeObservation.id.like("%from-multiple-kazinform%"))
    ).all()
    assert derived_from_it == []
    # Nothing says 2018: no figure for it exists, reported or derived.
    assert (
        db_session.scalars(
            select(TradeObservation.id).where(
                TradeObservation.reporter == "SCO",
                TradeObservation.partner == "SCO",
                TradeObservation.year == 2018,
            )
        ).all()
        == []
    )


def test_meetings_and_sources_keep_only_the_date_parts_they_know(db_session: Session) -> None:
    beijing = db_session.get(Meeting, "2015-12-beijing-swg-trade-facilitation")
    assert beijing is not None
    assert (beijing.start_date, beijing.end_date, beijing.date_precision) == (
        date(2015, 12, 1),
        None,
        "month",
    )
    assert db_session.get(Meeting, "2015-12-04-beijing-swg-trade-facilitation") is None
    astana_times = db_session.get(Source, "astanatimes-2024-10-bektenov-islamabad")
    assert astana_times is not None
    assert (astana_times.published_on, astana_times.published_on_precision) == (
        date(2024, 10, 1),
        "month",
    )


def test_a_start_known_only_to_the_year_is_stored_as_such(db_session: Session) -> None:
    bahrain = db_session.scalars(
        select(ScoMembership).where(
            ScoMembership.country == "BHR", ScoMembership.status == "dialogue_partner"
        )
    ).one()
    assert (bahrain.since, bahrain.since_precision) == (date(2023, 1, 1), "year")


def test_derived_figures_are_never_called_exact_from_rounded_inputs(
    db_session: Session,
) -> None:
    recompute(db_session)
    derived = db_session.scalars(
        select(TradeObservation).where(TradeObservation.status == "derived")
    ).all()
    assert derived
    assert {observation.qualifier for observation in derived} == {"approximately"}
    for observation in derived:
        assert observation.bounds_lower is not None
        assert observation.bounds_lower <= observation.value
        upper = observation.bounds_upper
        assert upper is None or observation.value <= upper
        assert upper is None or upper - observation.bounds_lower > Decimal(0)
