"""SQLite: a reporter's figures of one indicator over a span of years, found by the span

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 11:20:00

With (reporter, indicator, partner, year, id) alone (0006), SQLite's planner, which keeps
no histogram of `year`, judges a year span more selective than a reporter and reads the
span of every reporter of the indicator: at 1M observations a first page took 110 ms
(`make bench-scale`). Given (reporter, indicator, year) it reads only the reporter's
span and sorts those rows (1,288 at 1M): about 1 ms. PostgreSQL's planner picks the
order-giving index of 0006 by itself, so this one is SQLite's only, and, being that, not
on the model (migrations/env.py leaves `ix_trade_observations_sqlite_*` to migrations).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_trade_observations_sqlite_reporter_indicator_year"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index(NAME, "trade_observations", ["reporter", "indicator", "year"])
    op.execute("PRAGMA analysis_limit=1000")
    op.execute("ANALYZE")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index(NAME, table_name="trade_observations")
