"""Trade indicators and observations: every figure with its source or its derivation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

# The tables the foreign keys below name: their column types are read for the versions.
import app.areas.models
import app.sources.models  # noqa: F401
from app.db.base import Base, Timestamped
from app.db.types import ExactDecimal, UTCDateTime
from app.vocabulary import OBSERVATION_STATUSES, QUALIFIERS, UNITS, check_in, check_year


class TradeIndicator(Timestamped, Base):
    __change_type__, __change_key__ = "trade_indicator", "code"

    __tablename__ = "trade_indicators"
    __table_args__ = (CheckConstraint(check_in("unit", UNITS), name="unit"),)

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)

    @property
    def id(self) -> str:
        """The code is the indicator's id."""
        return self.code


class TradeObservation(Timestamped, Base):
    """One figure for (reporter, partner, indicator, year) from one source or derivation.

    Several sources may report the same key; all are kept and exactly one row per key is
    `preferred` (enforced by a partial unique index).
    """

    __change_type__ = "trade_observation"

    __tablename__ = "trade_observations"
    __table_args__ = (
        CheckConstraint(check_in("unit", UNITS), name="unit"),
        CheckConstraint(check_in("qualifier", QUALIFIERS), name="qualifier"),
        CheckConstraint(check_in("status", OBSERVATION_STATUSES), name="status"),
        CheckConstraint(check_year("year"), name="year"),
        CheckConstraint("base_year IS NULL OR base_year < year", name="base_year"),
        CheckConstraint(
            "(status = 'derived' AND derivation IS NOT NULL) "
            "OR (status <> 'derived' AND source_id IS NOT NULL)",
            name="provenance",
        ),
        # The default order (migration 0006): a first page is read off the index.
        Index("ix_trade_observations_key", "reporter", "partner", "indicator", "year", "id"),
        Index("ix_trade_observations_indicator_year", "indicator", "year"),
        # Year filters and `sort=year` walk this in order (migration 0004).
        Index("ix_trade_observations_year_key", "year", "reporter", "partner", "indicator", "id"),
        # A reporter's figures of one indicator, in the default order (0006).
        Index(
            "ix_trade_observations_reporter_indicator_partner",
            "reporter",
            "indicator",
            "partner",
            "year",
            "id",
        ),
        Index(
            "uq_trade_observations_preferred_key",
            "reporter",
            "partner",
            "indicator",
            "year",
            unique=True,
            postgresql_where=text("preferred"),
            sqlite_where=text("preferred"),
        ),
        # One figure per (reporter, partner, indicator, year, base year, source): a 2018-based
        # and a 2019-based multiple are two figures. The unique index is on
        # `coalesce(base_year, 0)` (an open base year is one value, not a NULL that never
        # equals another), an expression, so migration 0008 declares it, not the model
        # (migrations/env.py leaves `uq_trade_observations_identity` to the migrations).
    )

    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    reporter: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    partner: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    indicator: Mapped[str] = mapped_column(ForeignKey("trade_indicators.code"))
    year: Mapped[int] = mapped_column(Integer)
    base_year: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(ExactDecimal())
    unit: Mapped[str] = mapped_column(String(10))
    # The unit of the last digit the source published (66.0 bn -> 100000000): used to pick
    # the more precise of two figures and to judge agreement within rounding.
    precision: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    qualifier: Mapped[str] = mapped_column(String(20), default="exact")
    status: Mapped[str] = mapped_column(String(20), default="reported")
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), index=True)
    derivation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    # The range of true values the figure allows (DESIGN section 7): from its precision and
    # qualifier when reported, by interval arithmetic on its inputs' ranges when derived.
    # Computed by `service.recompute`, never written by hand; an upper bound of NULL is
    # open ("exceeded $67 billion").
    bounds_lower: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    bounds_upper: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    # The span the source states in words ("over the past 5 years"), kept apart from
    # `base_year`, which is set only where the source names the base year itself.
    span_years: Mapped[int | None] = mapped_column(Integer)
    # The source's own word for the qualifier ("almost", "exceeded", "nears"), quoted by
    # the findings; null where the qualifier's usual word fits.
    qualifier_word: Mapped[str | None] = mapped_column(String(40))


# --- past versions ---------------------------------------------------------------------------

# What a version of an observation holds: every column of the observation but its id, which
# the version names as `observation_id`. Made from the model's own columns, so a column added
# to observations is a column of their versions too (the migration adds it to both; the test
# of model/migration drift fails until it does).
VERSIONED_COLUMNS = tuple(
    column for column in TradeObservation.__table__.columns if column.name != "id"
)


def _version_column(column: ColumnElement[Any]) -> Column[Any]:
    """A column of the version table like `column` of the observation's: same name, type and
    nullability; no key, default, index or check."""
    # A foreign-key column takes its type from the column it references once that table is
    # known (imported above), so the type is read there.
    column_type = next((key.column.type for key in column.foreign_keys), column.type)
    return Column(column.name, column_type, nullable=column.nullable)


# Every state an observation has had (DESIGN section 8, "Past releases"): a version holds
# the observation's columns as they stood from `valid_from` until `valid_to` (null while
# they still stand). Written at commit by `app.trade.history` with set-based statements and
# read as rows, never as objects, so the table has no mapped class. It keeps no foreign
# keys: it is an archive, and a past version may cite a source or an area that was deleted
# since (only what observations cite today is protected from deletion). Checks are not
# copied either: a version holds what the checked table held.
trade_observation_versions = Table(
    "trade_observation_versions",
    Base.metadata,
    Column("observation_id", TradeObservation.__table__.c.id.type, primary_key=True),
    Column("valid_from", UTCDateTime(), primary_key=True),
    Column("valid_to", UTCDateTime(), nullable=True),
    *(_version_column(column) for column in VERSIONED_COLUMNS),
    # `as_of` lists walk this in the default order (reporter, partner, indicator, year, id),
    # as the latest lists walk ix_trade_observations_key.
    Index(
        "ix_trade_observation_versions_key",
        "reporter",
        "partner",
        "indicator",
        "year",
        "observation_id",
    ),
)
