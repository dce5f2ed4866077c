"""Rules of the trade domain: filter validation, series, checks, and recomputing derived rows.

Never commits: the request (or the seed / import command) owns the transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from operator import attrgetter
from typing import Any

from sqlalchemy import Row, String, column
from sqlalchemy.orm import Session

from app.areas import repository as areas_repository
from app.areas.service import resolve_area_codes
from app.changes.tracking import note_changes
from app.dates import parse_moment
from app.db.keyset import Paged, PageParams, SortKey, page_sorted
from app.db.types import utcnow
from app.errors import REFERENCE_ERROR, RULE_ERROR, ValidationFailed
from app.labels import indicator_name
from app.schemas import Overlay
from app.trade import repository
from app.trade.checks import MIRROR_TOLERANCE, Finding, find_issues
from app.trade.derivation_rules import DECLARATION_FORMULAS, DECLARATIONS
from app.trade.derivations import DerivedFigure, plan_derived, reported_interval
from app.trade.models import TradeIndicator, TradeObservation
from app.trade.ranking import make_rank, preferred_ids
from app.trade.records import EXPORTS, SCO, Key, ObservationRecord
from app.trade.repository import ObservationFilters
from app.trade.repository import ObservationSort as ObservationSort  # for the router's `sort`
from app.trade.serializer import bounds_item, observation_items_from_text
from app.trade.serializer import observation_item as observation_item  # for writes.OBSERVATION
from app.trade.tolerance import Interval, stored_bounds
from app.vocabulary import (
    CHECK_KINDS,
    OBSERVATION_STATUSES,
    YEAR_MAX,
    YEAR_MIN,
    Language,
    is_year,
)

CSV_BATCH = 1000
# Findings are computed, not stored: a page of them starts after the last id it named.
CHECK_ORDER = (SortKey(column("id", String())),)


# --- filters -----------------------------------------------------------------------------


def resolve_years(values: list[str], *, field: str = "query.year") -> list[int]:
    years: list[int] = []
    for value in values:
        try:
            year = int(value)
        except ValueError as exc:
            raise ValidationFailed.for_field(field, f"not a year: {value!r}") from exc
        if not is_year(year):
            raise ValidationFailed.for_field(field, f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}")
        years.append(year)
    return years


def check_statuses(values: list[str], *, field: str = "query.status") -> list[str]:
    bad = [value for value in values if value not in OBSERVATION_STATUSES]
    if bad:
        raise ValidationFailed.for_field(
            field, f"unknown status(es): {', '.join(bad)}; one of {', '.join(OBSERVATION_STATUSES)}"
        )
    return values


def resolve_indicators(session: Session, wanted: list[str], *, field: str) -> list[str]:
    known = repository.indicator_units(session)
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationFailed.for_field(
            field,
            f"unknown indicator(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}",
            kind=REFERENCE_ERROR,
        )
    return wanted


@dataclass(frozen=True)
class ObservationQuery:
    """The query of `/trade/observations` as given, one value per item: codes unresolved,
    years and statuses unchecked. Empty lists mean "any"."""

    reporter: list[str] = field(default_factory=list)
    partner: list[str] = field(default_factory=list)
    indicator: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    status: list[str] = field(default_factory=list)
    preferred: bool | None = None
    include_derived: bool = True
    as_of: str | None = None
    # Only figures changed after this moment (SDMX's `updatedAfter`; no list parameter yet).
    updated_after: datetime | None = None


def resolve_filters(session: Session, query: ObservationQuery) -> ObservationFilters:
    """Check and normalize the query of `/trade/observations`; any bad value is a 422."""
    if (
        query.year_from is not None
        and query.year_to is not None
        and query.year_from > query.year_to
    ):
        raise ValidationFailed.for_field(
            "query.year_from",
            f"year_from ({query.year_from}) is after year_to ({query.year_to})",
            kind=RULE_ERROR,
        )
    statuses = check_statuses(query.status)
    return ObservationFilters(
        reporters=resolve_area_codes(session, query.reporter, field="query.reporter"),
        partners=resolve_area_codes(session, query.partner, field="query.partner"),
        indicators=resolve_indicators(session, query.indicator, field="query.indicator"),
        years=resolve_years(query.year),
        year_from=query.year_from,
        year_to=query.year_to,
        statuses=statuses,
        preferred=query.preferred,
        include_derived=query.include_derived,
        updated_after=query.updated_after,
    )


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in UTC (to the microsecond the database keeps)."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC) - timedelta(microseconds=1)


def resolve_as_of(raw: str | None) -> datetime | None:
    """The moment `?as_of=` names, or None (the latest figures); a 422 naming `as_of`.

    A time is that moment. A date means the figures as they stood at the end of that day
    in UTC ("as published on 2024-05-01" includes what was published that day); today's
    date means now, as its end has not come yet. A moment after now is a 422: the figures
    it would show are not known.
    """
    if raw is None:
        return None
    try:
        moment = parse_moment(raw.strip())
    except ValueError as error:
        raise ValidationFailed.for_field(
            "query.as_of",
            f"not an RFC 3339 time or date ({error}): give e.g. 2024-05-01 or 2024-05-01T12:00:00Z",
        ) from error
    now = utcnow()
    if isinstance(moment, datetime):
        if moment > now:
            raise ValidationFailed.for_field(
                "query.as_of",
                f"{raw.strip()} is in the future (now: {now.isoformat()})",
                kind=RULE_ERROR,
            )
        return moment
    if moment > now.date():
        raise ValidationFailed.for_field(
            "query.as_of",
            f"{moment.isoformat()} is in the future (today: {now.date()})",
            kind=RULE_ERROR,
        )
    return min(end_of_day(moment), now)


def _one_area(session: Session, values: list[str], field: str) -> str:
    codes = resolve_area_codes(session, values, field=field)
    if len(codes) != 1:
        raise ValidationFailed.for_field(field, "give exactly one area code")
    return codes[0]


# --- indicators and observations -------------------------------------------------------------


def localized_indicator(indicator: TradeIndicator, language: Language) -> Mapping[str, str]:
    """What an indicator's answer in `language` shows in place of the stored values: its
    name (`app.labels.indicator_name`: the stored one in English, the project's label of
    the code in Russian and Chinese)."""
    return {"name": indicator_name(indicator.code, language, stored=indicator.name)}


def list_indicators(session: Session, page: PageParams, language: Language) -> Paged[Overlay]:
    """A page of indicators, named in `language`."""
    indicators = repository.list_indicators(session, page)
    return indicators.map(
        lambda indicator: Overlay(indicator, localized_indicator(indicator, language))
    )


def get_indicator(session: Session, code: str) -> TradeIndicator:
    return repository.IndicatorRepository(session).get_or_raise(code)


def get_observation(session: Session, observation_id: str) -> TradeObservation:
    return repository.ObservationRepository(session).get_or_raise(observation_id)


def version_item(row: Any) -> dict[str, Any]:
    """A version: the observation as it stood, and from when until when (null: still)."""
    return {**observation_item(row), "valid_from": row.valid_from, "valid_to": row.valid_to}


def list_versions(session: Session, observation_id: str, page: PageParams) -> Paged[dict[str, Any]]:
    """One page of an observation's versions, newest first; a 404 for an id never used.

    A deleted observation keeps its versions (the newest one ends when it was deleted).
    """
    rows = repository.page_versions(session, observation_id, page)
    if not rows.items and not repository.has_versions(session, observation_id):
        get_observation(session, observation_id)  # the 404, unless it exists unversioned
    return rows.map(version_item)


def list_observations(
    session: Session, query: ObservationQuery, sort: ObservationSort | None, page: PageParams
) -> Paged[dict[str, Any]]:
    """One page of the matching observations (as of `query.as_of`), as the contract's objects."""
    as_of = resolve_as_of(query.as_of)
    filters = resolve_filters(session, query)
    rows = repository.page_observations(session, filters, sort, page, layout="text", as_of=as_of)
    return rows.with_items(observation_items_from_text(rows.items))


def list_observation_csv_rows(
    session: Session, query: ObservationQuery, sort: ObservationSort | None, page: PageParams
) -> Paged[Row[Any]]:
    """As `list_observations`, each row the cells of a CSV line."""
    as_of = resolve_as_of(query.as_of)
    filters = resolve_filters(session, query)
    return repository.page_observations(session, filters, sort, page, layout="csv", as_of=as_of)


def observation_csv_batches(
    session: Session, query: ObservationQuery, sort: ObservationSort | None
) -> Iterator[Sequence[Row[Any]]]:
    """Every matching observation as the cells of a CSV line, `CSV_BATCH` rows at a time.

    The query is checked now, not when the first batch is read: a bad filter is a 422
    before the answer starts, never a download that breaks off.
    """
    as_of = resolve_as_of(query.as_of)
    filters = resolve_filters(session, query)
    return repository.stream_observations(
        session, filters, sort, layout="csv", batch=CSV_BATCH, as_of=as_of
    )


def stream_observations(
    session: Session, query: ObservationQuery, sort: ObservationSort | None
) -> Iterator[Sequence[Row[Any]]]:
    """Every matching observation with typed values, `CSV_BATCH` rows at a time."""
    as_of = resolve_as_of(query.as_of)
    filters = resolve_filters(session, query)
    return repository.stream_observations(
        session, filters, sort, layout="typed", batch=CSV_BATCH, as_of=as_of
    )


# --- SCO membership ------------------------------------------------------------------------


def membership_date(year: int) -> date:
    """`SCO` in a year means the member states on 31 December of that year."""
    return date(year, 12, 31)


def members_resolver(session: Session) -> Callable[[int], list[str]]:
    """Member states of the SCO by year (cached for the life of one call)."""
    cache: dict[int, list[str]] = {}

    def members_of(year: int) -> list[str]:
        if year not in cache:
            cache[year] = areas_repository.member_codes_as_of(session, membership_date(year))
        return cache[year]

    return members_of


# --- ranking, checks, series ---------------------------------------------------------------


def _find(
    session: Session,
    records: Sequence[ObservationRecord],
    kinds: Sequence[str] = CHECK_KINDS,
    mirror_tolerance: Decimal = MIRROR_TOLERANCE,
    concerning: Collection[str] | None = None,
) -> list[Finding]:
    sources = repository.source_ranks(session)
    by_id = {record.id: record for record in records if not record.is_derived}
    return find_issues(
        records,
        make_rank(by_id, sources),
        kinds,
        sources=sources,
        indicator_names=repository.indicator_names(session),
        mirror_tolerance=mirror_tolerance,
        concerning=concerning,
    )


def find_checks(
    session: Session,
    kinds: Sequence[str] = CHECK_KINDS,
    mirror_tolerance: Decimal = MIRROR_TOLERANCE,
) -> list[Finding]:
    return _find(session, _records_for_checks(session), kinds, mirror_tolerance)


def _records_for_checks(session: Session) -> list[ObservationRecord]:
    """Every figure a check can find something in. A year of import declarations alone (one
    source, no exports, no press figure: most of a trade matrix) holds no finding, so its
    figures are not read: the checks of a seeded database read a few thousand, not 150,000."""
    world = repository.declaration_world(DECLARATIONS, DECLARATION_FORMULAS)
    years = repository.years_where_checks_meet_declarations(session, world, EXPORTS)
    return repository.scoped_records(session, years, world)


def list_checks(
    session: Session,
    kinds: list[str],
    page: PageParams,
    mirror_tolerance: Decimal | None = None,
) -> Paged[dict[str, Any]]:
    """One page of the findings of `kinds` (empty: every kind), by id."""
    # abs(): "-0" passes the bounds and would read as a negative tolerance.
    tolerance = MIRROR_TOLERANCE if mirror_tolerance is None else abs(mirror_tolerance)
    findings = find_checks(session, resolve_check_kinds(kinds), tolerance)
    return page_sorted(findings, CHECK_ORDER, page).map(check_item)


def resolve_check_kinds(kinds: list[str], *, field: str = "query.kind") -> list[str]:
    bad = [kind for kind in kinds if kind not in CHECK_KINDS]
    if bad:
        raise ValidationFailed.for_field(
            field, f"unknown kind(s): {', '.join(bad)}; one of {', '.join(CHECK_KINDS)}"
        )
    return kinds or list(CHECK_KINDS)


def _range_item(interval: Interval | None) -> dict[str, Any] | None:
    if interval is None:
        return None
    lower, upper = stored_bounds(interval)
    return bounds_item(lower, upper)


def check_item(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind,
        "severity": finding.severity,
        "message": finding.message,
        "observation_ids": list(finding.observation_ids),
        "reported": finding.reported,
        "implied": finding.implied,
        "reported_bounds": _range_item(finding.reported_range),
        "implied_bounds": _range_item(finding.implied_range),
    }


@dataclass(frozen=True)
class SeriesQuery:
    reporter: str
    partner: str
    indicator: str
    unit: str
    as_of: datetime | None = None  # None: the latest figures


def resolve_series_query(
    session: Session,
    reporter: list[str],
    partner: list[str],
    indicator: str,
    as_of: str | None = None,
) -> SeriesQuery:
    """Check the query of `/trade/series`: exactly one reporter and one partner (each as the
    values given), one known indicator, and the moment of `as_of` if given."""
    moment = resolve_as_of(as_of)
    units = repository.indicator_units(session)
    code = indicator.strip()
    if code not in units:
        raise ValidationFailed.for_field(
            "query.indicator",
            f"unknown indicator {code!r}; known: {', '.join(sorted(units))}",
            kind=REFERENCE_ERROR,
        )
    return SeriesQuery(
        reporter=_one_area(session, reporter, "query.reporter"),
        partner=_one_area(session, partner, "query.partner"),
        indicator=code,
        unit=units[code],
        as_of=moment,
    )


def series_points(
    session: Session, query: SeriesQuery, *, include_derived: bool
) -> list[dict[str, Any]]:
    """The preferred value of each year, by year, with the members `SCO` stood for."""
    rows = repository.preferred_series(
        session,
        query.reporter,
        query.partner,
        query.indicator,
        include_derived=include_derived,
        as_of=query.as_of,
    )
    members_of = members_resolver(session)
    involves_sco = SCO in (query.reporter, query.partner)
    return [
        {
            "year": row.year,
            "value": row.value,
            "qualifier": row.qualifier,
            "status": row.status,
            "observation_id": row.id,
            "base_year": row.base_year,
            "span_years": row.span_years,
            "precision": row.precision,
            "bounds": bounds_item(row.bounds_lower, row.bounds_upper),
            "source_id": row.source_id,
            "members": members_of(row.year) if involves_sco else None,
            "members_as_of": membership_date(row.year) if involves_sco else None,
        }
        for row in rows
    ]


def series_checks(session: Session, query: SeriesQuery) -> list[Finding]:
    """Findings that name an observation of this series, or an input of a derived point."""
    # Both sides of the pair: a mirror declaration (the partner's imports against the
    # reporter's exports) is reported by the partner.
    sides = sorted({query.reporter, query.partner, SCO})
    records = repository.observation_records(
        session, reporters=sides, partners=sides, as_of=query.as_of
    )
    series = [
        record
        for record in records
        if (record.reporter, record.partner, record.indicator)
        == (query.reporter, query.partner, query.indicator)
    ]
    concerned = {record.id for record in series}
    concerned.update(
        input_id for record in series if record.preferred and record.is_derived
        for input_id in record.inputs
    )  # fmt: skip
    return _find(session, records, concerning=concerned)


# --- recomputation -------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    preferred_changed: int = 0
    # Reported figures whose range was (re)computed: new or changed figures, or all of
    # them once after the migration that added ranges.
    bounds_set: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted + self.preferred_changed


def _derived_record(figure: DerivedFigure, unit: str) -> ObservationRecord:
    return ObservationRecord(
        id=figure.id,
        reporter=figure.reporter,
        partner=figure.partner,
        indicator=figure.indicator,
        year=figure.year,
        base_year=figure.base_year,
        value=figure.value,
        unit=unit,
        precision=None,
        qualifier=figure.qualifier,
        status="derived",
        source_id=None,
        derivation=figure.derivation,
        note=figure.note,
        bounds_lower=figure.bounds_lower,
        bounds_upper=figure.bounds_upper,
    )


# The fields a derived row is written with, besides its id (its flag is set apart, after
# every row is in).
DERIVED_FIELDS = tuple(
    field.name for field in fields(ObservationRecord) if field.name not in ("id", "preferred")
)
OBSERVATION_TYPE = TradeObservation.__change_type__


# What a row not written yet says of itself (it is not preferred until written so).
_PENDING_FIELDS = tuple(
    field.name for field in fields(ObservationRecord) if field.name != "preferred"
)
_derived_values = attrgetter(*DERIVED_FIELDS)  # one tuple: a quick comparison per row


def _fields(record: ObservationRecord) -> dict[str, Any]:
    return {"id": record.id, **dict(zip(DERIVED_FIELDS, _derived_values(record), strict=True))}


def _bounds_updates(records: Sequence[ObservationRecord]) -> list[dict[str, Any]]:
    """The reported figures whose stored range differs from what their digits allow."""
    updates = []
    for record in records:
        lower, upper = stored_bounds(reported_interval(record))
        if (record.bounds_lower, record.bounds_upper) != (lower, upper):
            updates.append({"id": record.id, "bounds_lower": lower, "bounds_upper": upper})
    return updates


@dataclass(frozen=True)
class _Rewrite:
    """What recomputing changes, in the terms of the statements that make the changes."""

    stale: list[str]  # derived rows no rule plans any more: deleted
    inserts: list[dict[str, Any]]  # derived rows not stored yet, and the caller's new rows
    updates: list[dict[str, Any]]  # derived rows whose figure changed
    ranged: list[dict[str, Any]]  # non-derived rows whose range changed
    unflag: list[str]  # rows that lose `preferred`
    flag: list[str]  # rows that win it

    @property
    def changes_rows(self) -> bool:
        """Whether a row the session may have loaded is changed (inserts are new to it)."""
        return bool(self.stale or self.unflag or self.flag or self.updates or self.ranged)

    def result(self, *, new_rows: int = 0) -> RecomputeResult:
        """What changed, in the derived figures: `new_rows` of the inserts are the caller's."""
        return RecomputeResult(
            inserted=len(self.inserts) - new_rows,
            updated=len(self.updates),
            deleted=len(self.stale),
            preferred_changed=len(self.unflag) + len(self.flag),
            bounds_set=len(self.ranged),
        )


def _derived_rows(
    planned: dict[str, DerivedFigure],
    non_derived_ids: Container[str],
    stored_derived: dict[str, ObservationRecord],
    units: dict[str, str],
) -> tuple[list[ObservationRecord], list[dict[str, Any]], list[dict[str, Any]]]:
    """The planned derived figures as records, and those of them to insert or update."""
    derived: list[ObservationRecord] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for figure in planned.values():
        if figure.id in non_derived_ids:
            continue  # a reported row already uses this id; it wins
        record = _derived_record(figure, units[figure.indicator])
        derived.append(record)
        current = stored_derived.get(figure.id)
        if current is None:
            inserts.append({**_fields(record), "preferred": False})
        elif _derived_values(current) != _derived_values(record):
            updates.append(_fields(record))
    return derived, inserts, updates


def _flag_changes(
    records: Sequence[ObservationRecord], winners: set[str], stale: list[str]
) -> tuple[list[str], list[str]]:
    """The ids to unflag and to flag so that exactly the winners are preferred."""
    flagged = {record.id for record in records if record.preferred}
    # Deleted rows lose their flag with them; new rows are written unflagged, then flagged.
    unflag = sorted(flagged - winners - set(stale))
    flag = sorted(winners - (flagged - set(unflag)))
    return unflag, flag


def _plan_rewrite(
    session: Session, records: Sequence[ObservationRecord], pending: Sequence[dict[str, Any]] = ()
) -> tuple[_Rewrite, set[Key]]:
    """Compare the stored figures with what the rules derive from the non-derived ones; and
    the keys of every figure stored or planned.

    `pending`: new non-derived rows not written yet (`recompute`'s); planned as if stored.
    """
    if pending:
        records = sorted([*records, *map(pending_record, pending)], key=attrgetter("id"))
    units = repository.indicator_units(session)
    sources = repository.source_ranks(session)
    non_derived = [record for record in records if not record.is_derived]
    stored_derived = {record.id: record for record in records if record.is_derived}
    by_id = {record.id: record for record in non_derived}
    rank = make_rank(by_id, sources)
    planned = plan_derived(
        non_derived,
        indicators=units,
        members_of=members_resolver(session),
        rank=rank,
        sources=sources,
    )
    stale = [id_ for id_ in stored_derived if id_ not in planned]
    derived, inserts, updates = _derived_rows(planned, by_id, stored_derived, units)
    ranged = _bounds_updates(non_derived)
    winners = preferred_ids([*non_derived, *derived], rank)
    unflag, flag = _flag_changes(records, winners, stale)
    keys = {record.key for record in records} | {record.key for record in derived}
    rewrite = _Rewrite(stale, [*pending, *inserts], updates, ranged, unflag, flag)
    return rewrite, keys


def pending_record(row: dict[str, Any]) -> ObservationRecord:
    """A new row (the fields of an observation) as the record it will be once written."""
    values: dict[str, Any] = {name: row.get(name) for name in _PENDING_FIELDS}
    return ObservationRecord(**values, preferred=False)


def _plan_years(
    session: Session, years: Collection[int], pending: Sequence[dict[str, Any]]
) -> _Rewrite:
    """The rewrite of every figure outside the declaration world and of the declaration
    world's figures of `years` (see `derivation_rules.DECLARATIONS`).

    Each key (reporter, partner, indicator, year) it ranks must be read whole, or it could
    flag a second figure of a key or unflag its only one. A key of one of `years` is. A key
    of another year is read for its figures outside the world only: a press release's
    turnover, or one derived from press figures (a previous year's value, from a growth
    rate, may be of any year). Where such a key holds figures of the world too (a turnover
    derived from declarations), its year joins the years read, and the plan is made again;
    the figures outside the world do not depend on the years read, so once suffices.
    """
    world = repository.declaration_world(DECLARATIONS, DECLARATION_FORMULAS)
    scope = set(years)
    while True:
        records = repository.scoped_records(session, scope, world)
        rewrite, keys = _plan_rewrite(session, records, pending)
        others = sorted(key for key in keys if key[3] not in scope)
        shared = repository.years_holding(session, others, world)
        if not shared:
            return rewrite
        scope |= shared


def _write_rewrite(session: Session, rewrite: _Rewrite) -> None:
    # One preferred row per key at any moment (a partial unique index): unflag first. New
    # rows are written with their flag (an UPDATE per flag would double an import's writes);
    # stored rows that win are flagged last, once the rows they beat have lost the flag.
    repository.delete_observations(session, rewrite.stale)
    repository.set_preferred(session, rewrite.unflag, preferred=False)
    flag = set(rewrite.flag)
    for row in rewrite.inserts:
        row["preferred"] = row["id"] in flag
    repository.insert_observations(session, rewrite.inserts)
    repository.update_observations(session, rewrite.updates)
    repository.update_observations(session, rewrite.ranged)
    inserted = {row["id"] for row in rewrite.inserts}
    repository.set_preferred(
        session, [id_ for id_ in rewrite.flag if id_ not in inserted], preferred=True
    )


def _note_rewrite(session: Session, rewrite: _Rewrite) -> None:
    """Record the set-based writes in the change feed (no ORM object saw them)."""
    changed = [row["id"] for row in [*rewrite.updates, *rewrite.ranged]]
    note_changes(
        session,
        [(OBSERVATION_TYPE, id_, "delete") for id_ in rewrite.stale]
        + [(OBSERVATION_TYPE, row["id"], "create") for row in rewrite.inserts]
        + [(OBSERVATION_TYPE, id_, "update") for id_ in [*changed, *rewrite.unflag, *rewrite.flag]],
    )


@contextmanager
def _no_cyclic_collection() -> Iterator[None]:
    """Planning makes a few objects per figure (records, ranges, notes), none in a cycle:
    with 80,000 declarations the cyclic collector's passes over them cost a third of the
    time. Reference counting still frees everything; the collector resumes afterwards
    (unless it was off already)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def recompute(
    session: Session,
    years: Collection[int] | None = None,
    *,
    pending: Sequence[dict[str, Any]] = (),
) -> RecomputeResult:
    """Bring ranges, derived observations and `preferred` flags in line with the reported ones.

    Derived rows are upserted by id (ids are stable), stale ones deleted; flags are changed
    only where the winner changes; a reported figure's range is written when it differs.
    Running it twice changes nothing the second time.

    `years`: the years of every observation a write changed (as it was and as it is). The
    declarations and the figures derived from them, nearly all the figures there are, are
    then re-planned for those years only; the figures of each year follow from that year's
    declarations alone (`_plan_years`). None: every figure (a first load, a change of a
    source's rank or of an indicator).

    It reads plain records and writes with set-based statements (an import recomputes over
    every figure, a million of them at scale), so it records its changes in the feed itself
    and expires the session's objects, which may hold flags it changed.

    `pending`: new non-derived rows (dicts of observation fields with their id and range)
    that the caller has not written: planned with the stored ones and inserted with their
    `preferred` flag, then recorded in the feed as created (an import's new figures).
    Their years must be among `years`.
    """
    session.flush()
    with _no_cyclic_collection():
        if years is None:
            records = repository.observation_records(session)
            rewrite, _keys = _plan_rewrite(session, records, pending)
        else:
            rewrite = _plan_years(session, years, pending)
    _write_rewrite(session, rewrite)
    _note_rewrite(session, rewrite)
    if rewrite.changes_rows:
        session.expire_all()
    return rewrite.result(new_rows=len(pending))


def recompute_for_sources(session: Session, source_ids: Collection[str]) -> RecomputeResult:
    """`recompute` after a change of these sources (their rank, their label).

    A source ranks its own figures and, through them, the figures derived from them, of
    the same year in the declaration world: the years of its figures are the years to
    re-plan (none for a source no figure cites yet).
    """
    return recompute(session, years=repository.years_citing(session, source_ids))


def refresh_computed(session: Session) -> RecomputeResult | None:
    """After a migration: compute what the stored figures lack (their ranges), if anything.

    Migrations add columns but never copy the rules that fill them; this is the one place
    that does, and it costs one indexed question when there is nothing to do.
    """
    if not repository.has_figures_without_bounds(session):
        return None
    return recompute(session)
