"""Rules of the trade domain: filter validation, series, checks, and recomputing derived rows.

Never commits: the request (or the seed / import command) owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.areas import repository as areas_repository
from app.areas.service import resolve_area_codes
from app.errors import REFERENCE_ERROR, RULE_ERROR, ValidationFailed
from app.http.pagination import PageParams
from app.http.params import split_values
from app.trade import repository
from app.trade.checks import KINDS, Finding, find_issues
from app.trade.derivations import DerivedFigure, plan_derived
from app.trade.models import STATUSES, TradeObservation
from app.trade.ranking import RankKey, make_rank, preferred_ids
from app.trade.records import SCO, ObservationRecord

YEAR_MIN, YEAR_MAX = 1990, 2100
CSV_BATCH = 1000


# --- filters -----------------------------------------------------------------------------


def _years(raw: list[str] | None) -> list[int]:
    years: list[int] = []
    for value in split_values(raw):
        try:
            year = int(value)
        except ValueError as exc:
            raise ValidationFailed.for_field("query.year", f"not a year: {value!r}") from exc
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValidationFailed.for_field(
                "query.year", f"year {year} is outside {YEAR_MIN}-{YEAR_MAX}"
            )
        years.append(year)
    return years


def resolve_indicators(session: Session, raw: list[str] | None, *, field: str) -> list[str]:
    wanted = split_values(raw)
    known = repository.indicator_units(session)
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise ValidationFailed.for_field(
            field,
            f"unknown indicator(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}",
            kind=REFERENCE_ERROR,
        )
    return wanted


def resolve_filters(
    session: Session,
    *,
    reporter: list[str] | None,
    partner: list[str] | None,
    indicator: list[str] | None,
    year: list[str] | None,
    year_from: int | None,
    year_to: int | None,
    status: list[str] | None,
    preferred: bool | None,
    include_derived: bool,
) -> repository.ObservationFilters:
    """Check and normalize the query of `/trade/observations`; any bad value is a 422."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ValidationFailed.for_field(
            "query.year_from",
            f"year_from ({year_from}) is after year_to ({year_to})",
            kind=RULE_ERROR,
        )
    statuses = split_values(status)
    bad = [value for value in statuses if value not in STATUSES]
    if bad:
        raise ValidationFailed.for_field(
            "query.status", f"unknown status(es): {', '.join(bad)}; one of {', '.join(STATUSES)}"
        )
    reporters = split_values(reporter)
    partners = split_values(partner)
    return repository.ObservationFilters(
        reporters=resolve_area_codes(session, reporters, field="query.reporter")
        if reporters
        else [],
        partners=resolve_area_codes(session, partners, field="query.partner") if partners else [],
        indicators=resolve_indicators(session, indicator, field="query.indicator"),
        years=_years(year),
        year_from=year_from,
        year_to=year_to,
        statuses=statuses,
        preferred=preferred,
        include_derived=include_derived,
    )


def _one_area(session: Session, raw: str, field: str) -> str:
    codes = resolve_area_codes(session, split_values([raw]), field=field)
    if len(codes) != 1:
        raise ValidationFailed.for_field(field, "give exactly one area code")
    return codes[0]


# --- observations --------------------------------------------------------------------------


def list_observations(
    session: Session,
    filters: repository.ObservationFilters,
    sort: str | None,
    page: PageParams,
) -> list[Row[Any]]:
    return repository.list_observations(session, filters, sort, page)


def stream_observations(
    session: Session, filters: repository.ObservationFilters, sort: str | None
) -> Iterator[Sequence[Row[Any]]]:
    return repository.stream_observations(session, filters, sort, CSV_BATCH)


def observation_item(row: Row[Any]) -> dict[str, Any]:
    """The JSON object of one observation row (field order of the contract)."""
    derivation = row.derivation
    return {
        "id": row.id,
        "reporter": row.reporter,
        "partner": row.partner,
        "indicator": row.indicator,
        "year": row.year,
        "base_year": row.base_year,
        "value": row.value,
        "unit": row.unit,
        "precision": row.precision,
        "qualifier": row.qualifier,
        "status": row.status,
        "preferred": row.preferred,
        "source_id": row.source_id,
        "derivation": {
            "formula": derivation.get("formula"),
            "inputs": list(derivation.get("inputs") or []),
        }
        if derivation
        else None,
        "note": row.note,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


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


def _rank_for(
    session: Session, records: Sequence[ObservationRecord]
) -> Callable[[ObservationRecord], RankKey]:
    by_id = {record.id: record for record in records if not record.is_derived}
    return make_rank(by_id, repository.source_ranks(session))


def find_checks(session: Session, kinds: Sequence[str] = KINDS) -> list[Finding]:
    records = repository.observation_records(session)
    return find_issues(records, _rank_for(session, records), kinds)


def resolve_check_kinds(raw: list[str] | None) -> list[str]:
    kinds = split_values(raw)
    bad = [kind for kind in kinds if kind not in KINDS]
    if bad:
        raise ValidationFailed.for_field(
            "query.kind", f"unknown kind(s): {', '.join(bad)}; one of {', '.join(KINDS)}"
        )
    return kinds or list(KINDS)


def check_item(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind,
        "severity": finding.severity,
        "message": finding.message,
        "observation_ids": list(finding.observation_ids),
        "reported": finding.reported,
        "implied": finding.implied,
    }


@dataclass(frozen=True)
class SeriesQuery:
    reporter: str
    partner: str
    indicator: str
    unit: str


def resolve_series_query(
    session: Session, reporter: str, partner: str, indicator: str
) -> SeriesQuery:
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
    )


def series_points(
    session: Session, query: SeriesQuery, *, include_derived: bool
) -> list[dict[str, Any]]:
    """The preferred value of each year, by year, with the members `SCO` stood for."""
    rows = repository.preferred_series(
        session, query.reporter, query.partner, query.indicator, include_derived=include_derived
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
            "precision": row.precision,
            "source_id": row.source_id,
            "members": members_of(row.year) if involves_sco else None,
            "members_as_of": membership_date(row.year) if involves_sco else None,
        }
        for row in rows
    ]


def series_checks(session: Session, query: SeriesQuery) -> list[Finding]:
    """Findings that name an observation of this series, or an input of a derived point."""
    records = repository.observation_records(
        session,
        reporters=sorted({query.reporter, SCO}),
        partners=sorted({query.partner, SCO}),
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
    findings = find_issues(records, _rank_for(session, records))
    return [finding for finding in findings if concerned.intersection(finding.observation_ids)]


# --- recomputation -------------------------------------------------------------------------


@dataclass
class RecomputeResult:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    preferred_changed: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted + self.preferred_changed


def _record_of(model: TradeObservation) -> ObservationRecord:
    return ObservationRecord(
        id=model.id,
        reporter=model.reporter,
        partner=model.partner,
        indicator=model.indicator,
        year=model.year,
        base_year=model.base_year,
        value=model.value,
        unit=model.unit,
        precision=model.precision,
        qualifier=model.qualifier,
        status=model.status,
        source_id=model.source_id,
        derivation=model.derivation,
        note=model.note,
        preferred=model.preferred,
    )


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
    )


def _apply(model: TradeObservation, values: dict[str, Any]) -> bool:
    """Set only what differs, so an unchanged row keeps its `updated_at`."""
    changed = False
    for name, value in values.items():
        if getattr(model, name) != value:
            setattr(model, name, value)
            changed = True
    return changed


def recompute(session: Session) -> RecomputeResult:
    """Bring derived observations and `preferred` flags in line with the reported ones.

    Derived rows are upserted by id (ids are stable), stale ones deleted; flags are changed
    only where the winner changes. Running it twice changes nothing the second time.
    """
    models = repository.observation_models(session)
    units = repository.indicator_units(session)
    non_derived = [_record_of(model) for model in models if model.status != "derived"]
    rank = make_rank(
        {record.id: record for record in non_derived}, repository.source_ranks(session)
    )
    planned = plan_derived(
        non_derived, indicators=units, members_of=members_resolver(session), rank=rank
    )
    result = RecomputeResult()
    by_id = {model.id: model for model in models}
    for model in models:
        if model.status == "derived" and model.id not in planned:
            session.delete(model)
            result.deleted += 1
    derived_records: list[ObservationRecord] = []
    for figure in planned.values():
        existing = by_id.get(figure.id)
        if existing is not None and existing.status != "derived":
            continue  # a reported row already uses this id; it wins
        derived_records.append(_derived_record(figure, units[figure.indicator]))
        values: dict[str, Any] = {
            "reporter": figure.reporter,
            "partner": figure.partner,
            "indicator": figure.indicator,
            "year": figure.year,
            "base_year": figure.base_year,
            "value": figure.value,
            "unit": units[figure.indicator],
            "precision": None,
            "qualifier": figure.qualifier,
            "status": "derived",
            "source_id": None,
            "derivation": figure.derivation,
            "note": figure.note,
        }
        if existing is None:
            model = TradeObservation(id=figure.id, preferred=False, **values)
            session.add(model)
            by_id[figure.id] = model
            result.inserted += 1
        elif _apply(existing, values):
            result.updated += 1
    session.flush()
    winners = preferred_ids([*non_derived, *derived_records], rank)
    live = [model for model in by_id.values() if model.id in winners or model.preferred]
    # Two flushes: the partial unique index allows one preferred row per key at any moment.
    for model in live:
        if model.preferred and model.id not in winners and model in session:
            model.preferred = False
            result.preferred_changed += 1
    session.flush()
    for model in live:
        if not model.preferred and model.id in winners:
            model.preferred = True
            result.preferred_changed += 1
    session.flush()
    return result
