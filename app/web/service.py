"""What the HTML pages show, gathered from the domain services (no FastAPI, no HTML here).

The charts read the same service functions as `/api/v1/trade/observations` and
`/api/v1/trade/series`, so a chart and the API never disagree: the preferred points of a
chart are exactly the points of the series. Their words are in the page's language
(`app.web.catalogue`); area names are the API's (`app.labels`).
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
from app.labels import area_name
from app.meetings import service as meetings_service
from app.meetings.models import Meeting
from app.meetings.service import MeetingRecord
from app.trade import service as trade_service
from app.trade import wording
from app.trade.checks import Finding
from app.trade.derivation_rules import TurnoverOverMembersFromImports
from app.trade.records import IMPORTS, SCO, SHARE, TURNOVER, ObservationRecord
from app.trade.tolerance import Interval
from app.vocabulary import Language
from app.web import charts
from app.web import repository as names
from app.web.catalogue import TRANSLATORS, Translator

API = "/api/v1"
RECENT_MEETINGS = 10
BILLION = Decimal(10) ** 9
# The catalogue keys of the tables' columns.
SERIES_COLUMNS = (
    "column.year",
    "column.billion_usd",
    "column.qualifier",
    "column.range",
    "column.status",
    "column.preferred",
    "column.origin",
)
SHARE_COLUMNS = (
    "column.country",
    "column.share",
    "column.qualifier",
    "column.range",
    "column.status",
    "column.source",
)
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


def _origin(record: ObservationRecord, t: Translator) -> str:
    if record.source_id:
        return record.source_id
    formula = record.formula
    return t("origin.derived", formula=formula) if formula else t.status(record.status)


def _record(row: Row[Any]) -> ObservationRecord:
    """An observation row as the record `wording` reads."""
    return ObservationRecord(**{field.name: getattr(row, field.name) for field in RECORD_FIELDS})


def _bounds(record: ObservationRecord) -> Interval | None:
    return charts.bounds(record.bounds_lower, record.bounds_upper)


def _spoken_range(record: ObservationRecord, t: Translator) -> str:
    """`$65.95-66.05 bn` (an en dash), `$67 bn or more`; empty for a point or no range."""
    interval = _bounds(record)
    if not charts.is_ranged(interval):
        return ""
    return wording.span(interval, record.unit, t.language)


def _spoken(record: ObservationRecord, t: Translator) -> str:
    """A figure in words, with its range and whether derived: `$66.0 bn (range $65.95-66.05
    bn)` (an en dash), `≈$41.8 bn (derived; range $40.81-41.98 bn)`."""
    notes = [t("figure.derived")] if record.is_derived else []
    if spoken_range := _spoken_range(record, t):
        notes.append(t("figure.range", range=spoken_range))
    return wording.figure(record, t.language) + (f" ({'; '.join(notes)})" if notes else "")


def _query(**params: str) -> str:
    return urlencode(params)


def _chart_point(
    record: ObservationRecord, preferred_ids: set[str], t: Translator
) -> charts.ChartPoint:
    return charts.ChartPoint(
        year=record.year,
        value=record.value,
        status=record.status,
        preferred=record.id in preferred_ids,
        qualifier=record.qualifier,
        origin=_origin(record, t),
        bounds=_bounds(record),
    )


def _series_row(
    record: ObservationRecord, preferred_ids: set[str], t: Translator
) -> tuple[str, ...]:
    return (
        str(record.year),
        t.number(charts.format_value(record.value, BILLION)),
        t.label("qualifier", record.qualifier),
        _spoken_range(record, t),
        t.status(record.status),
        t("yes") if record.id in preferred_ids else t("no"),
        _origin(record, t),
    )


def _columns(keys: tuple[str, ...], t: Translator) -> tuple[str, ...]:
    return tuple(t(key) for key in keys)


def series_chart(
    session: Session, *, reporter: str, partner: str, chart_id: str, t: Translator
) -> Chart:
    """All turnover figures of (reporter, partner) by year; the series' points are preferred.

    Its heading and note are the catalogue's `chart.<chart_id>.heading` and `.note`."""
    key_of = chart_id.removeprefix("chart-").replace("-", "_")
    heading, note = t(f"chart.{key_of}.heading"), t(f"chart.{key_of}.note")
    query = trade_service.resolve_series_query(session, [reporter], [partner], TURNOVER)
    series = trade_service.series_points(session, query, include_derived=True)
    preferred_ids = {str(point["observation_id"]) for point in series}
    records = [
        _record(row)
        for row in _observations(session, reporter=reporter, partner=partner, indicator=TURNOVER)
    ]
    points = [_chart_point(record, preferred_ids, t) for record in records]
    label = f"{reporter}→{partner}"
    years = sorted({point.year for point in points})
    span = t("chart.years", first=years[0], last=years[-1]) if years else t("chart.no_years")
    svg = charts.time_series_svg(
        points,
        chart_id=chart_id,
        title=f"{heading}, {span}",
        description=_series_description(label, records, preferred_ids, t),
        y_label=t("chart.billions_usd"),
        divisor=BILLION,
        unit=t("chart.billion_usd"),
        t=t,
    )
    ordered = sorted(records, key=lambda record: (record.year, record.id not in preferred_ids))
    table = [_series_row(record, preferred_ids, t) for record in ordered]
    key = _query(reporter=reporter, partner=partner, indicator=TURNOVER)
    links = [
        (t("link.series_json"), f"{API}/trade/series?{key}"),
        (t("link.series_csv"), f"{API}/trade/series?{key}&format=csv"),
        (t("link.all_csv"), f"{API}/trade/observations?{key}&format=csv"),
    ]
    return Chart(chart_id, heading, note, svg, _columns(SERIES_COLUMNS, t), table, links)


def _series_description(
    label: str, records: Sequence[ObservationRecord], preferred_ids: set[str], t: Translator
) -> str:
    preferred = [record for record in records if record.id in preferred_ids]
    if not preferred:
        return t("chart.series.none", label=label)
    values = "; ".join(f"{record.year}: {_spoken(record, t)}" for record in preferred)
    others = len(records) - len(preferred)
    return t("chart.series.description", label=label, values=values, others=others)


def _share_bar(record: ObservationRecord, countries: dict[str, str], t: Translator) -> charts.Bar:
    return charts.Bar(
        label=countries.get(record.reporter, record.reporter),
        value=record.value,
        year=record.year,
        status=record.status,
        preferred=True,
        qualifier=record.qualifier,
        key=record.reporter,
        origin=_origin(record, t),
        bounds=_bounds(record),
    )


def _share_row(
    record: ObservationRecord, countries: dict[str, str], t: Translator
) -> tuple[str, ...]:
    return (
        f"{countries.get(record.reporter, record.reporter)} ({record.reporter})",
        t.number(charts.format_value(record.value)),
        t.label("qualifier", record.qualifier),
        _spoken_range(record, t),
        t.status(record.status),
        _origin(record, t),
    )


def _area_names(session: Session, codes: list[str | None], language: Language) -> dict[str, str]:
    """The names of the areas `codes`, in `language` (as `/api/v1/areas` gives them)."""
    stored = names.area_names(session, codes)
    return {code: area_name(code, language, stored=name) for code, name in stored.items()}


def share_chart(session: Session, t: Translator) -> Chart:
    """The preferred shares of intra-SCO trade in the latest year that has any, largest first."""
    shares = _observations(session, reporter=None, partner=SCO, indicator=SHARE, preferred=True)
    records = [_record(row) for row in shares if row.reporter != SCO]
    year = max((record.year for record in records), default=None)
    latest = [record for record in records if record.year == year]
    countries = _area_names(session, [record.reporter for record in latest], t.language)
    bars = [_share_bar(record, countries, t) for record in latest]
    heading = t("chart.shares.heading_year", year=year) if year else t("chart.shares.heading")
    listed = "; ".join(
        f"{bar.label}: {_spoken(record, t)}" for bar, record in zip(bars, latest, strict=True)
    )
    svg = charts.bar_svg(
        bars,
        chart_id="chart-shares",
        title=heading,
        description=t("chart.shares.description", listed=listed)
        if bars
        else t("chart.shares.none"),
        x_label=t("chart.shares.axis"),
        suffix=" %" if t.language != "zh" else "%",
        unit="percent",
        t=t,
    )
    table = [_share_row(record, countries, t) for record in latest]
    query = _query(indicator=SHARE, partner=SCO, preferred="true", sort="-value")
    links = [
        (t("link.shares_json"), f"{API}/trade/observations?{query}"),
        (t("link.shares_csv"), f"{API}/trade/observations?{query}&format=csv"),
    ]
    columns = _columns(SHARE_COLUMNS, t)
    return Chart("chart-shares", heading, t("chart.shares.note"), svg, columns, table, links)


def _year_span(years: Sequence[int]) -> str:
    return f"{years[0]}{wording.EN_DASH}{years[-1]}" if years[0] != years[-1] else str(years[0])


def _cow_description(
    records: Sequence[ObservationRecord], missing: Sequence[int], t: Translator
) -> str:
    if not records:
        return t("chart.cow.none")
    values = "; ".join(f"{record.year}: {_spoken(record, t)}" for record in records)
    gaps = t("chart.cow.missing", years=", ".join(map(str, missing))) if missing else ""
    return t("chart.cow.description", values=values, gaps=gaps)


def cow_chart(session: Session, t: Translator) -> Chart | None:
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
    heading = (
        t("chart.cow.heading_years", span=_year_span(years)) if years else t("chart.cow.heading")
    )
    svg = charts.time_series_svg(
        [_chart_point(record, preferred_ids, t) for record in records],
        chart_id="chart-cow-intra-sco",
        title=heading,
        description=_cow_description(records, missing, t),
        y_label=t("chart.billions_usd"),
        divisor=BILLION,
        unit=t("chart.billion_usd"),
        t=t,
    )
    table = [_series_row(record, preferred_ids, t) for record in records]
    key = _query(
        reporter=SCO,
        partner=SCO,
        indicator=TURNOVER,
        year_from=str(cited[0]),
        year_to=str(cited[-1]),
    )
    gaps = t("chart.cow.gaps", years=", ".join(map(str, missing))) if missing else ""
    titles = names.source_titles(session, [COW_SOURCE])
    source = t("chart.cow.source", title=titles.get(COW_SOURCE, COW_SOURCE), span=_year_span(cited))
    links = [
        (t("link.these_json"), f"{API}/trade/observations?{key}"),
        (t("link.these_csv"), f"{API}/trade/observations?{key}&format=csv"),
        (t("link.source"), f"{API}/sources/{COW_SOURCE}"),
    ]
    return Chart(
        "chart-cow-intra-sco",
        heading,
        t("chart.cow.note", gaps=gaps),
        svg,
        _columns(SERIES_COLUMNS, t),
        table,
        links,
        source,
    )


def overview(session: Session, language: Language) -> Overview:
    """Everything the overview page shows, its words in `language`."""
    t = TRANSLATORS[language]
    meetings = meetings_service.list_meetings(session, page=PageParams(limit=RECENT_MEETINGS)).items
    findings = trade_service.find_checks(session)
    cow = cow_chart(session, t)
    return Overview(
        charts=[
            series_chart(session, reporter="KAZ", partner=SCO, chart_id="chart-kaz-sco", t=t),
            series_chart(session, reporter=SCO, partner=SCO, chart_id="chart-intra-sco", t=t),
            share_chart(session, t),
            *([cow] if cow else []),
        ],
        meetings=meetings,
        area_names=_area_names(session, [meeting.country for meeting in meetings], language),
        # Warnings before notes; each group in the stable order of the checks (by id).
        findings=sorted(findings, key=lambda finding: finding.severity != "warning"),
    )


# --- one meeting ---------------------------------------------------------------------------


def meeting_page(session: Session, meeting_id: str, language: Language) -> MeetingPage:
    """A meeting's whole record with the names of what it refers to (404 if unknown); the
    areas named in `language`."""
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
        area_names=_area_names(session, countries, language),
        organization_names=names.organization_names(session, organization_ids),
        person_names=names.person_names(session, person_ids),
        report_titles=names.report_titles(session, record.report_ids),
    )
