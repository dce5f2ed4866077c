"""past versions of every observation (DESIGN section 8, "Past releases")

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 22:00:00

* `trade_observation_versions`: every column of `trade_observations` but `id` (named
  `observation_id` here), and the span of time the version stood, `valid_from` to
  `valid_to` (null while it still stands). Primary key `(observation_id, valid_from)`; an
  index in the default list order for `as_of` lists. No foreign keys and no checks: it is an
  archive of what the checked table held (`app.trade.models`).
* Each observation already stored gets its first version, the values it holds now, valid
  from its `updated_at`: the last time its values changed, so the only moment from which they
  are known to hold. What it held before is not known; an `as_of` before that leaves it out
  rather than show a value it may not have had then (`created_at` would claim that).

Downgrading drops the table, and with it every past version.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "trade_observation_versions"
KEY_INDEX = "ix_trade_observation_versions_key"
# The columns of trade_observations (as of revision 0008) that a version copies.
COPIED = (
    "reporter", "partner", "indicator", "year", "base_year", "value", "unit", "precision",
    "qualifier", "status", "preferred", "source_id", "derivation", "note", "created_at",
    "updated_at", "bounds_lower", "bounds_upper", "span_years", "qualifier_word",
)  # fmt: skip


def upgrade() -> None:
    decimal = app.db.types.ExactDecimal(precision=24, scale=6)
    timestamp = app.db.types.UTCDateTime(timezone=True)
    op.create_table(
        TABLE,
        sa.Column("observation_id", sa.String(length=160), nullable=False),
        sa.Column("valid_from", timestamp, nullable=False),
        sa.Column("valid_to", timestamp, nullable=True),
        sa.Column("reporter", sa.String(length=3), nullable=False),
        sa.Column("partner", sa.String(length=3), nullable=False),
        sa.Column("indicator", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("value", decimal, nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("precision", decimal, nullable=True),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.Column("source_id", sa.String(length=120), nullable=True),
        sa.Column("derivation", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("bounds_lower", decimal, nullable=True),
        sa.Column("bounds_upper", decimal, nullable=True),
        sa.Column("span_years", sa.Integer(), nullable=True),
        sa.Column("qualifier_word", sa.String(length=40), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("updated_at", timestamp, nullable=False),
        sa.PrimaryKeyConstraint("observation_id", "valid_from", name=op.f("pk_" + TABLE)),
    )
    op.create_index(
        KEY_INDEX, TABLE, ["reporter", "partner", "indicator", "year", "observation_id"]
    )
    columns = ", ".join(COPIED)
    op.execute(
        f"INSERT INTO {TABLE} (observation_id, valid_from, valid_to, {columns}) "  # noqa: S608  # nosec B608
        f"SELECT id, updated_at, NULL, {columns} FROM trade_observations"
    )


def downgrade() -> None:
    op.drop_index(KEY_INDEX, table_name=TABLE)
    op.drop_table(TABLE)
