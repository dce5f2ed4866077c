"""indexes that give the list orders, so a first page stops after its rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 11:00:00

Measured at 1M observations (`make bench-scale`): a reporter's figures of one indicator
over a span of years were found through (reporter, indicator, year) and then sorted by
partner, a sort that grew with the data; the default order also sorted on `id`. These
indexes hold the rows in the order the page is read, and `sort=value` without an
indicator gets an index of its own (PostgreSQL scanned the table for a year span sorted
by value; on SQLite it is on the expression the query sorts by, see 0005).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "trade_observations"
VALUE_ORDER = "ix_trade_observations_value_order"


def upgrade() -> None:
    op.drop_index("ix_trade_observations_key", table_name=TABLE)
    op.create_index(
        "ix_trade_observations_key", TABLE, ["reporter", "partner", "indicator", "year", "id"]
    )
    op.drop_index("ix_trade_observations_reporter_indicator_year", table_name=TABLE)
    op.create_index(
        "ix_trade_observations_reporter_indicator_partner",
        TABLE,
        ["reporter", "indicator", "partner", "year", "id"],
    )
    value = (
        "value" if op.get_bind().dialect.name == "postgresql" else "CAST(value AS NUMERIC(24, 6))"
    )
    op.execute(f"CREATE INDEX {VALUE_ORDER} ON {TABLE} ({value}, id)")
    if op.get_bind().dialect.name == "sqlite":
        # Without statistics SQLite chose the indexes by shape, badly (app/db/statistics.py).
        op.execute("PRAGMA analysis_limit=1000")
        op.execute("ANALYZE")


def downgrade() -> None:
    op.drop_index(VALUE_ORDER, table_name=TABLE)
    op.drop_index("ix_trade_observations_reporter_indicator_partner", table_name=TABLE)
    op.create_index(
        "ix_trade_observations_reporter_indicator_year", TABLE, ["reporter", "indicator", "year"]
    )
    op.drop_index("ix_trade_observations_key", table_name=TABLE)
    op.create_index(
        "ix_trade_observations_key", TABLE, ["reporter", "partner", "indicator", "year"]
    )
