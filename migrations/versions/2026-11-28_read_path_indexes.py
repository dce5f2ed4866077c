"""indexes for the documented observation filters; one spelling per decimal on SQLite

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 10:00:00
"""

from collections.abc import Sequence
from decimal import Context, Decimal, localcontext

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    # `year`, `year_from`/`year_to` and `sort=year`/`-year` (year, then the key, then id).
    "ix_trade_observations_year_key": ["year", "reporter", "partner", "indicator", "id"],
    # A reporter's figures of one indicator over a span of years.
    "ix_trade_observations_reporter_indicator_year": ["reporter", "indicator", "year"],
}
BATCH = 10_000


def _plain(text: str) -> str:
    """As `app.db.types.plain_text` (kept here: a migration must not change with the app)."""
    value = Decimal(text)
    if value.is_zero():
        return "0"
    with localcontext(Context(prec=34)):
        return format(value.normalize(), "f")


def _canonical_decimals() -> None:
    """SQLite kept decimals as written (`6.800000`); the read path sends the stored text."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, value, precision FROM trade_observations"))
    changed = []
    for id_, value, precision in rows:
        new_value = _plain(value)
        new_precision = None if precision is None else _plain(precision)
        if (new_value, new_precision) != (value, precision):
            changed.append({"id": id_, "value": new_value, "precision": new_precision})
    update = sa.text(
        "UPDATE trade_observations SET value = :value, precision = :precision WHERE id = :id"
    )
    for start in range(0, len(changed), BATCH):
        connection.execute(update, changed[start : start + BATCH])


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "trade_observations", columns)
    if op.get_bind().dialect.name == "sqlite":
        _canonical_decimals()


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="trade_observations")
