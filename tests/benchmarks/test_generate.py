"""The benchmarks' synthetic rows still fit the schema (they load with every column filled
as `recompute` would fill it), so `make bench` does not break unseen when a column is added."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.trade.models import TradeObservation
from app.trade.tolerance import figure_interval, stored_bounds
from benchmarks import generate
from tests.conftest import BACKENDS


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_synthetic_rows_load_into_a_migrated_database(empty_database_url: str) -> None:
    engine = generate.prepare(empty_database_url)
    try:
        report = generate.fill(engine, 300, areas=4)
        assert report.rows == 300
        with engine.connect() as connection:
            rows = connection.execute(
                select(TradeObservation).where(TradeObservation.source_id.in_(generate.SOURCE_IDS))
            ).all()
            assert len(rows) == 300
            for row in rows[:50]:
                lower, upper = stored_bounds(
                    figure_interval(row.value, row.precision, row.qualifier, row.unit)
                )
                assert (row.bounds_lower, row.bounds_upper) == (lower, upper)
            preferred = connection.scalar(
                select(func.count()).where(TradeObservation.preferred.is_(True))
            )
            assert preferred
    finally:
        engine.dispose()
