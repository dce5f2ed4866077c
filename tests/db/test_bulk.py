"""`app.db.bulk.insert_rows` stores what an ORM insert would (COPY on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.changes.models import Change
from app.db.bulk import among, insert_rows
from app.db.statistics import refresh_statistics
from app.trade.models import TradeObservation

DERIVATION = {"formula": "value / multiple", "inputs": ["a-b", "c-d"]}


def test_rows_keep_exact_decimals_json_text_and_defaults(engine: Engine) -> None:
    before = datetime.now(UTC)
    rows = [
        {
            "id": f"bulk-test-{n}",
            "reporter": "KAZ",
            "partner": "CHN",
            "indicator": "trade_turnover",
            "year": 1990 + n,
            "base_year": None,
            "value": Decimal("62924528301.886792") + n,
            "unit": "USD",
            "precision": None,
            "qualifier": "approximately",
            "status": "derived",
            "source_id": None,
            "derivation": DERIVATION,
            "note": 'a "quoted", tab\tand newline\n note' if n == 0 else None,
            "preferred": False,
        }
        for n in range(3)
    ]
    with Session(engine) as session:
        try:
            insert_rows(session, TradeObservation.__table__, rows)
            insert_rows(
                session,
                Change.__table__,
                [{"seq": -1, "type": "t", "resource_id": "r", "action": "create"}],
            )
            stored = session.execute(
                select(
                    TradeObservation.value,
                    TradeObservation.derivation,
                    TradeObservation.note,
                    TradeObservation.created_at,
                    TradeObservation.updated_at,
                )
                .where(TradeObservation.id.like("bulk-test-%"))
                .order_by(TradeObservation.id)
            ).all()
            change = session.execute(select(Change.at, Change.actor).where(Change.seq == -1)).one()
        finally:
            session.rollback()
    assert [row.value for row in stored] == [row["value"] for row in rows]
    assert [row.derivation for row in stored] == [DERIVATION] * 3
    assert stored[0].note == rows[0]["note"]
    assert stored[1].note is None
    assert all(row.created_at >= before for row in stored)
    assert all(row.updated_at >= before for row in stored)
    assert change.at >= before  # the column's default
    assert change.actor is None


def test_among_matches_row_values_and_single_columns(engine: Engine) -> None:
    key_columns = (
        TradeObservation.reporter,
        TradeObservation.partner,
        TradeObservation.indicator,
        TradeObservation.year,
        TradeObservation.source_id,
    )
    with Session(engine) as session:
        # Reported figures: derived ones have no source, and NULL equals nothing in SQL.
        rows = session.execute(
            select(TradeObservation.id, *key_columns).where(TradeObservation.source_id.is_not(None))
        ).all()
        keys = [tuple(row)[1:] for row in rows][:10]
        missing = ("KAZ", "CHN", "trade_turnover", 1990, "no-such-source")
        found = session.execute(
            select(TradeObservation.id).where(among(session, key_columns, [*keys, missing]))
        ).scalars()
        assert set(found) == {row.id for row in rows[:10]}
        ids = [(row.id,) for row in rows[:5]] + [("not-an-id",)]
        by_id = session.scalars(
            select(TradeObservation.id).where(among(session, [TradeObservation.id], ids))
        )
        assert set(by_id) == {row.id for row in rows[:5]}


def test_statistics_are_gathered_for_the_planner(engine: Engine) -> None:
    with engine.begin() as connection:
        refresh_statistics(connection)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            indexed = connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'trade_observations'"
            ).scalar_one()
            assert indexed >= 5  # a line per index of the table
        else:
            analyzed = connection.exec_driver_sql(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'trade_observations'"
            ).scalar_one()
            assert analyzed is not None
