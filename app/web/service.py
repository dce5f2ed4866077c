"""What the HTML pages show, gathered from the domain services (no FastAPI, no HTML here).

The charts read the same service functions as `/api/v1/trade/observations` and
`/api/v1/trade/series`, so a chart and the API never disagree: the preferred points of a
chart are exactly the points of the series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.db.keyset import PageParams
from app.meetings import service as meetings_service
from app.meetings.models import Meeting
from app.meetings.service import MeetingRecord
from app.trade import service as trade_service
from app.trade import wording
from app.trade.checks import Finding
from app.trade.derivation_rules import TurnoverOverMembersFromImports
from app.trade.records import IMPORTS, SCO, SHARE, TURNOVER, ObservationRecord
from app.trade.tolerance import Interval
from app.web import charts
from app.web import repository as names

API = "/api/v1"
RECENT_MEETINGS = 10
BILLION = Decimal(10) ** 9
SERIES_COLUMNS = (
    "Year",
    "Billion USD",
    "Qualifier",
    "Range of true values",
    "Status",
    "Preferred",
    "Source or derivation",
)
SHARE_COLUMNS = ("Country", "Share (%)", "Qualifier", "Range of true values", "Status", "Source")
RECORD_FIELDS = fields(ObservationRecord)
# The Correlates of War trade data set (the seed's `DATA_SETS`): import declarations only.
COW_SOURCE = "cow-trade-4-0"
FROM_IMPORTS = TurnoverOverMembersFromImports.formula


@dataclass(frozen=True)
class Chart:
    """One chart of the overview, with its figures as a table (the text alternative)."""

    id: str
    heading: str
    note: str
    svg: Markup
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    links: Sequence[tuple[str, str]]  # (label, path) of the data behind the chart
    source: str = ""  # the source cited under the chart, where it draws on one data set


@dataclass(frozen=True)
class Overview:
    charts: list[Chart]
    meetings: list[Meeting]
    area_names: dict[str, str]
    findings: list[Finding]


@dataclass(frozen=True)
class MeetingPage:
    record: MeetingRecord
    area_names: dict[str, str]
    organization_names: dict[str, str]
    person_names: dict[str, str]
    report_titles: dict[str, str]


# --- the overview --------------------------------------------------------------------------


def _observations(
    session: Session,
    *,
    reporter: str | None,
    partner: str,
    indicator: str,
    preferred: bool | None = None,
) -> list[Row[Any]]:
    """The observations `/trade/observations` answers for these filters (shares by value)."""
    query = trade_service.ObservationQuery(
        reporter=[reporter] if reporter else [],
        partner=[partner],
        indicator=[indicator],
        preferred=preferred,
    )
    sort: trade_service.ObservationSort = "-value" if indicator == SHARE else "year"
    return [
        row for batch in trade_service.stream_observations(session, query, sort) for row in batch
    ]


def _origin(record: ObservationRecord) -> str:
    if record.source_id:
        return record.source_id
    formula = record.formula
    return f"derived: {formula}" if formula else record.status


def _record(row: Row[Any]) -> ObservationRecord:
    """An observation row as the record `wording` reads."""
    return ObservationRecord(**{field.name: getattr(row, field.name) for field in RECORD_FIELDS})


def _bounds(record: ObservationRecord) -> Interval | None:
    return charts.bounds(record.bounds_lower, record.bounds_upper)


def _spoken_range(record: ObservationRecord) -> str:
    """`$65.95-66.05 bn` (an en dash), `$67 bn or more`; empty for a point or no range."""
    interval = _bounds(record)
    return wording.span(interval, record.unit) if charts.is_ranged(interval) else ""


def _spoken(record: ObservationRecord) -> str:
    """A figure in words, with its range and whether derived: `$66.0 bn (range $65.95-66.05
    bn)` (an en dash), `≈$41.8 bn (derived; range $40.81-41.98 bn)`."""
    notes = ["derived"] if record.is_derived else []
    if spoken_range := _spoken_range(record):
        notes.append(f"range {spoken_range}")
    return wording.figure(record) + (f" ({'; '.join(notes)})" if notes else "")


def _query(**params: str) -> str:
    return urlencode(params)


def _chart_point(record: ObservationRecord, preferred_ids: set[str]) -> charts.ChartPoint:
    return charts.ChartPoint(
        year=record.year,
        value=record.value,
        status=record.status,
        preferred=record.id in preferred_ids,
        qualifier=record.qualifier,
        origin=_origin(record),
        bounds=_bounds(record),
    )


def _series_row(record: ObservationRecord, preferred_ids: set[str]) -> tuple[str, ...]:
    return (
        str(record.year),
        charts.format_value(record.value, BILLION),
        charts.QUALIFIER_WORDS.get(record.qualifier, record.qualifier),
        _spoken_range(record),
        record.status,
        "yes" if record.id in preferred_ids else "no",
        _origin(record),
    )


def series_chart(
    session: Session, *, reporter: str, partner: str, chart_id: str, heading: str, note: str
) -> Chart:
    """All turnover figures of (reporter, partner) by year; the series' points are preferred."""
    query = trade_service.resolve_series_query(session, [reporter], [partner], TURNOVER)
    series = trade_service.series_points(session, query, include_derived=True)
    preferred_ids = {str(point["observation_id"]) for point in series}
    records = [
        _record(row)
        for row in _observations(session, reporter=reporter, partner=partner, indicator=TURNOVER)
    ]
    points = [_chart_point(record, preferred_ids) for record in records]
    label = f"{reporter}→{partner}"
    years = sorted({point.year for point in points})
    span = f"{years[0]} to {years[-1]}" if years else "no years yet"
    svg = charts.time_series_svg(
        points,
        chart_id=chart_id,
        title=f"{heading}, {span}",
        description=_series_description(label, records, preferred_ids),
        y_label="Billions of US dollars",
        divisor=BILLION,
        unit="billion USD",
    )
    ordered = sorted(records, key=lambda record: (record.year, record.id not in preferred_ids))
    table = [_series_row(record, preferred_ids) for record in ordered]
    key = _query(reporter=reporter, partner=partner, indicator=TURNOVER)
    links = [
        ("Series (JSON)", f"{API}/trade/series?{key}"),
        ("Series (CSV)", f"{API}/trade/series?{key}&format=csv"),
        ("All figures (CSV)", f"{API}/trade/observations?{key}&format=csv"),
    ]
    return Chart(chart_id, heading, note, svg, SERIES_COLUMNS, table, links)


def _series_description(
    label: str, records: Sequence[ObservationRecord], preferred_ids: set[str]
) -> str:
    preferred = [record for record in records if record.id in preferred_ids]
    if not preferred:
        return f"No trade turnover figures are recorded for {label} yet."
    values = "; ".join(f"{record.year}: {_spoken(record)}" for record in preferred)
    others = len(records) - len(preferred)
    return (
        f"{label} trade turnover, preferred figure of each year in US dollars, with the range "
        f"of true values its rounding and wording allow: {values}. The chart also shows "
        f"{others} other figure(s) from other sources or derivations, listed in the table "
        "below it."
    )


def _share_bar(record: ObservationRecord, countries: dict[str, str]) -> charts.Bar:
    return charts.Bar(
        label=countries.get(record.reporter, record.reporter),
        value=record.value,
        year=record.year,
        status=record.status,
        preferred=True,
        qualifier=record.qualifier,
        key=record.reporter,
        origin=_origin(record),
        bounds=_bounds(record),
    )


def _share_row(record: ObservationRecord, countries: dict[str, str]) -> tuple[str, ...]:
    return (
        f"{countries.get(record.reporter, record.reporter)} ({record.reporter})",
        charts.format_value(record.value),
        charts.QUALIFIER_WORDS.get(record.qualifier, record.qualifier),
        _spoken_range(record),
        record.status,
        _origin(record),
    )


def share_chart(session: Session) -> Chart:
    """The preferred shares of intra-SCO trade in the latest year that has any, largest first."""
    shares = _observations(session, reporter=None, partner=SCO, indicator=SHARE, preferred=True)
    records = [_record(row) for row in shares if row.reporter != SCO]
    year = max((record.year for record in records), default=None)
    latest = [record for record in records if record.year == year]
    countries = names.area_names(session, [record.reporter for record in latest])
    bars = [_share_bar(record, countries) for record in latest]
    heading = f"Shares of intra-SCO trade, {year}" if year else "Shares of intra-SCO trade"
    listed = "; ".join(
        f"{bar.label}: {_spoken(record)}" for bar, record in zip(bars, latest, strict=True)
    )
    svg = charts.bar_svg(
        bars,
        chart_id="chart-shares",
        title=heading,
        description=f"Reported shares of intra-SCO trade, percent, largest first, with the "
        f"range of true values their rounding allows: {listed}."
        if bars
        else "No shares of intra-SCO trade are recorded yet.",
        x_label="Percent of intra-SCO trade",
        suffix=" %",
        unit="percent",
    )
    table = [_share_row(record, countries) for record in latest]
    query = _query(indicator=SHARE, partner=SCO, preferred="true", sort="-value")
    note = (
        "The share of each country as its source states it, with the range of true values "
        "its rounding allows. The sources do not say what the share is of; the findings "
        "below compare it with the turnover figures."
    )
    links = [
        ("Shares (JSON)", f"{API}/trade/observations?{query}"),
        ("Shares (CSV)", f"{API}/trade/observations?{query}&format=csv"),
    ]
    return Chart("chart-shares", heading, note, svg, SHARE_COLUMNS, table, links)


def _year_span(years: Sequence[int]) -> str:
    return f"{years[0]}{wording.EN_DASH}{years[-1]}" if years[0] != years[-1] else str(years[0])


def _cow_description(records: Sequence[ObservationRecord], missing: Sequence[int]) -> str:
    if not records:
        return (
            "No year has every import declaration between the SCO member states of that "
            "year, so no intra-SCO total is given."
        )
    values = "; ".join(f"{record.year}: {_spoken(record)}" for record in records)
    gaps = (
        f" No total for {', '.join(map(str, missing))}: a declaration is missing."
        if missing
        else ""
    )
    return (
        "Intra-SCO trade, the sum of the member states' imports from each other as each "
        f"importer declares it, in US dollars, with the range of true values: {values}.{gaps}"
    )


def cow_chart(session: Session) -> Chart | None:
    """Intra-SCO trade summed from the COW import declarations, one figure a year, only in
    years where every member's declaration is there (a partial sum is no total).

    None when the database holds no COW figures: no chart rather than empty axes.
    """
    cited = names.years_cited(session, COW_SOURCE, IMPORTS)
    if not cited:
        return None
    query = trade_service.resolve_series_query(session, [SCO], [SCO], TURNOVER)
    series = trade_service.series_points(session, query, include_derived=True)
    preferred_ids = {str(point["observation_id"]) for point in series}
    records = [
        record
        for record in (
            _record(row)
            for row in _observations(session, reporter=SCO, partner=SCO, indicator=TURNOVER)
        )
        if record.formula == FROM_IMPORTS and cited[0] <= record.year <= cited[-1]
    ]
    years = [record.year for record in records]
    # The years after the first total that have COW figures but no total: never a part-sum.
    missing = sorted(set(range(years[0], cited[-1] + 1)) - set(years)) if years else []
    heading = f"Intra-SCO trade, {_year_span(years)}" if years else "Intra-SCO trade"
    svg = charts.time_series_svg(
        [_chart_point(record, preferred_ids) for record in records],
        chart_id="chart-cow-intra-sco",
        title=heading,
        description=_cow_description(records, missing),
        y_label="Billions of US dollars",
        divisor=BILLION,
        unit="billion USD",
    )
    table = [_series_row(record, preferred_ids) for record in records]
    key = _query(
        reporter=SCO,
        partner=SCO,
        indicator=TURNOVER,
        year_from=str(cited[0]),
        year_to=str(cited[-1]),
    )
    gaps = (
        f" No total is given for {', '.join(map(str, missing))}, where a declaration is missing."
        if missing
        else ""
    )
    note = (
        "Trade among the SCO member states of each year: the sum of their imports from each "
        "other, each flow as its importer declares it, derived only where every declaration "
        f"is there.{gaps}"
    )
    titles = names.source_titles(session, [COW_SOURCE])
    source = (
        f"Source: {titles.get(COW_SOURCE, COW_SOURCE)} (Barbieri and Keshk, 2016), its "
        f"figures of {_year_span(cited)}; totals derived by this API."
    )
    links = [
        ("These figures (JSON)", f"{API}/trade/observations?{key}"),
        ("These figures (CSV)", f"{API}/trade/observations?{key}&format=csv"),
        ("The source", f"{API}/sources/{COW_SOURCE}"),
    ]
    return Chart("chart-cow-intra-sco", heading, note, svg, SERIES_COLUMNS, table, links, source)


def overview(session: Session) -> Overview:
    """Everything the overview page shows."""
    meetings = meetings_service.list_meetings(session, page=PageParams(limit=RECENT_MEETINGS)).items
    findings = trade_service.find_checks(session)
    cow = cow_chart(session)
    return Overview(
        charts=[
            series_chart(
                session,
                reporter="KAZ",
                partner=SCO,
                chart_id="chart-kaz-sco",
                heading="Kazakhstan's trade turnover with the SCO",
                note="Exports plus imports between Kazakhstan and the SCO member "
                "states of each year, every figure published, with the preferred one joined "
                "by the line.",
            ),
            series_chart(
                session,
                reporter=SCO,
                partner=SCO,
                chart_id="chart-intra-sco",
                heading="Intra-SCO trade turnover",
                note="Trade among the SCO member states of each year. A dashed line crosses "
                "years for which no figure is recorded.",
            ),
            share_chart(session),
            *([cow] if cow else []),
        ],
        meetings=meetings,
        area_names=names.area_names(session, [meeting.country for meeting in meetings]),
        # Warnings before notes; each group in the stable order of the checks (by id).
        findings=sorted(findings, key=lambda finding: finding.severity != "warning"),
    )


# --- one meeting ---------------------------------------------------------------------------


def meeting_page(session: Session, meeting_id: str) -> MeetingPage:
    """A meeting's whole record with the names of what it refers to (404 if unknown)."""
    record = meetings_service.meeting_record(
        session, meetings_service.get_meeting(session, meeting_id)
    )
    meeting = record.meeting
    delegations = record.delegations
    organization_ids = [
        meeting.body_id,
        *(link.organization_id for link in meeting.organizer_links),
        *(link.organization_id for d in delegations for link in d.organization_links),
        *(source.publisher_id for source in record.sources),
    ]
    person_ids = [
        *(d.head_person_id for d in delegations),
        *(member.person_id for d in delegations for member in d.members),
        *(p.person_id for p in record.participations),
    ]
    countries = [meeting.country, meeting.chair_country, *(d.country for d in delegations)]
    return MeetingPage(
        record=record,
        area_names=names.area_names(session, countries),
        organization_names=names.organization_names(session, organization_ids),
        person_names=names.person_names(session, person_ids),
        report_titles=names.report_titles(session, record.report_ids),
    )
