"""Queries of the trade domain (`select()` only; the service decides what they mean)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    Row,
    String,
    and_,
    case,
    cast,
    column,
    delete,
    func,
    literal_column,
    select,
    table,
    update,
)
from sqlalchemy.orm import Session

from app.db.bulk import among, insert_rows
from app.db.keyset import AnySelect, Paged, PageParams, SortKey, fetch_page, ordering
from app.db.repository import Repository
from app.organizations.models import Organization
from app.sources.models import Source
from app.trade.models import TradeIndicator, TradeObservation
from app.trade.records import ObservationRecord, SourceRank
from app.trade.sql_text import as_text, derivation_formula_of, derivation_inputs_of
from app.trade.wording import label_source

INDICATOR_ORDER = (SortKey(TradeIndicator.code),)
# Set-based UPDATE/DELETE: no search of the session for the rows they touch (the caller
# expires the session afterwards).
_CORE = {"synchronize_session": False}

Obs = TradeObservation

# --- the columns an observation is read in ---------------------------------------------------

# Typed values (`Decimal`, aware `datetime`): for the rules, the series and the web pages.
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
# The same columns with exact decimals and timestamps as the database's text (`sql_text`),
# each named by its key: JSON list pages send that text as it is (`serializer`).
TEXT_COLUMNS: tuple[ColumnElement[Any], ...] = tuple(
    as_text(column) for column in OBSERVATION_COLUMNS
)
_TEXT = {column.key: column for column in TEXT_COLUMNS}
# The cells of `csv_export.OBSERVATION_COLUMNS`, in that order, each as text the CSV writer
# takes as it is.
CSV_COLUMNS: tuple[ColumnElement[Any], ...] = (
    *(_TEXT[name] for name in ("id", "reporter", "partner", "indicator", "year")),
    *(_TEXT[name] for name in ("base_year", "value", "unit", "precision", "qualifier")),
    _TEXT["status"],
    case((Obs.preferred, "true"), else_="false").label("preferred"),
    _TEXT["source_id"],
    derivation_formula_of(Obs.derivation).label("derivation_formula"),
    derivation_inputs_of(Obs.derivation).label("derivation_inputs"),
    _TEXT["note"],
    *(_TEXT[name] for name in ("bounds_lower", "bounds_upper", "span_years")),
    _TEXT["qualifier_word"],
)

# --- the orderings of `GET /trade/observations?sort=` ----------------------------------------

ObservationSort = Literal["year", "-year", "value", "-value"]
# `value` is text on SQLite (exact digits), so ordering goes through a numeric cast there;
# on PostgreSQL the cast is a no-op on a NUMERIC column. Rows hold it as `value`.
_BY_VALUE = SortKey(cast(Obs.value, Numeric(24, 6)), field="value")
_PAIR = (SortKey(Obs.reporter), SortKey(Obs.partner), SortKey(Obs.indicator))
_BY_ID = SortKey(Obs.id)
# Every ordering ends on the id, so it is total and a cursor names exactly one place.
OBSERVATION_ORDERS: dict[ObservationSort | None, tuple[SortKey, ...]] = {
    None: (*_PAIR, SortKey(Obs.year), _BY_ID),
    "year": (SortKey(Obs.year), *_PAIR, _BY_ID),
    "-year": (SortKey(Obs.year, descending=True), *_PAIR, _BY_ID),
    "value": (_BY_VALUE, _BY_ID),
    "-value": (replace(_BY_VALUE, descending=True), _BY_ID),
}


def observation_order(sort: ObservationSort | None) -> tuple[SortKey, ...]:
    """The ordering `sort` names (None: reporter, partner, indicator, year)."""
    return OBSERVATION_ORDERS[sort]


# What makes two figures the same figure (migration 0008's unique index): one source's
# value of one key over one span. An open base year counts as 0, so two open ones match.
# The 0 is written into the SQL (not bound) so that it is the index's own expression.
IDENTITY_COLUMNS = (
    Obs.reporter,
    Obs.partner,
    Obs.indicator,
    Obs.year,
    func.coalesce(Obs.base_year, literal_column("0")),
    Obs.source_id,
)
# The identities an import looks up, on SQLite (see `find_by_identity`): one per connection.
_WANTED = table(
    "wanted_identities",
    column("reporter", String),
    column("partner", String),
    column("indicator", String),
    column("year", Integer),
    column("base_year", Integer),
    column("source_id", String),
    schema="temp",
)
WANTED_IDENTITIES_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS wanted_identities (reporter TEXT, partner TEXT, "
    "indicator TEXT, year INTEGER, base_year INTEGER, source_id TEXT)"
)
WANTED_IDENTITIES_CLEAR = "DELETE FROM temp.wanted_identities"
WANTED_IDENTITIES_INSERT = "INSERT INTO temp.wanted_identities VALUES (?, ?, ?, ?, ?, ?)"
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
    if not identities:
        return []
    if session.get_bind().dialect.name == "postgresql":
        statement = select(*columns).where(among(session, IDENTITY_COLUMNS, identities))
        return list(session.execute(statement))
    # SQLite plans `(columns) IN (VALUES ...)` as a scan of the whole table, and a VALUES
    # list of thousands of rows takes longer to compile than to run: the identities go into
    # a temporary table (one executemany), joined to search the identity index once each.
    connection = session.connection()
    connection.exec_driver_sql(WANTED_IDENTITIES_DDL)
    connection.exec_driver_sql(WANTED_IDENTITIES_CLEAR)
    connection.exec_driver_sql(WANTED_IDENTITIES_INSERT, [tuple(key) for key in identities])
    pairs = zip(IDENTITY_COLUMNS, _WANTED.c, strict=True)
    matched = and_(*(mine == theirs for mine, theirs in pairs))
    return list(session.execute(select(*columns).select_from(_WANTED).join(Obs, matched)))


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


def _matching(filters: ObservationFilters) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `filters` (none: every observation)."""
    clauses: list[ColumnElement[bool]] = []
    if filters.reporters:
        clauses.append(Obs.reporter.in_(filters.reporters))
    if filters.partners:
        clauses.append(Obs.partner.in_(filters.partners))
    if filters.indicators:
        clauses.append(Obs.indicator.in_(filters.indicators))
    if filters.years:
        clauses.append(Obs.year.in_(filters.years))
    if filters.year_from is not None:
        clauses.append(Obs.year >= filters.year_from)
    if filters.year_to is not None:
        clauses.append(Obs.year <= filters.year_to)
    if filters.statuses:
        clauses.append(Obs.status.in_(filters.statuses))
    if filters.preferred is not None:
        clauses.append(Obs.preferred.is_(filters.preferred))
    if not filters.include_derived:
        clauses.append(Obs.status != "derived")
    return clauses


def observations_statement(
    filters: ObservationFilters, columns: Sequence[Any] = OBSERVATION_COLUMNS
) -> AnySelect:
    """The matching observations, read as `columns`, in no particular order."""
    return select(*columns).where(*_matching(filters))


# Lists and exports read plain rows through the session's connection (Core): the ORM's
# result machinery would cost more per row than the rows themselves.


def page_observations(
    session: Session,
    filters: ObservationFilters,
    sort: ObservationSort | None,
    page: PageParams,
    *,
    columns: Sequence[Any],
) -> Paged[Row[Any]]:
    """One page of the matching observations in the order `sort` names, read as `columns`."""
    statement = observations_statement(filters, columns)
    return fetch_page(session.connection().execute, statement, observation_order(sort), page)


def stream_observations(
    session: Session,
    filters: ObservationFilters,
    sort: ObservationSort | None,
    *,
    columns: Sequence[Any],
    batch: int,
) -> Iterator[Sequence[Row[Any]]]:
    """Every matching row in order, `batch` at a time (a server-side cursor on PostgreSQL)."""
    statement = observations_statement(filters, columns)
    statement = statement.order_by(*ordering(observation_order(sort)))
    # Per statement: `Connection.execution_options` would change the connection itself.
    result = session.connection().execute(statement, execution_options={"yield_per": batch})
    yield from result.partitions()


def indicator_units(session: Session) -> dict[str, str]:
    rows = session.execute(select(TradeIndicator.code, TradeIndicator.unit))
    return {row.code: row.unit for row in rows}


def list_indicators(session: Session, page: PageParams) -> Paged[TradeIndicator]:
    return fetch_page(session.scalars, select(TradeIndicator), INDICATOR_ORDER, page)


# One item by id. A 404 names the resource as the write path does ("No trade_indicator
# with id 'x'."), so a GET and a PATCH of a missing item say the same.
class IndicatorRepository(Repository[TradeIndicator, str]):
    model = TradeIndicator
    noun = "trade_indicator"


class ObservationRepository(Repository[TradeObservation, str]):
    model = TradeObservation
    noun = "trade_observation"


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


def has_figures_from(session: Session, source_ids: Sequence[str]) -> bool:
    """Whether any figure cites one of these sources (an index on source_id answers it)."""
    statement = select(Obs.id).where(Obs.source_id.in_(source_ids)).limit(1)
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
