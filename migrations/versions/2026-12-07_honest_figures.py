"""ranges of figures, spans in words, date precisions; a figure's identity includes its base year

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 19:00:00

* `trade_observations`: `bounds_lower` / `bounds_upper` (the range a figure allows),
  `span_years` (a span stated in words, apart from a named base year) and
  `qualifier_word` (the source's own "almost"). The bounds start empty: `sco-api db
  upgrade` fills them right after migrating (`app.trade.service.refresh_computed`), since
  the rule that computes them lives with the other trade rules, not in a frozen copy here.
* The natural key gains `base_year`: a unique index on `(reporter, partner, indicator, year,
  coalesce(base_year, 0), source_id)`, an expression, so not on the model.
* `meetings.date_precision`, `sources.published_on_precision` and `sources.relays_id`,
  `organizations.founded_on` and `founded_on_precision`.

Downgrading drops the new columns; it fails if one source has two figures of a key that
differ only by base year (the old key cannot hold both).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRECISIONS = "IN ('day', 'month', 'year')"
IDENTITY = "uq_trade_observations_identity"
OLD_KEY = "uq_trade_observations_natural_key"
KEY = ["reporter", "partner", "indicator", "year"]


def _precision(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=5), nullable=False, server_default="day")


def upgrade() -> None:
    # Plain ALTERs on trade_observations, never a batch copy of it: SQLite's copy would lose
    # the expression indexes of migrations 0005 and 0007, which it cannot reflect.
    decimal = app.db.types.ExactDecimal(precision=24, scale=6)
    op.add_column("trade_observations", sa.Column("bounds_lower", decimal, nullable=True))
    op.add_column("trade_observations", sa.Column("bounds_upper", decimal, nullable=True))
    op.add_column("trade_observations", sa.Column("span_years", sa.Integer(), nullable=True))
    op.add_column(
        "trade_observations", sa.Column("qualifier_word", sa.String(length=40), nullable=True)
    )
    op.drop_index(OLD_KEY, table_name="trade_observations")
    op.execute(
        f"CREATE UNIQUE INDEX {IDENTITY} ON trade_observations "
        "(reporter, partner, indicator, year, coalesce(base_year, 0), source_id)"
    )

    with op.batch_alter_table("meetings") as batch:
        batch.add_column(_precision("date_precision"))
        batch.create_check_constraint("date_precision", f"date_precision {PRECISIONS}")

    with op.batch_alter_table("sources") as batch:
        batch.add_column(_precision("published_on_precision"))
        batch.add_column(sa.Column("relays_id", sa.String(length=120), nullable=True))
        batch.create_check_constraint(
            "published_on_precision", f"published_on_precision {PRECISIONS}"
        )
        batch.create_foreign_key(
            "fk_sources_relays_id_organizations", "organizations", ["relays_id"], ["id"]
        )
        batch.create_index("ix_sources_relays_id", ["relays_id"])

    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("founded_on", sa.Date(), nullable=True))
        batch.add_column(_precision("founded_on_precision"))
        batch.create_check_constraint("founded_on_precision", f"founded_on_precision {PRECISIONS}")


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_constraint(op.f("ck_organizations_founded_on_precision"), type_="check")
        batch.drop_column("founded_on_precision")
        batch.drop_column("founded_on")

    with op.batch_alter_table("sources") as batch:
        batch.drop_index("ix_sources_relays_id")
        batch.drop_constraint(op.f("fk_sources_relays_id_organizations"), type_="foreignkey")
        batch.drop_constraint(op.f("ck_sources_published_on_precision"), type_="check")
        batch.drop_column("relays_id")
        batch.drop_column("published_on_precision")

    with op.batch_alter_table("meetings") as batch:
        batch.drop_constraint(op.f("ck_meetings_date_precision"), type_="check")
        batch.drop_column("date_precision")

    op.drop_index(IDENTITY, table_name="trade_observations")
    op.create_index(OLD_KEY, "trade_observations", [*KEY, "source_id"], unique=True)
    for name in ("qualifier_word", "span_years", "bounds_upper", "bounds_lower"):
        # SQLite (3.35+) drops a column in place when no index or constraint names it.
        op.drop_column("trade_observations", name)
