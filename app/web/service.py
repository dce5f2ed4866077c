"""What the HTML pages show, gathered from the domain services (no FastAPI, no HTML here).

The charts read the same service functions as `/api/v1/trade/observations` and
`/api/v1/trade/series`, so a chart and the API never disagree: the preferred points of a
chart are exactly the points of the series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.http.pagination import PageParams
from app.meetings import repository as meetings_repository
from app.meetings import service as meetings_service
from app.meetings.models import Meeting
from app.meetings.service import MeetingRecord
from app.trade import service as trade_service
from app.trade.checks import Finding
from app.trade.records import SCO, SHARE, TURNOVER
from app.web import charts
from app.web import repository as names

API = "/api/v1"
RECENT_MEETINGS = 10
BILLION = Decimal(10) ** 9
SERIES_COLUMNS = ("Year", "Billion USD", "Qualifier", "Status", "Preferred", "Source or derivation")
SHARE_COLUMNS = ("Country", "Share (%)", "Qualifier", "Status", "Source")


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
    filters = trade_service.resolve_filters(
        session,
        reporter=[reporter] if reporter else None,
        partner=[partner],
        indicator=[indicator],
        year=None,
        year_from=None,
        year_to=None,
        status=None,
        preferred=preferred,
        include_derived=True,
    )
    sort = "-value" if indicator == SHARE else "year"
    return [
        row for batch in trade_service.stream_observations(session, filters, sort) for row in batch
    ]


def _origin(row: Row[Any]) -> str:
    if row.source_id:
        return str(row.source_id)
    formula = (row.derivation or {}).get("formula")
    return f"derived: {formula}" if formula else str(row.status)


def _query(**params: str) -> str:
    return urlencode(params)


def series_chart(
    session: Session, *, reporter: str, partner: str, chart_id: str, heading: str, note: str
) -> Chart:
    """All turnover figures of (reporter, partner) by year; the series' points are preferred."""
    query = trade_service.resolve_series_query(session, reporter, partner, TURNOVER)
    series = trade_service.series_points(session, query, include_derived=True)
    preferred_ids = {point["observation_id"] for point in series}
    rows = _observations(session, reporter=reporter, partner=partner, indicator=TURNOVER)
    points = [
        charts.ChartPoint(
            year=row.year,
            value=row.value,
            status=row.status,
            preferred=row.id in preferred_ids,
            qualifier=row.qualifier,
            origin=_origin(row),
        )
        for row in rows
    ]
    label = f"{reporter}→{partner}"
    years = sorted({point.year for point in points})
    span = f"{years[0]} to {years[-1]}" if years else "no years yet"
    svg = charts.time_series_svg(
        points,
        chart_id=chart_id,
        title=f"{heading}, {span}",
        description=_series_description(label, points),
        y_label="Billions of US dollars",
        divisor=BILLION,
        unit="billion USD",
    )
    table = [
        (
            str(point.year),
            charts.format_value(point.value, BILLION),
            charts.QUALIFIER_WORDS.get(point.qualifier, point.qualifier),
            point.status,
            "yes" if point.preferred else "no",
            point.origin,
        )
        for point in sorted(points, key=lambda p: (p.year, not p.preferred))
    ]
    key = _query(reporter=reporter, partner=partner, indicator=TURNOVER)
    links = [
        ("Series (JSON)", f"{API}/trade/series?{key}"),
        ("Series (CSV)", f"{API}/trade/series?{key}&format=csv"),
        ("All figures (CSV)", f"{API}/trade/observations?{key}&format=csv"),
    ]
    return Chart(chart_id, heading, note, svg, SERIES_COLUMNS, table, links)


def _series_description(label: str, points: Sequence[charts.ChartPoint]) -> str:
    preferred = [point for point in points if point.preferred]
    if not preferred:
        return f"No trade turnover figures are recorded for {label} yet."
    values = "; ".join(
        f"{point.year}: {charts.describe(point.value, point.qualifier, BILLION)}"
        + (" (derived)" if point.status == "derived" else "")
        for point in preferred
    )
    others = len(points) - len(preferred)
    return (
        f"{label} trade turnover, preferred figure of each year in billions of US dollars: "
        f"{values}. The chart also shows {others} other figure(s) from other sources or "
        "derivations, listed in the table below it."
    )


def share_chart(session: Session) -> Chart:
    """The preferred shares of intra-SCO trade in the latest year that has any, largest first."""
    shares = _observations(session, reporter=None, partner=SCO, indicator=SHARE, preferred=True)
    rows = [row for row in shares if row.reporter != SCO]
    year = max((row.year for row in rows), default=None)
    latest = [row for row in rows if row.year == year]
    countries = names.area_names(session, [row.reporter for row in latest])
    bars = [
        charts.Bar(
            label=countries.get(row.reporter, row.reporter),
            value=row.value,
            year=row.year,
            status=row.status,
            preferred=True,
            qualifier=row.qualifier,
            key=row.reporter,
            origin=_origin(row),
        )
        for row in latest
    ]
    heading = f"Shares of intra-SCO trade, {year}" if year else "Shares of intra-SCO trade"
    listed = "; ".join(
        f"{bar.label}: {charts.describe(bar.value, bar.qualifier)} %" for bar in bars
    )
    svg = charts.bar_svg(
        bars,
        chart_id="chart-shares",
        title=heading,
        description=f"Reported shares of intra-SCO trade, percent, largest first: {listed}."
        if bars
        else "No shares of intra-SCO trade are recorded yet.",
        x_label="Percent of intra-SCO trade",
        suffix=" %",
    )
    table = [
        (
            f"{bar.label} ({bar.key})",
            charts.format_value(bar.value),
            charts.QUALIFIER_WORDS.get(bar.qualifier, bar.qualifier),
            bar.status,
            bar.origin,
        )
        for bar in bars
    ]
    query = _query(indicator=SHARE, partner=SCO, preferred="true", sort="-value")
    note = (
        "The share of each country as its source states it. The sources do not say what the "
        "share is of; the findings below compare it with the turnover figures."
    )
    links = [
        ("Shares (JSON)", f"{API}/trade/observations?{query}"),
        ("Shares (CSV)", f"{API}/trade/observations?{query}&format=csv"),
    ]
    return Chart("chart-shares", heading, note, svg, SHARE_COLUMNS, table, links)


def overview(session: Session) -> Overview:
    """Everything the overview page shows."""
    # A keyset page reads one row more than its limit (to know whether more follow).
    meetings = meetings_repository.list_meetings(
        session,
        filters=meetings_repository.MeetingFilters(),
        page=PageParams(limit=RECENT_MEETINGS, cursor=None),
    )[:RECENT_MEETINGS]
    findings = trade_service.find_checks(session)
    return Overview(
        charts=[
            series_chart(
                session,
                reporter="KAZ",
                partner=SCO,
                chart_id="chart-kaz-sco",
                heading="Kazakhstan's trade turnover with the SCO",
                note="Exports plus imports of goods between Kazakhstan and the SCO member "
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
