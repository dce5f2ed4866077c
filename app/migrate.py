"""Migrating a database: Alembic's migrations, then what the new columns need filled.

Migrations stay static (they never import the rules, which change after them); when one
adds a column that a rule computes (the ranges of figures, migration 0008), the rule fills
it here, right after, in one transaction. With nothing to fill it costs one question.
"""

from __future__ import annotations

from app.changes.tracking import ACTOR_KEY
from app.db.migrations import upgrade
from app.db.session import make_engine, make_session_factory
from app.trade.service import RecomputeResult, refresh_computed


def migrate(database_url: str, revision: str = "head") -> RecomputeResult | None:
    """Upgrade to `revision`; at head, compute what the stored figures lack."""
    upgrade(database_url, revision)
    if revision != "head":
        return None  # the models describe the head schema only
    engine = make_engine(database_url)
    try:
        # The app's kind of session: the recomputed figures appear in the change feed.
        with make_session_factory(engine).begin() as session:
            session.info[ACTOR_KEY] = "migration"
            return refresh_computed(session)
    finally:
        engine.dispose()
