"""Queries of the trade domain (`select()` only; the service decides what they mean)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Integer,
    Numeric,
    Row,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    delete,
    func,
    literal_column,
    not_,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.util import AliasedClass

from app.db.bulk import among, insert_rows
from app.db.keyset import AnySelect, Paged, PageParams, SelectT, SortKey, fetch_page, ordering
from app.db.repository import Repository
from app.db.types import UTCDateTime
from app.organizations.models import Organization
from app.sources.models import Source
from app.trade.models import (
    VERSIONED_COLUMNS,
    TradeIndicator,
    TradeObservation,
    trade_observation_versions,
)
from app.trade.records import ObservationRecord, SourceRank
from app.trade.sql_text import as_text, derivation_formula_of, derivation_inputs_of
from app.trade.wording import label_source

INDICATOR_ORDER = (SortKey(TradeIndicator.code),)
# Set-based UPDATE/DELETE: no search of the session for the rows they touch (the caller
# expires the session afterwards).
_CORE = {"synchronize_session": False}

Obs = TradeObservation

# --- where observations are read from --------------------------------------------------------

# The moment an `as_of` read asks about, bound when its statement runs (`_at`).
AS_OF = bindparam("as_of", type_=UTCDateTime())
_versions = trade_observation_versions
# The version of each observation that stood at AS_OF, under the observation's own column
# names: what `trade_observations` held at that moment (an observation not yet created, or
# already deleted, has none).
_STANDING = (
    select(
        _versions.c.observation_id.label("id"),
        *(_versions.c[column.name] for column in VERSIONED_COLUMNS),
    )
    .where(
        _versions.c.valid_from <= AS_OF,
        or_(_versions.c.valid_to.is_(None), _versions.c.valid_to > AS_OF),
    )
    .subquery("observations_as_of")
)
# Observations as they stood at AS_OF, read like the table: the columns, filters and orderings
# below are written once against an entity and made for both. Latest reads keep reading
# `trade_observations` alone.
ObsAsOf = aliased(TradeObservation, _STANDING, adapt_on_names=True)
ObservationEntity: TypeAlias = type[TradeObservation] | AliasedClass[TradeObservation]


def _at(statement: SelectT, as_of: datetime | None) -> SelectT:
    """`statement` with its `as_of` moment bound (a latest read has none to bind)."""
    return statement if as_of is None else statement.params({AS_OF.key: as_of})


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
# What a row is read as: typed values (`Decimal`, aware `datetime`) for the rules, the series
# and the web pages; exact decimals and timestamps as the database's text (`sql_text`), each
# named by its key, which JSON list pages send as it is (`serializer`); or the cells of
# `csv_export.OBSERVATION_COLUMNS`, in that order, each as text the CSV writer takes as it is.
Layout = Literal["typed", "text", "csv"]


def _csv_columns(obs: ObservationEntity, text: dict[str, Any]) -> tuple[ColumnElement[Any], ...]:
    return (
        *(text[name] for name in ("id", "reporter", "partner", "indicator", "year")),
        *(text[name] for name in ("base_year", "value", "unit", "precision", "qualifier")),
        text["status"],
        case((obs.preferred, "true"), else_="false").label("preferred"),
        text["source_id"],
        derivation_formula_of(obs.derivation).label("derivation_formula"),
        derivation_inputs_of(obs.derivation).label("derivation_inputs"),
        text["note"],
        *(text[name] for name in ("bounds_lower", "bounds_upper", "span_years")),
        text["qualifier_word"],
    )


def _layouts(obs: ObservationEntity) -> dict[Layout, tuple[Any, ...]]:
    typed = tuple(getattr(obs, column.key) for column in OBSERVATION_COLUMNS)
    text = tuple(as_text(column) for column in typed)
    return {
        "typed": typed,
        "text": text,
        "csv": _csv_columns(obs, {str(column.key): column for column in text}),
    }


_LAYOUTS = {False: _layouts(Obs), True: _layouts(ObsAsOf)}


def observation_columns(layout: Layout, *, as_of: bool = False) -> tuple[Any, ...]:
    """The columns of `layout`, read from the table or (`as_of`) from the standing versions."""
    return _LAYOUTS[as_of][layout]


# --- the orderings of `GET /trade/observations?sort=` ----------------------------------------

ObservationSort = Literal["year", "-year", "value", "-value"]


def _orders(obs: ObservationEntity) -> dict[ObservationSort | None, tuple[SortKey, ...]]:
    # `value` is text on SQLite (exact digits), so ordering goes through a numeric cast
    # there; on PostgreSQL the cast is a no-op on a NUMERIC column. Rows hold it as `value`.
    by_value = SortKey(cast(obs.value, Numeric(24, 6)), field="value")
    pair = (SortKey(obs.reporter), SortKey(obs.partner), SortKey(obs.indicator))
    by_id = SortKey(obs.id)
    # Every ordering ends on the id, so it is total and a cursor names exactly one place.
    return {
        None: (*pair, SortKey(obs.year), by_id),
        "year": (SortKey(obs.year), *pair, by_id),
        "-year": (SortKey(obs.year, descending=True), *pair, by_id),
        "value": (by_value, by_id),
        "-value": (replace(by_value, descending=True), by_id),
    }


OBSERVATION_ORDERS = _orders(Obs)
_ORDERS_AS_OF = _orders(ObsAsOf)


def observation_order(sort: ObservationSort | None, *, as_of: bool = False) -> tuple[SortKey, ...]:
    """The ordering `sort` names (None: reporter, partner, indicator, year)."""
    return (_ORDERS_AS_OF if as_of else OBSERVATION_ORDERS)[sort]


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
    updated_after: datetime | None = None


def _matching(
    filters: ObservationFilters, obs: ObservationEntity = Obs
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of `filters` on `obs` (none: every observation)."""
    clauses: list[ColumnElement[bool]] = []
    if filters.reporters:
        clauses.append(obs.reporter.in_(filters.reporters))
    if filters.partners:
        clauses.append(obs.partner.in_(filters.partners))
    if filters.indicators:
        clauses.append(obs.indicator.in_(filters.indicators))
    if filters.years:
        clauses.append(obs.year.in_(filters.years))
    if filters.year_from is not None:
        clauses.append(obs.year >= filters.year_from)
    if filters.year_to is not None:
        clauses.append(obs.year <= filters.year_to)
    if filters.statuses:
        clauses.append(obs.status.in_(filters.statuses))
    if filters.preferred is not None:
        clauses.append(obs.preferred.is_(filters.preferred))
    if not filters.include_derived:
        clauses.append(obs.status != "derived")
    if filters.updated_after is not None:
        clauses.append(obs.updated_at > filters.updated_after)
    return clauses


def observations_statement(
    filters: ObservationFilters,
    columns: Sequence[Any] = OBSERVATION_COLUMNS,
    obs: ObservationEntity = Obs,
) -> AnySelect:
    """The matching observations of `obs`, read as `columns`, in no particular order."""
    return select(*columns).where(*_matching(filters, obs))


def _listing(filters: ObservationFilters, layout: Layout, as_of: datetime | None) -> AnySelect:
    """The matching observations, latest or as they stood at `as_of`, read in `layout`."""
    past = as_of is not None
    statement = observations_statement(
        filters, observation_columns(layout, as_of=past), ObsAsOf if past else Obs
    )
    return _at(statement, as_of)


# Lists and exports read plain rows through the session's connection (Core): the ORM's
# result machinery would cost more per row than the rows themselves.


def page_observations(
    session: Session,
    filters: ObservationFilters,
    sort: ObservationSort | None,
    page: PageParams,
    *,
    layout: Layout,
    as_of: datetime | None = None,
) -> Paged[Row[Any]]:
    """One page of the matching observations in the order `sort` names, read in `layout`;
    as they stood at `as_of` when given."""
    statement = _listing(filters, layout, as_of)
    order = observation_order(sort, as_of=as_of is not None)
    return fetch_page(session.connection().execute, statement, order, page)


def stream_observations(
    session: Session,
    filters: ObservationFilters,
    sort: ObservationSort | None,
    *,
    layout: Layout,
    batch: int,
    as_of: datetime | None = None,
) -> Iterator[Sequence[Row[Any]]]:
    """Every matching row in order, `batch` at a time (a server-side cursor on PostgreSQL)."""
    statement = _listing(filters, layout, as_of)
    statement = statement.order_by(*ordering(observation_order(sort, as_of=as_of is not None)))
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


class ObservationRepository(Repository[TradeObservation, str]):
    model = TradeObservation


# The fields of ObservationRecord, in its order (no timestamps: the rules never read them).
_RECORD_FIELDS = tuple(field.name for field in fields(ObservationRecord))


def _entity(as_of: datetime | None) -> ObservationEntity:
    return Obs if as_of is None else ObsAsOf


def observation_records(
    session: Session,
    *,
    reporters: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    as_of: datetime | None = None,
) -> list[ObservationRecord]:
    """Observations as plain records (for derivations and checks), optionally scoped; as
    they stood at `as_of` when given.

    Read through the session's connection as plain tuples: checks over a whole table of
    figures build many records, and the ORM's result machinery would cost more than the rules.
    """
    obs = _entity(as_of)
    statement = select(*(getattr(obs, name) for name in _RECORD_FIELDS))
    if reporters is not None:
        statement = statement.where(obs.reporter.in_(reporters))
    if partners is not None:
        statement = statement.where(obs.partner.in_(partners))
    rows = session.connection().execute(_at(statement.order_by(obs.id), as_of)).all()
    return [ObservationRecord(*row) for row in rows]


def declaration_world(
    declarations: Collection[str], formulas: Collection[str]
) -> ColumnElement[bool]:
    """The declaration world (`derivation_rules.DECLARATIONS`): an observation of one of the
    `declarations` indicators, or a derived one whose formula is one of `formulas`."""
    formula = func.coalesce(derivation_formula_of(Obs.derivation), "")
    return or_(
        Obs.indicator.in_(declarations), and_(Obs.status == "derived", formula.in_(formulas))
    )


def scoped_records(
    session: Session, years: Collection[int], world: ColumnElement[bool]
) -> list[ObservationRecord]:
    """As `observation_records`: every observation outside the `world`, and those in it of
    one of `years`."""
    statement = select(*(getattr(Obs, name) for name in _RECORD_FIELDS)).where(
        or_(Obs.year.in_(list(years)), not_(world))
    )
    rows = session.connection().execute(statement.order_by(Obs.id)).all()
    return [ObservationRecord(*row) for row in rows]


def years_citing(session: Session, source_ids: Collection[str]) -> set[int]:
    """The years of the observations that cite one of these sources."""
    statement = select(Obs.year).distinct().where(Obs.source_id.in_(list(source_ids)))
    return set(session.execute(statement).scalars())


# Keys per statement of `years_holding`: four parameters each on SQLite.
KEY_BATCH = 2000


def years_holding(
    session: Session, keys: Sequence[tuple[str, str, str, int]], world: ColumnElement[bool]
) -> set[int]:
    """The years of those of `keys` (reporter, partner, indicator, year) that hold an
    observation of the `world`."""
    key_columns = [Obs.reporter, Obs.partner, Obs.indicator, Obs.year]
    found: set[int] = set()
    for start in range(0, len(keys), KEY_BATCH):
        chunk = keys[start : start + KEY_BATCH]
        statement = select(Obs.year).distinct().where(world, among(session, key_columns, chunk))
        found.update(session.execute(statement).scalars())
    return found


def years_where_checks_meet_declarations(
    session: Session, world: ColumnElement[bool], exports: str
) -> set[int]:
    """The years in which a check can find something among the `world`'s figures: a figure
    outside it shares a key or a year with them (a conflict, a derivation that disagrees),
    an `exports` figure has a mirror, or one key holds figures of several sources."""
    outside = select(Obs.year).where(not_(world))
    mirrored = select(Obs.year).where(Obs.indicator == exports)
    several = (
        select(Obs.year)
        .where(world, Obs.status != "derived")
        .group_by(Obs.reporter, Obs.partner, Obs.indicator, Obs.year)
        .having(func.count() > 1)
    )
    statement = outside.union(mirrored, several)
    return set(session.execute(statement).scalars())


def preferred_series(
    session: Session,
    reporter: str,
    partner: str,
    indicator: str,
    *,
    include_derived: bool,
    as_of: datetime | None = None,
) -> list[Row[Any]]:
    """The preferred observation of each year of one series, by year (as of `as_of`)."""
    obs = _entity(as_of)
    statement = select(*observation_columns("typed", as_of=as_of is not None)).where(
        obs.reporter == reporter,
        obs.partner == partner,
        obs.indicator == indicator,
        obs.preferred.is_(True),
    )
    if not include_derived:
        statement = statement.where(obs.status != "derived")
    return list(session.execute(_at(statement.order_by(obs.year), as_of)))


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


# --- the versions of one observation ---------------------------------------------------------

# Newest first; an observation has one version per moment, so the start time is unique.
VERSION_ORDER = (SortKey(_versions.c.valid_from, descending=True),)
# A version read as the observation it was (`serializer.observation_item`), and its span.
_VERSION_COLUMNS = (
    _versions.c.observation_id.label("id"),
    *(_versions.c[column.name] for column in VERSIONED_COLUMNS),
    _versions.c.valid_from,
    _versions.c.valid_to,
)


def page_versions(session: Session, observation_id: str, page: PageParams) -> Paged[Row[Any]]:
    """One page of the versions of an observation, newest first (typed values)."""
    statement = select(*_VERSION_COLUMNS).where(_versions.c.observation_id == observation_id)
    return fetch_page(session.connection().execute, statement, VERSION_ORDER, page)


def has_versions(session: Session, observation_id: str) -> bool:
    """Whether any version of this id is kept: the observation exists, or existed once
    since versions were kept (the migration that added them, 0009)."""
    statement = select(_versions.c.observation_id).where(
        _versions.c.observation_id == observation_id
    )
    return session.execute(statement.limit(1)).first() is not None
