"""Planner statistics after bulk changes.

SQLite gathers none by itself: without them it picks indexes by their shape alone, and at
a million observations it chose an index that made a reporter's year span 600 times
slower than the one that gives the page its order (`make bench-scale`). PostgreSQL's
autovacuum gathers them in time, but a large import is read at once.
"""

from __future__ import annotations

from sqlalchemy import Connection

# Rows SQLite samples per index: statistics good enough to choose, in milliseconds.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(connection: Connection) -> None:
    """Refresh what the planner knows about the observations (in the caller's transaction)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")
    else:
        connection.exec_driver_sql("ANALYZE trade_observations")
