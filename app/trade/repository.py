"""Queries of the trade domain (`select()` only; the service decides what they mean)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from sqlalchemy import Numeric, Row, cast, delete, func, select, update
from sqlalchemy.orm import Session

from app.db.bulk import among, insert_rows
from app.db.keyset import AnySelect, Paged, PageParams, SortKey, fetch_page
from app.organizations.models import Organization
from app.sources.models import Source
from app.trade.models import TradeIndicator, TradeObservation
from app.trade.records import ObservationRecord, SourceRank
from app.trade.wording import label_source

INDICATOR_ORDER = (SortKey(TradeIndicator.code),)
# Set-based UPDATE/DELETE: no search of the session for the rows they touch (the caller
# expires the session afterwards).
_CORE = {"synchronize_session": False}

Obs = TradeObservation
OBSERVATION_COLUMNS = (
    Obs.id,
    Obs.reporter,
    Obs.partner,
    Obs.indicator,
    Obs.year,
    Obs.base_year,
    Obs.value,
    Obs.unit,
    Obs.precision,
    Obs.qualifier,
    Obs.status,
    Obs.preferred,
    Obs.source_id,
    Obs.derivation,
    Obs.note,
    Obs.created_at,
    Obs.updated_at,
    Obs.bounds_lower,
    Obs.bounds_upper,
    Obs.span_years,
    Obs.qualifier_word,
)
# `value` is text on SQLite (exact digits), so ordering goes through a numeric cast there;
# on PostgreSQL the cast is a no-op on a NUMERIC column. Rows hold it as `value`.
VALUE_SORT = SortKey(cast(Obs.value, Numeric(24, 6)), field="value")

KEY_ORDER = (
    SortKey(Obs.reporter),
    SortKey(Obs.partner),
    SortKey(Obs.indicator),
    SortKey(Obs.year),
    SortKey(Obs.id),
)
OBSERVATION_ORDERS: dict[str | None, tuple[SortKey, ...]] = {
    None: KEY_ORDER,
    "year": (SortKey(Obs.year), *KEY_ORDER[:3], SortKey(Obs.id)),
    "-year": (SortKey(Obs.year, descending=True), *KEY_ORDER[:3], SortKey(Obs.id)),
    "value": (VALUE_SORT, SortKey(Obs.id)),
    "-value": (replace(VALUE_SORT, descending=True), SortKey(Obs.id)),
}


# What makes two figures the same figure (migration 0008's unique index): one source's
# value of one key over one span. An open base year counts as 0, so two open ones match.
IDENTITY_COLUMNS = (
    Obs.reporter,
    Obs.partner,
    Obs.indicator,
    Obs.year,
    func.coalesce(Obs.base_year, 0),
    Obs.source_id,
)
Identity = tuple[str, str, str, int, int, str | None]


def identity_of(figure: Any) -> Identity:
    """The identity of a figure given as a mapping (a request body) or a row."""
    values = figure if isinstance(figure, dict) else figure._mapping
    return (
        values["reporter"],
        values["partner"],
        values["indicator"],
        values["year"],
        values["base_year"] or 0,
        values["source_id"],
    )


def find_by_identity(
    session: Session, identities: Sequence[Identity], columns: Sequence[Any]
) -> list[Row[Any]]:
    """The stored figures with these identities (keep `identities` under the parameter cap)."""
    statement = select(*columns).where(among(session, IDENTITY_COLUMNS, identities))
    return list(session.execute(statement))


@dataclass(frozen=True)
class ObservationFilters:
    """Validated filters (codes already resolved); empty lists mean "any"."""

    reporters: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    statuses: list[str] = field(default_factory=list)
    preferred: bool | None = None
    include_derived: bool = True


def observations_statement(filters: ObservationFilters) -> AnySelect:
    statement = select(*OBSERVATION_COLUMNS)
    if filters.reporters:
        statement = statement.where(Obs.reporter.in_(filters.reporters))
    if filters.partners:
        statement = statement.where(Obs.partner.in_(filters.partners))
    if filters.indicators:
        statement = statement.where(Obs.indicator.in_(filters.indicators))
    if filters.years:
        statement = statement.where(Obs.year.in_(filters.years))
    if filters.year_from is not None:
        statement = statement.where(Obs.year >= filters.year_from)
    if filters.year_to is not None:
        statement = statement.where(Obs.year <= filters.year_to)
    if filters.statuses:
        statement = statement.where(Obs.status.in_(filters.statuses))
    if filters.preferred is not None:
        statement = statement.where(Obs.preferred.is_(filters.preferred))
    if not filters.include_derived:
        statement = statement.where(Obs.status != "derived")
    return statement


def stream_observations(
    session: Session, filters: ObservationFilters, sort: str | None, batch: int
) -> Iterator[Sequence[Row[Any]]]:
    """All matching rows in order, fetched `batch` at a time (server-side on PostgreSQL)."""
    keys = OBSERVATION_ORDERS[sort]
    order = [key.column.desc() if key.descending else key.column.asc() for key in keys]
    statement = observations_statement(filters).order_by(*order)
    result = session.execute(statement, execution_options={"yield_per": batch})
    yield from result.partitions()


def indicator_units(session: Session) -> dict[str, str]:
    rows = session.execute(select(TradeIndicator.code, TradeIndicator.unit))
    return {row.code: row.unit for row in rows}


def list_indicators(session: Session, page: PageParams) -> Paged[TradeIndicator]:
    return fetch_page(session.scalars, select(TradeIndicator), INDICATOR_ORDER, page)


# The fields of ObservationRecord, in its order (no timestamps: the rules never read them).
RECORD_COLUMNS = tuple(getattr(Obs, field.name) for field in fields(ObservationRecord))


def observation_records(
    session: Session,
    *,
    reporters: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
) -> list[ObservationRecord]:
    """Observations as plain records (for derivations and checks), optionally scoped.

    Read through the session's connection as plain tuples: checks over a whole table of
    figures build many records, and the ORM's result machinery would cost more than the rules.
    """
    statement = select(*RECORD_COLUMNS)
    if reporters is not None:
        statement = statement.where(Obs.reporter.in_(reporters))
    if partners is not None:
        statement = statement.where(Obs.partner.in_(partners))
    rows = session.connection().execute(statement.order_by(Obs.id)).all()
    return [ObservationRecord(*row) for row in rows]


def preferred_series(
    session: Session, reporter: str, partner: str, indicator: str, *, include_derived: bool
) -> list[Row[Any]]:
    statement = select(*OBSERVATION_COLUMNS).where(
        Obs.reporter == reporter,
        Obs.partner == partner,
        Obs.indicator == indicator,
        Obs.preferred.is_(True),
    )
    if not include_derived:
        statement = statement.where(Obs.status != "derived")
    return list(session.execute(statement.order_by(Obs.year)))


def indicator_names(session: Session) -> dict[str, str]:
    rows = session.execute(select(TradeIndicator.code, TradeIndicator.name))
    return {row.code: row.name for row in rows}


def source_ranks(session: Session) -> dict[str, SourceRank]:
    """Every source's rank, its label ("publisher, date") and the release it relays."""
    rows = session.execute(
        select(
            Source.id,
            Source.priority,
            Source.published_on,
            Source.published_on_precision,
            Source.url,
            Source.relays_id,
            Organization.name,
        ).outerjoin(Organization, Organization.id == Source.publisher_id)
    )
    return {
        row.id: SourceRank(
            row.priority or 0,
            row.published_on,
            label=label_source(
                row.id, row.name, row.url, row.published_on, row.published_on_precision
            ),
            relays_id=row.relays_id,
        )
        for row in rows
    }


def has_figures_without_bounds(session: Session) -> bool:
    """Whether any figure lacks its range (a database just migrated to ranges)."""
    statement = select(Obs.id).where(Obs.bounds_lower.is_(None), Obs.status != "derived").limit(1)
    return session.execute(statement).first() is not None


# Ids per statement of the set-based writes (under SQLite's 32,766 parameters, PostgreSQL's
# 65,535).
WRITE_BATCH = 5000


def delete_observations(session: Session, ids: Sequence[str]) -> None:
    for start in range(0, len(ids), WRITE_BATCH):
        chunk = ids[start : start + WRITE_BATCH]
        statement = delete(Obs).where(among(session, [Obs.id], [(id_,) for id_ in chunk]))
        session.execute(statement, execution_options=_CORE)


def set_preferred(session: Session, ids: Sequence[str], *, preferred: bool) -> None:
    for start in range(0, len(ids), WRITE_BATCH):
        chunk = ids[start : start + WRITE_BATCH]
        statement = update(Obs).where(among(session, [Obs.id], [(id_,) for id_ in chunk]))
        session.execute(statement.values(preferred=preferred), execution_options=_CORE)


def insert_observations(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(session, Obs.__table__, rows)


def update_observations(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE by primary key, one statement per batch (each row a dict with `id`)."""
    for start in range(0, len(rows), WRITE_BATCH):
        session.execute(update(Obs), list(rows[start : start + WRITE_BATCH]))
