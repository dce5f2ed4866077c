"""index for sorting a year's figures of one indicator by value

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:30:00

`sort=value` / `-value` orders by the numeric value. PostgreSQL keeps NUMERIC and indexes
the column; SQLite keeps exact digits as text and sorts by `CAST(value AS NUMERIC(24, 6))`
(`repository.VALUE_SORT`), so its index is on that expression, written as the query
compiles it. Being an expression on SQLite, it is not declared on the model (migrations/env.py
leaves `ix_trade_observations_value_*` to the migrations).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_trade_observations_value_by_indicator_year"


def upgrade() -> None:
    value = (
        "value" if op.get_bind().dialect.name == "postgresql" else "CAST(value AS NUMERIC(24, 6))"
    )
    op.execute(f"CREATE INDEX {NAME} ON trade_observations (indicator, year, {value}, id)")


def downgrade() -> None:
    op.drop_index(NAME, table_name="trade_observations")
